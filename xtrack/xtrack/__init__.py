"""Lattices, beam elements, tracking, optics and matching."""

from ._version import __version__

__all__ = ["__version__"]
