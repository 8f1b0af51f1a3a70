"""BeamBeamBiGaussian2D: golden single-pass kicks, Bassetti-Erskine oracle, round limit,
symplecticity, strong-strong update, inputs."""

import json

import numpy as np
import pytest
import xtrack as xt
from scipy.special import wofz

import xfields as xf
from xfields._testing import jacobian, reference_mismatches, symplecticity_error, track_reference_case

P0C = 7e12
PROTON_MASS = 938272088.16
QELEM, EPSILON_0 = 1.60217662e-19, 8.854187817620e-12  # values of the reference data


def _cases(reference_dir):
    return json.loads((reference_dir / "xtrack" / "elements" / "BeamBeamBiGaussian2D.json")
                      .read_text())["cases"]


@pytest.mark.parametrize("rebuild", ["from_dict", "element_kwargs"])
def test_reference_single_pass(reference_dir, rebuild):
    failures = {}
    for case in _cases(reference_dir):
        got, expected = track_reference_case(xf.BeamBeamBiGaussian2D, case, rebuild)
        bad = reference_mismatches(got, expected)
        if bad:
            failures[case["id"]] = bad
    assert not failures


def bassetti_erskine(x, y, sigma_x, sigma_y):
    """(E_x, E_y) [V/m per C/m] of a unit-density Gaussian line charge, scipy's Faddeeva.

    M. Bassetti, G.A. Erskine, CERN-ISR-TH/80-06 (1980), for sigma_x > sigma_y;
    the other case by exchanging the planes.
    """
    if sigma_x < sigma_y:
        ey, ex = bassetti_erskine(y, x, sigma_y, sigma_x)
        return ex, ey
    s = np.sqrt(2 * (sigma_x ** 2 - sigma_y ** 2))
    ax, ay = np.abs(x), np.abs(y)
    w = (wofz((ax + 1j * ay) / s)
         - np.exp(-ax ** 2 / (2 * sigma_x ** 2) - ay ** 2 / (2 * sigma_y ** 2))
         * wofz((ax * sigma_y / sigma_x + 1j * ay * sigma_x / sigma_y) / s))
    f = w / (2 * EPSILON_0 * np.sqrt(np.pi) * s)
    return np.sign(x) * f.imag, np.sign(y) * f.real


def _kick(element, x, y):
    p = xt.Particles(p0c=P0C, mass0=PROTON_MASS, x=np.atleast_1d(x), y=np.atleast_1d(y))
    element.track(p)
    return np.asarray(p.px), np.asarray(p.py)


def _element(**kw):
    base = dict(other_beam_q0=1.0, other_beam_beta0=1.0, other_beam_num_particles=1.2e11)
    return xf.BeamBeamBiGaussian2D(**{**base, **kw})


@pytest.mark.parametrize("sigma_x, sigma_y", [(20e-6, 12e-6), (12e-6, 20e-6), (30e-6, 0.3e-6)])
def test_kick_is_bassetti_erskine(sigma_x, sigma_y):
    # dpx = q Q N E_x / (p0 c) for beta0 = beta_s = 1 (thin lens of a line charge)
    element = _element(other_beam_Sigma_11=sigma_x ** 2, other_beam_Sigma_33=sigma_y ** 2)
    rng = np.random.default_rng(4)
    x = rng.normal(0, 3 * sigma_x, 200)
    y = rng.normal(0, 3 * sigma_y, 200)
    px, py = _kick(element, x, y)
    ex, ey = bassetti_erskine(x, y, sigma_x, sigma_y)
    factor = 1.2e11 * QELEM / P0C
    # the kernel's Faddeeva (Weideman's, N = 36) is accurate to ~3e-14 relative
    np.testing.assert_allclose(px, factor * ex, rtol=1e-10, atol=1e-12 * np.max(np.abs(px)))
    np.testing.assert_allclose(py, factor * ey, rtol=1e-10, atol=1e-12 * np.max(np.abs(py)))


def test_round_beam_limit():
    # round Gaussian: E_r = (1 - exp(-r^2 / 2 sigma^2)) / (2 pi eps0 r); the elliptic
    # formula just above min_sigma_diff tends to it
    sigma = 16e-6
    r = np.array([0.1, 0.5, 1.0, 2.0, 5.0]) * sigma
    theta = 0.7
    x, y = r * np.cos(theta), r * np.sin(theta)
    e_r = (1 - np.exp(-r ** 2 / (2 * sigma ** 2))) / (2 * np.pi * EPSILON_0 * r)
    factor = 1.2e11 * QELEM / P0C
    round_px, round_py = _kick(_element(other_beam_Sigma_11=sigma ** 2, other_beam_Sigma_33=sigma ** 2), x, y)
    np.testing.assert_allclose(round_px, factor * e_r * np.cos(theta), rtol=1e-13)
    np.testing.assert_allclose(round_py, factor * e_r * np.sin(theta), rtol=1e-13)
    near = _element(other_beam_Sigma_11=sigma ** 2, other_beam_Sigma_33=(sigma * (1 + 1e-4)) ** 2)
    near_px, near_py = _kick(near, x, y)
    # first order in the 1e-4 asymmetry
    np.testing.assert_allclose(near_px, round_px, rtol=3e-4)
    np.testing.assert_allclose(near_py, round_py, rtol=3e-4)


