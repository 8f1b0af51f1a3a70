"""Slicing of thick elements into thin kicks (or shorter thick pieces).

A thick magnet of length L sliced thin into n kicks becomes

    <name>_entry (Marker), [<name>..entry_map (DipoleEdge, bends)],
    drift_<name>..0, <name>..0, drift_<name>..1, ..., <name>..(n-1), drift_<name>..n,
    [<name>..exit_map], <name>_exit

where each kick <name>..i is a Multipole carrying the weight w_i of the
integrated strengths (``knl[n] = k_n L w_i``, ``hxl = angle w_i``,
``length = L w_i``) and the drifts carry the rest of the length. Every field
of a slice is an expression of its parent's fields, so a knob acting on the
parent reaches every slice.

Kick positions (fractions of L):

- Teapot(n): end drifts 1/(2(n+1)), inner drifts n/((n+1)(n-1)) (for n = 1 one
  kick at the centre). This is the TEAPOT splitting (Burkhardt, Schmidt,
  "Teapot slicing", CERN-ATS-Note; MAD-X MAKETHIN 'TEAPOT' style), which
  gives the thin lattice closest to the thick one in beta beating.
- Uniform(n): n + 1 equal drifts of 1/(n+1) between the kicks (MAD-X
  MAKETHIN 'SIMPLE' style).

In thick mode (``mode='thick'``) the element is cut into n pieces of equal
length (Uniform) or with boundaries halfway between the Teapot kicks, each a
copy of the parent with its length scaled.
"""

import re

import numpy as np

__all__ = ["Strategy", "Teapot", "Uniform", "Custom", "Slicer", "slice_thick_elements", "slice_element", "split_element"]


