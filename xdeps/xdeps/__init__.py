"""Variables with deferred expressions, tables and the optimizer."""

from ._version import __version__

__all__ = ["__version__"]
