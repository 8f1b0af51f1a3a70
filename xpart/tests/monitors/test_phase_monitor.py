"""PhaseMonitor: tunes of single particles from the normalised phases of a known linear map."""

from types import SimpleNamespace

import numpy as np
import pytest
from numpy.testing import assert_allclose

import xpart as xp


def _block(beta, alpha):
    sb = np.sqrt(beta)
    return np.array([[sb, 0.], [-alpha / sb, 1. / sb]])


def _rot(q):
    c, s = np.cos(2 * np.pi * q), np.sin(2 * np.pi * q)
    return np.array([[c, s], [-s, c]])


def _optics(qx, qy):
    W = np.eye(6)
    W[:2, :2], W[2:4, 2:4] = _block(12., -1.3), _block(35., 0.7)
    rot = np.eye(6)
    rot[:2, :2], rot[2:4, 2:4] = _rot(qx), _rot(qy)
    co = np.array([1e-3, -2e-5, -0.5e-3, 3e-5, 0., 0.])
    tw = SimpleNamespace(W_matrix=W[None], x=[co[0]], px=[co[1]], y=[co[2]], py=[co[3]],
                         zeta=[0.], pzeta=[0.])
    return tw, W @ rot @ np.linalg.inv(W), co


@pytest.mark.parametrize("qx, qy", [(0.31, 0.18), (0.77, 0.62)])
def test_phase_monitor_recovers_the_tunes_of_a_linear_one_turn_map(qx, qy):
    tw, R, co = _optics(qx, qy)
    p = xp.Particles(p0c=26e9, x=co[0] + np.array([1e-4, 2e-4, -3e-4]), px=co[1],
                     y=co[2] + np.array([2e-4, -1e-4, 5e-5]), py=co[3])
    mon = xp.PhaseMonitor(num_particles=3, twiss=tw)
    assert np.all(np.isnan(mon.qx))  # no interval measured yet
    for _ in range(6):
        mon.measure(p)
        X = np.array([p.x, p.px, p.y, p.py, np.zeros(3), np.zeros(3)])
        X = co[:, None] + R @ (X - co[:, None])
        p.x, p.px, p.y, p.py = X[0], X[1], X[2], X[3]
    # tunes above 1/2 come out as they are (not 1 - q): the phase advances, it does not go back
    assert_allclose(mon.qx, qx, rtol=0, atol=1e-12)
    assert_allclose(mon.qy, qy, rtol=0, atol=1e-12)
    assert mon.phase_x.shape == (6, 3)


def test_phase_monitor_ignores_lost_and_out_of_range_particles():
    tw, R, co = _optics(0.2, 0.3)
    p = xp.Particles(p0c=26e9, x=co[0] + np.array([1e-4, 2e-4, 3e-4]), y=co[2] + 1e-4,
                     particle_id=[0, 1, 7])
    p.state[1] = 0
    mon = xp.PhaseMonitor(num_particles=2, twiss=tw)
    mon.measure(p)
    assert np.isfinite(mon.phase_x[0, 0]) and np.isnan(mon.phase_x[0, 1])


def test_phase_monitor_bad_input():
    tw, _, _ = _optics(0.2, 0.3)
    with pytest.raises(ValueError, match="num_particles"):
        xp.PhaseMonitor(num_particles=0, twiss=tw)
    with pytest.raises(ValueError, match="line=... or twiss="):
        xp.PhaseMonitor(num_particles=2)
