"""Slicing of thick elements into thin kicks (or shorter thick pieces).

A thick magnet P of length L sliced thin into n kicks becomes

    <name>_entry (Marker), <name>..entry_map (ThinSlice<P>Entry),
    drift_<name>..0 (DriftSlice<P>), <name>..0 (ThinSlice<P>), drift_<name>..1, ...,
    <name>..(n-1), drift_<name>..n, <name>..exit_map (ThinSlice<P>Exit), <name>_exit

and sliced thick into <name>..0 ... (ThickSlice<P>) between the same ends.
Each slice holds only its parent's name and its `weight` (slice_elements.py):
it tracks that fraction of the parent, whose element stays in the line's
element dict, so a knob acting on the parent reaches every slice. A drift is
cut into DriftSlice pieces drift_<name>..k. Each occurrence of a repeated
element gets its own slices (numbered on: q..0, q..1 for the first, q..2,
q..3 for the second).

Kick positions (fractions of L):

- Teapot(n): end drifts 1/(2(n+1)), inner drifts n/((n+1)(n-1)) (for n = 1 one
  kick at the centre). This is the TEAPOT splitting (Burkhardt, Schmidt,
  "Teapot slicing", CERN-ATS-Note; MAD-X MAKETHIN 'TEAPOT' style), which
  gives the thin lattice closest to the thick one in beta beating.
- Uniform(n): n + 1 equal drifts of 1/(n+1) between the kicks (MAD-X
  MAKETHIN 'SIMPLE' style).
- Custom(at_s=[...]): kicks (thin) or cuts (thick) at the given s [m] from the
  element's entry.

In thick mode (``mode='thick'``) Uniform(n) cuts n equal pieces and Teapot(n)
cuts at the kicks of Teapot(n - 1) (pieces 1/(2n), (n-1)/(n(n-2)), ...).
"""

import re

import numpy as np

__all__ = ["Strategy", "Teapot", "Uniform", "Custom", "Slicer", "slice_thick_elements", "split_element",
           "cut_makes_slices"]


class _Scheme:
    def __init__(self, slicing_order, mode="thin"):
        if int(slicing_order) != slicing_order or slicing_order < 1:
            raise ValueError(f"{type(self).__name__}: slicing_order must be a positive integer, "
                             f"got {slicing_order!r}.")
        if mode not in ("thin", "thick"):
            raise ValueError(f"{type(self).__name__}: mode must be 'thin' or 'thick', got {mode!r}.")
        self.slicing_order = int(slicing_order)
        self.mode = mode

    def element_weights(self, element_length=None):
        """Fraction of the integrated strength in each kick (thin mode; sums to 1)."""
        return [1.0 / self.slicing_order] * self.slicing_order

    def drift_weights(self, element_length=None):
        """Fraction of the length in each drift (thin mode) or piece (thick mode)."""
        raise NotImplementedError

    def iter_weights(self, element_length=None):
        """(weight, is_drift) in line order: drifts and kicks alternating (thin
        mode), or the thick pieces (thick mode, each flagged True)."""
        drifts = self.drift_weights(element_length)
        if self.mode == "thick":
            yield from ((w, True) for w in drifts)
            return
        kicks = self.element_weights(element_length)
        for drift, kick in zip(drifts, kicks):
            yield drift, True
            yield kick, False
        yield drifts[-1], True

    def __repr__(self):
        return f"{type(self).__name__}({self.slicing_order}, mode={self.mode!r})"

    def __eq__(self, other):
        return type(self) is type(other) and (self.slicing_order, self.mode) == (
            other.slicing_order, other.mode)


class Uniform(_Scheme):
    """n kicks of equal strength separated by n + 1 equal drifts (thick: n equal pieces)."""

    def drift_weights(self, element_length=None):
        n = self.slicing_order
        if self.mode == "thick":
            return [1.0 / n] * n
        return [1.0 / (n + 1)] * (n + 1)


def _teapot_drifts(n):
    if n == 1:
        return [0.5, 0.5]
    edge = 1.0 / (2 * (n + 1))
    inner = n / ((n + 1) * (n - 1))
    return [edge] + [inner] * (n - 1) + [edge]


