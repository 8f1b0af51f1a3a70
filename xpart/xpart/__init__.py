"""The Particles class and particle distributions."""

from ._version import __version__
from .constants import (ELECTRON_MASS_EV, MUON_MASS_EV, PROTON_MASS_EV, U_MASS_EV,
                        Pb208_MASS_EV)
from .distributions import (SingleRFHarmonicMatcher, generate_2D_gaussian, generate_2D_pencil,
                            generate_2D_pencil_with_absolute_cut, generate_2D_polar_grid,
                            generate_2D_uniform_circular_sector, generate_longitudinal_coordinates,
                            generate_matched_gaussian_bunch)
from .particles import Particles, reference_from_pdg_id
from .species import get_species

__all__ = [
    "__version__", "Particles", "reference_from_pdg_id", "get_species",
    "PROTON_MASS_EV", "ELECTRON_MASS_EV", "MUON_MASS_EV", "U_MASS_EV", "Pb208_MASS_EV",
    "generate_2D_gaussian", "generate_matched_gaussian_bunch", "SingleRFHarmonicMatcher",
    "generate_longitudinal_coordinates", "generate_2D_pencil",
    "generate_2D_pencil_with_absolute_cut", "generate_2D_polar_grid",
    "generate_2D_uniform_circular_sector",
]
