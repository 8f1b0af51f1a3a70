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

__all__ = ["Place", "Builder", "ANCHORS"]

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


def _flatten(components):
    from .line import Line

    out = []
    for comp in components:
        if isinstance(comp, (list, tuple)):
            out += _flatten(comp)
        elif isinstance(comp, Place):
            if isinstance(comp.name, (list, tuple)):
                raise TypeError("Place of a list of components is not supported; place a line instead.")
            out.append(comp)
        elif isinstance(comp, (str, Line)):
            out.append(Place(comp))
        else:
            raise TypeError(f"new_line: a component must be an element name, a Place, a Line or a "
                            f"list of them, got {type(comp).__name__}: {comp!r:.80}.")
    return out


class Builder:
    """Collects components and builds a line in an environment.

    Parameters
    ----------
    env : Environment
    components : list, optional
    name : str, optional
        Name of the line built.
    refer : {'center', 'start', 'end'}, default 'center'
    length : float or str, optional
        Total length [m] of the line built.
    s_tol : float, default 1e-6
        Position tolerance [m].
    """

    def __init__(self, env, components=None, name=None, refer="center", length=None, s_tol=1e-6):
        _anchor_fraction(refer, "refer")
        self.env = env
        self.components = list(components or [])
        self.name = name
        self.refer = refer
        self.length = length
        self.s_tol = s_tol

    def new(self, name, parent, **kwargs):
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

    def _value(self, value):
        if isinstance(value, str):
            return float(self.env.eval(value))
        if isinstance(value, BaseRef):
            return float(value_of(value))
        return float(value)

    def _resolve_positions(self, places, lengths):
        """s of the start of each place [m]."""
        n = len(places)
        s_start = [None] * n
        known = {}  # name -> (s_start, length) of resolved places and of elements inside lines

        def record(ii):
            place = places[ii]
            if isinstance(place.name, str):
                known[place.name] = (s_start[ii], lengths[ii])
            else:
                line = place.name
                if getattr(line, "name", None):
                    known[line.name] = (s_start[ii], lengths[ii])
                s_el = s_start[ii]
                for nn in line.element_names:
                    ll = _element_length(_resolved(line.element_dict, nn))
                    known.setdefault(nn, (s_el, ll))
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
                else:
                    at = 0.0 if place.at is None else self._value(place.at)
                    anchor = place.anchor or self.refer
                    if place.from_ is not None:
                        if place.from_ not in known:
                            still.append(ii)
                            continue
                        ref_start, ref_length = known[place.from_]
                        frac = _anchor_fraction(place.from_anchor or "center", "from_anchor")
                        ref = ref_start + frac * ref_length
                    else:
                        ref = 0.0
                    s_start[ii] = ref + at - _anchor_fraction(anchor, "anchor") * lengths[ii]
                record(ii)
                progress = True
            if not progress:
                bad = places[still[0]]
                names = [p.name for p in places if isinstance(p.name, str)]
                from .environment import _close_matches

                raise KeyError(f"new_line: cannot place {bad.name!r}: from_={bad.from_!r} is not a "
                               f"component of the line{_close_matches(bad.from_, names)}.")
            remaining = still
        return s_start

    def build(self, name=None):
        """Make the line (added to `env.lines` when it has a name)."""
        from .line import Line

        env = self.env
        name = name or self.name
        places = _flatten(self.components)
        for place in places:  # a line given by its name
            if (isinstance(place.name, str) and place.name not in env._element_dict
                    and place.name in env._lines):
                place.name = env._lines[place.name]
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
        s_start = self._resolve_positions(places, lengths)
        order = sorted(range(len(places)), key=lambda ii: (s_start[ii], lengths[ii] > 0, ii))
        names = []
        s_cur = 0.0
        for ii in order:
            gap = s_start[ii] - s_cur
            if gap > self.s_tol:
                names.append(env._new_drift(gap))
            elif gap < -self.s_tol:
                place = places[ii]
                prev = names[-1] if names else None
                raise ValueError(f"new_line: {_label(place)} starts at s = {s_start[ii]:.9g} m, inside the "
                                 f"previous element {prev!r} which ends at s = {s_cur:.9g} m "
                                 f"(overlap {-gap:.3g} m > s_tol = {self.s_tol:g} m).")
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
        line = env._line_from_names(names, name=name)
        line._composer_components = [p.to_dict() for p in places]
        return line


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
