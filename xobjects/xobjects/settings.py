"""Suite-wide user settings, shared by every library: ``xo.settings``.

``xtrack.settings`` is this same object. A library declares the settings it
reads with `Settings.declare` (name, allowed values, default) when it is
imported; this module declares the one every library uses:

| setting | values | default |
| --- | --- | --- |
| `print_mode` | 'print' (or 'normal'), 'suppress' | 'print' |

``with xo.settings.override(print_mode='suppress'): ...`` changes settings
for a block and restores them afterwards, also on errors. Informational
output of the suite goes through `_print`, which honours `print_mode`.
"""

from contextlib import contextmanager

__all__ = ["Settings", "settings"]


class Settings:
    """The settings object; see the module docstring."""

    def __init__(self):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_allowed", {})

    def declare(self, name, allowed, default):
        """Declare setting `name` with its `allowed` values and `default` (a second
        declaration of the same name keeps the present value)."""
        if default not in allowed:
            raise ValueError(f"Settings.declare: default {default!r} of {name!r} is not one of "
                             f"{allowed!r}.")
        self._allowed[name] = tuple(allowed)
        self._values.setdefault(name, default)

    def _check(self, name, value):
        if name not in self._allowed:
            raise AttributeError(f"no setting named {name!r}; settings are {sorted(self._allowed)}")
        if value not in self._allowed[name]:
            raise ValueError(f"settings.{name}: expected one of "
                             f"{', '.join(repr(a) for a in self._allowed[name])}, got {value!r}.")

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no setting named {name!r}; settings are "
                                 f"{sorted(self._allowed)}") from None

    def __setattr__(self, name, value):
        self._check(name, value)
        self._values[name] = value

    @contextmanager
    def override(self, **values):
        """Set `values` for the duration of a `with` block."""
        for name, value in values.items():  # validate all before changing any
            self._check(name, value)
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
settings.declare("print_mode", ("print", "normal", "suppress"), "print")


def _print(*args, **kwargs):
    """``print``, unless ``settings.print_mode`` is 'suppress'."""
    if settings.print_mode != "suppress":
        print(*args, **kwargs)