def test_coupled_bunch_kick_is_rotated_upright_kick():
    theta, s_u, s_v = -0.4, 25e-6, 9e-6
    c, s = np.cos(theta), np.sin(theta)
    tilted = _element(other_beam_Sigma_11=c * c * s_u ** 2 + s * s * s_v ** 2,
                      other_beam_Sigma_33=s * s * s_u ** 2 + c * c * s_v ** 2,
                      other_beam_Sigma_13=c * s * (s_u ** 2 - s_v ** 2))
    upright = _element(other_beam_Sigma_11=s_u ** 2, other_beam_Sigma_33=s_v ** 2)
    x, y = np.array([1e-5, -3e-5, 4e-6]), np.array([2e-5, 1e-6, -7e-6])
    px, py = _kick(tilted, x, y)
    ku, kv = _kick(upright, c * x + s * y, -s * x + c * y)
    np.testing.assert_allclose(px, c * ku - s * kv, rtol=1e-12)
    np.testing.assert_allclose(py, s * ku + c * kv, rtol=1e-12)


def test_kick_is_symplectic():
    element = _element(other_beam_Sigma_11=(20e-6) ** 2, other_beam_Sigma_33=(12e-6) ** 2,
                       other_beam_Sigma_13=3e-11, ref_shift_x=2e-6, other_beam_shift_y=-3e-6)

    def track_point(point):
        p = xt.Particles(p0c=P0C, mass0=PROTON_MASS, **dict(zip(("x", "px", "y", "py"), point)))
        element.track(p)
        return np.array([p.x[0], p.px[0], p.y[0], p.py[0]])

    jac = jacobian(track_point, [1.5e-5, 1e-6, -0.9e-5, 2e-6], [1e-9, 1e-9, 1e-9, 1e-9])
    strength = np.max(np.abs(jac - np.eye(4)))
    assert strength > 1e-4  # the map is not the identity ...
    assert symplecticity_error(jac) < 1e-6 * strength  # ... and it is symplectic


def test_slower_beams_kick_with_the_velocity_factor():
    # dpx scales with (1 + beta0 beta_s) / (beta0 + beta_s) (electric plus magnetic force)
    element = _element(other_beam_Sigma_11=4e-10, other_beam_Sigma_33=4e-10)
    slow = _element(other_beam_Sigma_11=4e-10, other_beam_Sigma_33=4e-10, other_beam_beta0=0.5)
    p = xt.Particles(p0c=2e9, mass0=PROTON_MASS, x=[1e-5])
    q = p.copy()
    element.track(p)
    slow.track(q)
    beta0 = p.beta0[0]
    assert q.px[0] / p.px[0] == pytest.approx((1 + 0.5 * beta0) / (0.5 + beta0) * (beta0 + 1) / (1 + beta0),
                                              rel=1e-13)


def test_dict_round_trip():
    element = _element(other_beam_Sigma_11=4e-10, other_beam_Sigma_33=2e-10, scale_strength=0.3,
                       post_subtract_px=1e-8, ref_shift_y=1e-6)
    dct = element.to_dict()
    json.dumps(dct)
    again = xf.BeamBeamBiGaussian2D.from_dict(dct)
    assert again.to_dict() == dct
    assert np.array_equal(_kick(again, 1e-5, 2e-5), _kick(element, 1e-5, 2e-5))


def test_manual_defaults():
    element = xf.BeamBeamBiGaussian2D()
    assert (element.scale_strength, element.other_beam_beta0, element.other_beam_Sigma_11,
            element.other_beam_Sigma_33, element.min_sigma_diff) == (1.0, 1.0, 1.0, 1.0, 1e-10)
    assert not element.iscollective


def test_strong_strong_update_measures_the_partner():
    rng = np.random.default_rng(1)
    partner = xt.Particles(p0c=P0C, mass0=PROTON_MASS, x=rng.normal(2e-6, 15e-6, 5000),
                           y=rng.normal(-1e-6, 10e-6, 5000), weight=2e7)
    config = xf.ConfigForUpdateBeamBeamBiGaussian2D(partner_particles=partner, update_every=2)
    element = xf.BeamBeamBiGaussian2D(other_beam_q0=1.0, config_for_update=config)
    assert element.iscollective
    weak = xt.Particles(p0c=P0C, mass0=PROTON_MASS, x=[1e-6])
    element.track(weak)
    assert element.other_beam_num_particles == pytest.approx(5000 * 2e7)
    assert element.mean_x == pytest.approx(-np.mean(partner.x))  # counter-moving: x mirrored
    assert element.mean_y == pytest.approx(np.mean(partner.y))
    assert element.sigma_x == pytest.approx(np.std(partner.x))
    assert element.sigma_y == pytest.approx(np.std(partner.y))
    partner.x[:] = 0.0
    element.track(weak)  # not due (update_every=2): the bunch stays as measured
    assert element.mean_x != 0.0


@pytest.mark.parametrize("kw, error, message", [
    ({"other_beam_Sigma_11": -1e-10}, ValueError, "other_beam_Sigma_11 must be >= 0"),
    ({"other_beam_beta0": 1.5}, ValueError, r"other_beam_beta0=1.5 must be in \(0, 1\]"),
    ({"other_beam_Sigma_22": 1.0}, TypeError, "other_beam_Sigma_22"),
])
def test_bad_inputs_are_explained(kw, error, message):
    with pytest.raises(error, match=message):
        xf.BeamBeamBiGaussian2D(**kw)
    with pytest.raises(ValueError, match="update_every=0"):
        xf.ConfigForUpdateBeamBeamBiGaussian2D(update_every=0)
