"""Drifts: field-free straight sections."""

from pathlib import Path

import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = ["Drift", "DriftExact"]


class Drift(BeamElement):
    """Field-free drift space.

    Parameters
    ----------
    length : float, default 0
        Length [m].
    model : {'adaptive', 'expanded', 'exact'}, default 'adaptive'
        'expanded': paraxial map; 'exact': exact drift with
        pz = sqrt((1+delta)^2 - px^2 - py^2); 'adaptive' uses the expanded map.
    """

    _xofields = {"length": xo.Float64, "_model": xo.Int64}
    model = EnumProperty("_model", {"adaptive": 0, "expanded": 1, "exact": 2})
    isthick = True
    has_backtrack = True
    behaves_like_drift = True
    allow_loss_refinement = True
    _extra_c_sources = [_HERE / "drift.h"]


class DriftExact(BeamElement):
    """Drift with the exact (non-paraxial) map.

    Parameters
    ----------
    length : float, default 0
        Length [m].
    """

    _xofields = {"length": xo.Float64}
    isthick = True
    has_backtrack = True
    behaves_like_drift = True
    allow_loss_refinement = True
    _extra_c_sources = [_HERE / "drift_exact.h"]
