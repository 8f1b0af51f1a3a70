"""Insert/remove/replace/cut keep s; slices follow their parent; survey matches the references."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
import xtrack as xt

REFERENCE = Path("/work/shared/reference/xtrack/lattices")


def _simple_env():
    env = xt.Environment()
    env["kq"] = 0.5
    env.new("d", xt.Drift, length=10.0)
    env.new("q", xt.Quadrupole, length=2.0, k1="kq")
    return env, env.new_line(components=["d", "q", "d"])


def test_insert_thin_element_splits_drift_and_keeps_s():
    env, line = _simple_env()
    env.new("m", xt.Marker)
    s_q = line.get_table()["s", "q"]
    line.insert("m", at=4.0)
    tt = line.get_table()
    assert "m" in list(tt.name)
    np.testing.assert_allclose(tt["s", "m"], 4.0, atol=1e-12)
    np.testing.assert_allclose(tt["s", "q"], s_q, atol=1e-9)
    np.testing.assert_allclose(line.get_length(), 22.0, atol=1e-9)


def test_insert_thin_inside_quadrupole_splits_it_and_pieces_follow_knob():
    env, line = _simple_env()
    env.new("m", xt.Marker)
    line.insert("m", at=11.5)
    names = line.element_names
    i = names.index("m")
    assert names[i - 1].startswith("q..") and names[i + 1].startswith("q..")
    np.testing.assert_allclose(line.get_length(), 22.0, atol=1e-9)
    env["kq"] = 0.7
    assert env[names[i - 1]].k1 == 0.7


def test_insert_thick_replaces_drift():
    env, line = _simple_env()
    env.new("s1", xt.Sextupole, length=1.0)
    line.insert("s1", at=5.0)
    tt = line.get_table()
    np.testing.assert_allclose(tt["s_center", "s1"], 5.0, atol=1e-12)
    np.testing.assert_allclose(line.get_length(), 22.0, atol=1e-9)



def test_insert_thick_over_a_magnet_replaces_the_covered_part():
    # q spans [10, 12]; s2 over [10, 11] takes the place of the first half of q
    env, line = _simple_env()
    env.new("s2", xt.Sextupole, length=1.0)
    line.insert("s2", at=10.5)
    tt = line.get_table()
    names = list(tt.name)
    assert "q" not in names
    i = names.index("s2")
    assert names[i + 1] == "q..1"
    assert names[i - 2:i] == ["q_entry", "q..entry_map"]
    np.testing.assert_allclose(tt["s_start", "q..1"], 11.0, atol=1e-12)
    np.testing.assert_allclose(env["q..1"].length, 1.0, atol=1e-12)
    np.testing.assert_allclose(line.get_length(), 22.0, atol=1e-9)


def test_insert_list_places_follow_each_other_and_hook_on_anchors():
    env, line = _simple_env()
    for nn in ("m_before", "m_after", "m_next"):
        env.new(nn, xt.Marker)
    env.new("s", xt.Sextupole, length=0.5)
    line.insert([env.place("s", at=3.0, anchor="start"),
                 env.place("m_before", at="s@start"),
                 env.place("m_after", at="s@end"),
                 env.place("m_next")])
    names = line.element_names
    i = names.index("s")
    assert names[i - 1:i + 3] == ["m_before", "s", "m_after", "m_next"]
    tt = line.get_table()
    np.testing.assert_allclose(tt["s", "m_next"], 3.5, atol=1e-12)
    # a named drift is cut into pieces 'd..k'; the total length is kept
    assert names[i - 2].startswith("d..") and names[i + 3].startswith("d..")
    np.testing.assert_allclose(line.get_length(), 22.0, atol=1e-12)


def test_insert_cuts_composer_drifts_into_shared_drifts_by_length():
    env = xt.Environment()
    env.new("q", xt.Quadrupole, length=2.0)
    env.new("m", xt.Marker)
    line = env.new_line(components=[env.place("q", at=10.0), env.place("m", at=20.0)])
    env.new("s", xt.Sextupole, length=1.0)
    # gaps [0, 4], [5, 9] and [11, 15], [16, 20]: equal lengths share one Drift
    line.insert([env.place("s", at=4.5), env.place("s", at=15.5)])
    tt = line.get_table()
    names = line.element_names
    assert names[1::2] == ["s", "q", "s", "m"]
    gaps = names[0::2]
    assert len(set(gaps)) == 1 and gaps[0].startswith("||drift_")
    assert env[gaps[0]].length == 4.0
    np.testing.assert_allclose(tt["s_center", "q"], 10.0, atol=1e-12)
    np.testing.assert_allclose(tt["s", "m"], 20.0, atol=1e-12)
    np.testing.assert_allclose(line.get_length(), 20.0, atol=1e-12)


def test_remove_by_occurrence_and_pattern_leaves_fresh_drifts():
    env = xt.Environment()
    env.new("qa", xt.Quadrupole, length=2.0)
    env.new("qb", xt.Quadrupole, length=2.0)
    env.new("m", xt.Marker)
    line = env.new_line(components=["qa", "m", "qb", "qa"])
    line.remove("qa::1")
    assert line.element_names[:3] == ["qa", "m", "qb"]
    hole = line.element_names[3]
    assert hole.startswith("||drift_") and env[hole].length == 2.0
    line.remove("q.*")  # a regular expression on whole names
    assert "qa" not in line.element_names and "qb" not in line.element_names
    holes = [nn for nn in line.element_names if nn.startswith("||drift_")]
    assert len(set(holes)) == 3  # one new drift per removed magnet
    np.testing.assert_allclose(line.get_length(), 6.0, atol=1e-12)
    with pytest.raises(KeyError, match="nothing"):
        line.remove("nothing")


def test_replace_by_pattern_and_append_lists_and_lines():
    env = xt.Environment()
    env.new("q1", xt.Quadrupole, length=1.0, k1=0.1)
    env.new("q2", xt.Quadrupole, length=1.0, k1=0.2)
    env.new("qn", xt.Quadrupole, length=1.0, k1=0.3)
    env.new("m", xt.Marker)
    line = env.new_line(components=["q1", "m", "q2"])
    line.replace("q[12]", "qn")
    assert line.element_names == ["qn", "m", "qn"]
    sub = env.new_line(components=["q1", "q2"])
    line.append([sub, "m"])
    assert line.element_names == ["qn", "m", "qn", "q1", "q2", "m"]
    np.testing.assert_allclose(line.get_length(), 4.0, atol=1e-12)


def test_new_line_puts_thin_before_a_thick_one_starting_at_the_same_s():
    env = xt.Environment()
    env.new("qa", xt.Quadrupole, length=2.0)
    env.new("qb", xt.Quadrupole, length=2.0)
    env.new("m_end_a", xt.Marker)
    env.new("m_start_b", xt.Marker)
    line = env.new_line(components=[
        env.place("qa", at=1.0),
        env.place("qb", at=0.0, from_="qa", from_anchor="end", anchor="start"),
        env.place("m_start_b", at=0.0, from_="qb", from_anchor="start"),
        env.place("m_end_a", at=0.0, from_="qa", from_anchor="end"),
    ])
    assert line.element_names == ["qa", "m_end_a", "m_start_b", "qb"]


def test_remove_and_replace():
    env, line = _simple_env()
    env.new("q2", xt.Quadrupole, length=2.0, k1=-0.3)
    line.replace("q", "q2")
    assert "q2" in line.element_names
    line.remove("q2")
    assert "q2" not in line.element_names
    np.testing.assert_allclose(line.get_length(), 22.0, atol=1e-12)
    with pytest.raises(KeyError):
        line.remove("nothing")


def test_teapot_slices_track_like_thick_to_second_order():
    env = xt.Environment()
    env["kq"] = 0.5
    env.new("q", xt.Quadrupole, length=1.0, k1="kq")
    p0 = xt.Particles(p0c=1e9, x=[1e-3], px=[1e-4], y=[-2e-3], py=[3e-5])
    thick = env.new_line(components=["q"])
    p_ref = p0.copy()
    thick.track(p_ref)
    errors = []
    for n in (4, 8):
        env_n = xt.Environment()
        env_n["kq"] = 0.5
        env_n.new("q", xt.Quadrupole, length=1.0, k1="kq")
        line = env_n.new_line(components=["q"])
        line.slice_thick_elements([xt.Strategy(slicing=xt.Teapot(n))])
        assert line.get_length() == pytest.approx(1.0, abs=1e-12)
        p = p0.copy()
        line.track(p)
        errors.append(abs(p.y[0] - p_ref.y[0]))
    assert errors[1] < errors[0] / 3  # second order: error ~ 1/n^2


def test_strategy_selection_and_none():
    env = xt.Environment()
    env.new("qa", xt.Quadrupole, length=1.0, k1=0.1)
    env.new("qb", xt.Quadrupole, length=1.0, k1=0.1)
    line = env.new_line(components=["qa", "qb"])
    line.slice_thick_elements([xt.Strategy(slicing=xt.Uniform(2)),
                               xt.Strategy(slicing=None, name="qb")])
    assert "qb" in line.element_names and "qa" not in line.element_names
    with pytest.raises(ValueError, match="slicing_order"):
        xt.Teapot(0)


@pytest.mark.parametrize("lattice", ["fodo", "sps", "ps", "lhcb1", "fccee_z"])
def test_survey_matches_reference(lattice):
    folder = REFERENCE / lattice
    if not (folder / "survey.json.gz").exists():
        pytest.skip("reference data not available")
    line = xt.Line.from_json(folder / "line.json.gz")
    ref = json.load(gzip.open(folder / "survey.json.gz"))["columns"]
    sv = line.survey()
    assert list(sv.name) == list(ref["name"])
    for col in ("X", "Y", "Z"):
        np.testing.assert_allclose(sv[col], ref[col], rtol=0, atol=1e-8)  # tolerance of the README
    for col in ("theta", "phi", "psi"):
        np.testing.assert_allclose(sv[col], ref[col], rtol=0, atol=1e-10)
    np.testing.assert_allclose(sv["s"], ref["s"], rtol=0, atol=1e-9)


def test_survey_initial_conditions():
    env = xt.Environment()
    env.new("b", xt.Bend, length=1.0, angle=np.pi / 2, k0_from_h=True)
    line = env.new_line(components=["b"])
    sv = line.survey(X0=1.0, theta0=0.1)
    np.testing.assert_allclose(sv["X", 0], 1.0)
    np.testing.assert_allclose(sv["theta", -1], 0.1 - np.pi / 2, atol=1e-14)
    rho = 1.0 / (np.pi / 2)
    sv0 = line.survey()
    np.testing.assert_allclose([sv0["X", -1], sv0["Z", -1]], [-rho, rho], atol=1e-14)
