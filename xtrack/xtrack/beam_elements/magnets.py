"""Magnets: thin multipoles and thick straight and bending magnets.

All thick magnets share one body engine (``_magnet_body.h``): a model (what
the map between kicks solves exactly), an integrator (how the body is split
into maps and kicks) and a number of kicks; see the header for the list.
Strength conventions follow MAD-X: ``k<n>`` [m^-(n+1)] per unit length,
``knl``/``ksl`` [m^-n] integrated, normal/skew, field sum
``(knl[n] + i ksl[n]) (x + i y)^n / n!``.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = [
    "Multipole", "Quadrupole", "Sextupole", "Octupole", "Bend", "RBend",
    "SimpleThinBend", "SimpleThinQuadrupole", "MAGNET_MODELS", "MAGNET_INTEGRATORS",
]

#: Body models (names as in the established JSON format) and their C codes.
MAGNET_MODELS = {
    "adaptive": 0, "full": 1, "bend-kick-bend": 2, "rot-kick-rot": 3, "mat-kick-mat": 4,
    "drift-kick-drift-exact": 5, "drift-kick-drift-expanded": 6,
    "rot-kick-rot-low-order": 7, "rot-kick-rot-high-order": 8, "mat-kick-mat-exact": 9,
    "expanded": 4,  # legacy name of the expanded-Hamiltonian model, shown as 'mat-kick-mat'
}
#: Integrators (splitting schemes). The legacy name 'yoshida4' is the seven-kick
#: scheme of earlier versions (MAD-NG's coefficients, Yoshida's sixth-order
#: solution A), 'yoshida-6' here: upstream tests compare Magnet(integrator='yoshida4')
#: with the adaptive (seven-kick) bends; 'yoshida6' is an alias of 'yoshida-6'.
MAGNET_INTEGRATORS = {
    "adaptive": 0, "teapot": 1, "uniform": 2, "yoshida-4": 3, "yoshida-6": 4,
    "yoshida4": 4, "yoshida6": 4,
}
EDGE_MODELS = {"linear": 0, "full": 1, "dipole-only": 2, "suppressed": 3}
RBEND_MODELS = {"adaptive": 0, "curved-body": 1, "straight-body": 2}

_MISALIGNMENT_FIELDS = {
    "shift_x": xo.Float64, "shift_y": xo.Float64, "shift_s": xo.Float64,
    "rot_x_rad": xo.Float64, "rot_y_rad": xo.Float64, "rot_s_rad": xo.Float64,
    "rot_shift_anchor": xo.Float64,
}
_BODY_FIELDS = {
    "_model": xo.Int64, "_integrator": xo.Int64, "num_multipole_kicks": xo.Int64,
    "radiation_flag": xo.Int64, "delta_taper": xo.Float64,
}
_MULTIPOLE_ARRAYS = {"knl": xo.Float64[:], "ksl": xo.Float64[:]}
# components relative to the main strength of a thick magnet (get_total_knl_ksl)
_RELATIVE_ARRAYS = {"knl_rel": xo.Float64[:], "ksl_rel": xo.Float64[:]}

_SOURCES = [_HERE / "_multipole_kick.h", _HERE / "_drift.h", _HERE / "_magnet_maps.h",
            _HERE / "_magnet_kick.h", _HERE / "_magnet_body.h", _HERE / "_straight_magnet.h",
            _HERE / "_misalignment.h", _HERE / "_frame_change.h",
            _HERE / "_misalignment_patch.h", _HERE / "_magnet_misalignment.h",
            _HERE / "_radiation_mean.h", _HERE / "_radiation_segment.h", _HERE / "_edges.h", _HERE / "_bend_edges.h", _HERE / "_straight_fringe.h",
            _HERE / "_relative_strengths.h"]


def _multipole_arrays(cls_name, kwargs, min_order, names=("knl", "ksl")):
    """Pad the arrays `names` (`knl`, `ksl`, ...) in `kwargs` to a common length (order + 1), drop `order`."""
    arrays = {}
    for name in names:
        value = kwargs.pop(name, None)
        arrays[name] = np.atleast_1d(np.asarray([] if value is None else value, dtype=float))
    order = kwargs.pop("order", None)
    n = max(min_order + 1, *(len(a) for a in arrays.values()))
    if order is not None:
        if int(order) != order or order < 0:
            raise ValueError(f"{cls_name}: order must be a non-negative integer, got {order!r}.")
        n = max(n, int(order) + 1)
    if n - 1 > 20:
        raise ValueError(f"{cls_name}: order must be <= 20, got {n - 1}.")
    for name, a in arrays.items():
        kwargs[name] = np.concatenate([a, np.zeros(n - len(a))])


class _MagnetBase(BeamElement):
    """Common behaviour: multipole arrays, `order`, named options."""

    _min_order = 0
    allow_rot_and_shift = True
    #: inverse maps: <Cls>_backtrack_local_particle (_backtrack.h)
    has_backtrack = True
    _skip_in_to_dict = ()

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            names = ("knl", "ksl") + (("knl_rel", "ksl_rel") if self._main_order is not None else ())
            _multipole_arrays(type(self).__name__, kwargs, self._min_order, names)
            kwargs.pop("inv_factorial_order", None)
        super().__init__(**kwargs)

    #: order of the main strength that knl_rel/ksl_rel refer to (None: no relative arrays)
    _main_order = None

    def _main_integrated_strength(self):
        """Integrated main strength [m^-n] that knl_rel/ksl_rel multiply."""
        raise NotImplementedError

    def get_total_knl_ksl(self):
        """Integrated multipoles with the relative ones: knl + knl_rel * main, ksl + ksl_rel * main.

        `main` is the integrated main normal strength (k<n> * length; for bends
        the dipole strength that is tracked times the length), as the kernels use it.
        """
        knl, ksl = np.array(self.knl), np.array(self.ksl)
        if self._main_order is None:
            return knl, ksl
        main = self._main_integrated_strength()
        return knl + np.array(self.knl_rel) * main, ksl + np.array(self.ksl_rel) * main

    @property
    def order(self):
        """Highest multipole order stored in `knl`/`ksl` (len(knl) - 1)."""
        return len(self.knl) - 1

    @property
    def inv_factorial_order(self):
        return 1.0 / float(np.prod(np.arange(1, self.order + 1)))

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["order"] = self.order
        return out


class Multipole(_MagnetBase):
    """Thin magnetic multipole (optionally a thick kicker with a length).

    Parameters
    ----------
    knl, ksl : array, default [0]
        Integrated normal / skew strengths [m^-n]; padded to a common length.
    order : int, optional
        Highest order (pads `knl`/`ksl` with zeros).
    hxl : float, default 0
        Bending angle of the reference trajectory [rad] (curvature terms).
    length : float, default 0
        Length of the originating magnet [m] (weak focusing, radiation);
        the element length when `isthick` is True.
    isthick : bool, default False
        Track as a thick element (drifts and kicks over `length`).
    model, integrator, num_multipole_kicks
        Body options when `isthick` ('adaptive' tracks as 'drift-kick-drift-expanded').
    knl_rel, ksl_rel : array, optional
        Components relative to the main one ``knl[main_order]``.
    main_order : int, default 0
        Order of the main component for `knl_rel`/`ksl_rel`.
    radiation_flag : int, default 0
        0 off, 1 mean energy loss.
    shift_x, shift_y, shift_s [m], rot_x_rad, rot_y_rad, rot_s_rad [rad], rot_shift_anchor [m]
        Misalignment.
    """

    _xofields = {
        "length": xo.Float64, "hxl": xo.Float64, "_isthick": xo.Int64,
        "main_order": xo.Int64,
        **_BODY_FIELDS, **_MISALIGNMENT_FIELDS, **_MULTIPOLE_ARRAYS,
        "knl_rel": xo.Float64[:], "ksl_rel": xo.Float64[:],
    }
    model = EnumProperty("_model", MAGNET_MODELS)
    integrator = EnumProperty("_integrator", MAGNET_INTEGRATORS)
    _extra_c_sources = _SOURCES + [_HERE / "multipole.h"]

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            isthick = kwargs.pop("isthick", False)
            kwargs["_isthick"] = int(bool(isthick))
            for name in ("knl_rel", "ksl_rel"):
                kwargs[name] = np.atleast_1d(np.asarray(kwargs.get(name, [0.0]), dtype=float))
            n = max(len(kwargs["knl_rel"]), len(kwargs["ksl_rel"]))
            for name in ("knl_rel", "ksl_rel"):
                kwargs[name] = np.concatenate([kwargs[name], np.zeros(n - len(kwargs[name]))])
        super().__init__(**kwargs)

    def get_total_knl_ksl(self):
        """Integrated multipoles with the relative ones: knl + knl_rel * knl[main_order] (ksl the same)."""
        knl, ksl = np.array(self.knl), np.array(self.ksl)
        main = knl[self.main_order] if self.main_order < len(knl) else 0.
        n = max(len(knl), len(self.knl_rel))
        out = []
        for a, rel in ((knl, self.knl_rel), (ksl, self.ksl_rel)):
            total = np.zeros(n)
            total[:len(a)] = a
            total[:len(rel)] += np.array(rel) * main
            out.append(total)
        return out[0], out[1]

    @property
    def isthick(self):
        return bool(self._isthick)

    @isthick.setter
    def isthick(self, value):
        self._isthick = int(bool(value))

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["isthick"] = out.pop("_isthick") != 0
        return out


class _ThickMagnet(_MagnetBase):
    isthick = True
    _min_order = 5


_EDGE_ACTIVE = {"edge_entry_active": xo.Int64, "edge_exit_active": xo.Int64}


class Quadrupole(_ThickMagnet):
    """Quadrupole.

    Parameters
    ----------
    k1, k1s : float, default 0
        Normal / skew gradient [m^-2].
    length : float, default 0
        Length [m].
    knl, ksl : array, default zeros(6)
        Extra integrated multipoles [m^-n].
    model : str, default 'adaptive' (mat-kick-mat)
    integrator : str, default 'adaptive'
    num_multipole_kicks : int, default 0 (automatic: 1)
    edge_entry_active, edge_exit_active : int, default 0
        Hard-edge quadrupole fringe at entry / exit.
    radiation_flag : int, default 0
    shift_x, shift_y, rot_s_rad, ... : misalignment.
    """

    _xofields = {"length": xo.Float64, "k1": xo.Float64, "k1s": xo.Float64,
                 **_EDGE_ACTIVE, **_BODY_FIELDS, **_MISALIGNMENT_FIELDS, **_MULTIPOLE_ARRAYS,
                 **_RELATIVE_ARRAYS}
    _main_order = 1

    def _main_integrated_strength(self):
        return self.k1 * self.length
    model = EnumProperty("_model", MAGNET_MODELS)
    integrator = EnumProperty("_integrator", MAGNET_INTEGRATORS)
    _extra_c_sources = _SOURCES + [_HERE / "quadrupole.h"]
    allow_loss_refinement = True  # straight: loss refinement backtracks and slices it exactly


class Sextupole(_ThickMagnet):
    """Sextupole (k2, k2s [m^-3]); other parameters as :class:`Quadrupole`."""

    _xofields = {"length": xo.Float64, "k2": xo.Float64, "k2s": xo.Float64,
                 **_EDGE_ACTIVE, **_BODY_FIELDS, **_MISALIGNMENT_FIELDS, **_MULTIPOLE_ARRAYS,
                 **_RELATIVE_ARRAYS}
    _main_order = 2

    def _main_integrated_strength(self):
        return self.k2 * self.length
    model = EnumProperty("_model", MAGNET_MODELS)
    integrator = EnumProperty("_integrator", MAGNET_INTEGRATORS)
    _extra_c_sources = _SOURCES + [_HERE / "sextupole.h"]
    allow_loss_refinement = True  # straight: loss refinement backtracks and slices it exactly


class Octupole(_ThickMagnet):
    """Octupole (k3, k3s [m^-4]); other parameters as :class:`Quadrupole`."""

    _xofields = {"length": xo.Float64, "k3": xo.Float64, "k3s": xo.Float64,
                 **_EDGE_ACTIVE, **_BODY_FIELDS, **_MISALIGNMENT_FIELDS, **_MULTIPOLE_ARRAYS,
                 **_RELATIVE_ARRAYS}
    _main_order = 3

    def _main_integrated_strength(self):
        return self.k3 * self.length
    model = EnumProperty("_model", MAGNET_MODELS)
    integrator = EnumProperty("_integrator", MAGNET_INTEGRATORS)
    _extra_c_sources = _SOURCES + [_HERE / "octupole.h"]
    allow_loss_refinement = True  # straight: loss refinement backtracks and slices it exactly


_BEND_EDGE_FIELDS = {
    "edge_entry_active": xo.Int64, "edge_exit_active": xo.Int64,
    "_edge_entry_model": xo.Int64, "_edge_exit_model": xo.Int64,
    "edge_entry_angle": xo.Float64, "edge_exit_angle": xo.Float64,
    "edge_entry_angle_fdown": xo.Float64, "edge_exit_angle_fdown": xo.Float64,
    "edge_entry_fint": xo.Float64, "edge_exit_fint": xo.Float64,
    "edge_entry_hgap": xo.Float64, "edge_exit_hgap": xo.Float64,
}
_BEND_FIELDS = {
    "length": xo.Float64, "angle": xo.Float64, "k0": xo.Float64, "k0_from_h": xo.Int64,
    "k1": xo.Float64, "k2": xo.Float64,
    **_BEND_EDGE_FIELDS, **_BODY_FIELDS, **_MISALIGNMENT_FIELDS, **_MULTIPOLE_ARRAYS,
}


def _k0_fget(self):
    return self._xobject.k0


def _k0_fset(self, value):
    # As the established Bend: a dipole strength given explicitly (also by a knob) is the
    # one tracked, no longer the curvature h.
    self._xobject.k0 = value
    self._xobject.k0_from_h = 0


_BEND_K0 = property(_k0_fget, _k0_fset, doc="Dipole strength [m^-1]; setting it clears `k0_from_h`.")


class _BendBase(_ThickMagnet):
    model = EnumProperty("_model", MAGNET_MODELS)
    integrator = EnumProperty("_integrator", MAGNET_INTEGRATORS)
    edge_entry_model = EnumProperty("_edge_entry_model", EDGE_MODELS)
    edge_exit_model = EnumProperty("_edge_exit_model", EDGE_MODELS)

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            kwargs.setdefault("edge_entry_active", 1)
            kwargs.setdefault("edge_exit_active", 1)
            if "k0" in kwargs and "k0_from_h" not in kwargs:
                kwargs["k0_from_h"] = 0
            else:
                kwargs.setdefault("k0_from_h", 1)
            h = kwargs.pop("h", None)
            self._pending_h = None if "angle" in kwargs else h  # the angle wins (to_dict has both)
        super().__init__(**kwargs)
        if "_xobject" not in kwargs and self._pending_h is not None:
            self.h = self._pending_h

    @property
    def h(self):
        """Curvature of the reference trajectory angle/length [1/m]."""
        return self.angle / self.length if self.length != 0 else 0.0

    @h.setter
    def h(self, value):
        self.angle = value * self.length

    @property
    def _k0(self):
        """Dipole strength the body tracks with [1/m]: h while `k0_from_h`, else `k0`."""
        return self.h if self.k0_from_h else self.k0

    def to_dict(self, **kwargs):
        # k0 (ignored while k0_from_h) and the curvature h travel with the angle,
        # as in the established format; from_dict sets h after the angle, the same
        out = super().to_dict(**kwargs)
        out["h"] = self.h
        return out


class Bend(_BendBase):
    """Sector bending magnet (combined function with k1, k2).

    Parameters
    ----------
    length : float, default 0
        Arc length [m].
    angle : float, default 0
        Bending angle [rad]; the curvature is h = angle / length.
    k0 : float, default h
        Dipole strength [m^-1] (follows h unless given).
    k1, k2 : float, default 0
        Quadrupole [m^-2] and sextupole [m^-3] strengths.
    knl, ksl : array, default zeros(6)
        Extra integrated multipoles.
    model : str, default 'adaptive' (bend-kick-bend)
    integrator : str, default 'adaptive'
    num_multipole_kicks : int, default 0 (automatic)
    edge_entry_active, edge_exit_active : int, default 1
    edge_entry_model, edge_exit_model : {'linear', 'full', 'dipole-only', 'suppressed'}, default 'linear'
    edge_entry_angle, edge_exit_angle [rad], edge_*_angle_fdown [rad], edge_*_fint, edge_*_hgap [m]
        Pole-face angles and fringe parameters (MAD-X e1, e2, fint, hgap).
    radiation_flag : int, default 0
    shift_x, shift_y, rot_s_rad, ... : misalignment.
    """

    _xofields = {**_BEND_FIELDS, **_RELATIVE_ARRAYS}
    _main_order = 0

    def _main_integrated_strength(self):
        return self._k0 * self.length
    _extra_c_sources = _SOURCES + [_HERE / "bend.h"]
    k0 = _BEND_K0


class RBend(_BendBase):
    """Rectangular bend: straight length `length_straight` along the magnet axis.

    Parameters
    ----------
    length_straight : float, default 0
        Magnet length along its axis [m]; the arc length is
        ``length = length_straight * (angle/2) / sin(angle/2)``.
    angle : float, default 0
        Bending angle [rad]; the edges get angle/2 on top of edge_*_angle.
    rbend_model : {'adaptive', 'curved-body', 'straight-body'}, default 'adaptive'
    rbend_angle_diff, rbend_shift [m], rbend_compensate_sagitta (default True)
        Straight-body options.
    Other parameters as :class:`Bend`.
    """

    _xofields = {
        **_BEND_FIELDS, **_RELATIVE_ARRAYS, "length_straight": xo.Float64, "_rbend_model": xo.Int64,
        "rbend_angle_diff": xo.Float64, "rbend_shift": xo.Float64,
        "rbend_compensate_sagitta": xo.Int64,
    }
    rbend_model = EnumProperty("_rbend_model", RBEND_MODELS)
    k0 = _BEND_K0
    _main_order = 0

    def _main_integrated_strength(self):
        # the dipole strength RBend_track_sign tracks: with k0_from_h the
        # curvature of the symmetric geometry 2 sin(angle/2) / length_straight
        half = 0.5 * self.angle
        k0 = (2. * np.sin(half) / self.length_straight
              if self.k0_from_h and self.length_straight != 0 and self.angle != 0 else self._k0)
        return k0 * self.length
    _extra_c_sources = _SOURCES + [_HERE / "rbend.h"]
    #: inverse map: RBend_backtrack_local_particle (rbend.h)
    has_backtrack = True

    def __init__(self, **kwargs):
        length = None
        if "_xobject" not in kwargs:
            kwargs.setdefault("rbend_compensate_sagitta", 1)
            length = kwargs.pop("length", None)
            if "length_straight" not in kwargs and length is not None:
                angle = kwargs.get("angle", 0.0)
                kwargs["length_straight"] = length / _arc_over_chord(angle)
        super().__init__(**kwargs)
        if "_xobject" not in kwargs:
            # the arc length given with length_straight (e.g. from to_dict) is kept as is
            self.length = (length if length is not None
                           else self.length_straight * _arc_over_chord(self.angle))

    # The straight length is the magnet's; the arc length follows it and the angle,
    # also when a knob changes either of them later (a line regenerated from its
    # composer then places the magnet with its new length).
    @property
    def angle(self):
        """Bending angle [rad]; setting it updates the arc length `length`."""
        return self._xobject.angle

    @angle.setter
    def angle(self, value):
        self._xobject.angle = value
        self._xobject.length = self._xobject.length_straight * _arc_over_chord(value)

    @property
    def length_straight(self):
        """Magnet length along its axis [m]; setting it updates the arc length `length`."""
        return self._xobject.length_straight

    @length_straight.setter
    def length_straight(self, value):
        self._xobject.length_straight = value
        self._xobject.length = value * _arc_over_chord(self._xobject.angle)

    # Straight-body geometry, the same formulas as RBend_track_sign (rbend.h):
    # the reference orbit is a circle of curvature k0_body entering the body at
    # _angle_in to the magnet axis and leaving at _angle_out.
    @property
    def _angle_in(self):
        """Angle of the reference orbit to the magnet axis at the entry [rad]."""
        return 0.5 * self.angle - 0.5 * self.rbend_angle_diff

    @property
    def _angle_out(self):
        """Angle of the reference orbit to the magnet axis at the exit [rad]."""
        return 0.5 * self.angle + 0.5 * self.rbend_angle_diff

    @property
    def _k0_body(self):
        half = 0.5 * self.angle
        k0 = self._main_integrated_strength() / self.length if self.length != 0 else self._k0
        if self.rbend_angle_diff != 0 and np.sin(half) != 0:
            k0 *= (np.sin(self._angle_in) + np.sin(self._angle_out)) / (2. * np.sin(half))
        return k0

    @property
    def sagitta(self):
        """Sagitta of the reference orbit in the straight body, (1 - cos(angle/2)) / k0 [m]."""
        k0 = self._k0_body
        return 0. if k0 == 0 else (1. - np.cos(0.5 * self.angle)) / k0

    @property
    def _body_shift(self):
        # offset of the magnet axis from the entering reference orbit [m]
        return self.rbend_shift + (0.5 * self.sagitta if self.rbend_compensate_sagitta else 0.)

    @property
    def _x0_in(self):
        """x of the reference orbit at the entry, in the straight-body frame [m]."""
        return -self._body_shift

    @property
    def _x0_out(self):
        """x of the reference orbit at the exit, in the straight-body frame [m]."""
        k0, ls = self._k0_body, self.length_straight
        px_in = np.sin(self._angle_in)
        px_out = px_in - k0 * ls
        pz_in, pz_out = np.cos(self._angle_in), np.sqrt(1. - px_out * px_out)
        return -self._body_shift + ls * (px_in + px_out) / (pz_in + pz_out)

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["rbend_compensate_sagitta"] = bool(out["rbend_compensate_sagitta"])
        return out


def _arc_over_chord(angle):
    half = 0.5 * angle
    return 1.0 if half == 0 else half / np.sin(half)


class SimpleThinBend(_MagnetBase):
    """Thin dipole kick with curvature: knl[0] [rad], hxl [rad], length [m]."""

    _xofields = {"knl": xo.Float64[:], "hxl": xo.Float64, "length": xo.Float64}
    has_backtrack = True  # the opposite kick
    allow_rot_and_shift = False
    _extra_c_sources = _SOURCES + [_HERE / "simple_thin.h"]

    def to_dict(self, **kwargs):
        out = BeamElement.to_dict(self, **kwargs)
        return out

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            knl = kwargs.pop("knl", [0.0])
            kwargs.pop("order", None)
            kwargs["knl"] = np.atleast_1d(np.asarray(knl, dtype=float))
        BeamElement.__init__(self, **kwargs)


class SimpleThinQuadrupole(_MagnetBase):
    """Thin quadrupole kick: knl = [0, k1l] [m^-1] (knl[0] ignored)."""

    _xofields = {"knl": xo.Float64[:]}
    has_backtrack = True  # the opposite kick
    allow_rot_and_shift = False
    _extra_c_sources = [_HERE / "simple_thin_quadrupole.h"]

    def to_dict(self, **kwargs):
        return BeamElement.to_dict(self, **kwargs)

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            knl = np.atleast_1d(np.asarray(kwargs.pop("knl", [0.0, 0.0]), dtype=float))
            kwargs.pop("order", None)
            kwargs["knl"] = np.concatenate([knl, np.zeros(max(0, 2 - len(knl)))])
        BeamElement.__init__(self, **kwargs)


def _raw_field_alias(raw):
    return property(lambda s: getattr(s, raw), lambda s, v: setattr(s, raw, v),
                    doc=f"Alias of the raw field {raw} (integer code).")


# The established data structs name the option codes 'model' and 'integrator';
# scripts read them from element._xobject, so the raw structs answer to both names.
for _cls in (Multipole, Quadrupole, Sextupole, Octupole, Bend, RBend):
    for _name in ("model", "integrator"):
        setattr(_cls._XoStruct, _name, _raw_field_alias("_" + _name))
del _cls, _name
