"""`Line.insert`: place elements or lines at positions along an existing line.

What happens, in this order:

1. The positions of all new components are resolved (in the order given).
   A component without ``at``/``from_`` follows the previous new one; ``from_``
   may name an element of the line (``name`` is its first occurrence,
   ``name::k`` the k-th) or a component inserted earlier in the same call.
2. Every thick element that contains one of the new start or end positions
   is cut there: a drift becomes shorter drifts (``||drift_N``, one Drift per
   distinct length, as `new_line` makes them), a named drift into pieces
   ``name..k``, any other thick element is
   split into pieces that follow it through expressions (``name_entry``,
   ``name..entry_map``, ``name..0``, ``name..1``, ..., ``name..exit_map``,
   ``name_exit`` the first time it is cut).
3. What a new thick component covers is removed: thick pieces inside its span
   and thin elements strictly inside it.
4. The new components go in. A thin one placed exactly at the start (end) of
   an element still in the line goes right before (after) it; otherwise,
   like a thick one, after the thin elements already at its s and before
   anything thick that starts there.
"""

import numpy as np

from .builder import ANCHORS, Place, _anchor_fraction

__all__ = ["insert"]

#: Drift pieces whose lengths differ by less than this [m] (rounding of s sums) share a Drift.
_LENGTH_TOL = 1e-12


class _Slot:
    """One occurrence in the line being edited (identity matters: names repeat)."""

    __slots__ = ("names", "s0", "length", "new")

    def __init__(self, names, s0, length, new=False):
        self.names, self.s0, self.length, self.new = names, s0, length, new

    @property
    def s1(self):
        return self.s0 + self.length


def _element_length(element):
    return float(element.length) if getattr(element, "isthick", False) else 0.0


def _normalized_places(env, what, at, from_, anchor, from_anchor):
    """The components as Places (one per element or line, lists expanded)."""
    given = dict(at=at, from_=from_, anchor=anchor, from_anchor=from_anchor)
    if isinstance(what, (list, tuple)):
        items = list(what)
        if any(v is not None for v in given.values()):
            if not items:
                raise ValueError("insert: what is an empty list.")
            first = items[0]
            name = first.name if isinstance(first, Place) else first
            items[0] = env.place(name, **given)
    elif isinstance(what, Place):
        items = [what]
    else:
        items = [env.place(what, **given)]
    places = []
    for item in items:
        place = item if isinstance(item, Place) else Place(item)
        if isinstance(place.name, (list, tuple)):  # env.place(['m1', 'm2'], at=...)
            names = list(place.name)
            places.append(Place(names[0], at=place.at, from_=place.from_, anchor=place.anchor,
                                from_anchor=place.from_anchor))
            places += [Place(nn) for nn in names[1:]]
        else:
            places.append(place)
    return places


def _component(env, place):
    """(element names, length [m]) of a component to insert."""
    from .line import Line, _close_matches

    comp = place.name
    if isinstance(comp, str) and comp not in env.element_dict and comp in env.lines:
        comp = env.lines[comp]
    if isinstance(comp, Line):
        if comp.env is not env:
            comp = env.import_line(comp)
        return list(comp.element_names), float(comp.get_length())
    if not isinstance(comp, str) or comp not in env.element_dict:
        raise KeyError(f"insert: no element or line named {comp!r} in the environment"
                       f"{_close_matches(str(comp), list(env.element_dict) + list(env.lines))}.")
    return [comp], _element_length(env.element_dict[comp])


def _find_reference(line, slots, new_slots, from_):
    """Slot (occurrence) that `from_` names: a new component first, then the line."""
    from .line import _close_matches

    if from_ in new_slots:
        return new_slots[from_]
    names = line.element_names
    if "::" in from_:
        base, k = from_.rsplit("::", 1)
        idx = [ii for ii, nn in enumerate(names) if nn == base]
        if not idx or int(k) >= len(idx):
            raise KeyError(f"insert: from_={from_!r} is not in the line.")
        return slots[idx[int(k)]]
    if from_ in names:
        return slots[names.index(from_)]
    raise KeyError(f"insert: from_={from_!r} is neither in the line nor inserted before it"
                   f"{_close_matches(from_, list(names) + list(new_slots))}.")


def _resolve(line, env, places, slots):
    """New slots with their positions, and for each the (slot, anchor) it hangs on when thin."""
    from .builder import Builder

    value = Builder(env)._value
    new_slots, out = {}, []
    prev = None
    for place in places:
        names, length = _component(env, place)
        hook = None
        if place.at is None and place.from_ is None:
            if prev is None:
                raise ValueError(f"insert: give at=... (or from_=...) for {place.name!r}; "
                                 "use append to add at the end.")
            s0 = prev.s1
            hook = (prev, "end")
        else:
            at = 0.0 if place.at is None else value(place.at)
            frac = _anchor_fraction(place.anchor or "center", "anchor")
            if place.from_ is not None:
                ref = _find_reference(line, slots, new_slots, place.from_)
                ref_anchor = place.from_anchor or "center"
                ref_s = ref.s0 + ANCHORS[_ref_anchor(ref_anchor)] * ref.length
                if at == 0.0 and ref_anchor in ("start", "end"):
                    hook = (ref, ref_anchor)
            else:
                ref_s = 0.0
            s0 = ref_s + at - frac * length
        slot = _Slot(names, s0, length, new=True)
        key = place.name if isinstance(place.name, str) else getattr(place.name, "name", None)
        if key:
            new_slots[key] = slot
        out.append((slot, hook))
        prev = slot
    return out


