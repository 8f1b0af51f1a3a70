"""Line JSON in the established format: every reference line loads, and what we write loads back the same."""

import gzip
import json

import numpy as np
import pytest
import xtrack as xt

LATTICES = ["fodo", "ps", "sps", "lhcb1", "fccee_z"]


def _close(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, np.ndarray)):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and (a.dtype == object or np.array_equal(a, b))
    return a == b or (isinstance(a, float) and np.isnan(a) and np.isnan(b))


@pytest.mark.slow
@pytest.mark.parametrize("name", LATTICES)
def test_reference_line_loads_and_round_trips(reference_dir, name, tmp_path):
    path = reference_dir / "xtrack" / "lattices" / name / "line.json.gz"
    with gzip.open(path, "rt") as handle:
        raw = json.load(handle)
    line = xt.Line.from_dict(raw)
    assert line.element_names == raw["element_names"]
    assert set(line.element_dict) == set(raw["elements"])
    # every stored variable value is reproduced by the loaded expressions
    stored = raw["_var_management_data"]["var_values"]
    for key, value in stored.items():
        if isinstance(value, float):
            assert line.varval[key] == pytest.approx(value, rel=1e-14, abs=1e-300), key
    # the element fields given in the file are the ones we hold
    for ename in raw["element_names"][:3000]:
        edict = raw["elements"][ename]
        element = line[ename]
        for field, value in edict.items():
            if field in ("__class__", "extra", "prototype") or not isinstance(value, (int, float)):
                continue
            got = getattr(element, field)
            if isinstance(got, str):
                continue
            assert float(got) == pytest.approx(float(value), rel=1e-14, abs=0), (ename, field)
    out = tmp_path / "line.json.gz"
    line.to_json(out)
    back = xt.Line.from_json(out)
    assert back.element_names == line.element_names
    for ename in list(line.element_dict)[:3000]:
        assert _close(back[ename].to_dict(), line[ename].to_dict()), ename
    assert back.varval == line.varval
    assert back.particle_ref.p0c[0] == line.particle_ref.p0c[0]