class Teapot(_Scheme):
    """n kicks of equal strength at the TEAPOT positions (thick: cut at those of n - 1)."""

    def drift_weights(self, element_length=None):
        n = self.slicing_order
        if self.mode == "thick":
            return [1.0] if n == 1 else _teapot_drifts(n - 1)
        return _teapot_drifts(n)


class Custom(_Scheme):
    """Kicks (thin) or cuts (thick, the default) at the positions `at_s` [m] from the entry.

    Parameters
    ----------
    at_s : sequence of float
        Increasing positions inside the element [m].
    mode : {'thick', 'thin'}, default 'thick'
    """

    def __init__(self, at_s, mode="thick"):
        at_s = [float(s) for s in np.atleast_1d(at_s)]
        if not at_s or any(b <= a for a, b in zip(at_s, at_s[1:])):
            raise ValueError(f"Custom: at_s must be a non-empty increasing list of positions, got {at_s!r}.")
        super().__init__(len(at_s), mode=mode)
        self.at_s = at_s

    def _length(self, element_length):
        if element_length is None:
            raise ValueError("Custom: the weights need element_length (the positions are in metres).")
        if self.at_s[0] < 0 or self.at_s[-1] > element_length:
            raise ValueError(f"Custom: at_s={self.at_s} is not inside the element (length {element_length}).")
        return float(element_length)

    def drift_weights(self, element_length=None):
        length = self._length(element_length)
        edges = [0.0] + self.at_s + [length]
        return [(b - a) / length for a, b in zip(edges, edges[1:])]

    def __repr__(self):
        return f"Custom(at_s={self.at_s!r}, mode={self.mode!r})"

    def __eq__(self, other):
        return type(other) is Custom and (self.at_s, self.mode) == (other.at_s, other.mode)


class Strategy:
    """Which elements get which slicing.

    Parameters
    ----------
    slicing : Teapot, Uniform, Custom or None
        The slicing; None leaves the selected elements untouched.
    element_type : class or tuple of classes, optional
        Select elements of this class.
    name : str, optional
        Select elements whose name (``name::k`` for the k-th occurrence of a
        repeated element) starts with a match of this regular expression.
    exact : bool, default False
        Match `name` literally (the whole name), not as a regular expression.
    """

    def __init__(self, slicing, element_type=None, name=None, exact=False):
        if slicing is not None and not isinstance(slicing, _Scheme):
            raise TypeError(f"Strategy: slicing must be xt.Teapot(...), xt.Uniform(...), xt.Custom(...) "
                            f"or None, got {slicing!r}.")
        self.slicing = slicing
        self.element_type = element_type
        self.name = name
        self.exact = exact
        self._regex = None if name is None or exact else re.compile(name)

    def match(self, name, element, occurrence_name=None):
        if self.element_type is not None and not isinstance(element, self.element_type):
            return False
        if self.name is not None:
            candidates = [name] if occurrence_name is None else [occurrence_name, name]
            if self.exact:
                return self.name in candidates
            return any(self._regex.match(nn) is not None for nn in candidates)
        return True

    @property
    def is_default(self):
        return self.element_type is None and self.name is None

    def __repr__(self):
        return f"Strategy({self.slicing!r}, element_type={self.element_type!r}, name={self.name!r})"


# ---------------------------------------------------------------- slicing
def _slice_kinds():
    from ..beam_elements import slice_elements as se

    return se


def _parent_class(element):
    """The parent class the slice classes exist for (None: not sliceable)."""
    se = _slice_kinds()
    for cls in (se.Quadrupole, se.Sextupole, se.Octupole, se.Bend, se.RBend):
        if type(element) is cls:
            return cls
    if type(element) is se.Drift:
        return se.Drift
    if type(element) is se.UniformSolenoid:
        return se.UniformSolenoid
    if type(element) is se.Multipole and element.isthick and element.length != 0:
        return se.Multipole  # a thick kicker
    return None


def _unique(element_dict, name):
    """`name`, or name_0, name_1, ... when taken."""
    if name not in element_dict:
        return name
    k = 0
    while f"{name}_{k}" in element_dict:
        k += 1
    return f"{name}_{k}"


