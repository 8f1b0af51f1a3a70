"""Element-by-element comparison of a loaded line with a reference line.json.gz."""

import gzip
import json
import re

import numpy as np

import xtrack as xt

_SKIP = {"__class__", "prototype", "extra", "name_associated_aperture"}


def read_reference(path):
    with gzip.open(path) as fid:
        return json.load(fid)


def compare_line(line, ref, rtol=1e-10, atol=1e-14, check_exprs=True):
    """List of differences (empty when the line matches the reference)."""
    problems = []
    names = list(line.element_names)
    ref_names = ref["element_names"]
    if len(names) != len(ref_names):
        problems.append(f"{len(names)} elements, reference {len(ref_names)}")
    for ii, (a, b) in enumerate(zip(names, ref_names)):
        # drifts of equal length (to round-off) may be numbered differently
        if a != b and not (a.startswith("||drift") and b.startswith("||drift")):
            problems.append(f"element_names differ first at {ii}: {a!r} != {b!r}")
            return problems
    for ii, name in enumerate(ref_names):
        if name.startswith("||drift"):
            la, lb = line[names[ii]].length, ref["elements"][name]["length"]
            if abs(la - lb) > 1e-9:
                problems.append(f"drift {ii}: length {la} != {lb}")
    for name in dict.fromkeys(ref_names):
        if name.startswith("||drift"):
            continue
        rdct = ref["elements"][name]
        el = line.element_dict[name]
        if type(el).__name__ != rdct["__class__"]:
            problems.append(f"{name}: class {type(el).__name__} != {rdct['__class__']}")
            continue
        rel = type(el).from_dict(rdct)
        ours = el.to_dict()
        theirs = rel.to_dict()
        for key, rv in theirs.items():
            if key in _SKIP:
                continue
            ov = ours.get(key)
            if isinstance(rv, (int, float, list)) and not isinstance(rv, bool):
                if ov is None or np.shape(ov) != np.shape(rv) or not np.allclose(ov, rv, rtol=rtol, atol=atol):
                    problems.append(f"{name}.{key}: {ov!r} != {rv!r}")
            elif ov != rv:
                problems.append(f"{name}.{key}: {ov!r} != {rv!r}")
        if rdct.get("extra", {}) != (ours.get("extra") or {}):
            rx, ox = rdct.get("extra", {}), ours.get("extra") or {}
            if set(rx) != set(ox) or any(not np.allclose(rx[k], ox[k], rtol=rtol) for k in rx):
                problems.append(f"{name}.extra: {ox!r} != {rx!r}")
    if check_exprs:
        placed = set(ref_names)
        targets = {t for t, _ in ref["_var_manager"]
                   if re.match(r"element_refs\['([^']*)'\]", t)
                   and re.match(r"element_refs\['([^']*)'\]", t).group(1) in placed}
        ours = set()
        for target in line.ref_manager._exprs if hasattr(line.ref_manager, "_exprs") else []:
            text = str(target)
            ours.add(text)
        missing = sorted(targets - ours)
        if missing:
            problems.append(f"{len(missing)} expressions missing, e.g. {missing[:5]}")
    return problems
