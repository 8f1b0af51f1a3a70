"""Installing space-charge elements in a line (frozen, quasi-frozen, particle-in-cell)."""

from .install import install_spacecharge_frozen, replace_spacecharge_with_quasi_frozen
from .pic import PICCollection, replace_spacecharge_with_PIC

__all__ = ["install_spacecharge_frozen", "replace_spacecharge_with_quasi_frozen",
           "PICCollection", "replace_spacecharge_with_PIC"]
