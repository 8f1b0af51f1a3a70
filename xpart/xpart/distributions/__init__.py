"""Particle distributions: grids, pencils, Gaussian and RF-matched bunches."""

from .gaussian import generate_2D_gaussian, generate_matched_gaussian_bunch
from .longitudinal import SingleRFHarmonicMatcher, generate_longitudinal_coordinates
from .pencil import generate_2D_pencil, generate_2D_pencil_with_absolute_cut
from .polar import generate_2D_polar_grid, generate_2D_uniform_circular_sector

__all__ = [
    "generate_2D_gaussian", "generate_matched_gaussian_bunch", "SingleRFHarmonicMatcher",
    "generate_longitudinal_coordinates", "generate_2D_pencil",
    "generate_2D_pencil_with_absolute_cut", "generate_2D_polar_grid",
    "generate_2D_uniform_circular_sector",
]
