"""Straight-body RBend geometry: sagitta, entry/exit angles and offsets of the reference orbit."""

import numpy as np
import pytest
import xtrack as xt


def test_sagitta_of_symmetric_rbend_is_the_circle_sagitta():
    # chord L_s, angle theta: R = L_s / (2 sin(theta/2)), sagitta R (1 - cos(theta/2)) = L_s/2 tan(theta/4)
    rb = xt.RBend(angle=0.3, k0_from_h=True, length_straight=3.0, rbend_model="straight-body")
    np.testing.assert_allclose(rb.sagitta, 1.5 * np.tan(0.3 / 4), rtol=1e-14)
    assert rb._angle_in == pytest.approx(0.15) and rb._angle_out == pytest.approx(0.15)
    # compensated: the orbit enters and leaves half a sagitta inside the magnet axis
    np.testing.assert_allclose(rb._x0_in, -rb.sagitta / 2, rtol=1e-14)
    np.testing.assert_allclose(rb._x0_out, -rb.sagitta / 2, rtol=1e-12)
    rb.rbend_compensate_sagitta = False
    assert rb._x0_in == 0.0
    rb.rbend_shift = 2e-3
    assert rb._x0_in == pytest.approx(-2e-3)


@pytest.mark.parametrize("angle, diff", [(0.1, 0.1), (0.2, -0.05), (0.05, 0.02)])
def test_asymmetric_orbit_closes_on_the_chord(angle, diff):
    rb = xt.RBend(angle=angle, k0_from_h=True, length_straight=2.0, rbend_angle_diff=diff,
                  rbend_compensate_sagitta=False, rbend_model="straight-body")
    a_in, a_out = rb._angle_in, rb._angle_out
    assert a_in + a_out == pytest.approx(angle)
    k0 = rb._k0_body
    # a circle of curvature k0 turns sin(a) by k0 per unit chord length ...
    np.testing.assert_allclose(np.sin(a_in) - k0 * 2.0, -np.sin(a_out), rtol=0, atol=1e-15)
    # ... and moves x by (cos(a_out) - cos(a_in)) / k0 between entry and exit
    np.testing.assert_allclose(rb._x0_out - rb._x0_in, (np.cos(a_out) - np.cos(a_in)) / k0,
                               rtol=1e-10, atol=1e-16)


def test_sagitta_compensation_is_an_rbend_shift_of_x0_in():
    # the compensated magnet is the uncompensated one shifted by -_x0_in (a k1
    # makes the tracking sensitive to the transverse position of the body)
    common = dict(angle=0.08, k0_from_h=True, length_straight=2.5, k1=0.05,
                  rbend_model="straight-body", rbend_angle_diff=0.02)
    ref = xt.RBend(**common)
    test = xt.RBend(**common, rbend_compensate_sagitta=False)
    test.rbend_shift = -ref._x0_in
    assert test._x0_in == pytest.approx(ref._x0_in, rel=1e-15)
    shifted = xt.RBend(**common, rbend_compensate_sagitta=False)
    results = []
    for el in (ref, test, shifted):
        p = xt.Particles(p0c=5e9, x=[1e-3, -2e-3], px=[1e-4, 0.0], y=[5e-4, 0.0], delta=[0.0, 1e-3])
        el.track(p)
        results.append(np.array([p.x, p.px, p.y, p.py, p.zeta]))
    np.testing.assert_allclose(results[1], results[0], rtol=0, atol=1e-15)
    assert np.max(np.abs(results[2] - results[0])) > 1e-7


@pytest.mark.parametrize("edge_model", ["linear", "full"])
def test_curved_and_straight_body_agree_for_asymmetric_rbend(edge_model):
    # the same magnet (entry face along the orbit, exit face at the full angle)
    # seen as a sector of the asymmetric reference arc or as a straight body
    common = dict(angle=0.1, k0_from_h=True, length_straight=3.0, rbend_angle_diff=0.1,
                  edge_entry_model=edge_model, edge_exit_model=edge_model)
    curved = xt.RBend(**common, model="rot-kick-rot", num_multipole_kicks=100)
    straight = xt.RBend(**common, rbend_model="straight-body", model="bend-kick-bend",
                        rbend_compensate_sagitta=False)
    straight.rbend_shift += straight._x0_in
    out = []
    for el in (curved, straight):
        p = xt.Particles(p0c=10e9, x=[0, 2e-3], px=[0, 1e-3], y=[0, 2e-3], py=[0, 2e-3],
                         delta=[0, 1e-3])
        el.track(p)
        out.append(np.array([p.x, p.px, p.y, p.py, p.zeta, p.s]))
    # the reference orbit agrees exactly; off axis the linear edges are first order only
    np.testing.assert_allclose(out[1][:4, 0], out[0][:4, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(out[1][:4, 1], out[0][:4, 1], rtol=0,
                               atol=1e-12 if edge_model == "full" else 2e-8)
    np.testing.assert_allclose(out[1][4:], out[0][4:], rtol=0, atol=3e-11)
    # the path is the asymmetric arc, longer than the symmetric one
    assert out[0][5][0] == pytest.approx(0.1 / (np.sin(0.1) / 3.0), rel=1e-12)
