import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import xtrack as xt

_spec = importlib.util.spec_from_file_location("_jacobian", Path(__file__).with_name("_jacobian.py"))
_jacobian = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_jacobian)
symplecticity_error, track_coords = _jacobian.symplecticity_error, _jacobian.track_coords

REFERENCE_CLASSES = ["LineSegmentMap", "FirstOrderTaylorMap", "SecondOrderTaylorMap"]

Z0 = np.array([1e-3, -2e-5, -5e-4, 3e-5, 2e-2, 1e-4])
rng = np.random.default_rng(3)
ZS = rng.normal(0, [1e-3, 1e-5, 1e-3, 1e-5, 1e-2, 1e-4], size=(6, 6))


def test_maps_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


@pytest.mark.parametrize("element", [
    xt.LineSegmentMap(length=100, qx=0.31, qy=0.27, betx=[20, 30], bety=[15, 10], alfx=[0.5, -1],
                      alfy=[-0.2, 0.3], dx=[1.0, 2.0], dpx=[0.1, -0.05], dy=[0.0, 0.2], dpy=[0.01, 0]),
    xt.LineSegmentMap(length=100, qx=0.31, qy=0.27, betx=20, bety=15,
                      longitudinal_mode="linear_fixed_qs", qs=0.01, bets=200),
    xt.LineSegmentMap(length=600, qx=0.21, qy=0.24, betx=15, bety=20,
                      longitudinal_mode="nonlinear", momentum_compaction_factor=0.027,
                      voltage_rf=[2e5, 5e4], frequency_rf=[9.54e6, 19.08e6], lag_rf=[180, 10]),
    xt.LineSegmentMap(length=600, qx=0.21, qy=0.24, longitudinal_mode="linear_fixed_rf",
                      momentum_compaction_factor=0.027, voltage_rf=[2e5], frequency_rf=[9.54e6],
                      lag_rf=[180]),
], ids=["betatron_dispersion", "linear_fixed_qs", "nonlinear", "linear_fixed_rf"])
def test_line_segment_map_is_symplectic(element):
    assert symplecticity_error(element, Z0) < 1e-9


def test_integer_tunes_with_equal_optics_give_the_identity():
    m = xt.LineSegmentMap(qx=3, qy=2, betx=12.0, bety=7.0, alfx=1.5, alfy=-0.5, dx=1.0, dpx=0.1)
    np.testing.assert_allclose(track_coords(m, ZS), ZS, rtol=0, atol=1e-15)


def test_quarter_tune_exchanges_position_and_momentum():
    m = xt.LineSegmentMap(qx=0.25, betx=4.0)
    out = track_coords(m, [[1e-3, 0, 0, 0, 0, 0], [0, 1e-4, 0, 0, 0, 0]])
    np.testing.assert_allclose(out[0, :2], [0, -1e-3 / 4.0], atol=1e-18)
    np.testing.assert_allclose(out[1, :2], [4.0 * 1e-4, 0], atol=1e-18)


def test_chromaticity_shifts_the_phase_advance():
    dq, ddq, delta = 3.0, 40.0, 2e-3
    m = xt.LineSegmentMap(qx=0.1, dqx=dq, ddqx=ddq, betx=1.0)
    p = xt.Particles(p0c=1e9, x=[1e-3], delta=[delta])
    m.track(p)
    mu = 2 * np.pi * (0.1 + dq * delta + ddq * delta ** 2 / 2)
    np.testing.assert_allclose([p.x[0], p.px[0]], [1e-3 * np.cos(mu), -1e-3 * np.sin(mu)], atol=1e-17)
    dn = xt.LineSegmentMap(dnqx=[0.1, dq, ddq], betx=1.0)
    np.testing.assert_allclose(np.asarray(dn.coeffs_dqx), np.asarray(m.coeffs_dqx))