class _Scheme:
    _scheme_name = ""

    def __init__(self, slicing_order, mode="thin"):
        if int(slicing_order) != slicing_order or slicing_order < 1:
            raise ValueError(f"{type(self).__name__}: slicing_order must be a positive integer, "
                             f"got {slicing_order!r}.")
        if mode not in ("thin", "thick"):
            raise ValueError(f"{type(self).__name__}: mode must be 'thin' or 'thick', got {mode!r}.")
        self.slicing_order = int(slicing_order)
        self.mode = mode

    def element_weights(self, element_length=None):
        """Fraction of the integrated strength in each kick (sums to 1)."""
        return [1.0 / self.slicing_order] * self.slicing_order

    def drift_weights(self, element_length=None):
        """Fraction of the length in each drift (n + 1 values, sum 1)."""
        raise NotImplementedError

    def thick_weights(self):
        """Fraction of the length of each thick piece (thick mode)."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.slicing_order}, mode={self.mode!r})"

    def __eq__(self, other):
        return type(self) is type(other) and (self.slicing_order, self.mode) == (
            other.slicing_order, other.mode)


class Uniform(_Scheme):
    """n kicks of equal strength separated by n + 1 equal drifts."""

    def drift_weights(self, element_length=None):
        n = self.slicing_order
        return [1.0 / (n + 1)] * (n + 1)

    def thick_weights(self):
        return [1.0 / self.slicing_order] * self.slicing_order


class Teapot(_Scheme):
    """n kicks of equal strength at the TEAPOT positions."""

    def drift_weights(self, element_length=None):
        n = self.slicing_order
        if n == 1:
            return [0.5, 0.5]
        edge = 1.0 / (2 * (n + 1))
        inner = n / ((n + 1) * (n - 1))
        return [edge] + [inner] * (n - 1) + [edge]

    def thick_weights(self):
        d = self.drift_weights()
        n = self.slicing_order
        if n == 1:
            return [1.0]
        return [d[0] + d[1] / 2] + [d[1]] * (n - 2) + [d[-1] + d[-2] / 2]


class Custom(_Scheme):
    """Kicks with given strength weights and drift weights (fractions, each summing to 1)."""

    def __init__(self, slicing_order, element_weights=None, drift_weights=None, mode="thin"):
        super().__init__(slicing_order, mode=mode)
        n = self.slicing_order
        self._element_weights = list(element_weights) if element_weights is not None else [1.0 / n] * n
        self._drift_weights = (list(drift_weights) if drift_weights is not None
                               else [1.0 / (n + 1)] * (n + 1))
        if len(self._element_weights) != n or len(self._drift_weights) != n + 1:
            raise ValueError(f"Custom: need {n} element_weights and {n + 1} drift_weights, got "
                             f"{len(self._element_weights)} and {len(self._drift_weights)}.")

    def element_weights(self, element_length=None):
        return list(self._element_weights)

    def drift_weights(self, element_length=None):
        return list(self._drift_weights)

    def thick_weights(self):
        return list(self._element_weights)


class Strategy:
    """Which elements get which slicing.

    Parameters
    ----------
    slicing : Teapot, Uniform or None
        The slicing; None leaves the selected elements untouched.
    element_type : class or tuple of classes, optional
        Select elements of this class.
    name : str, optional
        Select elements whose name matches this regular expression (whole name).
    exact : bool, default False
        Match `name` literally, not as a regular expression.
    """

    def __init__(self, slicing, element_type=None, name=None, exact=False):
        if slicing is not None and not isinstance(slicing, _Scheme):
            raise TypeError(f"Strategy: slicing must be xt.Teapot(...), xt.Uniform(...) or None, "
                            f"got {slicing!r}.")
        self.slicing = slicing
        self.element_type = element_type
        self.name = name
        self.exact = exact
        self._regex = None if name is None or exact else re.compile(name)

    def match(self, name, element):
        if self.element_type is not None and not isinstance(element, self.element_type):
            return False
        if self.name is not None:
            if self.exact:
                return name == self.name
            return self._regex.fullmatch(name) is not None
        return True

    @property
    def is_default(self):
        return self.element_type is None and self.name is None

    def __repr__(self):
        return f"Strategy({self.slicing!r}, element_type={self.element_type!r}, name={self.name!r})"


# ------------------------------------------------------------ the kick content
_MAIN_ORDER = {"Quadrupole": 1, "Sextupole": 2, "Octupole": 3}


def _sliceable(element):
    cls = type(element).__name__
    return getattr(element, "isthick", False) and cls in (
        "Quadrupole", "Sextupole", "Octupole", "Bend", "RBend", "Drift", "Multipole")


def _kick_exprs(env, parent_name, element, weight):
    """(attr, index, expression) of a thin kick of weight `weight`, and its order."""
    pref = env._var_management.element_refs[parent_name]
    cls = type(element).__name__
    order = len(element.knl) - 1
    exprs = {("length", None): pref.length * weight}
    for ii in range(order + 1):
        exprs[("knl", ii)] = pref.knl[ii] * weight
        exprs[("ksl", ii)] = pref.ksl[ii] * weight
    if cls in _MAIN_ORDER:
        nn = _MAIN_ORDER[cls]
        k = f"k{nn}"
        exprs[("knl", nn)] = (pref.knl[nn] + getattr(pref, k) * pref.length) * weight
        exprs[("ksl", nn)] = (pref.ksl[nn] + getattr(pref, k + "s") * pref.length) * weight
    elif cls in ("Bend", "RBend"):
        # The dipole kick is k0 L (angle when k0_from_h); the frame turns by the angle.
        if element.k0_from_h:
            exprs[("knl", 0)] = (pref.knl[0] + pref.angle) * weight
        else:
            exprs[("knl", 0)] = (pref.knl[0] + pref.k0 * pref.length) * weight
        exprs[("knl", 1)] = (pref.knl[1] + pref.k1 * pref.length) * weight
        exprs[("knl", 2)] = (pref.knl[2] + pref.k2 * pref.length) * weight
        exprs[("hxl", None)] = pref.angle * weight
    elif cls == "Multipole":
        exprs[("hxl", None)] = pref.hxl * weight
    return [(a, i, e) for (a, i), e in exprs.items()], order


def _set_exprs(env, name, exprs):
    eref = env._var_management.element_refs[name]
    for attr, index, expr in exprs:
        if index is None:
            setattr(eref, attr, expr)
        else:
            getattr(eref, attr)[index] = expr


def _misalignment_kwargs(element):
    out = {}
    for attr in ("shift_x", "shift_y", "rot_s_rad"):
        if hasattr(element, attr):
            out[attr] = getattr(element, attr)
    return out


def slice_element(line, name, scheme):
    """Names that replace element `name` (new elements are created in the environment)."""
    from ..beam_elements import DipoleEdge, Drift, Marker, Multipole

    env = line.env
    element = env.element_dict[name]
    cls = type(element).__name__
    pref = env._var_management.element_refs[name]
    out = []

    def add(new_name, new_element, exprs=()):
        env.element_dict[new_name] = new_element
        _set_exprs(env, new_name, exprs)
        out.append(new_name)

    if cls == "Drift":
        weights = scheme.thick_weights() if scheme.mode == "thick" else scheme.drift_weights()
        if scheme.mode == "thin":
            weights = scheme.drift_weights()
        for ii, ww in enumerate(weights):
            add(f"{name}..{ii}", Drift(length=element.length * ww), [("length", None, pref.length * ww)])
        return out
    if scheme.mode == "thick":
        for ii, ww in enumerate(scheme.thick_weights()):
            piece = element.copy()
            exprs = [("length", None, pref.length * ww)]
            if cls in ("Bend", "RBend"):
                exprs.append(("angle", None, pref.angle * ww))
                if ii > 0:
                    piece.edge_entry_active = 0
                if ii < scheme.slicing_order - 1:
                    piece.edge_exit_active = 0
            exprs += [(a, i, e * ww) for a, i, e in _array_exprs(pref, element)]
            piece.length = element.length * ww
            add(f"{name}..{ii}", piece, exprs)
        return out
    add(f"{name}_entry", Marker())
    bend = cls in ("Bend", "RBend")
    if bend and element.edge_entry_active:
        k = element.h if element.k0_from_h else element.k0
        add(f"{name}..entry_map", DipoleEdge(k=k, e1=element.edge_entry_angle,
                                             e1_fd=element.edge_entry_angle_fdown,
                                             hgap=element.edge_entry_hgap, fint=element.edge_entry_fint,
                                             model=_edge_model(element.edge_entry_model), side="entry"),
            [("e1", None, pref.edge_entry_angle), ("hgap", None, pref.edge_entry_hgap),
             ("fint", None, pref.edge_entry_fint)])
    drift_weights = scheme.drift_weights()
    kick_weights = scheme.element_weights()
    for ii, ww in enumerate(kick_weights):
        dname = f"drift_{name}..{ii}"
        add(dname, Drift(length=element.length * drift_weights[ii]),
            [("length", None, pref.length * drift_weights[ii])])
        exprs, order = _kick_exprs(env, name, element, ww)
        kick = Multipole(knl=np.zeros(order + 1), ksl=np.zeros(order + 1),
                         **_misalignment_kwargs(element))
        add(f"{name}..{ii}", kick, exprs)
    nd = len(kick_weights)
    add(f"drift_{name}..{nd}", Drift(length=element.length * drift_weights[nd]),
        [("length", None, pref.length * drift_weights[nd])])
    if bend and element.edge_exit_active:
        k = element.h if element.k0_from_h else element.k0
        add(f"{name}..exit_map", DipoleEdge(k=k, e1=element.edge_exit_angle,
                                            e1_fd=element.edge_exit_angle_fdown,
                                            hgap=element.edge_exit_hgap, fint=element.edge_exit_fint,
                                            model=_edge_model(element.edge_exit_model), side="exit"),
            [("e1", None, pref.edge_exit_angle), ("hgap", None, pref.edge_exit_hgap),
             ("fint", None, pref.edge_exit_fint)])
    add(f"{name}_exit", Marker())
    for nn in out:
        env.element_dict[nn]._parent_name = name
    return out


def _edge_model(model):
    return {"linear": "linear", "full": "full", "dipole-only": "dipole-only",
            "suppressed": "suppressed"}.get(model, "linear")


def _array_exprs(pref, element):
    out = []
    for attr in ("knl", "ksl"):
        if hasattr(element, attr):
            out += [(attr, ii, getattr(pref, attr)[ii]) for ii in range(len(getattr(element, attr)))]
    return out


def _choose(strategies, name, element):
    chosen = None
    for strategy in strategies:  # the last matching strategy wins
        if strategy.match(name, element):
            if type(element).__name__ == "Drift" and strategy.is_default:
                continue  # drifts are sliced only when asked for by name or type
            chosen = strategy
    return chosen


def slice_thick_elements(line, slicing_strategies):
    """Replace the thick elements of `line` by their slices (in place).

    Parameters
    ----------
    line : Line
    slicing_strategies : list of Strategy
        When several apply to an element, the last one wins.
    """
    if not isinstance(slicing_strategies, (list, tuple)) or not all(
            isinstance(s, Strategy) for s in slicing_strategies):
        raise TypeError("slice_thick_elements: slicing_strategies must be a list of xt.Strategy, "
                        f"got {slicing_strategies!r:.100}.")
    line._check_no_tracker("slice_thick_elements")
    line._ensure_var_management()
    done = {}
    names = []
    for name in line.element_names:
        if name in done:
            names += done[name]
            continue
        element = line.element_dict[name]
        if not _sliceable(element):
            names.append(name)
            continue
        strategy = _choose(slicing_strategies, name, element)
        if strategy is None or strategy.slicing is None:
            names.append(name)
            continue
        done[name] = slice_element(line, name, strategy.slicing)
        names += done[name]
    line.element_names = names
    return line


def split_element(env, name, fractions):
    """Cut thick element `name` into thick pieces with the given length fractions.

    The pieces (named ``<base>..k`` with the first free k, where ``<base>`` is
    the name of the element the cut element was itself cut from, if any)
    follow the fields of the parent through expressions. Returns their names.
    """
    element = env.element_dict[name]
    parent = getattr(element, "_parent_name", None) or name
    pref = env._var_management.element_refs[name]
    cls = type(element).__name__
    out = []
    for ii, ww in enumerate(fractions):
        k = 0
        while f"{parent}..{k}" in env.element_dict:
            k += 1
        new_name = f"{parent}..{k}"
        piece = element.copy()
        piece.length = element.length * ww
        exprs = [("length", None, pref.length * ww)]
        if cls in ("Bend", "RBend"):
            piece.angle = element.angle * ww
            exprs.append(("angle", None, pref.angle * ww))
            if ii > 0:
                piece.edge_entry_active = 0
            if ii < len(fractions) - 1:
                piece.edge_exit_active = 0
        if cls != "Drift":
            exprs += [(a, i, e * ww) for a, i, e in _array_exprs(pref, element)]
            for attr in ("k1", "k2", "k3", "k1s", "k2s", "k3s", "k0"):
                if hasattr(element, attr) and cls not in ("Drift",):
                    exprs.append((attr, None, getattr(pref, attr) * 1.0))
        env.element_dict[new_name] = piece
        _set_exprs(env, new_name, exprs)
        piece._parent_name = parent
        out.append(new_name)
    return out


class Slicer:
    """Applies slicing strategies to a line (`Slicer(line, strategies).slice_in_place()`)."""

    def __init__(self, line, slicing_strategies):
        self.line = line
        self.slicing_strategies = list(slicing_strategies)

    def slice_in_place(self):
        return slice_thick_elements(self.line, self.slicing_strategies)
