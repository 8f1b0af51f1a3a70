"""A ring assembled from replicas closes in the survey as the ring of the parents does."""

import numpy as np

import xtrack as xt


def _square_ring(mode):
    env = xt.Environment()
    env.new("mb", xt.Bend, length=1.0, angle=np.pi / 2)
    env.new("d", xt.Drift, length=1.0)
    cell = env.new_line(components=["mb", "d"])
    ring = env.new_line(compose=True)
    for ii in range(4):
        ring.new(f"c.{ii}", cell, mode=mode)
    ring.end_compose()
    return ring


def test_replica_ring_survey_equals_clone_ring_survey():
    sv_rep = _square_ring("replica").survey()
    sv_clone = _square_ring("clone").survey()
    for col in ("X", "Y", "Z", "theta"):
        np.testing.assert_allclose(sv_rep[col], sv_clone[col], rtol=0, atol=1e-14)
    # closed: back at the origin after a full turn of 2 pi
    np.testing.assert_allclose([sv_rep.X[-1], sv_rep.Z[-1]], [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(sv_rep.theta[-1], -2 * np.pi, atol=1e-12)
    assert sv_rep["element_type", "mb.c.0"] == "Replica"  # the placed element's class