def test_uncorrelated_damping_scales_each_coordinate():
    m = xt.LineSegmentMap(damping_rate_x=0.01, damping_rate_py=0.02, damping_rate_zeta=0.03)
    out = track_coords(m, ZS)
    np.testing.assert_allclose(out, ZS * np.array([0.99, 1, 1, 0.98, 0.97, 1]), rtol=1e-14, atol=1e-20)


def test_gaussian_noise_has_the_requested_rms():
    assert xt.LineSegmentMap.needs_rng
    m = xt.LineSegmentMap(gauss_noise_ampl_px=1e-6, gauss_noise_ampl_zeta=2e-3)
    p = xt.Particles(p0c=1e9, x=np.zeros(20000))
    p._init_random_number_generator(seeds=np.arange(20000) + 1)
    m.track(p)
    assert np.isclose(np.std(p.px), 1e-6, rtol=0.03) and np.isclose(np.std(p.zeta), 2e-3, rtol=0.03)
    assert np.all(np.asarray(p.x) == 0)
    cov = np.diag([1e-12, 0, 0, 0, 0, 0])
    cov[0, 1] = cov[1, 0] = 0.5e-12
    cov[1, 1] = 1e-12
    mc = xt.LineSegmentMap(gauss_noise_matrix=cov)
    p = xt.Particles(p0c=1e9, x=np.zeros(20000))
    p._init_random_number_generator(seeds=np.arange(20000) + 7)
    mc.track(p)
    np.testing.assert_allclose(np.cov([p.x, p.px]), cov[:2, :2], atol=0.05e-12)


def test_energy_ref_increment_changes_the_reference():
    m = xt.LineSegmentMap(energy_ref_increment=1e8)
    p = xt.Particles(p0c=26e9, x=[1e-3])
    e0 = p.energy0[0]
    m.track(p)
    assert np.isclose(np.sqrt(p.p0c[0] ** 2 + p.mass0 ** 2), e0 + 1e8, rtol=1e-14)


def test_first_order_map_matches_matrix_product_in_tau_ptau():
    m1 = np.eye(6)
    m1[0, 1], m1[1, 0], m1[4, 5], m1[0, 5] = 2.0, -0.1, -0.3, 1.5
    m0 = np.array([1e-4, 0, -1e-4, 0, 1e-3, 1e-5])
    tm = xt.FirstOrderTaylorMap(length=3.0, m0=m0, m1=m1)
    p = xt.Particles(p0c=2e9, x=[1e-3], px=[1e-4], zeta=[1e-2], delta=[1e-3])
    b0 = p.beta0[0]
    z = np.array([p.x[0], p.px[0], p.y[0], p.py[0], p.zeta[0] / b0, p.ptau[0]])
    tm.track(p)
    ref = m0 + m1 @ z
    np.testing.assert_allclose([p.x[0], p.px[0], p.zeta[0] / b0, p.ptau[0]], ref[[0, 1, 4, 5]], rtol=1e-14)
    assert p.s[0] == 3.0


def test_second_order_map_matches_the_polynomial_and_scaling():
    k = rng.normal(0, 1e-5, 6)
    R = np.eye(6) + rng.normal(0, 0.05, (6, 6))
    T = rng.normal(0, 0.5, (6, 6, 6))
    tm = xt.SecondOrderTaylorMap(length=2.0, k=k, R=R, T=T)
    out = track_coords(tm, ZS)
    ref = k + ZS @ R.T + np.einsum("ijl,nj,nl->ni", T, ZS, ZS)
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-20)
    s = np.array([-1.0, -1.0, 2.0, 0.5, 1.0, 3.0])
    scaled = tm.scale_coordinates(scale_x=-1, scale_px=-1, scale_y=2, scale_py=0.5, scale_pzeta=3)
    np.testing.assert_allclose(track_coords(scaled, ZS * s), ref * s, rtol=1e-11, atol=1e-20)


def test_symplectic_first_order_map_is_symplectic():
    c, s = np.cos(0.3), np.sin(0.3)
    m1 = np.eye(6)
    m1[:2, :2] = [[c, 10 * s], [-s / 10, c]]
    m1[4, 5] = -2.0
    assert symplecticity_error(xt.FirstOrderTaylorMap(m1=m1), Z0) < 1e-9