def _ref_anchor(anchor):
    _anchor_fraction(anchor, "from_anchor")
    return anchor


def _cut_pieces(env, name, element, piece_lengths):
    """Names replacing one occurrence of thick `name` cut into `piece_lengths` [m]."""
    from .slicing import split_element

    if type(element).__name__ == "Drift" and name.startswith("||drift"):
        # lengths as s differences (9 - 6 is exactly 3): equal gaps share one drift
        return [env._new_drift(float(ll), tol=_LENGTH_TOL) for ll in piece_lengths]
    from .slicing import cut_makes_slices

    if cut_makes_slices(env, name):  # slice elements (slicing.py): ends included where needed
        fractions = np.asarray(piece_lengths) / float(np.sum(piece_lengths))  # of the (resolved) element
        return split_element(env, name, list(fractions), with_ends=True)
    pieces = split_element(env, name, list(np.asarray(piece_lengths) / float(element.length)))
    if getattr(element, "_parent_name", None):  # already a piece: its ends are in the line
        return pieces
    from ..beam_elements import Marker

    ends = []
    for label in (f"{name}_entry", f"{name}..entry_map", f"{name}..exit_map", f"{name}_exit"):
        if label not in env.element_dict:
            env.element_dict[label] = Marker()
        ends.append(label)
    return ends[:2] + pieces + ends[2:]


def _cut(env, slots, boundaries, s_tol):
    """Cut every thick slot containing one of `boundaries` (in place; s order kept)."""
    out = []
    for slot in slots:
        inside = [b for b in boundaries if slot.s0 + s_tol < b < slot.s1 - s_tol]
        if not inside or slot.length == 0:
            out.append(slot)
            continue
        name = slot.names[0]
        element = env.element_dict[name]
        pieces = _cut_pieces(env, name, element, np.diff([slot.s0, *inside, slot.s1]))
        s = slot.s0
        for pp in pieces:
            ll = _element_length(env.element_dict[pp])
            out.append(_Slot([pp], s, ll))
            s += ll
    return out


def _index_for(slots, slot, hook, s_tol):
    if slot.length == 0 and hook is not None and any(h is hook[0] for h in slots):
        idx = next(ii for ii, h in enumerate(slots) if h is hook[0])
        if hook[1] == "start":
            return idx
        # after the hooked slot and the thin things already hung on its end
        idx += 1
        while idx < len(slots) and slots[idx].new and slots[idx].length == 0 \
                and abs(slots[idx].s0 - slot.s0) <= s_tol:
            idx += 1
        return idx
    s0 = slot.s0
    return next((ii for ii, h in enumerate(slots)
                 if h.s0 > s0 + s_tol or (abs(h.s0 - s0) <= s_tol and h.length > 0)), len(slots))


def insert(line, what, obj=None, at=None, from_=None, anchor=None, from_anchor=None, s_tol=1e-6):
    """Insert elements or lines along `line` (see the module docstring for the rules)."""
    from .positions import entries_and_exits

    env = line.env
    line._check_no_tracker("insert")
    line._ensure_var_management()
    if obj is not None:
        if not isinstance(what, str):
            raise TypeError(f"insert: with obj=..., what must be the new element's name, got {what!r}.")
        env._add_element(what, obj)
    places = _normalized_places(env, what, at, from_, anchor, from_anchor)

    lengths = [_element_length(ee) for ee in line._resolved_elements()]  # replicas: their parent's
    starts, _ = entries_and_exits(lengths)
    slots = [_Slot([nn], float(s0), ll) for nn, s0, ll in zip(line.element_names, starts, lengths)]
    new = _resolve(line, env, places, slots)
    total = float(np.sum(lengths))
    for slot, _ in new:
        if slot.s0 < -s_tol or slot.s1 > total + s_tol:
            raise ValueError(f"insert: {slot.names[0]!r} would span s = [{slot.s0:.9g}, "
                             f"{slot.s1:.9g}] m, outside the line [0, {total:.9g}] m.")

    boundaries = sorted({b for slot, _ in new for b in (slot.s0, slot.s1)})
    slots = _cut(env, slots, boundaries, s_tol)
    for slot, _ in new:
        if slot.length > 0:
            slots = [h for h in slots if not _covered(h, slot, s_tol)]
    for slot, hook in new:
        slots.insert(_index_for(slots, slot, hook, s_tol), slot)
    line.element_names = [nn for slot in slots for nn in slot.names]
    return line


def _covered(slot, by, s_tol):
    if slot.new:
        return False
    if slot.length > 0:
        return slot.s0 >= by.s0 - s_tol and slot.s1 <= by.s1 + s_tol
    return by.s0 + s_tol < slot.s0 < by.s1 - s_tol
