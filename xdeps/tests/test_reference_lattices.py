"""Variable sections of the reference lattices: load, re-evaluate, compare."""

import gzip
import json
import math

import numpy as np
import pytest

import xdeps as xd

LATTICES = ["fodo", "ps", "sps", "fccee_z", "lhcb1"]


class Element:
    """Element stand-in: fields from the JSON dict, absent ones at xtrack's default 0."""

    def __init__(self, fields):
        for key, value in fields.items():
            if key in ("knl", "ksl"):
                value = np.array(list(value) + [0.0] * (12 - len(value)))
            self.__dict__[key] = value

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("knl", "ksl"):
            self.__dict__[name] = np.zeros(12)
            return self.__dict__[name]
        return 0.0


def _load(reference_dir, name):
    path = reference_dir / "xtrack" / "lattices" / name / "line.json.gz"
    with gzip.open(path, "rt") as fh:
        return json.load(fh)


@pytest.mark.parametrize("name", LATTICES)
def test_reference_variables_are_reproduced(reference_dir, name):
    data = _load(reference_dir, name)
    stored = data["_var_management_data"]["var_values"]
    pairs = data["_var_manager"]
    dependent = {t[len("vars['"):-2] for t, _ in pairs if t.startswith("vars[")}
    assert dependent, "the lattice should have dependent variables"
    # Dependent variables start as NaN so that only re-evaluation can fill them.
    values = {k: (math.nan if k in dependent else v) for k, v in stored.items()}
    elements = {k: Element(v) for k, v in data["elements"].items()}
    sections = {
        "_var_management_data": {"var_values": values, "functions": data["_var_management_data"]["functions"]},
        "_var_manager": pairs,
    }
    vm = xd.VarManagement.from_dict(sections, element_container=elements)
    names = sorted(dependent)
    actual = np.array([vm[n] for n in names], dtype=float)
    expected = np.array([stored[n] for n in names], dtype=float)
    # Same operations in the same order as the writer: only round-off may differ.
    np.testing.assert_allclose(actual, expected, rtol=1e-14, atol=0)
    # Element attributes driven by expressions agree with the stored elements.
    actual, expected = [], []
    for target_text, _ in pairs:
        if not target_text.startswith("element_refs") or ".extra" in target_text:
            continue
        el_name = target_text.split("'")[1]
        rest = target_text.split("'].", 1)[1]
        attr = rest.split("[")[0]
        stored_el = data["elements"][el_name]
        if attr not in stored_el:
            continue
        want = stored_el[attr]
        if "[" in rest:
            want = want[int(rest.split("[")[1][:-1])]
        actual.append(vm.manager.eval_xdeps(target_text)._get_value())
        expected.append(want)
    assert len(actual) > 0
    np.testing.assert_allclose(np.array(actual, dtype=float), np.array(expected, dtype=float), rtol=1e-14, atol=1e-300)
    # Dump gives back the stored expressions (as a set; order is dependency order).
    assert sorted(map(tuple, vm.manager.dump())) == sorted(map(tuple, pairs))


def test_reference_knob_drives_elements(reference_dir):
    data = _load(reference_dir, "fodo")
    elements = {k: Element(v) for k, v in data["elements"].items()}
    vm = xd.VarManagement.from_dict(data, element_container=elements)
    assert repr(vm.get_expr("ang_mb")) == "((2.0 * vars['pi']) / (2.0 * vars['n_cells']))"
    vm["kqf"] = 0.0123
    assert elements["qf.0"].k1 == 0.0123
    assert vm.to_dict()["_var_management_data"]["var_values"]["kqf"] == 0.0123
