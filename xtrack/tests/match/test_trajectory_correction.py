"""Orbit and trajectory correction on a FODO lattice with misaligned quadrupoles."""

import numpy as np
import pytest

import xtrack as xt


def _fodo_lattice(n_cells=6):
    env = xt.Environment()
    env.particle_ref = xt.Particles(p0c=2e9, mass0=xt.PROTON_MASS_EV)
    env.vars({"kqf": 0.2, "kqd": -0.2})
    components = [env.new("line.start", "Marker", at=0.0)]
    for i in range(n_cells):
        s0 = 10.0 * i
        components += [
            env.new(f"bpm.f.{i}", "Marker", at=s0 + 0.1),
            env.new(f"mcb.h.{i}", "Multipole", knl=[0.0], ksl=[0.0], at=s0 + 0.2),
            env.new(f"mqf.{i}", "Quadrupole", length=0.5, k1="kqf", at=s0 + 0.75),
            env.new(f"bpm.d.{i}", "Marker", at=s0 + 5.1),
            env.new(f"mcb.v.{i}", "Multipole", knl=[0.0], ksl=[0.0], at=s0 + 5.2),
            env.new(f"mqd.{i}", "Quadrupole", length=0.5, k1="kqd", at=s0 + 5.75),
        ]
    components.append(env.new("line.end", "Marker", at=10.0 * n_cells))
    line = env.new_line(components=components)
    # as many monitors as correctors per plane: the orbit at the monitors can be zeroed
    line.steering_monitors_x = [n for n in line.element_names if n.startswith("bpm.f")]
    line.steering_monitors_y = [n for n in line.element_names if n.startswith("bpm.d")]
    line.steering_correctors_x = [n for n in line.element_names if n.startswith("mcb.h")]
    line.steering_correctors_y = [n for n in line.element_names if n.startswith("mcb.v")]
    return line


def _misalign(line, seed, rms):
    rng = np.random.RandomState(seed)
    for name in line.element_names:
        if name.startswith("mq"):
            line[name].shift_x = rng.randn() * rms
            line[name].shift_y = rng.randn() * rms


def test_closed_orbit_correction_reduces_the_orbit():
    line = _fodo_lattice()
    tw_ref = line.twiss4d()
    _misalign(line, 1, 1e-4)
    before = line.twiss4d()
    correction = line.correct_trajectory(twiss_table=tw_ref)
    after = line.twiss4d()
    bx, by = line.steering_monitors_x, line.steering_monitors_y
    assert np.std(before["x", bx]) > 1e-5
    assert np.max(np.abs(after["x", bx])) < 1e-3 * np.max(np.abs(before["x", bx]))
    assert np.max(np.abs(after["y", by])) < 1e-3 * np.max(np.abs(before["y", by]))
    kicks = correction.x_correction.get_kick_values()
    assert np.all(kicks != 0)
    correction.clear_correction_knobs()
    cleared = line.twiss4d()
    assert np.allclose(cleared.x, before.x, atol=1e-12, rtol=0)
    for name in line.steering_correctors_x:
        assert line[name].knl[0] == 0.0


def test_open_trajectory_correction_and_micado():
    line = _fodo_lattice()
    init = xt.TwissInit(betx=20.0, bety=5.0)
    tw_ref = line.twiss4d(start="line.start", end="line.end", init=init)
    _misalign(line, 2, 1e-4)
    before = line.twiss4d(start="line.start", end="line.end", init=init)
    correction = line.correct_trajectory(twiss_table=tw_ref, start="line.start", end="line.end",
                                         n_micado=3, n_iter=1)
    assert np.sum(correction.x_correction.get_kick_values() != 0) == 3
    correction.clear_correction_knobs()
    line.correct_trajectory(twiss_table=tw_ref, start="line.start", end="line.end")
    after = line.twiss4d(start="line.start", end="line.end", init=init)
    bx, by = line.steering_monitors_x, line.steering_monitors_y
    assert np.std(after["x", bx]) < 0.05 * np.std(before["x", bx])
    assert np.std(after["y", by]) < 0.05 * np.std(before["y", by])


def test_shifted_monitors_centre_the_orbit_on_them():
    line = _fodo_lattice()
    tw_ref = line.twiss4d()
    bx, by = line.steering_monitors_x, line.steering_monitors_y
    alignment = {name: {"shift_x": 2e-4, "shift_y": -1e-4} for name in bx + by}
    correction = line.correct_trajectory(twiss_table=tw_ref, monitor_alignment=alignment)
    tw = line.twiss4d()
    assert np.allclose(tw["x", bx], 2e-4, atol=1e-9)
    assert np.allclose(tw["y", by], -1e-4, atol=1e-9)
    assert np.allclose(correction.x_correction._position_after, 0, atol=1e-9)


def test_range_needs_both_ends():
    line = _fodo_lattice(2)
    with pytest.raises(ValueError, match="start and end"):
        xt.TrajectoryCorrection(line, start="line.start")
