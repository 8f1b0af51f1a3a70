"""Placing elements and lines along s: `Place` and `Builder`.

Rules (the environment's `new_line`):

- A component without a position starts where the previous one ends.
- ``at`` gives the position [m] of the component's `anchor` (default: the
  line's ``refer``, 'center'); with ``from_`` it is measured from the
  `from_anchor` (default 'center') of that element or line.
- Components are then ordered by their start; a thin component at the
  start of a thick one comes before it. Gaps longer than ``s_tol`` are
  filled with drifts (one Drift per distinct length, named ``||drift_N``);
  an overlap longer than ``s_tol`` is an error.
"""

import numpy as np
from xdeps.refs import BaseRef, value_of

__all__ = ["Place", "Composer", "Builder", "ANCHORS", "PlacementError"]

#: Anchor name -> fraction of the length from the start.
ANCHORS = {"start": 0.0, "center": 0.5, "centre": 0.5, "end": 1.0}


def _anchor_fraction(anchor, what):
    if anchor not in ANCHORS:
        raise ValueError(f"{what} must be one of {sorted(ANCHORS)}, got {anchor!r}.")
    return ANCHORS[anchor]


class Place:
    """Position of an element or line in a line being built.

    Parameters
    ----------
    name : str or Line
        Element name (in the environment) or a line.
    at : float, str or expression, optional
        Position [m] of `anchor` (from s = 0, or from `from_`).
    from_ : str, optional
        Element (or line) the position is measured from.
    anchor : {'start', 'center', 'end'}, optional
        Point of this component that `at` refers to (default: the line's refer).
    from_anchor : {'start', 'center', 'end'}, optional
        Point of `from_` that the distance is measured from (default 'center').
    """

    def __init__(self, name, obj=None, at=None, from_=None, anchor=None, from_anchor=None):
        if isinstance(from_, str) and "@" in from_:  # 'q0@end': from the end of q0
            from_, from_anchor = from_.rsplit("@", 1)
        if isinstance(name, str) and "@" in name and anchor is None:  # 'q1@start'
            name, anchor = name.rsplit("@", 1)
        self.name = name
        self.obj = obj
        self.at = at
        self.from_ = from_
        self.anchor = anchor
        self.from_anchor = from_anchor
        for label, value in (("anchor", anchor), ("from_anchor", from_anchor)):
            if value is not None:
                _anchor_fraction(value, label)

    def copy(self):
        return Place(self.name, obj=self.obj, at=self.at, from_=self.from_, anchor=self.anchor,
                     from_anchor=self.from_anchor)

    def __repr__(self):
        name = self.name if isinstance(self.name, str) else f"<line {getattr(self.name, 'name', '')}>"
        return f"Place({name!r}, at={self.at!r}, from_={self.from_!r})"

    def to_dict(self):
        out = {"name": self.name if isinstance(self.name, str) else getattr(self.name, "name", None)}
        for key in ("at", "from_", "anchor", "from_anchor"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value if not isinstance(value, BaseRef) else repr(value)
        return out


class PlacementError(ValueError, KeyError):
    """A component cannot be placed (unknown reference, circular references, overlap)."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def _flatten(components):
    """Places of `components` (names, places, lines, nested lists), in order.

    A place of a list of names puts its first item where the place says and
    each next item right after the previous one.
    """
    from .line import Line

    import types

    out = []
    for comp in components:
        if isinstance(comp, (list, tuple, types.GeneratorType)):
            out += _flatten(comp)
        elif isinstance(comp, Place):
            if isinstance(comp.name, (list, tuple)):
                items = _flatten(comp.name)
                if items:
                    first = items[0].copy()
                    first.at, first.from_ = comp.at, comp.from_
                    first.anchor, first.from_anchor = comp.anchor, comp.from_anchor
                    out.append(first)
                    out += items[1:]
                continue
            out.append(comp)
        elif isinstance(comp, (str, Line)):
            out.append(Place(comp))
        else:
            raise TypeError(f"new_line: a component must be an element name, a Place, a Line or a "
                            f"list of them, got {type(comp).__name__}: {comp!r:.80}.")
    return out


def _lists_of_generators(components):
    """`components` as a list, nested generators as lists: the composer reads its
    components at every build (regenerate_from_composer), a generator only once."""
    import types

    return [_lists_of_generators(cc) if isinstance(cc, types.GeneratorType) else cc
            for cc in components]


def _place_name(place):
    return place.name if isinstance(place.name, str) else getattr(place.name, "name", None)


class Composer:
    """Collects components and builds a line in an environment.

    Parameters
    ----------
    env : Environment
    components : list, optional
        Element names, :class:`Place` objects, lines or nested lists of them.
    name : str, optional
        Name of the line built.
    refer : {'center', 'start', 'end'}, default 'center'
        Point of each component that `at` refers to.
    length : float, str or expression, optional
        Total length [m] of the line built (a final drift fills up to it).
    s_tol : float, default 1e-6
        Position tolerance [m].
    mirror : bool, default False
        Build the line in reverse order.
    """

    def __init__(self, env, components=None, name=None, refer="center", length=None, s_tol=1e-6,
                 mirror=False):
        _anchor_fraction(refer, "refer")
        self.env = env
        self.components = _lists_of_generators(components or [])
        self.name = name
        self.refer = refer
        self.length = length
        self.s_tol = s_tol
        self.mirror = bool(mirror)

    def new(self, name, parent=None, **kwargs):
        """Create an element in the environment and add it here."""
        out = self.env.new(name, parent, **kwargs)
        self.components.append(out)
        return out

    def place(self, name, obj=None, at=None, from_=None, anchor=None, from_anchor=None):
        """Add a component (an element name or line) with an optional position."""
        out = self.env.place(name, obj=obj, at=at, from_=from_, anchor=anchor, from_anchor=from_anchor)
        self.components.append(out)
        return out

    def __len__(self):
        return len(self.components)

    def copy(self):
        return Composer(self.env, components=list(self.components), name=self.name, refer=self.refer,
                        length=self.length, s_tol=self.s_tol, mirror=self.mirror)

    def _value(self, value):
        if isinstance(value, str):
            return float(self.env.eval(value))
        if isinstance(value, BaseRef):
            return float(value_of(value))
        return float(value)

    # ------------------------------------------------------------ positions
    def _places(self):
        """Places to resolve (copies: the components are never changed) and their lengths."""
        from .line import Line

        env = self.env
        places = []
        for place in _flatten(self.components):
            place = place.copy()
            if (isinstance(place.name, str) and place.name not in env._element_dict
                    and place.name in env._lines):
                place.name = env._lines[place.name]
            if isinstance(place.at, str) and place.from_ is None:
                ref = _reference_in_at(place.at, env)
                if ref is not None:
                    place.at, place.from_, place.from_anchor = 0.0, ref[0], ref[1]
            places.append(place)
        lengths = []
        for place in places:
            if isinstance(place.name, Line):
                lengths.append(place.name.get_length())
            elif place.name in env._element_dict:
                lengths.append(_element_length(_resolved(env._element_dict, place.name)))
            else:
                from .environment import _close_matches

                raise KeyError(f"new_line: no element or line named {place.name!r} in the environment"
                               f"{_close_matches(place.name, list(env._element_dict) + list(env._lines))}.")
        return places, lengths

    def _resolve(self, places, lengths, diagnostics=False):
        """s of the start of each place [m], and the place each one refers to (or None)."""
        n = len(places)
        if diagnostics:
            _check_cycles(places)
        s_start = [None] * n
        parent = [None] * n
        known = {}  # name -> (index, s_start, length); elements inside placed lines too

        def record(ii):
            place = places[ii]
            if isinstance(place.name, str):
                known[place.name] = (ii, s_start[ii], lengths[ii])
            else:
                line = place.name
                if getattr(line, "name", None):
                    known[line.name] = (ii, s_start[ii], lengths[ii])
                s_el = s_start[ii]
                for nn in line.element_names:
                    ll = _element_length(_resolved(line.element_dict, nn))
                    known.setdefault(nn, (ii, s_el, ll))
                    s_el += ll

        remaining = list(range(n))
        while remaining:
            progress = False
            still = []
            for ii in remaining:
                place = places[ii]
                if place.at is None and place.from_ is None:
                    if ii > 0 and s_start[ii - 1] is None:
                        still.append(ii)
                        continue
                    prev_end = 0.0 if ii == 0 else s_start[ii - 1] + lengths[ii - 1]
                    s_start[ii] = prev_end
                    parent[ii] = ii - 1 if ii > 0 else None
                else:
                    at = 0.0 if place.at is None else self._value(place.at)
                    anchor = place.anchor or self.refer
                    if place.from_ is not None:
                        if place.from_ not in known:
                            still.append(ii)
                            continue
                        ref_index, ref_start, ref_length = known[place.from_]
                        frac = _anchor_fraction(place.from_anchor or "center", "from_anchor")
                        ref = ref_start + frac * ref_length
                        parent[ii] = ref_index
                    else:
                        ref = 0.0
                    s_start[ii] = ref + at - _anchor_fraction(anchor, "anchor") * lengths[ii]
                record(ii)
                progress = True
            if not progress:
                bad = places[still[0]]
                names = [_place_name(p) for p in places]
                from .environment import _close_matches

                missing = bad.from_ not in names
                raise PlacementError(
                    f"Could not resolve all placement positions: {_label(bad)} is placed from "
                    f"from_={bad.from_!r}, "
                    + ("which is not a component of the line" + _close_matches(bad.from_, [
                        n for n in names if n]) if missing else "which is itself not placed"
                       " (circular references?)") + ".")
            remaining = still
        return s_start, parent

    def _order(self, s_start, lengths, parent):
        """Build order: by s, ties by the placement tree (things placed at the start of a
        component come before it, everything else after), unrelated ties by thickness, index."""
        n = len(s_start)
        children = [[] for _ in range(n)]
        roots = []
        for ii in range(n):
            (roots if parent[ii] is None else children[parent[ii]]).append(ii)
        rank = [0] * n
        counter = 0
        places = self._last_places
        # iterative depth-first walk: 'start'-anchored children, the node, the other children
        stack = [("visit", r) for r in sorted(roots, key=lambda r: (s_start[r], lengths[r] > 0, r))][::-1]
        while stack:
            what, ii = stack.pop()
            if what == "emit":
                rank[ii] = counter
                counter += 1
                continue
            # at a tie: placed from the start of `ii` -> before it, from its end -> after it,
            # from its centre (from_anchor omitted) -> in the order of the components
            before = [c for c in children[ii] if places[c].from_ is not None
                      and (places[c].from_anchor == "start"
                           or (places[c].from_anchor is None and c < ii))]
            # thin things hung on the end of `ii` stay next to it, ahead of a thick
            # child's own subtree (whose 'start' markers belong to that child)
            after = sorted((c for c in children[ii] if c not in before), key=lambda c: lengths[c] > 0)
            todo = [("visit", c) for c in before] + [("emit", ii)] + [("visit", c) for c in after]
            stack += todo[::-1]
        # at one s, thin components come before a thick one starting there (a marker
        # placed at the end of one magnet sits before the next magnet that starts there)
        return sorted(range(n), key=lambda ii: (round(s_start[ii], 9), lengths[ii] > 0, rank[ii]))

    def resolve_s_positions(self, sort=True, diagnostics=False):
        """Table of the components with their positions (nothing is built).

        Columns: ``name``, ``s`` [m] (position of the line's `refer` point),
        ``s_start``, ``s_center``, ``s_end`` [m], ``length`` [m], ``from_``,
        ``from_anchor``. With `sort` the rows are in build order.
        """
        from xdeps import Table

        places, lengths = self._places()
        self._last_places = places
        s_start, parent = self._resolve(places, lengths, diagnostics=diagnostics)
        order = self._order(s_start, lengths, parent) if sort else list(range(len(places)))
        frac = _anchor_fraction(self.refer, "refer")
        from_, from_anchor = [], []
        for ii in order:
            place = places[ii]
            implicit = place.at is None and place.from_ is None and parent[ii] is not None
            from_.append(_place_name(places[parent[ii]]) if implicit else place.from_)
            from_anchor.append("end" if implicit else place.from_anchor)
        ss = np.array([s_start[ii] for ii in order], dtype=float)
        ll = np.array([lengths[ii] for ii in order], dtype=float)
        return Table({"name": np.array([_place_name(places[ii]) for ii in order], dtype=object),
                      "s": ss + frac * ll, "s_start": ss, "s_center": ss + ll / 2, "s_end": ss + ll,
                      "length": ll, "from_": np.array(from_, dtype=object),
                      "from_anchor": np.array(from_anchor, dtype=object)})

    def validate(self, check_overlaps=True):
        """Check the placements without creating anything (drifts included).

        Raises
        ------
        ValueError
            'Cyclic placement dependency' for circular references,
            'Overlap before component' when a component starts inside the
            previous one by more than `s_tol`.
        """
        places, lengths = self._places()
        self._last_places = places
        s_start, parent = self._resolve(places, lengths, diagnostics=True)
        if check_overlaps:
            s_cur = 0.0
            for ii in self._order(s_start, lengths, parent):
                gap = s_start[ii] - s_cur
                if gap < -self.s_tol:
                    raise PlacementError(
                        f"Overlap before component {_label(places[ii])}: it starts at s = "
                        f"{s_start[ii]:.9g} m, the previous component ends at s = {s_cur:.9g} m "
                        f"(overlap {-gap:.3g} m > s_tol = {self.s_tol:g} m).")
                if lengths[ii] > 0 or gap > self.s_tol:
                    s_cur = s_start[ii] + lengths[ii]
        return None

    # ----------------------------------------------------------------- build
    def build_names(self, diagnostics=False):
        """Element names of the line (drifts fill the gaps; created as needed)."""
        from .line import Line

        env = self.env
        places, lengths = self._places()
        self._last_places = places
        s_start, parent = self._resolve(places, lengths, diagnostics=diagnostics)
        names = []
        s_cur = 0.0
        for ii in self._order(s_start, lengths, parent):
            gap = s_start[ii] - s_cur
            if gap > self.s_tol:
                names.append(env._new_drift(gap))
            elif gap < -self.s_tol:
                place = places[ii]
                prev = names[-1] if names else None
                raise PlacementError(
                    f"new_line: Overlap before component {_label(place)}: it starts at s = "
                    f"{s_start[ii]:.9g} m, inside the previous element {prev!r} which ends at s = "
                    f"{s_cur:.9g} m (overlap {-gap:.3g} m > s_tol = {self.s_tol:g} m).")
            place = places[ii]
            if isinstance(place.name, Line):
                names += list(place.name.element_names)
            else:
                names.append(place.name)
            if lengths[ii] > 0 or gap > self.s_tol:
                s_cur = s_start[ii] + lengths[ii]
        if self.length is not None:
            total = self._value(self.length)
            gap = total - s_cur
            if gap > self.s_tol:
                names.append(env._new_drift(gap))
            elif gap < -self.s_tol:
                raise ValueError(f"new_line: length={total:g} m is shorter than the components "
                                 f"({s_cur:g} m).")
        if self.mirror:
            names = names[::-1]
        return names

    def build(self, name=None, diagnostics=False):
        """Make the line (added to `env.lines` when it has a name); it keeps this composer."""
        name = name or self.name
        line = self.env._line_from_names(self.build_names(diagnostics=diagnostics), name=name)
        line.composer = self
        return line

    # ----------------------------------------------------------------- dicts
    def to_dict(self):
        """Dict of the composer (components as names or place dicts; lines by their names)."""
        comps = []
        for comp in self.components:
            comps.append(_component_to_dict(comp))
        # established format: places as plain dicts, optional keys only when set
        out = {"__class__": "Composer", "components": comps, "refer": self.refer,
               "s_tol": self.s_tol}
        if self.mirror:
            out["mirror"] = True
        if self.name is not None:
            out["name"] = self.name
        if self.length is not None:
            out["length"] = self.length if not isinstance(self.length, BaseRef) else repr(self.length)
        return out

    @classmethod
    def from_dict(cls, dct, env):
        """Composer of `env` from :meth:`to_dict` output (`dct` is not changed)."""
        length = dct.get("length", dct.get("l"))
        if isinstance(length, str) and "[" in length:
            length = env.new_expr(length)
        comps = [_component_from_dict(c, env) for c in dct.get("components", [])]
        return cls(env, components=comps, name=dct.get("name"), refer=dct.get("refer", "center"),
                   length=length, s_tol=dct.get("s_tol", 1e-6), mirror=dct.get("mirror", False))


#: The former name of :class:`Composer`.
Builder = Composer


def _component_to_dict(comp):
    from .line import Line

    if isinstance(comp, str):
        return comp
    if isinstance(comp, (list, tuple)):
        return {"__class__": "list", "items": [_component_to_dict(c) for c in comp]}
    if isinstance(comp, Line):
        return {"__class__": "Line", "name": comp.name, "element_names": list(comp.element_names)}
    if isinstance(comp, Place):
        out = comp.to_dict()
        if isinstance(comp.name, (list, tuple)):
            out["name"] = [_component_to_dict(c) for c in comp.name]
        elif not isinstance(comp.name, str):
            out["name"] = _component_to_dict(comp.name)
        return out
    raise TypeError(f"Composer.to_dict: cannot write component {comp!r:.80}.")


def _component_from_dict(dct, env):
    if isinstance(dct, str):
        return dct
    kind = dct.get("__class__", "Place")
    if kind == "list":
        return [_component_from_dict(c, env) for c in dct["items"]]
    if kind == "Line":
        if dct.get("name") and dct["name"] in env._lines:
            return env._lines[dct["name"]]
        return env._line_from_names(list(dct["element_names"]))
    if kind == "Place":
        name = dct["name"]
        if isinstance(name, list):
            name = [_component_from_dict(c, env) for c in name]
        elif isinstance(name, dict):
            name = _component_from_dict(name, env)
        return Place(name, at=dct.get("at"), from_=dct.get("from_"), anchor=dct.get("anchor"),
                     from_anchor=dct.get("from_anchor"))
    raise ValueError(f"Composer.from_dict: unknown component {dct!r:.80}.")


def _reference_in_at(at, env):
    """(name, anchor) when `at` names an element or line (``'m1'``, ``'m1@end'``), else None."""
    name, anchor = (at.rsplit("@", 1) + [None])[:2] if "@" in at else (at, None)
    if anchor is not None and anchor not in ANCHORS:
        return None
    if name in env._element_dict or name in env._lines:
        return name, anchor
    return None


def _check_cycles(places):
    """PlacementError naming the cycle if `from_` references are circular."""
    index = {}
    for ii, place in enumerate(places):
        nm = _place_name(place)
        if nm is not None:
            index.setdefault(nm, ii)
    for ii, place in enumerate(places):
        chain = [ii]
        cur = place
        while cur.from_ is not None and cur.from_ in index:
            jj = index[cur.from_]
            if jj in chain:
                names = [_place_name(places[k]) for k in chain[chain.index(jj):]] + [cur.from_]
                raise PlacementError(f"Cyclic placement dependency: {' -> '.join(map(str, names))}.")
            chain.append(jj)
            cur = places[jj]


def _label(place):
    return repr(place.name) if isinstance(place.name, str) else f"line {getattr(place.name, 'name', '')!r}"


def _element_length(element):
    if getattr(element, "isthick", False):
        return float(getattr(element, "length", 0.0))
    return 0.0


def _resolved(element_dict, name):
    """Element `name`, replicas replaced by the element they stand for."""
    from ..beam_elements.slices import resolve_element

    return resolve_element(element_dict[name], element_dict)
