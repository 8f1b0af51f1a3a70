"""Fields of charge distributions (the Bassetti-Erskine field in _bigaussian_field.h)."""

from .bigaussian_fieldmap import BiGaussianFieldMap

__all__ = ["BiGaussianFieldMap"]
