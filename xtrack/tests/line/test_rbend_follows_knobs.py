"""An RBend keeps its straight length: a knob on its angle changes the arc length,
and a line regenerated from its composer places it with the new length."""

import numpy as np

import xtrack as xt


def _arc(length_straight, angle):
    # chord c, angle a: arc = c * (a/2) / sin(a/2)
    return length_straight * (angle / 2) / np.sin(angle / 2)


def test_rbend_arc_length_follows_angle_and_straight_length():
    env = xt.Environment()
    env["ang"] = 0.5
    env["ls"] = 1.0
    env.new("rb", "RBend", length_straight="ls", angle="ang")
    np.testing.assert_allclose(env.get("rb").length, _arc(1.0, 0.5), rtol=1e-15)
    env["ang"] = 0.4
    np.testing.assert_allclose(env.get("rb").length, _arc(1.0, 0.4), rtol=1e-15)
    env["ls"] = 2.0
    np.testing.assert_allclose(env.get("rb").length, _arc(2.0, 0.4), rtol=1e-15)
    # a dict keeps the arc length as it is
    rb = xt.RBend.from_dict(env.get("rb").to_dict())
    assert rb.length == env.get("rb").length and rb.length_straight == 2.0


def test_regenerated_composer_line_recentres_the_rbend():
    env = xt.Environment()
    env["ang"] = 0.5
    line = env.new_line(compose=True, length=10.0)
    line.new("rb", "RBend", length_straight=1, angle="ang", at=5.0)
    env["ang"] = 0.4
    line.regenerate_from_composer()
    tt = line.get_table()
    half = _arc(1.0, 0.4) / 2
    np.testing.assert_allclose(tt["s_center", "rb"], 5.0, atol=1e-12)
    np.testing.assert_allclose(tt["s_start", "rb"], 5.0 - half, atol=1e-12)
    np.testing.assert_allclose(line.get_length(), 10.0, atol=1e-12)
