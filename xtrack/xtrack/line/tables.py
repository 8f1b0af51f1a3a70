"""Tables of a line's elements (`line.get_table()`) and of an environment's elements.

Row names are the element names; a name that occurs several times in the
line is written ``name::k`` (k-th occurrence, from 0) so that every row has
a unique name, and ``env_name`` keeps the element's own name. A last row
``_end_point`` marks the end of the line.
"""

import numpy as np
from xdeps import Table
from .positions import entries_and_exits

__all__ = ["line_table", "elements_table", "ATTR_COLUMNS"]

_MAX_ORDER = 5

#: Columns added by ``get_table(attr=True)``.
ATTR_COLUMNS = (["length", "angle", "angle_rad", "rot_s_rad", "shift_x", "shift_y", "shift_s", "hkick", "vkick",
                 "k0_from_h", "voltage", "frequency", "lag"]
                + [f"k{n}l" for n in range(_MAX_ORDER + 1)] + [f"k{n}sl" for n in range(_MAX_ORDER + 1)])


def _length(element):
    return float(getattr(element, "length", 0.0)) if getattr(element, "isthick", False) else 0.0


def _unique_names(names):
    counts = {}
    for nn in names:
        counts[nn] = counts.get(nn, 0) + 1
    seen = {}
    out = []
    for nn in names:
        if counts[nn] > 1:
            k = seen.get(nn, 0)
            seen[nn] = k + 1
            out.append(f"{nn}::{k}")
        else:
            out.append(nn)
    return out


def _integrated_strengths(element):
    """k0l, k1l, ... and skew k0sl, ... [m^-n] of an element (zeros for non-magnets)."""
    normal = np.zeros(_MAX_ORDER + 1)
    skew = np.zeros(_MAX_ORDER + 1)
    knl = getattr(element, "knl", None)
    ksl = getattr(element, "ksl", None)
    if knl is not None:
        n = min(len(knl), _MAX_ORDER + 1)
        normal[:n] += np.asarray(knl)[:n]
    if ksl is not None:
        n = min(len(ksl), _MAX_ORDER + 1)
        skew[:n] += np.asarray(ksl)[:n]
    length = float(getattr(element, "length", 0.0) or 0.0)
    cls = type(element).__name__
    if cls in ("Bend", "RBend"):
        normal[0] += (element.h if element.k0_from_h else element.k0) * length
    for n in range(1, 4):
        for attr, arr in ((f"k{n}", normal), (f"k{n}s", skew)):
            value = getattr(element, attr, None)
            if isinstance(value, (float, int, np.floating)) and cls != "Multipole":
                arr[n] += value * length
    return normal, skew


def _slice_attr_values(element, element_dict):
    """Columns of a slice (slice_elements.py): its fraction of the parent's values."""
    vals = element._table_values(element_dict)
    normal = np.zeros(_MAX_ORDER + 1)
    skew = np.zeros(_MAX_ORDER + 1)
    n = min(len(vals["knl"]), _MAX_ORDER + 1)
    normal[:n] = vals["knl"][:n]
    skew[:n] = vals["ksl"][:n]
    out = {f"k{n}l": normal[n] for n in range(_MAX_ORDER + 1)}
    out.update({f"k{n}sl": skew[n] for n in range(_MAX_ORDER + 1)})
    # kicks as for the unsliced element (_attr_values): bending angle minus dipole field
    out.update(length=vals["length"], angle_rad=vals["angle"], angle=vals["angle"],
               hkick=vals["angle"] - normal[0], vkick=skew[0], k0_from_h=False, voltage=0.0, frequency=0.0,
               lag=0.0)
    out.update({attr: vals[attr] for attr in ("rot_s_rad", "shift_x", "shift_y", "shift_s")})
    return out


