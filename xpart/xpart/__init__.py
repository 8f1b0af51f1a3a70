"""The Particles class and particle distributions."""

from ._version import __version__
from .constants import (ELECTRON_MASS_EV, MUON_MASS_EV, PROTON_MASS_EV, U_MASS_EV,
                        Pb208_MASS_EV)
from .distributions import (SingleRFHarmonicMatcher, generate_2D_gaussian, generate_2D_pencil,
                            generate_2D_pencil_with_absolute_cut, generate_2D_polar_grid,
                            generate_2D_uniform_circular_sector,
                            generate_binomial_longitudinal_coordinates, generate_hypersphere_2D,
                            generate_hypersphere_4D, generate_hypersphere_6D,
                            generate_longitudinal_coordinates, generate_matched_gaussian_bunch,
                            generate_matched_gaussian_multibunch_beam,
                            generate_parabolic_longitudinal_coordinates,
                            generate_qgaussian_longitudinal_coordinates)
from .particles import Particles, reference_from_pdg_id
from .species import get_species
from . import pdg  # noqa: E402  (names, charges and masses of PDG ids)
from .build_particles import build_particles  # noqa: E402  (needs Particles)
from . import line_tools  # noqa: E402  (reads the functions above)
from .line_tools import XpartLineAPI  # noqa: E402
from .phase_monitor import PhaseMonitor  # noqa: E402

__all__ = [
    "__version__", "Particles", "reference_from_pdg_id", "get_species", "build_particles",
    "XpartLineAPI", "line_tools", "PhaseMonitor",
    "PROTON_MASS_EV", "ELECTRON_MASS_EV", "MUON_MASS_EV", "U_MASS_EV", "Pb208_MASS_EV",
    "generate_2D_gaussian", "generate_matched_gaussian_bunch",
    "generate_matched_gaussian_multibunch_beam", "SingleRFHarmonicMatcher",
    "generate_longitudinal_coordinates", "generate_parabolic_longitudinal_coordinates",
    "generate_binomial_longitudinal_coordinates", "generate_qgaussian_longitudinal_coordinates",
    "generate_2D_pencil", "generate_2D_pencil_with_absolute_cut", "generate_2D_polar_grid",
    "generate_2D_uniform_circular_sector", "generate_hypersphere_2D", "generate_hypersphere_4D",
    "generate_hypersphere_6D",
]
