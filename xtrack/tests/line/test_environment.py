"""Environment: variables, elements built from classes and parents, lines, dict round trips."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
import xtrack as xt

import importlib.util

_spec = importlib.util.spec_from_file_location("_fodo", Path(__file__).with_name("_fodo.py"))
_fodo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fodo)
build_fodo = _fodo.build_fodo

REFERENCE = Path("/work/shared/reference/xtrack/lattices")


def test_variables_and_expressions_propagate_to_elements():
    env = xt.Environment()
    env.vars({"k.1": 1.0, "a": 2.0, "b": "2 * a + k.1"})
    assert env["b"] == 5.0
    env.new("mq", xt.Quadrupole, length=0.3, k1="b", knl=[0, "a"])
    env["a"] = 3.0
    assert env["mq"].k1 == 7.0
    assert env["mq"].knl[1] == 3.0
    env.set("mq", k1="-a")
    env["a"] = 4.0
    assert env["mq"].k1 == -4.0
    line = env.new_line(components=["mq"])
    line.vars["a"] = 1.0
    assert env["mq"].k1 == -1.0  # a line shares its environment's variables


def test_clone_follows_parent_expressions_and_overrides():
    env = xt.Environment()
    env["a"] = 3.0
    env.new("mq", xt.Quadrupole, length=1.0, k1="a")
    env.new("mq2", "mq", k1="2*a")
    env.new("mq3", "mq")
    env["a"] = 5.0
    assert env["mq2"].k1 == 10.0 and env["mq3"].k1 == 5.0
    assert env["mq3"] is not env["mq"]


def test_new_rejects_bad_input():
    env = xt.Environment()
    env.new("m", xt.Marker)
    with pytest.raises(ValueError, match="already exists"):
        env.new("m", xt.Marker)
    with pytest.raises(KeyError, match="close matches"):
        env.new("x", "Quadrupol")
    with pytest.raises(ValueError, match="mode"):
        env.new("y", xt.Marker, mode="copy")


def test_placement_at_from_anchor():
    env = xt.Environment()
    env.new("mq", xt.Quadrupole, length=1.0)
    env.new("ms", xt.Sextupole, length=0.2)
    line = env.new_line(components=[
        env.place("mq", at=2.0),
        env.place("ms", at=1.0, from_="mq"),
        env.new("m_end", xt.Marker, at=5.0),
        env.new("m_start", xt.Marker, at=0.0, anchor="start"),
    ])
    tt = line.get_table()
    assert list(tt.name) == ["m_start", "||drift_1", "mq", "||drift_2", "ms", "||drift_3", "m_end",
                             "_end_point"]
    np.testing.assert_allclose(tt["s_center", "ms"] - tt["s_center", "mq"], 1.0, atol=1e-14)
    np.testing.assert_allclose(tt["s", "_end_point"], 5.0, atol=1e-14)


def test_overlap_is_an_error():
    env = xt.Environment()
    env.new("mq", xt.Quadrupole, length=1.0)
    env.new("mq2", xt.Quadrupole, length=1.0)
    with pytest.raises(ValueError, match="overlap"):
        env.new_line(components=[env.place("mq", at=1.0), env.place("mq2", at=1.5)])


def test_fodo_built_from_readme_matches_reference_line():
    ref_file = REFERENCE / "fodo" / "line.json.gz"
    if not ref_file.exists():
        pytest.skip("reference data not available")
    ref = json.load(gzip.open(ref_file))
    _, line = build_fodo()
    assert line.element_names == ref["element_names"]
    ref_line = xt.Line.from_dict(ref)
    mine = line.to_dict()
    for name in ref["elements"]:
        assert ref_line.element_dict[name].to_dict() == mine["elements"][name], name
    # same expressions (compared by the targets they drive and their values)
    assert {t for t, _ in ref["_var_manager"]} == {t for t, _ in mine["_var_manager"]}
    line.vars["kqf"] = 0.1
    assert line["qf.7"].k1 == 0.1


def test_line_composition():
    env = xt.Environment()
    env.new("a", xt.Quadrupole, length=1.0)
    env.new("b", xt.Sextupole, length=0.5)
    l1 = env.new_line(components=["a", "b"])
    assert (l1 + l1).element_names == ["a", "b", "a", "b"]
    assert (-l1).element_names == ["b", "a"]
    assert (3 * l1).get_length() == pytest.approx(4.5)
    tt = (2 * l1).get_table()
    assert list(tt.name[:2]) == ["a::0", "b::0"] and list(tt.env_name[:2]) == ["a", "b"]
    lc = l1.clone(suffix="c", mirror=True)
    assert lc.element_names == ["b.c", "a.c"]


def test_environment_dict_round_trip(tmp_path):
    env, line = build_fodo()
    env.to_json(tmp_path / "env.json")
    env2 = xt.Environment.from_json(tmp_path / "env.json")
    assert env2.lines["fodo"].element_names == line.element_names
    env2["kqd"] = -0.2
    assert env2["qd.3"].k1 == -0.2
    assert env["qd.3"].k1 == pytest.approx(-0.0967315)


@pytest.mark.parametrize("lattice", ["fodo", "sps", "ps", "lhcb1", "fccee_z"])
def test_reference_line_json_round_trip(lattice, tmp_path):
    ref_file = REFERENCE / lattice / "line.json.gz"
    if not ref_file.exists():
        pytest.skip("reference data not available")
    line = xt.Line.from_json(ref_file)
    line.to_json(tmp_path / "l.json")
    line2 = xt.Line.from_json(tmp_path / "l.json")
    assert line2.element_names == line.element_names
    d1, d2 = line.to_dict(), line2.to_dict()
    assert d1["elements"] == d2["elements"]
    assert sorted(map(tuple, d1["_var_manager"])) == sorted(map(tuple, d2["_var_manager"]))
    assert d1["_var_management_data"]["var_values"] == d2["_var_management_data"]["var_values"]


def test_build_10000_elements_under_a_second():
    import time

    env = xt.Environment()
    env["k"] = 0.1
    components = [env.new(f"q{ii}", xt.Quadrupole, length=0.5, k1="k", at=1.0 * ii + 0.5)
                  for ii in range(10000)]
    t0 = time.perf_counter()
    line = env.new_line(components=components)
    assert time.perf_counter() - t0 < 1.0
    assert len(line) == 20000 - 1 + 1 or len(line) > 10000


def test_new_with_line_class_builds_a_line_and_line_parent_clones_with_suffix():
    env = xt.Environment()
    env["a"] = 3.0
    env.new("e1", xt.Bend, length=1.0, k0="3*a")
    env.new("e2", xt.Marker)
    line = env.new("ll", xt.Line, components=["e1", "e2"])
    assert isinstance(line, xt.Line) and line.element_names == ["e1", "e2"]
    assert env.lines["ll"] is line
    env.new("ll2", "ll")  # clone: elements renamed '<element>.<line>', expressions kept
    assert env["ll2"].element_names == ["e1.ll2", "e2.ll2"]
    env["a"] = 2.0
    assert env["e1.ll2"].k0 == 6.0


def test_new_takes_expressions_for_settable_derived_fields():
    env = xt.Environment()
    env["a"] = 0.01
    env.new("aper", xt.LimitEllipse, a="2*a", b="a")
    assert abs(env["aper"].a - 0.02) < 1e-15 and abs(env["aper"].b - 0.01) < 1e-15
    env["a"] = 0.02
    assert abs(env["aper"].a - 0.04) < 1e-15
