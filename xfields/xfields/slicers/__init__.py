"""Longitudinal slicers of bunch trains and their multi-turn compressed profiles."""

from .compressed_profile import CompressedProfile
from .uniform_bin_slicer import UniformBinSlicer

__all__ = ["UniformBinSlicer", "CompressedProfile"]
