"""Analysis and plots of beam loss maps, simulated and measured."""

from ._version import __version__

__all__ = ["__version__"]
