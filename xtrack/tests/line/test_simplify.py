"""Line simplifications keep the line's map: merged thin multipoles, redundant apertures
removed, simple thin kicks, and the small documented helpers around them."""

import numpy as np
import pytest
import xtrack as xt


def _particles():
    return xt.Particles(p0c=1e9, x=[1e-3, -2e-3, 5e-4], px=[1e-5, 0, -2e-5],
                        y=[2e-3, 0, -1e-3], py=[0, 1e-5, 0], delta=[0, 1e-3, -1e-3])


def _track(line):
    line.build_tracker()
    p = _particles()
    line.track(p, num_turns=3)
    line.discard_tracker()
    return np.array([p.x, p.px, p.y, p.py, p.zeta, p.delta])


def _ring():
    elements = {
        "d0": xt.Drift(length=1.0), "m1": xt.Multipole(knl=[1e-4, 0.1]),
        "m2": xt.Multipole(knl=[0, 0.05, 1.0], ksl=[0, 0.01]), "m3": xt.Multipole(knl=[0, -0.02]),
        "d1": xt.Drift(length=1.0), "qd": xt.Multipole(knl=[0, -0.13]), "d2": xt.Drift(length=1.0),
        "a1": xt.LimitEllipse(a=0.02, b=0.02), "d3": xt.Drift(length=0.5),
        "mk": xt.Marker(), "a2": xt.LimitEllipse(a=0.02, b=0.02), "d4": xt.Drift(length=0.5),
        "a3": xt.LimitEllipse(a=0.03, b=0.02), "bend": xt.Multipole(knl=[1e-3], hxl=1e-3),
    }
    order = ["d0", "m1", "m2", "m3", "d1", "qd", "d2", "a1", "d3", "mk", "a2", "d4", "a3", "bend"]
    return xt.Line(elements=elements, element_names=order)


def test_merge_consecutive_multipoles_sums_kicks_and_keeps_the_map():
    line = _ring()
    before = _track(line)
    line.merge_consecutive_multipoles()
    assert line.element_names[:4] == ["d0", "m1", "d1", "qd"]
    np.testing.assert_allclose(line["m1"].knl, [1e-4, 0.15 - 0.02, 1.0], rtol=1e-15)
    np.testing.assert_allclose(line["m1"].ksl, [0, 0.01, 0], atol=0)
    np.testing.assert_allclose(_track(line), before, rtol=1e-13, atol=1e-17)


def test_merge_keeps_named_multipoles_and_can_work_on_a_copy():
    line = _ring()
    new = line.merge_consecutive_multipoles(inplace=False, keep="m2")
    assert line.element_names == _ring().element_names  # untouched
    assert new.element_names[:5] == ["d0", "m1", "m2", "m3", "d1"]  # nothing to merge around m2


def test_remove_redundant_apertures_across_drifts_and_markers_only():
    line = _ring()
    before = _track(line)
    line.remove_redundant_apertures()
    assert "a2" not in line.element_names  # equal to a1, only drift and marker between
    assert {"a1", "a3"} <= set(line.element_names)  # a3 differs
    np.testing.assert_array_equal(_track(line), before)
    kept = _ring().remove_redundant_apertures(keep=["a2"])
    assert "a2" in kept.element_names
    needed = _ring().remove_redundant_apertures(drifts_that_need_aperture=["d3"])
    assert "a2" in needed.element_names


def test_simple_thin_kicks_replace_general_multipoles_with_the_same_map():
    line = _ring()
    before = _track(line)
    line.use_simple_quadrupoles()
    line.use_simple_bends()
    assert type(line.element_dict["qd"]).__name__ == "SimpleThinQuadrupole"
    assert type(line.element_dict["bend"]).__name__ == "SimpleThinBend"
    assert type(line.element_dict["m2"]).__name__ == "Multipole"  # sextupole and skew parts: not simple
    np.testing.assert_allclose(_track(line), before, rtol=1e-14, atol=1e-18)


def test_get_elements_of_type_and_freeze_energy():
    line = _ring()
    elements, names = line.get_elements_of_type(xt.LimitEllipse)
    assert names == ["a1", "a2", "a3"] and elements[0] is line.element_dict["a1"]
    _, names = line.get_elements_of_type([xt.Marker, xt.Drift])
    assert names == ["d0", "d1", "d2", "d3", "mk", "d4"]
    with pytest.raises(TypeError, match="types"):
        line.get_elements_of_type("Drift")
    line.freeze_energy()
    assert line._frozen_longitudinal()
    line.freeze_energy(False)
    assert not line._frozen_longitudinal()


def test_simplifications_on_a_line_of_an_environment():
    env = xt.Environment()
    env.vars["kq"] = 0.1
    env.new("q1", xt.Multipole, knl=[0, "kq"])
    env.new("q2", xt.Multipole, knl=[0, 0.05])
    env.new("dd", xt.Drift, length=2.0)
    line = env.new_line(components=["dd", "q1", "q2", "dd"])
    line.merge_consecutive_multipoles()
    assert [n for n in line.element_names if n.startswith("q")] == ["q1"]
    assert env.element_dict["q1"].knl[1] == pytest.approx(0.15)
    line.use_simple_quadrupoles()
    assert type(env.element_dict["q1"]).__name__ == "SimpleThinQuadrupole"
