"""Twiss ranges named by the k-th occurrence of a repeated element (``'m::2'``) and by
``xt.START`` / ``xt.END`` with a table as initial conditions."""

import numpy as np

import xtrack as xt


def _cells():
    env = xt.Environment()
    env["k"] = 0.5
    env.new("qf", xt.Quadrupole, length=1, k1="k")
    env.new("qd", xt.Quadrupole, length=1, k1="-k")
    env.new("d", xt.Drift, length=2)
    env.new("m", xt.Marker)
    line = env.new_line(components=["m", "qf", "d", "m", "qd", "d"] * 2 + ["m"])
    line.set_particle_ref("proton", p0c=1e9)
    return line


def test_range_by_occurrence_starts_at_that_occurrence():
    line = _cells()
    tw = line.twiss4d()
    part = line.twiss4d(start="m::1", end="m::3", init=tw)
    # the range starts at the second marker: same optics there as in the full table
    np.testing.assert_allclose(part.betx[0], tw["betx", "m::1"], rtol=1e-10)
    np.testing.assert_allclose(part.s[-1] - part.s[0], tw["s", "m::3"] - tw["s", "m::1"], atol=1e-12)


def test_start_and_end_markers_with_a_table_as_init():
    line = _cells()
    tw = line.twiss4d()
    again = line.twiss4d(start=xt.START, end=xt.END, init=tw)
    np.testing.assert_allclose(again.betx, tw.betx, rtol=0, atol=1e-10)
    assert tw.get_twiss_init(xt.END).element_name == "_end_point"
    assert tw.get_twiss_init(xt.START).element_name == tw.name[0]
