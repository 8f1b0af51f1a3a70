"""Composer and compose mode, replicas, element views, environment particles,
expression-string rules (float literals, default_to_zero)."""

import numpy as np
import pytest

import xtrack as xt
from xtrack.line.builder import Composer, PlacementError


# ------------------------------------------------------------------ composer
def _two_quads(env):
    env["a"] = 1.0
    env.new("q1", "Quadrupole", length="a")
    env.new("q2", "q1")


def test_composer_builds_gaps_as_drifts_and_keeps_total_length():
    env = xt.Environment()
    _two_quads(env)
    composer = Composer(env, components=[env.place("q1", at=0.5), env.place("q2", at=4, from_="q1")],
                        length=7.0)
    line = composer.build()
    tt = line.get_table()
    assert line.get_length() == pytest.approx(7.0, abs=1e-12)
    assert tt["s", "q2"] == pytest.approx(4.0, abs=1e-12)  # centre of q1 (0.5) + 4 - half length
    assert [line[n].__class__.__name__ for n in line.element_names] == [
        "Quadrupole", "Drift", "Quadrupole", "Drift"]


def test_composer_dict_round_trip_does_not_touch_input():
    env = xt.Environment()
    _two_quads(env)
    composer = Composer(env, components=[env.place("q1", at=2.0), "q2"], length="3*a + 4")
    data = composer.to_dict()
    before = repr(data)
    restored = Composer.from_dict(data, env)
    assert repr(data) == before
    assert restored.build().element_names == composer.build().element_names


def test_cycles_and_overlaps_are_reported():
    env = xt.Environment()
    env.new("a", xt.Marker)
    env.new("b", xt.Marker)
    cyclic = Composer(env, components=[xt.Place("a", at=0, from_="b"), xt.Place("b", at=0, from_="a")])
    with pytest.raises(ValueError, match="Could not resolve all placement positions"):
        cyclic.resolve_s_positions()
    with pytest.raises(ValueError, match="Cyclic placement dependency"):
        cyclic.validate()
    env.new("d1", xt.Drift, length=2)
    env.new("d2", xt.Drift, length=2)
    overlapping = Composer(env, components=[xt.Place("d1", at=0, anchor="start"),
                                            xt.Place("d2", at=1, anchor="start")])
    with pytest.raises(PlacementError, match="Overlap before component"):
        overlapping.validate()
    assert overlapping.validate(check_overlaps=False) is None


def test_thin_elements_at_the_same_s_follow_the_placement_tree():
    env = xt.Environment()
    for nn in ["m0", "m1", "m2", "m3", "m4"]:
        env.new(nn, xt.Marker)
    composer = Composer(env, components=[
        env.place("m0", at=10.0),
        env.place(["m1", "m2"], at="m0@end"),  # after m0, in order
        env.place("m3", at="m0@start"),         # before m0
        env.place("m4", at=0, from_="m0"),      # after: placed after m0 in the list
    ])
    assert list(composer.resolve_s_positions().name) == ["m3", "m0", "m1", "m2", "m4"]


# -------------------------------------------------------------- compose mode
def test_compose_mode_follows_the_variables_until_end_compose():
    env = xt.Environment()
    env["a"] = 1.0
    line = env.new_line(compose=True)
    line.new("q1", "Quadrupole", length="a", at="0.5*a")
    line.new("q2", "q1", at="4*a", from_="q1@center")
    assert line.mode == "compose"
    assert line.get_length() == pytest.approx(5.0)
    env["a"] = 2.0
    assert line.get_length() == pytest.approx(10.0)  # rebuilt on read
    line.end_compose()
    assert line.mode == "normal"
    env["a"] = 1.0
    assert line.get_length() == pytest.approx(8.0)  # drifts frozen, quadrupoles follow a
    line.regenerate_from_composer()
    assert line.get_length() == pytest.approx(5.0)


