"""Optics of a line: closed orbit, one-turn matrix, normal form, twiss tables."""

from .closed_orbit import ClosedOrbitNotFound, OpticsParticlesLost, find_closed_orbit_coords
from .footprint import Footprint, LinearRescale
from .normal_form import UnstableMatrixError, linear_normal_form
from .one_turn_matrix import DEFAULT_STEPS_R_MATRIX, compute_one_turn_matrix_finite_differences
from .table import TwissInit, TwissTable
from .twiss import twiss_line

__all__ = ["ClosedOrbitNotFound", "DEFAULT_STEPS_R_MATRIX", "Footprint", "LinearRescale",
           "OpticsParticlesLost", "TwissInit", "TwissTable",
           "UnstableMatrixError", "compute_one_turn_matrix_finite_differences",
           "find_closed_orbit_coords", "linear_normal_form", "twiss_line"]
