"""Fields of charge distributions: Bassetti-Erskine (_bigaussian_field.h) and PIC grids."""

from .bigaussian_fieldmap import BiGaussianFieldMap
from .fft_solvers import FFTSolver2p5D, FFTSolver3D
from .tricubic_fieldmap import TriCubicInterpolatedFieldMap
from .trilinear_fieldmap import TriLinearInterpolatedFieldMap

__all__ = ["BiGaussianFieldMap", "FFTSolver2p5D", "FFTSolver3D", "TriCubicInterpolatedFieldMap",
           "TriLinearInterpolatedFieldMap"]