def test_line_algebra_in_compose_mode():
    env = xt.Environment()
    _two_quads(env)
    l1 = env.new_line(compose=True, components=[env.place("q1", at=0.5), env.place("q2", at=4.5)])
    twice = 2 * l1
    assert twice.mode == "compose" and len(twice.composer.components) == 2
    assert twice.get_length() == pytest.approx(10.0)
    mirrored = -l1
    assert mirrored.composer.mirror is True
    assert mirrored.element_names == l1.element_names[::-1]
    both = l1 + mirrored
    assert both.element_names == l1.element_names + l1.element_names[::-1]


def test_line_dict_keeps_the_composer():
    env = xt.Environment()
    line = env.new_line(components=[env.new("q1", "Quadrupole", length=1.0, at=2), "q1"])
    again = xt.Line.from_dict(line.to_dict())
    assert isinstance(again.composer.components[0], xt.Place)
    assert again.composer.components[0].at == 2
    assert again.composer.components[1] == "q1"


def test_place_at_an_element_name():
    env = xt.Environment()
    env.new("m_ref", xt.Marker)
    env.new("m_at", xt.Marker)
    place = env.place("m_at", at="m_ref@end")
    assert (place.at, place.from_, place.from_anchor) == (0, "m_ref", "end")
    line = env.new_line(components=[env.place("m_ref", at=5.0), place])
    assert line.get_table()["s", "m_at"] == pytest.approx(5.0)


# ------------------------------------------------------------------ replicas
def test_replica_tracks_and_reports_as_its_parent():
    quad = xt.Quadrupole(k1=0.1, length=1.0)
    line = xt.Line(elements=[quad, xt.Drift(length=1.0), xt.Replica(parent_name="e0")])
    twin = xt.Line(elements=[quad.copy(), xt.Drift(length=1.0), quad.copy()])
    assert line.get_length() == pytest.approx(3.0)
    tt = line.get_table(attr=True)
    assert tt["element_type", "e2"] == "Quadrupole"
    assert tt["isreplica", "e2"] and tt["parent_name", "e2"] == "e0"
    assert tt["k1l", "e2"] == pytest.approx(0.1)
    p1 = xt.Particles(p0c=1e9, x=1e-3, px=1e-4)
    p2 = p1.copy()
    line.track(p1)
    twin.track(p2)
    assert np.all(p1.state == 1)
    np.testing.assert_allclose(p1.x, p2.x, rtol=0, atol=1e-15)
    np.testing.assert_allclose(p1.px, p2.px, rtol=0, atol=1e-15)


def test_env_replica_follows_parent_and_circular_chains_fail():
    env = xt.Environment()
    env.new("q", xt.Quadrupole, length=1.0, k1=0.2)
    env.new("r", "q", mode="replica")
    assert isinstance(env.get("r"), xt.Replica)
    env["q"].k1 = 0.3
    assert env.get("r").resolve(env.element_dict).k1 == 0.3
    loop = {"c0": xt.Replica(parent_name="c1"), "c1": xt.Replica(parent_name="c0")}
    with pytest.raises(RecursionError, match="circular"):
        loop["c0"].resolve(loop)


# ------------------------------------------------------------- element views
def test_element_view_assignments_make_expressions():
    env = xt.Environment()
    env["a"] = 3.0
    env.new("mb", "Bend", length=1.0, knl=[0, 0, 0])
    env["mb"].k1 = "30*a"
    env["mb"].knl[1] = "50*a"
    env["mb"].knl[2] = 60 * env.ref["a"]
    assert isinstance(env["mb"], xt.Bend) and type(env.get("mb")) is xt.Bend
    assert env["mb"] is env["mb"]
    env["a"] = 4.0
    assert env["mb"].k1 == 120 and env["mb"].knl[1] == 200 and env["mb"].knl[2] == 240
    assert env.ref["mb"].k1.xdeps.expr == "(30.0 * vars['a'])"
    env["mb"].k1 = 1.0  # a number removes the expression
    env["a"] = 5.0
    assert env["mb"].k1 == 1.0 and env.ref["mb"].k1.xdeps.expr is None


