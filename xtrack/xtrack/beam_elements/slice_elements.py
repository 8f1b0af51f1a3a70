"""Slices of thick elements: ThinSlice*, ThickSlice*, DriftSlice*, *Entry / *Exit.

A slice stands for a fraction `weight` of its parent element (named
`parent_name` in the same line) and holds nothing else: its kernel reads the
parent's fields through a pointer in the tracker's buffer
(slice_elements.h), so a knob acting on the parent reaches every slice
without expressions of its own. Kinds (for a parent of length L):

- ``ThinSlice<P>``: thin kick of weight w (integrated strengths w (knl + k L),
  angle w angle, length w L), as a thin Multipole, inside the parent's shift_x,
  shift_y, shift_s, rot_s_rad (rot_x_rad, rot_y_rad are not applied to kicks);
- ``DriftSlice<P>``: drift of length w L;
- ``ThickSlice<P>``: the parent's body over w L, without edges (the parent's
  num_multipole_kicks, if set, in proportion: ceil(w n));
- ``ThinSlice<P>Entry`` / ``ThinSlice<P>Exit``: the parent's edge (fringe).

`_parent` is the parent object: set when the slice is made, and by the
tracker when it binds the slices of a line (a line loaded from a dict has
``_parent = None`` until then). `to_dict` keeps `parent_name` and `weight`.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement
from .drift import Drift
from .magnets import Bend, Multipole, Octupole, Quadrupole, RBend, Sextupole
from .solenoids import UniformSolenoid

_HERE = Path(__file__).resolve().parent
_HEADER = _HERE / "slice_elements.h"

THIN, THICK, DRIFT, ENTRY, EXIT = 0, 1, 2, 3, 4

#: C functions ``<Parent>_slice`` of each parent class (slice_elements.h).
_PARENT_FUNCTIONS = {
    Quadrupole: "XT_SLICE_STRAIGHT_FUNCTIONS(Quadrupole, 1)",
    Sextupole: "XT_SLICE_STRAIGHT_FUNCTIONS(Sextupole, 2)",
    Octupole: "XT_SLICE_STRAIGHT_FUNCTIONS(Octupole, 3)",
    Bend: "XT_SLICE_BEND_FUNCTIONS(Bend, h, angle, 0.)",
    # RBend with its curved body: k0 = 2 sin(angle/2) / length_straight, faces + angle/2 (rbend.h)
    RBend: ("XT_SLICE_BEND_FUNCTIONS(RBend, ((RBendData_get_length_straight(el) != 0. && angle != 0.) "
            "? 2. * sin(0.5 * angle) / RBendData_get_length_straight(el) : h), k0 * length, 0.5 * angle)"),
    Multipole: "XT_SLICE_MULTIPOLE_FUNCTIONS(Multipole)",
    UniformSolenoid: "XT_SLICE_SOLENOID_FUNCTIONS(UniformSolenoid)",
    Drift: "XT_SLICE_DRIFT_FUNCTIONS(Drift)",
}

__all__ = ["SliceElement"]  # and the slice classes, below



def _host(values):
    """Numpy copy of an array field (a device array on OpenCL/CUDA contexts)."""
    return np.array(values.get() if hasattr(values, "get") else values, dtype=float)


class SliceElement(BeamElement):
    """Base of the slice classes (see the module docstring).

    Parameters
    ----------
    parent_name : str
        Name of the sliced element in the line.
    weight : float, default 1
        Fraction of the parent (of its length and integrated strengths).
    """

    _parent_class = None
    _kind = None
    has_backtrack = True
    _rename = {"_parent": "_parent_xo"}
    _skip_in_to_dict = ["_parent"]
    _store_in_to_dict = ["parent_name"]

    def __init__(self, parent_name=None, weight=1.0, _parent=None, slice_offset=0.0, **kwargs):
        if "_xobject" not in kwargs:
            kwargs["weight"] = weight
        super().__init__(**kwargs)
        self._parent_name = parent_name
        self.slice_offset = slice_offset
        self.__dict__["_parent_obj"] = None
        if _parent is not None:
            self._parent = _parent

    # ------------------------------------------------------------- parent
    @property
    def parent_name(self):
        return self._parent_name

    @parent_name.setter
    def parent_name(self, value):
        self._parent_name = value

    @property
    def _parent(self):
        return self.__dict__.get("_parent_obj")

    @_parent.setter
    def _parent(self, parent):
        if parent is not None and not isinstance(parent, self._parent_class):
            raise TypeError(f"{type(self).__name__}: the parent must be a {self._parent_class.__name__}, "
                            f"got {type(parent).__name__}.")
        self.__dict__["_parent_obj"] = parent
        # The kernel's pointer only within one buffer (a Ref to another buffer would copy the parent).
        same = parent is not None and parent._buffer is self._buffer
        self._xobject._parent = parent._xobject if same else None

    def _bind_parent_in_buffer(self, element_dict, buffer):
        """Point at the parent `element_dict[parent_name]`, moved into `buffer` (the tracker's)."""
        if self.parent_name not in element_dict:
            raise KeyError(f"{type(self).__name__}: parent {self.parent_name!r} is not an element of the line.")
        parent = element_dict[self.parent_name]
        parent = getattr(parent, "_get_viewed_object", lambda: parent)()
        if parent._buffer is not buffer:
            parent.move(_buffer=buffer)
        self._parent = parent

    def _resolved_parent(self, element_dict=None):
        """The parent: by name in `element_dict` when given (the line's current element),
        else `_parent`, else by name in the dict the slice was loaded into."""
        if element_dict is not None and self.parent_name in element_dict:
            parent = element_dict[self.parent_name]
            return getattr(parent, "_get_viewed_object", lambda: parent)()
        parent = self._parent
        element_dict = self.__dict__.get("_loaded_in")  # attach_slices
        if parent is None and element_dict is not None and self.parent_name in element_dict:
            parent = element_dict[self.parent_name]
        if parent is None:
            raise ValueError(f"{type(self).__name__}: parent {self.parent_name!r} is not bound "
                             "(build the line's tracker, or slice within a line).")
        return parent

    def _new_xobject(self, _context, _buffer):
        # The pointer is not copied: it would copy the parent into the new buffer.
        if _context is None and _buffer is None:
            _context = self._context
        return type(self)._XoStruct({"weight": self.weight}, _context=_context, _buffer=_buffer)

    def copy(self, _context=None, _buffer=None, _offset=None):
        new = super().copy(_context=_context, _buffer=_buffer)
        new.__dict__["_parent_obj"] = self._parent
        return new

    def track(self, particles, **kwargs):
        parent = self._parent
        if parent is None:
            raise ValueError(f"{type(self).__name__}.track: parent {self.parent_name!r} is not bound.")
        if parent._buffer is not self._buffer:
            parent.move(_buffer=self._buffer)
            self._parent = parent
        super().track(particles, **kwargs)

    # ------------------------------------------------------ derived values
    #: Parent attributes that hold for a slice too (per unit length, models, misalignment).
    _FROM_PARENT = frozenset(["k0", "k1", "k2", "k3", "k1s", "k2s", "k3s", "h", "k0_from_h", "model",
                              "integrator", "num_multipole_kicks", "radiation_flag", "edge_entry_model",
                              "edge_exit_model", "shift_x", "shift_y", "shift_s", "rot_s_rad", "rot_x_rad",
                              "rot_y_rad", "rot_shift_anchor", "order"])

    def __setattr__(self, name, value):
        if name in type(self)._FROM_PARENT:
            raise AttributeError(f"{type(self).__name__}.{name} is its parent's ({self.parent_name!r}): "
                                 "set it on the parent element.")
        super().__setattr__(name, value)

    def __getattr__(self, name):
        if name in type(self)._FROM_PARENT:
            parent = self.__dict__.get("_parent_obj")
            if parent is not None and hasattr(parent, name):
                return getattr(parent, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def length(self):
        if self._kind in (ENTRY, EXIT):
            return 0.0
        return float(self._resolved_parent().length) * self.weight

    def _table_values(self, element_dict=None):
        """Fields of the slice as tables and the survey read them (from the parent)."""
        parent = self._resolved_parent(element_dict)
        w = self.weight
        out = {"length": float(parent.length) * w if self._kind not in (ENTRY, EXIT) else 0.0,
               "angle": 0.0, "knl": np.zeros(1), "ksl": np.zeros(1), "k0_from_h": False}
        for attr in ("rot_s_rad", "shift_x", "shift_y", "shift_s"):
            out[attr] = float(getattr(parent, attr, 0.0)) if self._kind != DRIFT else 0.0
        if self._kind in (THIN, THICK):
            normal, skew = _integrated(parent)
            out["knl"], out["ksl"] = normal * w, skew * w
            out["angle"] = float(getattr(parent, "hxl" if isinstance(parent, Multipole) else "angle", 0.0)) * w
        return out

    @property
    def angle(self):
        return self._table_values()["angle"]

    @property
    def hxl(self):
        return self.angle

    def _equivalent_element(self, element_dict=None, simplify=False):
        """A plain element with the same map (optimize_for_tracking; with `simplify` a thin
        kick of a quadrupole or a bend alone becomes a SimpleThinQuadrupole / SimpleThinBend)."""
        from .edges import DipoleEdge
        from .magnets import Multipole, SimpleThinBend, SimpleThinQuadrupole
        from .marker import Marker

        parent = self._resolved_parent(element_dict)
        w = self.weight
        if self._kind == DRIFT:
            return Drift(length=float(parent.length) * w)
        if self._kind == THIN:
            for attr in ("rot_x_rad", "rot_y_rad"):
                if float(getattr(parent, attr, 0.0)):
                    raise ValueError(f"{type(self).__name__} of {self.parent_name!r}: a thin kick cannot carry "
                                     f"the parent's {attr}={float(getattr(parent, attr))!r}; set it to 0 or "
                                     "slice thick.")
            vals = self._table_values(element_dict)
            knl, ksl = vals["knl"], vals["ksl"]
            plain = (not any(float(getattr(parent, a)) for a in ("shift_x", "shift_y", "shift_s", "rot_s_rad",
                                                                 "rot_x_rad", "rot_y_rad"))
                     and not parent.radiation_flag and not np.any(ksl))
            if simplify and plain and isinstance(parent, Quadrupole) and not np.any(np.delete(knl, 1)):
                return SimpleThinQuadrupole(knl=[0.0, knl[1]])
            if simplify and plain and isinstance(parent, (Bend, RBend, Multipole)) and not np.any(knl[1:]):
                return SimpleThinBend(knl=[knl[0]], hxl=vals["angle"], length=vals["length"])
            return Multipole(knl=vals["knl"], ksl=vals["ksl"], hxl=vals["angle"], length=vals["length"],
                             shift_x=float(parent.shift_x), shift_y=float(parent.shift_y),
                             shift_s=float(parent.shift_s), rot_s_rad=float(parent.rot_s_rad),
                             radiation_flag=int(parent.radiation_flag))
        if self._kind == THICK:
            piece = parent.copy()
            piece.length = float(parent.length) * w
            if isinstance(parent, Multipole):
                piece.hxl = float(parent.hxl) * w
            elif hasattr(parent, "angle"):
                piece.angle = float(parent.angle) * w
            piece.knl = _host(parent.knl) * w
            piece.ksl = _host(parent.ksl) * w
            piece.edge_entry_active = 0
            piece.edge_exit_active = 0
            if parent.num_multipole_kicks > 0:  # in proportion (slice_num_kicks, slice_elements.h)
                piece.num_multipole_kicks = max(1, int(np.ceil(parent.num_multipole_kicks * w - 1e-9)))
            return piece
        side = "entry" if self._kind == ENTRY else "exit"
        if not getattr(parent, f"edge_{side}_active") or not isinstance(parent, (Bend, RBend)):
            return Marker()
        extra = 0.5 * float(parent.angle) if isinstance(parent, RBend) else 0.0
        return DipoleEdge(k=float(parent._k0), e1=float(getattr(parent, f"edge_{side}_angle")) + extra,
                          e1_fd=float(getattr(parent, f"edge_{side}_angle_fdown")),
                          hgap=float(getattr(parent, f"edge_{side}_hgap")),
                          fint=float(getattr(parent, f"edge_{side}_fint")),
                          model=getattr(parent, f"edge_{side}_model"), side=side)

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out.pop("_parent", None)
        return out


def attach_slices(element_dict):
    """Let the slices of a loaded element dict find their parents by name (their `_parent`
    stays None until a tracker binds them, as in the established implementation)."""
    for element in element_dict.values():
        if isinstance(element, SliceElement):
            element.__dict__["_loaded_in"] = element_dict


def _integrated(parent):
    """Integrated normal and skew strengths [m^-n] of a magnet (k_n L added to knl[n], the
    relative knl_rel, ksl_rel included as the kernel does)."""
    total = getattr(parent, "get_total_knl_ksl", lambda: (parent.knl, parent.ksl))  # solenoids: no knl_rel
    knl, ksl = (np.array(a, dtype=float) for a in total())
    n = max(len(knl), 4)
    normal = np.concatenate([knl, np.zeros(n - len(knl))])
    skew = np.concatenate([ksl, np.zeros(n - len(ksl))])
    length = float(parent.length)
    if isinstance(parent, (Bend, RBend)):
        normal[0] += float(parent._k0) * length
        normal[1] += float(parent.k1) * length
        normal[2] += float(parent.k2) * length
    else:
        for order in (1, 2, 3):
            if hasattr(parent, f"k{order}"):
                normal[order] += float(getattr(parent, f"k{order}")) * length
                skew[order] += float(getattr(parent, f"k{order}s")) * length
    return normal, skew


_KINDS = {THIN: ("ThinSlice{}", False), THICK: ("ThickSlice{}", True), DRIFT: ("DriftSlice{}", True),
          ENTRY: ("ThinSlice{}Entry", False), EXIT: ("ThinSlice{}Exit", False)}
_KIND_DOC = {THIN: "Thin kick of a fraction `weight` of a {}.",
             THICK: "Body of a fraction `weight` of a {} (no edges).",
             DRIFT: "Drift over a fraction `weight` of the length of a {}.",
             ENTRY: "Entry edge (fringe) of a {}.", EXIT: "Exit edge (fringe) of a {}."}


def _make_class(name, parent_cls, kind, thick):
    namespace = {
        "__doc__": _KIND_DOC[kind].format(parent_cls.__name__) + "\n\n" + SliceElement.__doc__.split("\n\n", 1)[1],
        "__module__": __name__,
        "_xofields": {"_parent": xo.Ref(parent_cls._XoStruct), "weight": xo.Float64},
        "_parent_class": parent_cls, "_kind": kind, "isthick": thick,
        "_depends_on": [parent_cls],
        "_extra_c_sources": [_HEADER, _PARENT_FUNCTIONS[parent_cls],
                             f"XT_SLICE_CLASS({name}, {parent_cls.__name__}, {kind})"],
    }
    return type(name, (SliceElement,), namespace)


#: Slice class of each (parent class, kind).
SLICE_CLASSES = {}
for _parent_cls in (Quadrupole, Sextupole, Octupole, Bend, RBend):
    for _kind, (_pattern, _thick) in _KINDS.items():
        _name = _pattern.format(_parent_cls.__name__)
        SLICE_CLASSES[(_parent_cls, _kind)] = globals()[_name] = _make_class(_name, _parent_cls, _kind, _thick)
        __all__.append(_name)
SLICE_CLASSES[(Drift, DRIFT)] = DriftSlice = _make_class("DriftSlice", Drift, DRIFT, True)
__all__.append("DriftSlice")
for _kind in (THIN, THICK, DRIFT):  # a thick Multipole (kicker) has no edges
    _pattern, _thick = _KINDS[_kind]
    _name = _pattern.format("Multipole")
    SLICE_CLASSES[(Multipole, _kind)] = globals()[_name] = _make_class(_name, Multipole, _kind, _thick)
    __all__.append(_name)
for _kind in (THICK, ENTRY, EXIT):  # a solenoid is sliced thick only
    _pattern, _thick = _KINDS[_kind]
    _name = _pattern.format("UniformSolenoid")
    SLICE_CLASSES[(UniformSolenoid, _kind)] = globals()[_name] = _make_class(_name, UniformSolenoid, _kind, _thick)
    globals()[_name].has_backtrack = False  # as the parent
    __all__.append(_name)
del _parent_cls, _kind, _pattern, _thick, _name