def _next_index(counters, element_dict, prefix):
    """First free k of `prefix`k (kept per prefix during one slicing)."""
    k = counters.get(prefix, 0)
    while f"{prefix}{k}" in element_dict:
        k += 1
    counters[prefix] = k + 1
    return f"{prefix}{k}"


class Slicer:
    """Applies slicing strategies to a line (`Slicer(line, strategies).slice_in_place()`)."""

    def __init__(self, line, slicing_strategies):
        if not isinstance(slicing_strategies, (list, tuple)) or not all(
                isinstance(s, Strategy) for s in slicing_strategies):
            raise TypeError("slice_thick_elements: slicing_strategies must be a list of xt.Strategy, "
                            f"got {slicing_strategies!r:.100}.")
        self.line = line
        self.slicing_strategies = list(slicing_strategies)
        self._counters = {}
        self._buffer = None  # one buffer for all the slices made (a buffer each is slow)

    def _scheme_for_element(self, element, name, line=None, occurrence_name=None):
        """The last strategy that selects `element` (drifts: only when asked by name or type)."""
        chosen = None
        is_drift = _parent_class(element) is _slice_kinds().Drift
        for strategy in self.slicing_strategies:
            if strategy.match(name, element, occurrence_name):
                if is_drift and strategy.is_default:
                    continue
                chosen = strategy
        if chosen is None:
            return None
        se, parent_cls = _slice_kinds(), _parent_class(element)
        thin = chosen.slicing is not None and getattr(chosen.slicing, "mode", "thin") != "thick"
        if thin and (parent_cls, se.THICK) in se.SLICE_CLASSES and (parent_cls, se.THIN) not in se.SLICE_CLASSES:
            return None  # sliced thick only (a solenoid): stays whole in a thin slicing
        return chosen.slicing

    def _slice_element(self, name, element, chosen_slicing, _edge_markers=True, parent_name=None,
                       _of_slice=None):
        """Create the slices of `element` (named `name`) in the element dict; their names in order.

        `parent_name`: the name of `element` when `name` is a replica of it. `_of_slice`: the
        thick slice `name` of `element` being sliced again (weights multiply; its edges are
        already in the line).
        """
        se = _slice_kinds()
        dct = self.line.element_dict
        element = getattr(element, "_get_viewed_object", lambda: element)()
        parent_cls = _parent_class(element)
        if parent_cls is se.RBend and int(element._rbend_model) == 2:
            # slice_elements.h slices the curved body only: refuse rather than track another map
            raise NotImplementedError(f"slicing {name!r}: an RBend with rbend_model='straight-body' cannot be "
                                      "sliced yet; use rbend_model='curved-body' (or 'adaptive').")
        base_weight = 1.0 if _of_slice is None else _of_slice.weight
        length = float(element.length) * base_weight
        out = []
        offset = 0.0

        def add(new_name, new_element):
            dct[new_name] = new_element
            out.append(new_name)
            return new_element

        def piece(kind, weight, new_name):
            nonlocal offset
            cls = se.SLICE_CLASSES[(parent_cls, kind)]
            if self._buffer is None:
                self._buffer = element._context.new_buffer()
            sl = add(new_name, cls(parent_name=parent_name or name, weight=base_weight * weight,
                                   _parent=element, slice_offset=offset, _buffer=self._buffer))
            if sl.isthick:
                offset += length * weight
            return sl

        weights = list(chosen_slicing.iter_weights(length))

        if parent_cls is se.Drift:
            for ww, _ in weights if chosen_slicing.mode == "thick" else [(w, d) for w, d in weights if d]:
                piece(se.DRIFT, ww, _next_index(self._counters, dct, f"drift_{name}.."))
            return out
        if _edge_markers:  # one marker element per name, shared by repeated occurrences
            add(f"{name}_entry", dct[f"{name}_entry"] if f"{name}_entry" in dct else _marker())
        has_edges = (parent_cls, se.ENTRY) in se.SLICE_CLASSES
        if _of_slice is None and has_edges:
            piece(se.ENTRY, 1.0, _unique(dct, f"{name}..entry_map"))
        for ww, is_drift in weights:
            if chosen_slicing.mode == "thick":
                piece(se.THICK, ww, _next_index(self._counters, dct, f"{name}.."))
            elif is_drift:
                piece(se.DRIFT, ww, _next_index(self._counters, dct, f"drift_{name}.."))
            else:
                piece(se.THIN, ww, _next_index(self._counters, dct, f"{name}.."))
        if _of_slice is None and has_edges:
            piece(se.EXIT, 1.0, _unique(dct, f"{name}..exit_map"))
        if _edge_markers:
            add(f"{name}_exit", dct[f"{name}_exit"] if f"{name}_exit" in dct else _marker())
        aperture = getattr(element, "name_associated_aperture", None)
        if aperture is not None:
            out = self._with_apertures(out, aperture, _edge_markers)
        return out

    def _with_apertures(self, names, aperture, edge_markers):
        """A Replica of the element's aperture before each slice but the drifts, and before its end."""
        from ..beam_elements.slices import Replica

        se = _slice_kinds()
        dct = self.line.element_dict
        inner = names[1:-1] if edge_markers else names
        out = [names[0]] if edge_markers else []
        for nn in inner + [None]:
            if nn is not None and getattr(dct[nn], "_kind", None) == se.DRIFT:
                out.append(nn)  # a drift between two apertures needs none of its own
                continue
            rep = _next_index(self._counters, dct, f"{aperture}..")
            dct[rep] = Replica(parent_name=aperture)
            out.append(rep)
            if nn is not None:
                out.append(nn)
        if edge_markers:
            out.append(names[-1])
        return out

    def slice_in_place(self):
        line = self.line
        line._check_no_tracker("slice_thick_elements")
        line._ensure_var_management()
        from ..beam_elements.slices import Replica
        from .tables import _unique_names

        se = _slice_kinds()

        names = list(line.element_names)
        new_names = []
        for nn, unique in zip(names, _unique_names(names)):
            occurrence = unique if unique != nn else None  # name::k of a repeated element
            element = line.element_dict[nn]
            element = getattr(element, "_get_viewed_object", lambda: element)()
            parent_name, of_slice = None, None
            if isinstance(element, Replica):  # sliced as its parent, under its own name
                parent_name = element.resolve(line.element_dict, get_name=True)
                element = line.element_dict[parent_name]
            scheme = None
            if isinstance(element, se.SliceElement) and element._kind == se.THICK:
                scheme = self._scheme_for_element(element, nn, line, occurrence)  # a thick slice again
                of_slice, parent_name = element, element.parent_name
                element = element._resolved_parent(line.element_dict)
            elif _parent_class(element) is not None and element.length != 0:
                scheme = self._scheme_for_element(element, nn, line, occurrence)
            if scheme is None:
                new_names.append(nn)
                continue
            new_names += self._slice_element(nn, element, scheme, parent_name=parent_name,
                                             _of_slice=of_slice)
        if getattr(line, "_names_before_slicing", None) is None:  # the first slicing's line
            line._names_before_slicing = names
        line.element_names = new_names
        return line


