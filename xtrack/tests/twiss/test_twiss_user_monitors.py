"""Optics tracking (twiss, closed orbit) must leave the user's monitors in the line untouched."""

import numpy as np
from numpy.testing import assert_allclose, assert_equal

import xtrack as xt
from xpart import Particles


def _ring_with_monitors():
    # thin-lens FODO cell x 4 (stable: |k1 L| * half-cell < 2), monitors of every kind at the start
    stats = xt.BeamStatsMonitor(start_at_turn=0, stop_at_turn=3, stats=["num_particles", "mean_x"])
    tbt = xt.ParticlesMonitor(start_at_turn=0, stop_at_turn=3, num_particles=4)
    bpm = xt.BeamPositionMonitor(start_at_turn=0, stop_at_turn=3)
    cell = [xt.Drift(length=2.), xt.Multipole(knl=[0., 0.3]), xt.Drift(length=2.),
            xt.Multipole(knl=[0., -0.3])]
    line = xt.Line(elements=[stats, tbt, bpm] + cell * 4)
    line.particle_ref = Particles(p0c=1e9, mass0=xt.PROTON_MASS_EV)
    line.build_tracker()
    return line, stats, tbt, bpm


def test_twiss_and_closed_orbit_do_not_record_into_user_monitors():
    line, stats, tbt, bpm = _ring_with_monitors()
    tw = line.twiss(method="4d")
    assert 0 < tw.qx < 4 and 0 < tw.qy < 4
    line.find_closed_orbit(method="4d")
    assert_equal(stats.num_particles, [0., 0., 0.])
    assert_equal(bpm.count, [0, 0, 0])
    assert np.all(np.asarray(tbt.at_turn) == 0) and np.all(np.asarray(tbt.x) == 0)
    # the flag is an optics-only switch: restored after the calls
    assert not line.tracker.track_flags.XS_FLAG_IGNORE_MONITORS

    # tracking the user's beam afterwards records exactly that beam
    x = np.array([1e-3, -2e-3, 0.5e-3, 3e-3])
    p = line.build_particles(x=x, weight=[1., 2., 3., 4.])
    line.track(p, num_turns=3)
    assert_allclose(stats.num_particles, [10., 10., 10.])
    assert_allclose(stats.mean_x[0], np.sum(x * [1, 2, 3, 4]) / 10., rtol=1e-13)
    assert_equal(bpm.count, [4, 4, 4])
    assert_allclose(np.asarray(tbt.x)[:, 0], x, rtol=0, atol=0)
