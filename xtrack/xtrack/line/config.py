"""Kernel configuration of a line: `line.config.NAME = value`."""

__all__ = ["TrackerConfig", "DEFAULT_CONFIG"]

#: Defaults of a new line (the established implementation's).
DEFAULT_CONFIG = {
    "XTRACK_MULTIPOLE_NO_SYNRAD": True,
    "XFIELDS_BB3D_NO_BEAMSTR": True,
    "XFIELDS_BB3D_NO_BHABHA": True,
    "XTRACK_GLOBAL_XY_LIMIT": 1.0,
}


class TrackerConfig(dict):
    """Dictionary of compile-time flags, also readable and writable as attributes.

    Each entry becomes a ``#define`` of the line kernel: ``True`` defines the
    name, ``False``/``None`` leaves it undefined, other values are written
    as the macro's value. One kernel is compiled (and cached) per distinct
    configuration.
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no configuration entry {name!r}") from None

    def __setattr__(self, name, value):
        self[name] = value

    def __delattr__(self, name):
        self.pop(name, None)

    def update(self, other=(), **kwargs):
        dict.update(self, other, **kwargs)