def line_before_slicing(line):
    """The line as it was before its first slicing (copies of its elements), or None.

    Slicing only adds elements (the parents stay in the element dict), so the
    line is rebuilt from the names it had; its elements are copies (a second
    tracker must not move the sliced line's elements out of its buffer).
    """
    from ..beam_elements.slices import Replica

    names = getattr(line, "_names_before_slicing", None)
    if names is None:
        return None
    dct = line.element_dict
    keep = dict.fromkeys(names)
    for nn in list(keep):  # replicas need their parents
        element = dct[nn]
        while isinstance(element, Replica):
            keep[element.parent_name] = None
            element = dct[element.parent_name]
    new = type(line)(elements={nn: dct[nn].copy() for nn in keep}, element_names=list(names),
                     particle_ref=line.particle_ref)
    new.config.update(line.config)
    return new


def _marker():
    from ..beam_elements import Marker

    return Marker()


def slice_thick_elements(line, slicing_strategies):
    """Replace the thick elements of `line` by their slices (in place).

    Parameters
    ----------
    line : Line
    slicing_strategies : list of Strategy
        When several apply to an element, the last one wins.
    """
    return Slicer(line, slicing_strategies).slice_in_place()


# ------------------------------------------ thick pieces for insert / cut_at_s
def _set_exprs(env, name, exprs):
    eref = env._var_management.element_refs[name]
    for attr, index, expr in exprs:
        if index is None:
            setattr(eref, attr, expr)
        else:
            getattr(eref, attr)[index] = expr