def test_nested_array_items_take_expressions():
    env = xt.Environment()
    env["a"] = 2.0
    R = np.eye(6).tolist()
    R[2][3] = "2*a"
    env.new("tm", xt.SecondOrderTaylorMap, R=R)
    assert env["tm"].R[2, 3] == 4.0
    env["a"] = 5.0
    assert env["tm"].R[2, 3] == 10.0
    env.set("tm", R=np.eye(6).tolist())
    env["a"] = 7.0
    assert env["tm"].R[2, 3] == 0.0


# ------------------------------------------------------- expression strings
def test_integer_literals_are_floats_and_unknown_names_can_default_to_zero():
    env = xt.Environment()
    env["a"] = 1.0
    env["b"] = "2*a + 3"
    assert str(env.get_expr("b")) == "((2.0 * vars['a']) + 3.0)"
    env["k.1"] = "a"  # a dotted name keeps its digits
    assert str(env.get_expr("k.1")) == "vars['a']"
    with pytest.raises(KeyError):
        env["c"] = "3*undefined"
    with pytest.raises(KeyError):
        env.vars["undefined"]
    env.vars.default_to_zero = True
    env["c"] = "3*undefined"
    assert env["undefined"] == 0.0
    env["undefined"] = 2.0
    assert env["c"] == 6.0


# ----------------------------------------------------------------- particles
def test_environment_particles_follow_expressions_and_round_trip():
    env = xt.Environment()
    env["b0"] = 0.1
    env.new_particle("p", "proton", beta0="b0")
    line = env.new_line(name="l1", components=[env.new("d", "Drift", length=1)])
    line.set_particle_ref("p")
    env["b0"] = 0.6
    assert line.particle_ref.beta0[0] == pytest.approx(0.6)
    env2 = xt.Environment.from_dict(env.to_dict())
    env2["b0"] = 0.3
    assert env2["p"].beta0[0] == pytest.approx(0.3)
    env.set_particle_ref("electron", beta0=0.9)
    assert env.l1.particle_ref.q0 == -1


def test_one_name_space_for_variables_elements_particles_lines():
    env = xt.Environment()
    env["a"] = 1.0
    env.elements["e1"] = xt.Marker()
    env.particles["p1"] = xt.Particles(p0c=1e12)
    env.lines["l1"] = env.new_line(length=3)
    assert all(n in env for n in ["a", "e1", "p1", "l1"]) and "zz" not in env
    with pytest.raises(ValueError):
        env.vars["e1"] = 5.0
    with pytest.raises(ValueError):
        env.elements["p1"] = xt.Marker()
    with pytest.raises(ValueError):
        env.particles["l1"] = xt.Particles()
    with pytest.raises(ValueError):
        env.lines["a"] = env.new_line()
    with pytest.raises(KeyError):
        env.particles["zz"]


def test_prototype_keyword_and_deprecated_parent():
    env = xt.Environment()
    env.new("q0", prototype="Quadrupole", length=1.0)
    env.new("q1", prototype="q0")
    assert env.get("q1").prototype == "q0"
    with pytest.warns(FutureWarning, match="`parent` argument"):
        env.new("q2", parent="q0")
    with pytest.raises(TypeError, match="Only one of `prototype`"):
        env.new("q3", prototype="Quadrupole", parent="q0")
    line = env.new_line(components=["q0", "q1", "q2"])
    assert list(line.get_table().prototype) == [None, "q0", "q0", None]


def test_vars_table_compact_and_round_trip(tmp_path):
    import json

    env = xt.Environment()
    env["a"] = 3.0
    env["b"] = "3*a"
    tt = env.vars.get_table()
    assert tt["expr", "b"] == "(3.0 * a)"
    assert env.vars.get_table(compact=False)["expr", "b"] == "(3.0 * vars['a'])"
    data = tt.to_dict()
    (tmp_path / "vars.json").write_text(json.dumps(data))
    other = xt.Environment()
    other.vars.load(tmp_path / "vars.json")
    other["a"] = 4.0
    assert other["b"] == 12.0
