"""Thin transverse lenses: hollow electron lens, current-carrying wire,
elliptic non-linear lens.

All three accept a transverse misalignment (`shift_x`, `shift_y`,
`rot_s_rad`).
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["Elens", "Wire", "NonLinearLens"]

_MISALIGNMENT = {
    "shift_x": xo.Float64,    # [m] horizontal misalignment
    "shift_y": xo.Float64,    # [m] vertical misalignment
    "rot_s_rad": xo.Float64,  # [rad] tilt about s
}


class Elens(BeamElement):
    """Hollow electron lens (thin radial kick towards the axis).

    Parameters
    ----------
    inner_radius, outer_radius : float, default 0
        Radii of the annular electron beam [m].
    current : float, default 0
        Electron current [A].
    elens_length : float, default 0
        Length of the interaction [m].
    voltage : float, default 0
        Electron acceleration voltage [V] (kinetic energy e*voltage).
    residual_kick_x, residual_kick_y : float, default 0
        Kicks inside the inner radius [rad].
    coefficients_polynomial : array, default [0]
        Radial profile polynomial, highest power first, r in mm (used when
        `polynomial_order` > 0, between the radii).
    polynomial_order : int, optional
        Order of the profile polynomial; default ``len(coefficients_polynomial) - 1``.
    shift_x, shift_y, rot_s_rad : float, default 0
        Misalignment [m], [m], [rad].
    """

    _xofields = {
        "inner_radius": xo.Float64,           # [m]
        "outer_radius": xo.Float64,           # [m]
        "current": xo.Float64,                # [A]
        "elens_length": xo.Float64,           # [m]
        "voltage": xo.Float64,                # [V]
        "residual_kick_x": xo.Float64,        # [rad]
        "residual_kick_y": xo.Float64,        # [rad]
        "coefficients_polynomial": xo.Float64[:],  # profile, highest power first, r in mm
        "polynomial_order": xo.Float64,       # order of the profile polynomial
        **_MISALIGNMENT,
    }
    allow_rot_and_shift = True
    _extra_c_sources = [_HERE / "elens.h"]

    def __init__(self, *args, _xobject=None, **kwargs):
        if _xobject is not None:
            super().__init__(*args, _xobject=_xobject, **kwargs)
            return
        if kwargs.get("current", 0) != 0 and not kwargs.get("voltage", 0) > 0:
            raise ValueError("Elens: voltage must be > 0 [V] when a current is given "
                             f"(the electron speed follows from it), got {kwargs.get('voltage', 0)!r}.")
        coeffs = kwargs.pop("coefficients_polynomial", None)
        coeffs = np.zeros(1) if coeffs is None else np.atleast_1d(np.asarray(coeffs, dtype=float))
        order = kwargs.pop("polynomial_order", None)
        if order is None:
            order = len(coeffs) - 1
        if order < 0 or order != int(order) or order > len(coeffs) - 1:
            raise ValueError(f"Elens: polynomial_order must be an integer in [0, {len(coeffs) - 1}] "
                             f"(len(coefficients_polynomial) - 1), got {order!r}.")
        super().__init__(*args, coefficients_polynomial=coeffs, polynomial_order=float(order), **kwargs)


class Wire(BeamElement):
    """Straight current-carrying wire parallel to the beam (thin kick).

    Parameters
    ----------
    L_phy : float, default 0
        Physical length of the wire [m].
    L_int : float, default 0
        Interaction (integration) length [m].
    current : float, default 0
        Wire current [A].
    xma, yma : float, default 0
        Position of the wire [m].
    post_subtract_px, post_subtract_py : float, default 0
        Kicks removed after the wire kick [rad] (e.g. its closed-orbit effect).
    shift_x, shift_y, rot_s_rad : float, default 0
        Misalignment [m], [m], [rad].
    """

    _xofields = {
        "L_phy": xo.Float64,             # [m]
        "L_int": xo.Float64,             # [m]
        "current": xo.Float64,           # [A]
        "xma": xo.Float64,               # [m]
        "yma": xo.Float64,               # [m]
        "post_subtract_px": xo.Float64,  # [rad]
        "post_subtract_py": xo.Float64,  # [rad]
        **_MISALIGNMENT,
    }
    allow_rot_and_shift = True
    _extra_c_sources = [_HERE / "wire.h"]


class NonLinearLens(BeamElement):
    """Thin lens with the Danilov-Nagaitsev elliptic potential (MAD-X NLLENS).

    Parameters
    ----------
    knll : float, default 0
        Integrated strength [m]; the quadrupole term is ``k1 = 2 knll / cnll^2``.
    cnll : float, default 0
        Dimensional parameter [m]: singularities at x = +-cnll, y = 0. Must
        be non-zero when tracking.
    shift_x, shift_y, rot_s_rad : float, default 0
        Misalignment [m], [m], [rad].
    """

    _xofields = {
        "knll": xo.Float64,  # [m] integrated strength
        "cnll": xo.Float64,  # [m] position of the singularities
        **_MISALIGNMENT,
    }
    allow_rot_and_shift = True
    _extra_c_sources = [_HERE / "non_linear_lens.h"]
