"""Magnet edges: dipole edges, wedges and multipole fringes (thin maps).

The physics lives in ``_edges.h`` (models, references and sign conventions
in its top comment); each class here is a thin element around one of its
functions. Strengths are per unit length (``k`` [m^-1], ``kn[n]``
[m^-(n+1)]), angles in radians.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = ["DipoleEdge", "MagnetEdge", "MultipoleEdge", "Wedge", "EDGE_MODEL_CODES"]

#: Edge models and their C codes (EDGE_MODEL_* in _edges.h; the codes of
#: magnets.EDGE_MODELS). 'suppress' is an accepted alias of 'suppressed'.
EDGE_MODEL_CODES = {"linear": 0, "full": 1, "dipole-only": 2, "suppressed": 3, "suppress": 3}

#: Largest multipole order of the edge elements (EDGE_MAX_ORDER in _edges.h).
MAX_ORDER = 20


def _padded_pair(cls_name, kwargs, names, order_key):
    """Pad the arrays ``kwargs[names[0]]``, ``kwargs[names[1]]`` to one length.

    The length is ``order + 1`` where the order is the largest of the given
    arrays' and of ``kwargs[order_key]`` (removed from `kwargs`; a derived
    value written by ``to_dict``).
    """
    a, b = (kwargs.pop(name, None) for name in names)
    a = np.atleast_1d(np.asarray([] if a is None else a, dtype=float))
    b = np.atleast_1d(np.asarray([] if b is None else b, dtype=float))
    n = max(len(a), len(b))
    order = kwargs.pop(order_key, None)
    if order is not None:
        if int(order) != order or order < -1:
            raise ValueError(f"{cls_name}: {order_key} must be an integer >= -1, got {order!r}.")
        n = max(n, int(order) + 1)
    if n - 1 > MAX_ORDER:
        raise ValueError(f"{cls_name}: {order_key} must be <= {MAX_ORDER}, got {n - 1}.")
    kwargs[names[0]] = np.concatenate([a, np.zeros(n - len(a))])
    kwargs[names[1]] = np.concatenate([b, np.zeros(n - len(b))])


class DipoleEdge(BeamElement):
    """Edge of a dipole (MAD-X DIPEDGE; see the MAD-X manual).

    Parameters
    ----------
    k : float, default 0
        Dipole strength [1/m].
    e1 : float, default 0
        Face angle [rad].
    e1_fd : float, default 0
        Added to `e1` in the vertical plane of the linear model only
        (feed-down of a closed-orbit angle entering the fringe) [rad].
    hgap : float, default 0
        Half gap [m].
    fint : float, default 0
        Fringe field integral.
    model : {'linear', 'full', 'dipole-only', 'suppressed'}, default 'linear'
        'linear': MAD-X linear edge focusing; 'full': exact rotation to the
        face, non-linear hard-edge fringe with the fint-hgap correction and
        wedge (PTC); 'dipole-only' is 'full' (no multipoles here);
        'suppressed' (alias 'suppress'): identity.
    side : {'entry', 'exit'}, default 'entry'
        Side of the bend.
    """

    _xofields = {
        "k": xo.Float64, "e1": xo.Float64, "e1_fd": xo.Float64,
        "hgap": xo.Float64, "fint": xo.Float64,
        "_model": xo.Int64, "_side": xo.Int64,
    }
    model = EnumProperty("_model", EDGE_MODEL_CODES)
    side = EnumProperty("_side", {"entry": 0, "exit": 1})
    allow_rot_and_shift = True
    has_backtrack = True  # linear model: the opposite kick (others refused, dipole_edge.h)
    _extra_c_sources = [_HERE / "_edges.h", _HERE / "dipole_edge.h"]

    def __init__(self, k=None, e1=None, e1_fd=None, hgap=None, fint=None, model=None,
                 side=None, **kwargs):
        for name, value in (("k", k), ("e1", e1), ("e1_fd", e1_fd), ("hgap", hgap),
                            ("fint", fint), ("model", model), ("side", side)):
            if value is not None:
                kwargs[name] = value
        super().__init__(**kwargs)


class Wedge(BeamElement):
    """Wedge of dipole (and quadrupole) field between two frames rotated by `angle`.

    Parameters
    ----------
    angle : float, default 0
        Wedge angle [rad].
    k : float, default 0
        Dipole strength [1/m] (exact wedge map).
    k1 : float, default 0
        Quadrupole strength [1/m^2] (thin quadrupole-wedge kick).
    quad_wedge_then_dip_wedge : int, default 0
        1: quadrupole wedge first, then dipole wedge (the entry order);
        0: dipole wedge first (the exit order).
    """

    _xofields = {"angle": xo.Float64, "k": xo.Float64, "k1": xo.Float64,
                 "quad_wedge_then_dip_wedge": xo.Int64}
    _extra_c_sources = [_HERE / "_edges.h", _HERE / "wedge.h"]


class MultipoleEdge(BeamElement):
    """Hard-edge fringe of a straight multipole (Lee-Whiting / Forest).

    Parameters
    ----------
    kn, ks : array, default []
        Normal / skew strengths [m^-(n+1)], index n (n = 0 is ignored: the
        dipole fringe is :class:`DipoleEdge`); padded to a common length.
    order : int, optional
        Highest order (pads `kn`/`ks` with zeros).
    is_exit : bool, default False
        Exit edge (the map with the opposite field gradient).
    """

    _xofields = {"kn": xo.Float64[:], "ks": xo.Float64[:], "is_exit": xo.Int64}
    _extra_c_sources = [_HERE / "_edges.h", _HERE / "multipole_edge.h"]

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            _padded_pair(type(self).__name__, kwargs, ("kn", "ks"), "order")
            if "is_exit" in kwargs:
                kwargs["is_exit"] = int(bool(kwargs["is_exit"]))
        super().__init__(**kwargs)

    @property
    def order(self):
        """Highest order stored in `kn`/`ks` (len(kn) - 1)."""
        return len(self.kn) - 1

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["order"] = self.order
        return out


class MagnetEdge(BeamElement):
    """Edge of a magnet with dipole and multipole components.

    Parameters
    ----------
    model : {'linear', 'full', 'dipole-only', 'suppressed'}, default 'linear'
        'linear': linear dipole edge of ``kn[0]``; 'full': rotation to the
        face, dipole fringe, multipole fringe, quadrupole and dipole wedges;
        'dipole-only': 'full' without the multipole fringe and the
        quadrupole wedge; 'suppressed': identity.
    kn, ks : array, default []
        Normal / skew strengths per unit length [m^-(n+1)].
    knl, ksl : array, default []
        Integrated strengths [m^-n], added as ``knl / length`` to the
        fringes (the wedges use `kn` only).
    k_order, kl_order : int, optional
        Highest orders (pad the arrays with zeros).
    length : float, default 0
        Length of the magnet [m] (for `knl`, `ksl`).
    face_angle : float, default 0
        Edge angle [rad].
    face_angle_feed_down : float, default 0
        Added to the face angle in the vertical plane of the linear model [rad].
    fringe_integral : float, default 0
        Fringe field integral (MAD-X fint).
    half_gap : float, default 0
        Half gap [m] (MAD-X hgap).
    is_exit : bool, default False
        Exit edge.
    """

    _xofields = {
        "_model": xo.Int64, "is_exit": xo.Int64,
        "kn": xo.Float64[:], "ks": xo.Float64[:],
        "knl": xo.Float64[:], "ksl": xo.Float64[:],
        "length": xo.Float64, "face_angle": xo.Float64, "face_angle_feed_down": xo.Float64,
        "fringe_integral": xo.Float64, "half_gap": xo.Float64,
    }
    model = EnumProperty("_model", EDGE_MODEL_CODES)
    _extra_c_sources = [_HERE / "_edges.h", _HERE / "magnet_edge.h"]

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            _padded_pair(type(self).__name__, kwargs, ("kn", "ks"), "k_order")
            _padded_pair(type(self).__name__, kwargs, ("knl", "ksl"), "kl_order")
            if "is_exit" in kwargs:
                kwargs["is_exit"] = int(bool(kwargs["is_exit"]))
        super().__init__(**kwargs)

    @property
    def k_order(self):
        """Highest order of `kn`/`ks` (-1 when empty)."""
        return len(self.kn) - 1

    @property
    def kl_order(self):
        """Highest order of `knl`/`ksl` (-1 when empty)."""
        return len(self.knl) - 1

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["k_order"] = self.k_order
        out["kl_order"] = self.kl_order
        return out