@pytest.mark.parametrize("element", [
    xt.LineSegmentMap(length=10, qx=0.3, qy=0.2, betx=[10, 12], dx=[1, 2], dqx=2, det_xy=100,
                      longitudinal_mode="linear_fixed_qs", qs=0.01, bets=-50, bucket_length=1e-8),
    xt.LineSegmentMap(qx=0.3, longitudinal_mode="nonlinear", momentum_compaction_factor=1e-3,
                      voltage_rf=[1e6], frequency_rf=[4e8], lag_rf=[180], damping_rate_x=1e-3,
                      energy_increment=1e3),
    xt.LineSegmentMap(qx=0.3, damping_matrix=np.diag([-1e-3] * 6), energy_ref_increment=1e6),
    xt.FirstOrderTaylorMap(length=1.0, m0=[1e-4, 0, 0, 0, 0, 0]),
    xt.SecondOrderTaylorMap(length=1.0, T=np.full((6, 6, 6), 0.1)),
], ids=["lsm_qs", "lsm_nonlinear", "lsm_damping_matrix", "first_order", "second_order"])
def test_dict_json_round_trip_tracks_identically(element):
    rebuilt = type(element).from_dict(json.loads(json.dumps(element.to_dict())))
    np.testing.assert_array_equal(track_coords(rebuilt, ZS), track_coords(element, ZS))


def test_line_segment_map_bad_input():
    with pytest.raises(ValueError, match="longitudinal_mode must be one of"):
        xt.LineSegmentMap(longitudinal_mode="linear")
    with pytest.raises(ValueError, match="qs and bets"):
        xt.LineSegmentMap(longitudinal_mode="linear_fixed_qs", qs=0.01)
    with pytest.raises(ValueError, match="dnqx"):
        xt.LineSegmentMap(qx=0.3, dnqx=[0.3, 1.0])
    with pytest.raises(ValueError, match="betx"):
        xt.LineSegmentMap(betx=[1, 2, 3])
    with pytest.raises(ValueError, match="damping_matrix excludes"):
        xt.LineSegmentMap(damping_rate_x=1e-3, damping_matrix=np.zeros((6, 6)))
    with pytest.raises(TypeError, match="qz"):
        xt.LineSegmentMap(qz=0.1)


def test_taylor_map_bad_input():
    with pytest.raises(ValueError, match=r"m1 must have shape \(6, 6\)"):
        xt.FirstOrderTaylorMap(m1=np.eye(5))
    with pytest.raises(NotImplementedError, match="radiation_flag"):
        xt.FirstOrderTaylorMap(radiation_flag=1)
    with pytest.raises(ValueError, match="T must have shape"):
        xt.SecondOrderTaylorMap(T=np.zeros((6, 6)))


def test_dict_without_mode_flag_is_frozen_even_with_rf_lists():
    dct = {"__class__": "LineSegmentMap", "length": 10.0, "qx": 0.3, "coeffs_dqx": [0.3],
           "voltage_rf": [0.0], "frequency_rf": [0.0], "lag_rf": [0.0], "phase_rf": [0.0]}
    m = xt.LineSegmentMap.from_dict(dct)
    assert m.longitudinal_mode == "frozen"
    out = track_coords(m, ZS)
    np.testing.assert_array_equal(out[:, 4:], ZS[:, 4:])


def test_chromaticity_as_a_list_of_derivatives():
    m = xt.LineSegmentMap(qx=0.3, dqx=[2.0, 100.0, 600.0])
    np.testing.assert_allclose(np.asarray(m.coeffs_dqx), [0.3, 2.0, 50.0, 100.0])
    with pytest.raises(ValueError, match="excludes ddqx"):
        xt.LineSegmentMap(dqx=[1.0, 2.0], ddqx=3.0)
