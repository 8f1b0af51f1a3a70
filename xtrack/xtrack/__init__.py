"""Lattices, beam elements, tracking, optics and matching.

The library is being built; for now it re-exports the particle class that
the manual documents as ``xtrack.Particles`` (owned by xpart, ARCHITECTURE.md).
"""

from xpart import Particles

from ._version import __version__

__all__ = ["__version__", "Particles"]