def _attr_values(element, element_dict=None):
    if hasattr(element, "_table_values"):
        return _slice_attr_values(element, element_dict)
    normal, skew = _integrated_strengths(element)
    cls = type(element).__name__
    out = {f"k{n}l": normal[n] for n in range(_MAX_ORDER + 1)}
    out.update({f"k{n}sl": skew[n] for n in range(_MAX_ORDER + 1)})
    out["length"] = float(getattr(element, "length", 0.0) or 0.0)
    if cls in ("Bend", "RBend"):
        out["angle_rad"] = float(element.angle)
    else:
        out["angle_rad"] = float(getattr(element, "hxl", 0.0) or 0.0)
    out["angle"] = out["angle_rad"]
    # horizontal kick: the bending angle minus the dipole field (0 for a bend whose
    # field follows its curvature, -knl[0] for a kicker, hxl - knl[0] for a multipole)
    out["hkick"] = out["angle_rad"] - normal[0]
    out["vkick"] = skew[0]
    out["k0_from_h"] = bool(getattr(element, "k0_from_h", False))
    for attr in ("rot_s_rad", "shift_x", "shift_y", "shift_s", "voltage", "frequency", "lag"):
        value = getattr(element, attr, 0.0)
        out[attr] = float(value) if isinstance(value, (int, float, np.number)) else 0.0
    return out


def line_table(line, attr=False):
    """Table with one row per element of `line` plus ``_end_point``.

    Columns: ``name``, ``s`` [m] (entry), ``element_type``, ``isthick``,
    ``isreplica``, ``parent_name``, ``iscollective``, ``s_start``,
    ``s_center``, ``s_end`` [m], ``env_name``; with `attr`, the
    :data:`ATTR_COLUMNS` too (integrated strengths ``k<n>l``, ``k<n>sl``
    [m^-n], ``angle_rad``, ``length`` [m], ...).
    """
    from ..beam_elements.slices import Replica

    names = list(line.element_names)
    raw = [line.element_dict[nn] for nn in names]
    # A replica is shown as the element it stands for (its type, length, strengths).
    elements = [ee.resolve(line.element_dict) if isinstance(ee, Replica) else ee for ee in raw]
    parents = [ee.parent_name if isinstance(ee, Replica) else getattr(ee, "_parent_name", None)
               for ee in raw]
    # slices of a line loaded from a dict find their parent by name (bound at build_tracker)
    lengths = np.array([ee._table_values(line.element_dict)["length"] if hasattr(ee, "_table_values")
                        and ee.isthick else _length(ee) for ee in elements] + [0.0])
    s, ends = entries_and_exits(lengths)
    n = len(names)
    data = {
        "name": np.array(_unique_names(names) + ["_end_point"], dtype=object),
        "s": s,
        "element_type": np.array([type(ee).__name__ for ee in elements] + [""], dtype=object),
        "isthick": np.array([bool(getattr(ee, "isthick", False)) for ee in elements] + [False]),
        "isreplica": np.array([isinstance(ee, Replica) for ee in raw] + [False]),
        "parent_name": np.array(parents + [None], dtype=object),
        "prototype": np.array([getattr(ee, "prototype", None) for ee in raw] + [None], dtype=object),
        "iscollective": np.array([bool(getattr(ee, "iscollective", False)) for ee in elements] + [False]),
        "s_start": s.copy(),
        "s_center": s + lengths / 2,
        "s_end": ends.copy(),
        "env_name": np.array(names + ["_end_point"], dtype=object),
    }
    if attr:
        rows = [_attr_values(ee, line.element_dict) for ee in elements]
        for col in ATTR_COLUMNS:
            values = [row[col] for row in rows]
            dtype = bool if col == "k0_from_h" else float
            data[col] = np.array(values + [False if dtype is bool else 0.0], dtype=dtype)
    del n
    return Table(data)


def elements_table(element_dict):
    """Table of the elements of an environment (by name, not placed)."""
    names = list(element_dict)
    elements = [element_dict[nn] for nn in names]
    return Table({
        "name": np.array(names, dtype=object),
        "element_type": np.array([type(ee).__name__ for ee in elements], dtype=object),
        "isthick": np.array([bool(getattr(ee, "isthick", False)) for ee in elements]),
        "length": np.array([float(getattr(ee, "length", 0.0) or 0.0) for ee in elements]),
        "parent_name": np.array([getattr(ee, "_parent_name", None) for ee in elements], dtype=object),
    })
