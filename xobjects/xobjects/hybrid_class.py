"""HybridClass: Python classes whose data is an xobjects Struct in a buffer."""

__all__ = []
