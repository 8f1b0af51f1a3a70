"""The Particles class and particle distributions."""

from ._version import __version__

__all__ = ["__version__"]
