"""Library-wide user settings: `xt.settings.progress_indicator = 'text'`.

| setting | values | default |
| --- | --- | --- |
| `progress_indicator` | 'tqdm', 'text', 'suppress' | `$XSUITE_PROGRESS_INDICATOR`, else 'tqdm' |
| `print_mode` | 'normal', 'suppress' | 'normal' |

`with xt.settings.override(progress_indicator='suppress'): ...` changes
settings for a block and restores them afterwards, also on errors.
"""

import os
from contextlib import contextmanager

__all__ = ["Settings", "settings"]

_ALLOWED = {
    "progress_indicator": ("tqdm", "text", "suppress"),
    "print_mode": ("normal", "suppress"),
}


class Settings:
    """The settings object (`xtrack.settings`); see the module docstring."""

    def __init__(self):
        object.__setattr__(self, "_values", {})
        default_indicator = os.environ.get("XSUITE_PROGRESS_INDICATOR", "tqdm")
        if default_indicator not in _ALLOWED["progress_indicator"]:
            default_indicator = "tqdm"
        self.progress_indicator = default_indicator
        self.print_mode = "normal"

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no setting named {name!r}; settings are {sorted(_ALLOWED)}") from None

    def __setattr__(self, name, value):
        if name not in _ALLOWED:
            raise AttributeError(f"no setting named {name!r}; settings are {sorted(_ALLOWED)}")
        allowed = _ALLOWED[name]
        if value not in allowed:
            raise ValueError(f"settings.{name}: expected one of {', '.join(repr(a) for a in allowed)}, "
                             f"got {value!r}.")
        self._values[name] = value

    @contextmanager
    def override(self, **values):
        """Set `values` for the duration of a `with` block."""
        for name, value in values.items():  # validate all before changing any
            if name not in _ALLOWED:
                raise AttributeError(f"no setting named {name!r}; settings are {sorted(_ALLOWED)}")
            if value not in _ALLOWED[name]:
                raise ValueError(f"settings.{name}: expected one of "
                                 f"{', '.join(repr(a) for a in _ALLOWED[name])}, got {value!r}.")
        saved = dict(self._values)
        try:
            self._values.update(values)
            yield self
        finally:
            self._values.clear()
            self._values.update(saved)

    def __repr__(self):
        return f"Settings({', '.join(f'{k}={v!r}' for k, v in self._values.items())})"


settings = Settings()
