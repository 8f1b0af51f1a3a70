"""Collective effects: beam-beam, space charge, intra-beam scattering."""

from ._version import __version__

__all__ = ["__version__"]