def _array_exprs(pref, element):
    out = []
    for attr in ("knl", "ksl"):
        if hasattr(element, attr):
            out += [(attr, ii, getattr(pref, attr)[ii]) for ii in range(len(getattr(element, attr)))]
    return out


class _Fractions(_Scheme):
    """Thick pieces with the given length fractions (cuts by insert / cut_at_s)."""

    def __init__(self, fractions):
        super().__init__(len(fractions), mode="thick")
        self.fractions = [float(f) for f in fractions]

    def drift_weights(self, element_length=None):
        return list(self.fractions)


class _DictHolder:
    def __init__(self, element_dict):
        self.element_dict = element_dict


def _cut_target(env, name):
    """(element, name of the element it is a replica of or None) behind `name`."""
    from ..beam_elements.slices import Replica

    element = env.element_dict[name]
    element = getattr(element, "_get_viewed_object", lambda: element)()
    if isinstance(element, Replica):
        parent_name = element.resolve(env.element_dict, get_name=True)
        return env.element_dict[parent_name], parent_name
    return element, None


def cut_makes_slices(env, name):
    """Whether cutting `name` gives slice elements (a magnet with slice classes, or a thick
    or drift slice), which bring their own entry / exit maps where needed."""
    se = _slice_kinds()
    element, _ = _cut_target(env, name)
    if isinstance(element, se.SliceElement):
        return element._kind in (se.THICK, se.DRIFT)
    return _parent_class(element) not in (None, se.Drift)


def split_element(env, name, fractions, with_ends=False):
    """Cut thick element `name` into thick pieces with the given length fractions; their names.

    A magnet with slice classes (a replica: its parent) gives ThickSlice pieces
    ``<name>..k`` (first free k) between ``<name>..entry_map`` and
    ``<name>..exit_map``, with `with_ends` also between the markers
    ``<name>_entry`` and ``<name>_exit``;
    a thick or drift slice gives slices ``<name>..k`` of the same parent with
    the weights multiplied (a thick one, with `with_ends`, between markers). Other elements (drifts, ...) give copies named
    ``<base>..k`` (``<base>``: the element the cut element was itself cut
    from, if any) following the fields of the parent through expressions.
    """
    se = _slice_kinds()
    element, parent_name = _cut_target(env, name)
    if isinstance(element, se.SliceElement) and element._kind in (se.THICK, se.DRIFT):
        counters, out = {}, []
        for ff in fractions:
            new_name = _next_index(counters, env.element_dict, f"{name}..")
            env.element_dict[new_name] = type(element)(parent_name=element.parent_name,
                                                       weight=element.weight * float(ff),
                                                       _parent=element._parent)
            out.append(new_name)
        if with_ends and element._kind == se.THICK:  # a cut thick slice keeps markers at its ends
            for label in (f"{name}_entry", f"{name}_exit"):
                if label not in env.element_dict:
                    env.element_dict[label] = _marker()
            out = [f"{name}_entry"] + out + [f"{name}_exit"]
        return out
    if cut_makes_slices(env, name):
        names = Slicer(_DictHolder(env.element_dict), [])._slice_element(
            name, element, _Fractions(fractions), _edge_markers=with_ends, parent_name=parent_name)
        return names
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
                if attr == "k0" and getattr(element, "k0_from_h", False):
                    continue  # the pieces keep following h (a k0 set would turn k0_from_h off)
                if hasattr(element, attr) and cls not in ("Drift",):
                    exprs.append((attr, None, getattr(pref, attr) * 1.0))
        env.element_dict[new_name] = piece
        _set_exprs(env, new_name, exprs)
        piece._parent_name = parent
        out.append(new_name)
    return out


