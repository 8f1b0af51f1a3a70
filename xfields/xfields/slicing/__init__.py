"""Longitudinal slicing of a bunch for beam-beam (slices of equal charge)."""

from .constant_charge import (constant_charge_slicing_gaussian, slice_moments_equal_charge,
                              slice_moments_in_bins)
from .temp_slicer import TempSlicer

__all__ = ["constant_charge_slicing_gaussian", "slice_moments_equal_charge", "slice_moments_in_bins",
           "TempSlicer"]
