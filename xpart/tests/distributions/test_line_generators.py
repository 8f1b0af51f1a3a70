"""Generators that use a line, tested on a stand-in line with known optics.

Tolerances: 5 standard errors for the sample size (relative error of an
r.m.s. estimate ~ 1/sqrt(2N), of an emittance ~ 1/sqrt(N)).
"""

import numpy as np
import pytest

import xpart as xp
from xpart.constants import clight

from .standin_line import StandInLine

N = 100_000


def _longitudinal_kwargs(line):
    return dict(particle_ref=line.particle_ref, circumference=line.circumference,
                momentum_compaction_factor=line.momentum_compaction_factor,
                rf_harmonic=4620, rf_voltage=4.5e6, rf_phase=np.pi)


def _synchrotron_tune_and_eta(line):
    p = line.particle_ref
    eta = line.momentum_compaction_factor - 1 / p.gamma0[0] ** 2
    k = 2 * np.pi * 4620 / line.circumference
    a = p.q0 * 4.5e6 / (p.beta0[0] * p.p0c[0])
    return np.sqrt(abs(eta) * line.circumference * a * k) / (2 * np.pi), eta


def _track_rf(zeta, delta, line, turns):
    """Track with the reference non-linear map of the single-harmonic model (oracle)."""
    p = line.particle_ref
    eta = line.momentum_compaction_factor - 1 / p.gamma0[0] ** 2
    k = 2 * np.pi * 4620 / line.circumference
    a = p.q0 * 4.5e6 / (p.beta0[0] * p.p0c[0])
    for _ in range(turns):
        delta = delta + a * np.sin(np.pi - k * zeta)
        zeta = zeta - eta * line.circumference * delta
    return zeta, delta


def test_short_gaussian_bunch_follows_linear_synchrotron_motion():
    np.random.seed(21)
    line = StandInLine()
    sigma_z = 0.02  # << bucket half-length 0.75 m: linear regime
    zeta, delta = xp.generate_longitudinal_coordinates(line=line, num_particles=N, sigma_z=sigma_z)
    qs, eta = _synchrotron_tune_and_eta(line)
    sigma_delta = 2 * np.pi * qs * sigma_z / (abs(eta) * line.circumference)
    assert abs(np.std(zeta) / sigma_z - 1) < 5 / np.sqrt(2 * N)
    # non-linearity of the bucket at 0.02 m / 0.75 m: 1e-4 relative, below the sampling error
    assert abs(np.std(delta) / sigma_delta - 1) < 5 / np.sqrt(2 * N)
    assert abs(np.mean(zeta)) < 5 * sigma_z / np.sqrt(N)
    assert abs(np.corrcoef(zeta, delta)[0, 1]) < 5 / np.sqrt(N)


@pytest.mark.parametrize("distribution", ["gaussian", "parabolic"])
def test_long_bunch_is_stationary_in_the_nonlinear_bucket(distribution):
    np.random.seed(22)
    line = StandInLine()
    zeta, delta = xp.generate_longitudinal_coordinates(
        num_particles=N, distribution=distribution, sigma_z=0.2, **_longitudinal_kwargs(line))
    assert abs(np.std(zeta) / 0.2 - 1) < 5 / np.sqrt(2 * N)
    qs, _ = _synchrotron_tune_and_eta(line)
    z1, d1 = _track_rf(zeta, delta, line, turns=int(3 / qs))  # three synchrotron periods
    # the one-turn map's separatrix differs slightly from the smooth one: a
    # few 1e-4 of the Gaussian tail (2% of the peak density at the
    # separatrix for this bunch) leave the bucket and drift away
    inside = np.abs(z1) < line.circumference / (2 * 4620)
    assert np.mean(~inside) < 2e-3
    # a mismatched bunch would oscillate in size by tens of percent
    assert abs(np.std(z1[inside]) / np.std(zeta) - 1) < 10 / np.sqrt(2 * N)
    assert abs(np.std(d1[inside]) / np.std(delta) - 1) < 10 / np.sqrt(2 * N)


def test_parabolic_bunch_extent_and_bucket_limits():
    np.random.seed(23)
    line = StandInLine()
    zeta, _, matcher = xp.generate_longitudinal_coordinates(
        num_particles=N, distribution="parabolic", sigma_z=0.05, return_matcher=True,
        **_longitudinal_kwargs(line))
    # parabolic line density: half-length = sqrt(5) sigma_z (linear regime)
    assert abs(np.max(np.abs(zeta)) / (np.sqrt(5) * 0.05) - 1) < 0.01
    # stationary bucket: from -C/(2h) to C/(2h)
    np.testing.assert_allclose(matcher.zeta_range, np.array([-1, 1]) * line.circumference / (2 * 4620),
                               rtol=1e-9)
    with pytest.raises(ValueError, match="does not fit in the RF bucket"):
        xp.generate_longitudinal_coordinates(num_particles=10, sigma_z=1.0, **_longitudinal_kwargs(line))


