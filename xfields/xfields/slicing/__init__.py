"""Longitudinal slicing of a bunch for beam-beam (slices of equal charge)."""

from .constant_charge import (constant_charge_slicing_gaussian, slice_moments_equal_charge)
from .temp_slicer import TempSlicer

__all__ = ["constant_charge_slicing_gaussian", "slice_moments_equal_charge", "TempSlicer"]
