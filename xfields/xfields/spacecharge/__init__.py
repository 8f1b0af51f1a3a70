"""Installing space-charge elements in a line (frozen, quasi-frozen)."""

from .install import install_spacecharge_frozen, replace_spacecharge_with_quasi_frozen

__all__ = ["install_spacecharge_frozen", "replace_spacecharge_with_quasi_frozen"]
