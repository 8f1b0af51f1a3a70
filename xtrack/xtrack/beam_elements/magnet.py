"""Magnet: the general thick magnet (curvature, normal and skew main strengths up to order 3)."""

from pathlib import Path

import xobjects as xo

from .magnets import _BEND_FIELDS, _SOURCES, _BendBase

__all__ = ["Magnet"]

_HERE = Path(__file__).resolve().parent


class Magnet(_BendBase):
    """General thick magnet: every element of the magnet family is a special case.

    Parameters
    ----------
    length : float, default 0
        Length along the reference trajectory [m].
    angle : float, default 0
        Bending angle of the reference trajectory [rad] (curvature h = angle / length).
    k0, k1, k2, k3 : float, default 0
        Normal main strengths [m^-(n+1)]; as for `Bend`, the tracked dipole
        strength is the curvature h while k0 is not given (`k0_from_h`).
    k0s, k1s, k2s, k3s : float, default 0
        Skew main strengths [m^-(n+1)].
    knl, ksl : array, default zeros(6)
        Extra integrated multipoles.
    model, integrator, num_multipole_kicks, edge_*, radiation_flag, shift_*, rot_*
        As for :class:`Bend`.
    """

    _xofields = {**_BEND_FIELDS, "k3": xo.Float64, "k0s": xo.Float64, "k1s": xo.Float64,
                 "k2s": xo.Float64, "k3s": xo.Float64}
    _extra_c_sources = _SOURCES + [_HERE / "magnet.h"]