def test_accelerating_bucket_is_shifted_and_shorter():
    np.random.seed(24)
    line = StandInLine()
    p = line.particle_ref
    gain = 1e6  # eV per turn, q V sin(phi_s) = gain
    p_increment = gain / (p.beta0[0] * clight) * 1.602176634e-19  # [kg m/s]
    zeta, _, matcher = xp.generate_longitudinal_coordinates(
        num_particles=N, sigma_z=0.02, p_increment=p_increment, return_matcher=True,
        **_longitudinal_kwargs(line))
    k = 2 * np.pi * 4620 / line.circumference
    # synchronous particle: sin(pi - k zeta_s) = gain / (q V)
    np.testing.assert_allclose(np.sin(np.pi - k * matcher.zeta_s), gain / 4.5e6, rtol=1e-12)
    assert abs(np.mean(zeta) - matcher.zeta_s) < 5 * 0.02 / np.sqrt(N)
    assert np.diff(matcher.zeta_range)[0] < line.circumference / 4620


def test_longitudinal_input_errors():
    line = StandInLine()
    with pytest.raises(ValueError, match="engine"):
        xp.generate_longitudinal_coordinates(line=line, num_particles=10, sigma_z=0.1, engine="pyheadtail")
    with pytest.raises(ValueError, match="distribution"):
        xp.generate_longitudinal_coordinates(line=line, num_particles=10, sigma_z=0.1, distribution="flat")
    with pytest.raises(ValueError, match="circumference"):
        xp.generate_longitudinal_coordinates(num_particles=10, sigma_z=0.1, mass0=1e9, q0=1, gamma0=10)


def test_matched_gaussian_bunch_has_the_requested_emittances():
    np.random.seed(25)
    line = StandInLine()
    nemitt = (2.5e-6, 1.5e-6)
    p = xp.generate_matched_gaussian_bunch(num_particles=N, nemitt_x=nemitt[0], nemitt_y=nemitt[1],
                                           sigma_z=0.1, total_intensity_particles=1e11, line=line)
    bg = line.particle_ref.beta0[0] * line.particle_ref.gamma0[0]
    o = line.optics
    x_beta = p.x - o["x"] - o["dx"] * p.delta
    for u, pu, bet, ne in ((x_beta, p.px - o["px"], o["betx"], nemitt[0]), (p.y, p.py, o["bety"], nemitt[1])):
        cov = np.cov(np.vstack([u, pu]))
        emit = np.sqrt(np.linalg.det(cov))
        assert abs(emit * bg / ne - 1) < 5 / np.sqrt(N)
        assert abs(cov[0, 0] / emit / bet - 1) < 10 / np.sqrt(N)
    assert abs(np.std(p.zeta) / 0.1 - 1) < 5 / np.sqrt(2 * N)
    np.testing.assert_allclose(p.weight, 1e11 / N)
    with pytest.raises(ValueError, match="nemitt_y"):
        xp.generate_matched_gaussian_bunch(num_particles=10, nemitt_x=1e-6, nemitt_y=None,
                                           sigma_z=0.1, line=line)


@pytest.mark.parametrize("side,cut", [("+", 3e-3), ("-", -1e-3)])
def test_pencil_with_absolute_cut_starts_at_the_jaw(side, cut):
    np.random.seed(26)
    line = StandInLine(dx=0.0)
    x1, x2 = xp.generate_2D_pencil_with_absolute_cut(
        N, plane="x", absolute_cut=cut, dr_sigmas=0.3, side=side, line=line,
        nemitt_x=2.5e-6, nemitt_y=2.5e-6, at_element="start")
    p = line.build_particles(x_norm=x1, px_norm=x2, nemitt_x=2.5e-6, nemitt_y=2.5e-6)
    bg = line.particle_ref.beta0[0] * line.particle_ref.gamma0[0]
    sigma = np.sqrt(line.optics["betx"] * 2.5e-6 / bg)
    x = p.x if side == "+" else -p.x
    jaw = cut if side == "+" else -cut
    # every particle beyond the jaw (round-off of the normalisation ~ 1e-18 m)
    assert x.min() >= jaw - 1e-15
    assert x.min() - jaw < 1e-3 * sigma
    assert x.max() <= jaw + 0.3 * sigma + 1e-15


def test_pencil_with_absolute_cut_at_match_at_s():
    np.random.seed(27)
    line = StandInLine(dx=0.0)
    tw = line.twiss()
    x1, x2 = xp.generate_2D_pencil_with_absolute_cut(
        20_000, plane="x", absolute_cut=4e-3, dr_sigmas=0.2, line=line, nemitt_x=2.5e-6,
        nemitt_y=2.5e-6, at_element="start", match_at_s=tw.s[1], twiss=tw)
    p = line.build_particles(x_norm=x1, px_norm=x2, nemitt_x=2.5e-6, nemitt_y=2.5e-6,
                             match_at_s=tw.s[1])
    x_at_cut = p.x + p.px * line.drift_length  # transported through the drift
    assert x_at_cut.min() >= 4e-3 - 1e-15
    with pytest.raises(ValueError, match="wrong side"):
        xp.generate_2D_pencil_with_absolute_cut(10, "x", -4e-3, 0.2, line=line, nemitt_x=1e-6)
    with pytest.raises(KeyError, match="no element named 'strat'"):
        xp.generate_2D_pencil_with_absolute_cut(10, "x", 4e-3, 0.2, line=line, nemitt_x=1e-6,
                                                at_element="strat")
