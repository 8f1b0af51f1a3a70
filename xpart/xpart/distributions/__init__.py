"""Particle distributions: grids, pencils, hyperspheres, Gaussian and RF-matched bunches."""

from .gaussian import (generate_2D_gaussian, generate_matched_gaussian_bunch,
                       generate_matched_gaussian_multibunch_beam)
from .hypersphere import generate_hypersphere_2D, generate_hypersphere_4D, generate_hypersphere_6D
from .longitudinal import (SingleRFHarmonicMatcher, generate_binomial_longitudinal_coordinates,
                           generate_longitudinal_coordinates,
                           generate_parabolic_longitudinal_coordinates,
                           generate_qgaussian_longitudinal_coordinates)
from .pencil import generate_2D_pencil, generate_2D_pencil_with_absolute_cut
from .polar import generate_2D_polar_grid, generate_2D_uniform_circular_sector

__all__ = [
    "generate_2D_gaussian", "generate_matched_gaussian_bunch",
    "generate_matched_gaussian_multibunch_beam", "SingleRFHarmonicMatcher",
    "generate_longitudinal_coordinates", "generate_parabolic_longitudinal_coordinates",
    "generate_binomial_longitudinal_coordinates", "generate_qgaussian_longitudinal_coordinates",
    "generate_2D_pencil", "generate_2D_pencil_with_absolute_cut", "generate_2D_polar_grid",
    "generate_2D_uniform_circular_sector", "generate_hypersphere_2D", "generate_hypersphere_4D",
    "generate_hypersphere_6D",
]
