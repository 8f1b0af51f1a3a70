"""RF systems found in a line (cavities with a harmonic, lumped maps) and matcher outputs."""

from types import SimpleNamespace

import numpy as np
import pytest

import xpart as xp
from xpart.constants import clight
from xpart.distributions.line_data import rf_parameters

from .standin_line import StandInLine

C, H, V = 6911.5, 4620, 4.5e6


def _beta0():
    return StandInLine().particle_ref.beta0[0]


def _frequency(h):
    return h * _beta0() * clight / C


def test_cavity_harmonic_wins_over_a_zero_frequency():
    # a cavity declared by harmonic (frequency 0) as xtrack lines store it
    cav = SimpleNamespace(voltage=V, frequency=0.0, lag=180.0, harmonic=float(H))
    h, v, ph = rf_parameters(SimpleNamespace(elements=[cav]), _beta0(), C)
    assert (h, v, ph) == (H, V, np.pi)


def test_lumped_map_rf_lists_give_harmonic_voltage_and_phase():
    # LineSegmentMap shape: lists; phase_rf [rad] adds to lag_rf [deg]; zero voltage ignored
    seg = SimpleNamespace(voltage_rf=[V / 2, 0.0], frequency_rf=[_frequency(H), 1.0],
                          lag_rf=[90.0, 0.0], phase_rf=[np.pi / 2, 0.0])
    cav = SimpleNamespace(voltage=V / 2, frequency=_frequency(H), lag=180.0)
    h, v, ph = rf_parameters(SimpleNamespace(elements=[seg, cav]), _beta0(), C)
    assert h == pytest.approx(H, rel=1e-12)
    assert v == V
    assert ph == pytest.approx(np.pi, rel=1e-15)


def test_two_harmonics_are_refused_naming_both():
    cavs = [SimpleNamespace(voltage=V, frequency=0.0, lag=180.0, harmonic=h) for h in (H, 2 * H)]
    with pytest.raises(ValueError, match=r"one RF harmonic.*4620.0, 9240.0"):
        rf_parameters(SimpleNamespace(elements=cavs), _beta0(), C)


def test_unpowered_line_is_refused():
    cav = SimpleNamespace(voltage=0.0, frequency=_frequency(H), lag=180.0)
    with pytest.raises(ValueError, match="no RF cavity with voltage"):
        rf_parameters(SimpleNamespace(elements=[cav]), _beta0(), C)


def _matcher(distribution="parabolic", sigma_z=0.2):
    line = StandInLine()
    p = line.particle_ref
    m = xp.SingleRFHarmonicMatcher(q0=p.q0, beta0=p.beta0[0], gamma0=p.gamma0[0], p0c=p.p0c[0],
                                   circumference=C, momentum_compaction_factor=1.92e-3,
                                   rf_harmonic=H, rf_voltage=V, rf_phase=np.pi)
    m.match(distribution, sigma_z)
    return m, p


def test_synchrotron_tune_equals_the_small_amplitude_tune_of_the_map():
    m, p = _matcher()
    # track one small oscillation with the model map and count its turns (oracle)
    eta = 1.92e-3 - 1 / p.gamma0[0] ** 2
    k, a = 2 * np.pi * H / C, p.q0 * V / (p.beta0[0] * p.p0c[0])
    zeta, delta, turns = 1e-6, 0.0, 20_000
    z = np.empty(turns)
    for i in range(turns):
        delta += a * np.sin(np.pi - k * zeta)
        zeta -= eta * C * delta
        z[i] = zeta
    crossings = np.flatnonzero(np.diff(np.sign(z)) != 0)
    measured = (len(crossings) - 1) / 2 / (crossings[-1] - crossings[0])
    assert m.get_synchrotron_tune() == pytest.approx(measured, rel=1e-3)


def test_tau_line_density_is_a_normalised_pdf_matching_the_samples():
    np.random.seed(5)
    m, p = _matcher()
    tau, pdf = m.tau_distr_x, m.tau_distr_y
    assert np.allclose(np.diff(tau), tau[1] - tau[0], rtol=1e-9)
    assert np.trapezoid(pdf, tau) == pytest.approx(1.0, rel=1e-12)
    zeta, _ = m.generate(200_000)
    mean = np.trapezoid(pdf * tau, tau)
    rms = np.sqrt(np.trapezoid(pdf * (tau - mean) ** 2, tau))
    assert rms == pytest.approx(0.2 / p.beta0[0], rel=1e-6)  # the matched sigma_z, in tau
    assert np.std(zeta / p.beta0[0]) == pytest.approx(rms, rel=1e-2)


def test_tau_density_before_match_is_refused():
    line = StandInLine()
    p = line.particle_ref
    m = xp.SingleRFHarmonicMatcher(q0=1, beta0=p.beta0[0], gamma0=p.gamma0[0], p0c=p.p0c[0],
                                   circumference=C, momentum_compaction_factor=1.92e-3,
                                   rf_harmonic=H, rf_voltage=V, rf_phase=np.pi)
    with pytest.raises(RuntimeError, match="call match"):
        m.tau_distr_y
