"""Expansion of MAD-X sequences into element names with drifts.

Positions follow MAD-X (user's guide, "Sequences"): ``at`` is the position
of the element's reference point, which ``refer`` of the sequence puts at
its entry, centre (default) or exit; with ``from=name`` the position is
measured from the position of element ``name`` (``#s``/``#e``: sequence
start/end). A sequence placed inside another one is expanded in place.
Gaps longer than ``s_tol`` become drifts (one Drift per distinct length,
``||drift_N``); overlaps longer than ``s_tol`` are errors.
"""

from xdeps.refs import value_of

from .source import MadxSyntaxError

__all__ = ["expand_sequence"]

_REFER = {"entry": 0.0, "centre": 0.5, "center": 0.5, "exit": 1.0}


def _refer_fraction(seq):
    if seq.refer not in _REFER:
        raise MadxSyntaxError(f"sequence {seq.name!r}: refer must be one of entry, centre, exit; "
                              f"got {seq.refer!r}")
    return _REFER[seq.refer]


def _local_positions(loader, seq):
    """(name, s_entry, length, subsequence or None) of the placements of `seq`, local s."""
    frac = _refer_fraction(seq) if seq.length is not None else 0.0
    positions = {"#s": 0.0, "#e": seq.length or 0.0}
    s_next = 0.0  # for MAD-X 'line' definitions (consecutive elements)
    out = []
    for placement in seq.placements:
        name = placement.name
        sub = loader.sequences.get(name)
        if sub is not None:
            length = sub.length if sub.length is not None else _line_length(loader, sub)
        elif name in loader.definitions:
            length = loader.element_length(name)
        else:
            raise MadxSyntaxError(f"sequence {seq.name!r}: unknown element {name!r}")
        if placement.at is None:
            s_entry = s_next
            pos = s_entry
            s_exit = s_entry + length
        else:
            pos = float(value_of(placement.at))
            if placement.from_ is not None:
                pos += _from_position(seq, placement, positions, name)
            if sub is not None and sub.refpos is not None:
                inner = [p for p in _local_positions(loader, sub) if p[0] == sub.refpos]
                if not inner:
                    raise MadxSyntaxError(f"sequence {sub.name!r}: refpos {sub.refpos!r} is not in it")
                s_entry = pos - (inner[0][1] + _refer_fraction(sub) * inner[0][2])
            else:
                s_entry = pos - frac * length
            s_exit = s_entry + length if sub is not None and sub.refpos is not None \
                else pos + (1.0 - frac) * length
        positions[name] = pos
        if placement.at is None:
            s_exit = s_entry + length
        out.append((name, s_entry, length, sub, s_exit))
        s_next = s_exit
    return out


_LATER = object()  # key in `positions` of the name -> placement index of forward references


def _from_position(seq, placement, positions, name, _stack=()):
    """Position of the element `placement.from_` refers to; MAD-X also accepts one
    placed later in the sequence (resolved through its own at/from, loops refused)."""
    target = placement.from_
    if target in positions:
        return positions[target]
    index = positions.get(_LATER)
    if index is None:  # built once per sequence expansion, on the first forward reference
        index = positions[_LATER] = {}
        for p in seq.placements:
            if p.at is not None:
                index.setdefault(p.name, p)
    later = index.get(target)
    if later is None or target in _stack:
        why = "part of a loop of from= references" if later is not None else "not in the sequence"
        raise MadxSyntaxError(f"sequence {seq.name!r}: element {name!r} is placed from "
                              f"{target!r}, which is {why}")
    pos = float(value_of(later.at))
    if later.from_ is not None:
        pos += _from_position(seq, later, positions, target, _stack + (target,))
    return pos


def _line_length(loader, seq):
    items = _local_positions(loader, seq)
    return items[-1][4] if items else 0.0


def _walk(loader, seq, names, depth=0, close=True):
    """Append the element names of `seq` (drifts included) to `names`.

    Returns the end [m] of the last element in the frame of `seq`; a
    subsequence (``close=False``) gets no drift after its last element: the
    gap to what follows is a drift of the enclosing sequence.
    """
    if depth > 50:
        raise MadxSyntaxError(f"sequence {seq.name!r}: subsequences nested too deep (a loop?)")
    items = _local_positions(loader, seq)
    # a thin element within s_tol of the entry of a thick one comes before it
    order = sorted(range(len(items)),
                   key=lambda ii: items[ii][1] - (loader.s_tol if items[ii][2] == 0 else 0.0))
    s = 0.0
    prev = None
    for ii in order:
        name, s_entry, length, sub, s_exit = items[ii]
        gap = s_entry - s
        if gap > loader.s_tol:
            names.append(loader.drift_name(gap))
        elif gap < -loader.s_tol:
            raise MadxSyntaxError(f"sequence {seq.name!r}: element {name!r} at s = {s_entry:.6f} m "
                                  f"overlaps the previous element {prev!r} (which ends at s = {s:.6f} m)"
                                  f" by {-gap:.3g} m")
        if sub is not None:
            _walk(loader, sub, names, depth + 1)
        else:
            names.append(name)
        # the gap to the next element is measured from entry + length, the
        # one to the end of the sequence from the element's exit point
        s = s_entry + length
        s_last = s_exit
        prev = name
    if items:
        s = s_last
    total = seq.length if seq.length is not None else s
    if close and total - s > loader.s_tol:
        names.append(loader.drift_name(total - s))
    return s


def expand_sequence(loader, seq):
    """Element names of `seq`, drifts included, starting at its cycle start.

    Drifts are computed in the frame of the (sub)sequence that holds the
    elements, so a subsequence gives the same drifts wherever it is placed.
    """
    names = []
    _walk(loader, seq, names)
    if seq.cycle_start is not None:
        if seq.cycle_start not in names:
            raise MadxSyntaxError(f"cycle: element {seq.cycle_start!r} is not in sequence {seq.name!r}")
        ii = names.index(seq.cycle_start)
        names = names[ii:] + names[:ii]
    return names
