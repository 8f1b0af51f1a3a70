"""Cavity, CrabCavity, RFMultipole: golden maps and physics checks."""

import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["Cavity", "CrabCavity", "RFMultipole"]

CANONICAL = ("x", "px", "y", "py", "zeta", "pzeta")


def test_rf_matches_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _jacobian(element, point, eps=1e-6, p0c=1e9):
    """Jacobian of the element map in (x, px, y, py, zeta, pzeta), fourth-order central differences."""
    n = len(CANONICAL)
    steps = np.array([2, 1, -1, -2])
    coords = {k: np.full(4 * n, point[i], dtype=float) for i, k in enumerate(CANONICAL)}
    for j in range(n):
        coords[CANONICAL[j]][4 * j:4 * j + 4] += steps * eps
    p = xt.Particles(p0c=p0c, **coords)
    element.track(p)
    order = np.argsort(p.particle_id)
    out = np.array([np.asarray(getattr(p, k))[order] for k in CANONICAL])
    return (-out[:, 0::4] + 8 * out[:, 1::4] - 8 * out[:, 2::4] + out[:, 3::4]) / (12 * eps)


def _assert_symplectic(m, tol=1e-9):
    s2 = np.array([[0.0, 1.0], [-1.0, 0.0]])
    s = np.kron(np.eye(len(m) // 2), s2)
    np.testing.assert_allclose(m.T @ s @ m, s, rtol=0, atol=tol)


POINT = [1e-3, -2e-4, -5e-4, 1e-4, 0.05, 3e-4]


@pytest.mark.parametrize("element", [
    xt.Cavity(voltage=5e6, frequency=400e6, lag=30),
    xt.Cavity(voltage=5e6, frequency=400e6, lag=30, length=1.0, num_kicks=3,
              model="drift-kick-drift-exact", integrator="yoshida-4"),
    xt.Cavity(voltage=5e6, frequency=200e6, phase=0.4, length=2.0, num_kicks=4, integrator="uniform"),
    xt.Cavity(voltage=5e6, frequency=200e6, lag=60, length=1.0, num_kicks=7, integrator="yoshida-6"),
    xt.CrabCavity(crab_voltage=3e6, frequency=400e6, lag=20),
    xt.CrabCavity(crab_voltage=3e6, frequency=400e6, phase=0.3, length=0.5, num_kicks=2),
    xt.RFMultipole(knl=[1e-4, 0.02, 0.5], ksl=[0, 0.01, 0.1], pn=[10, 20, 0], ps=[0, 5, 0],
                   phase_n=[0, 0, 0.3], voltage=1e6, frequency=400e6, lag=40),
], ids=["cavity_thin", "cavity_yoshida4_exact", "cavity_uniform", "cavity_yoshida6", "crab_thin", "crab_thick",
        "rf_multipole"])
def test_rf_maps_are_symplectic(element):
    _assert_symplectic(_jacobian(element, POINT))


def test_thick_cavity_without_voltage_is_a_drift():
    kwargs = dict(p0c=2e9, x=[1e-3, -2e-3], px=[1e-4, 3e-4], y=[2e-3, 1e-3], py=[-2e-4, 0],
                  zeta=[0.1, -0.2], delta=[1e-3, -2e-2])
    for model, drift_model in [("adaptive", "expanded"), ("drift-kick-drift-exact", "exact")]:
        p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
        xt.Cavity(length=1.3, frequency=400e6, num_kicks=5, model=model).track(p1)
        xt.Drift(length=1.3, model=drift_model).track(p2)
        for name in ("x", "y", "zeta", "s", "delta"):
            np.testing.assert_allclose(getattr(p1, name), getattr(p2, name), rtol=0, atol=1e-15)


@pytest.mark.parametrize("integrator,num_kicks", [("teapot", 1), ("teapot", 7), ("uniform", 4),
                                                  ("yoshida-4", 3), ("yoshida-4", 5), ("yoshida-6", 8),
                                                  ("adaptive", 0)])
def test_kick_weights_sum_to_the_full_voltage(integrator, num_kicks):
    # frequency 0: the phase is lag for every kick, so the total energy gain is q V sin(lag)
    p = xt.Particles(p0c=1e9, zeta=[0.0, 0.3])
    xt.Cavity(voltage=2e6, lag=90, length=2.0, integrator=integrator, num_kicks=num_kicks).track(p)
    np.testing.assert_allclose(p.ptau, 2e6 / 1e9, rtol=1e-13)
    np.testing.assert_allclose(p.s, 2.0, rtol=1e-15)


def test_yoshida_converges_faster_than_uniform():
    kwargs = dict(p0c=1e9, x=[1e-3], px=[2e-3], zeta=[0.2], delta=[1e-2])
    common = dict(voltage=2e7, frequency=400e6, lag=60, length=3.0)
    fine = xt.Particles(**kwargs)
    xt.Cavity(**common, num_kicks=700, integrator="yoshida-6").track(fine)
    errors = {}
    for integrator, n in [("uniform", 21), ("yoshida-4", 21), ("yoshida-6", 21)]:
        p = xt.Particles(**kwargs)
        xt.Cavity(**common, num_kicks=n, integrator=integrator).track(p)
        errors[integrator] = abs(p.ptau[0] - fine.ptau[0]) + abs(p.zeta[0] - fine.zeta[0])
    assert errors["yoshida-6"] < errors["yoshida-4"] < errors["uniform"]


def test_on_crest_gain_and_zero_crossing():
    p = xt.Particles(p0c=1e10, zeta=[0.0])
    xt.Cavity(voltage=3e6, frequency=400e6, lag=90).track(p)
    np.testing.assert_allclose(p.ptau, 3e6 / 1e10, rtol=1e-14)
    p = xt.Particles(p0c=1e10, zeta=[0.0])
    xt.Cavity(voltage=3e6, frequency=400e6, lag=0).track(p)
    assert abs(p.ptau[0]) < 1e-20


def test_lag_in_degrees_and_phase_in_radians_add():
    kwargs = dict(p0c=1e9, zeta=np.linspace(-0.3, 0.3, 7))
    p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
    xt.Cavity(voltage=1e6, frequency=200e6, lag=30, phase=0.2).track(p1)
    xt.Cavity(voltage=1e6, frequency=200e6, lag=30 + np.rad2deg(0.2)).track(p2)
    np.testing.assert_allclose(p1.ptau, p2.ptau, rtol=1e-13, atol=1e-20)


def test_harmonic_uses_the_revolution_time_when_known():
    t_rev = 88.9e-6
    kwargs = dict(p0c=7e12, zeta=np.linspace(-0.2, 0.2, 5))
    p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
    p1.t_sim = t_rev
    xt.Cavity(voltage=2e6, harmonic=35640, lag=30).track(p1)
    xt.Cavity(voltage=2e6, frequency=35640 / t_rev, lag=30).track(p2)
    np.testing.assert_allclose(p1.ptau, p2.ptau, rtol=1e-13, atol=1e-22)
    # alone (no revolution time), the element uses `frequency`
    p3 = xt.Particles(**kwargs)
    xt.Cavity(voltage=2e6, harmonic=35640, frequency=0, lag=30).track(p3)
    np.testing.assert_allclose(p3.ptau, 2e6 / 7e12 * np.sin(np.deg2rad(30)), rtol=1e-13)


def test_crab_kick_is_transverse_on_the_reference():
    p = xt.Particles(p0c=7e12, zeta=[0.0, 0.01])
    xt.CrabCavity(crab_voltage=3e6, frequency=400e6, lag=90).track(p)
    k = 2 * np.pi * 400e6 / 299792458.0
    np.testing.assert_allclose(p.px, 3e6 / 7e12 * np.sin(np.pi / 2 - k * p.zeta / p.beta0), rtol=1e-13)
    assert p.ptau[0] == 0  # x = 0: no energy change



def test_rf_multipole_transverse_kick_against_numpy():
    from math import factorial
    x = np.array([1e-3, -2e-3, 0.5e-3]); y = np.array([2e-3, 1e-3, -1e-3])
    zeta = np.array([0.0, 0.1, -0.2])
    knl, ksl = [1e-4, 0.02, 0.5], [0, 0.01, 0.1]
    pn, ps = np.array([10.0, 20.0, 0.0]), np.array([0.0, 5.0, 60.0])
    f = 400e6
    p = xt.Particles(p0c=26e9, x=x, y=y, zeta=zeta)
    xt.RFMultipole(knl=knl, ksl=ksl, pn=pn, ps=ps, frequency=f).track(p)
    k = 2 * np.pi * f / 299792458.0
    tau = zeta / p.beta0[0]
    z = x + 1j * y
    total = sum((knl[n] * np.cos(np.deg2rad(pn[n]) - k * tau) + 1j * ksl[n] * np.cos(np.deg2rad(ps[n]) - k * tau))
                * z**n / factorial(n) for n in range(3))
    np.testing.assert_allclose(p.px, -total.real, rtol=1e-13, atol=1e-22)
    np.testing.assert_allclose(p.py, total.imag, rtol=1e-13, atol=1e-22)


def test_rf_multipole_pads_arrays_and_sets_order():
    m = xt.RFMultipole(knl=[0, 0.01], phase_n=[0, 0.5], frequency=400e6)
    assert m.order == 5
    assert len(m.knl) == len(m.ksl) == len(m.pn) == len(m.phase_s) == 6
    m = xt.RFMultipole(knl=[0] * 8)
    assert m.order == 7
    m = xt.RFMultipole(knl=[1.0], order=9)
    assert m.order == 9 and len(m.ps) == 10


@pytest.mark.parametrize("element", [
    xt.Cavity(voltage=1e6, frequency=400e6, lag=120, length=0.5, model="drift-kick-drift-exact",
              integrator="yoshida-4", num_kicks=3, harmonic=0),
    xt.CrabCavity(crab_voltage=1e6, frequency=400e6, lag=30, length=0.5),
    xt.RFMultipole(knl=[1e-5, 0, 0.5], ksl=[0, 2e-3], phase_n=[0.2, 0, 1], voltage=1e5, phase=0.3,
                   frequency=2e8, shift_x=1e-4, rot_s_rad=0.1),
])
def test_rf_dict_json_round_trip(element):
    dct = json.loads(json.dumps(element.to_dict()))
    again = type(element).from_dict(dct)
    kwargs = dict(p0c=26e9, x=[1e-3, -1e-3], px=[1e-4, 0], y=[5e-4, 2e-3], zeta=[0.05, -0.1],
                  delta=[1e-3, -2e-3])
    p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
    element.track(p1)
    again.track(p2)
    for name in ("x", "px", "y", "py", "zeta", "delta", "s"):
        assert np.all(getattr(p1, name) == getattr(p2, name)), name
    assert again.to_dict() == element.to_dict()


def test_rf_bad_input():
    with pytest.raises(TypeError, match="voltag"):
        xt.Cavity(voltag=1e6)
    with pytest.raises(ValueError, match="model must be one of"):
        xt.Cavity(model="drift-kick-drift-exakt")
    with pytest.raises(ValueError, match="integrator must be one of"):
        xt.CrabCavity(integrator="yoshida-5")
    with pytest.raises(ValueError, match="num_kicks"):
        xt.Cavity(num_kicks=-1)
    with pytest.raises(ValueError, match="order"):
        xt.RFMultipole(knl=[1.0], order=-2)
    with pytest.raises(TypeError):
        xt.RFMultipole(kn=[1.0])
