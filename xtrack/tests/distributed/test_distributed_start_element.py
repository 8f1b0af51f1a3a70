"""Particles generated at an element (pencils on a collimator, matched bunches at a
point) start there on the workers too: the distributed result equals the serial one."""

import numpy as np
import pytest

import xtrack as xt

COORDS = ("x", "px", "y", "py", "zeta", "delta", "s", "state", "at_turn", "at_element")


def _particles(line, index):
    rng = np.random.default_rng(11)
    n = 64
    return line.build_particles(x_norm=rng.normal(size=n), px_norm=rng.normal(size=n),
                                y_norm=rng.normal(size=n), py_norm=rng.normal(size=n),
                                nemitt_x=1e-6, nemitt_y=1e-6, at_element=index)


def test_distributed_tracking_starts_at_the_generation_element(client, fodo_dict):
    distributed_track = pytest.importorskip("xtrack.distributed").track
    line = xt.Line.from_dict(fodo_dict)
    line.build_tracker()
    index = len(line.element_names) // 2
    serial = _particles(line, index)
    spread = serial.copy()
    assert spread.start_tracking_at_element == index
    line.track(serial, num_turns=3)
    distributed_track(line, spread, num_turns=3, client=client, num_chunks=4, with_progress=False)
    assert spread.start_tracking_at_element == -1  # consumed, as by line.track
    order_s = np.argsort(np.array(serial.particle_id))
    order_d = np.argsort(np.array(spread.particle_id))
    for name in COORDS:
        np.testing.assert_array_equal(np.array(getattr(spread, name))[order_d],
                                      np.array(getattr(serial, name))[order_s], err_msg=name)


def test_ele_start_with_a_generation_mark_is_refused_before_anything_runs(client, fodo_dict):
    distributed_track = pytest.importorskip("xtrack.distributed").track
    line = xt.Line.from_dict(fodo_dict)
    line.build_tracker()
    particles = _particles(line, 5)
    before = np.array(particles.x).copy()
    with pytest.raises(ValueError, match="start_tracking_at_element"):
        distributed_track(line, particles, ele_start=3, client=client, with_progress=False)
    np.testing.assert_array_equal(np.array(particles.x), before)
    assert particles.start_tracking_at_element == 5
