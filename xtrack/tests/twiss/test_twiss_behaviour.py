"""Twiss behaviour on a small ring: open vs periodic, closed orbit, table, errors."""

import numpy as np
import pytest


import xtrack as xt


@pytest.fixture(scope="module")
def tw4d(fodo):
    return fodo.twiss4d()


def test_open_twiss_from_periodic_init_reproduces_periodic_optics(fodo, tw4d):
    init = tw4d.get_twiss_init("qf.3")
    tw = fodo.twiss(method="4d", start="qf.3", end="qf.10", init=init)
    assert tw.name[0] == "qf.3" and tw.name[-1] == "qf.10"
    for col in ("betx", "bety", "dx", "mux", "muy"):
        np.testing.assert_allclose(tw[col][-1], tw4d[col, "qf.10"], rtol=1e-8, atol=1e-10)


def test_open_twiss_from_initial_values(fodo, tw4d):
    i = tw4d.get_twiss_init("qf.3")
    tw = fodo.twiss4d(start="qf.3", end="qf.10", betx=i.betx, alfx=i.alfx, bety=i.bety,
                      alfy=i.alfy, dx=i.dx, dpx=i.dpx)
    np.testing.assert_allclose(tw.betx[-1], tw4d["betx", "qf.10"], rtol=1e-8)
    np.testing.assert_allclose(tw.dx[-1], tw4d["dx", "qf.10"], rtol=1e-8)


def test_twiss_table_has_w_matrix_and_scalars(tw4d):
    assert tw4d.W_matrix.shape == (len(tw4d.name), 6, 6)
    assert tw4d.name[-1] == "_end_point"
    np.testing.assert_allclose(tw4d.mux[-1], tw4d.qx)
    assert tw4d.qs == 0.0 and tw4d.bets0 == 1.0
    # beta from W equals the column
    W = tw4d.W_matrix
    np.testing.assert_allclose(W[:, 0, 0] ** 2 + W[:, 0, 1] ** 2, tw4d.betx)


def test_closed_orbit_with_shifted_quadrupole_is_a_fixed_point(fodo):
    line = fodo.copy()
    line["qf.5"].shift_x = 1e-4
    line.build_tracker()
    co = line.find_closed_orbit(method="4d")
    assert abs(co.x[0]) > 1e-6
    p = co.copy()
    line.track(p, freeze_longitudinal=True)
    np.testing.assert_allclose([p.x[0], p.px[0]], [co.x[0], co.px[0]], atol=1e-11)


def test_build_particles_uses_twiss_normal_form(fodo, tw4d):
    p = fodo.build_particles(x_norm=[0.0, 1.0], nemitt_x=1e-6, nemitt_y=1e-6, method="4d")
    gemitt = 1e-6 / (tw4d.beta0 * tw4d.gamma0)
    np.testing.assert_allclose(p.x[1] - p.x[0], np.sqrt(tw4d.betx[0] * gemitt), rtol=1e-9)


def test_twiss_rejects_bad_arguments(fodo):
    with pytest.raises(ValueError, match="method must be one of"):
        fodo.twiss(method="5d")
    with pytest.raises(TypeError, match="did you mean 'delta0'"):
        fodo.twiss(delta00=1e-3)
    with pytest.raises(KeyError, match="close matches"):
        fodo.twiss(method="4d", start="qf.300", betx=1, bety=1)
    with pytest.raises(TypeError, match="unexpected keyword"):
        fodo.find_closed_orbit(co_gues=None)


def test_one_turn_matrix_steps_are_validated(fodo):
    with pytest.raises(KeyError, match="did you mean 'dx'"):
        fodo.compute_one_turn_matrix_finite_differences(np.zeros(6), steps_r_matrix={"ddx": 1e-6})
    with pytest.raises(ValueError, match="must be > 0"):
        fodo.compute_one_turn_matrix_finite_differences(np.zeros(6), steps_r_matrix={"dx": -1})


def test_open_twiss_takes_its_initial_conditions_from_a_table(fodo, tw4d):
    tw = fodo.twiss(method="4d", start="qf.3", end="qf.10", init=tw4d)
    for col in ("betx", "alfy", "dx", "muy"):
        np.testing.assert_allclose(tw[col][-1], tw4d[col, "qf.10"], rtol=1e-8, atol=1e-10)
    back = fodo.twiss(method="4d", start="qf.3", end="qf.10", init=tw4d, init_at="end")
    assert back.name[0] == "qf.3" and back.name[-1] == "qf.10"
    for col in ("betx", "alfx", "bety", "alfy", "dx", "dpx", "mux", "muy", "x", "px"):
        np.testing.assert_allclose(back[col], tw[col], rtol=1e-7, atol=1e-9, err_msg=col)
    with pytest.raises(NotImplementedError, match="neither the start nor the end"):
        fodo.twiss(method="4d", start="qf.3", end="qf.10", init=tw4d, init_at="qf.5")


def test_strengths_of_repeated_elements_and_their_prototypes():
    env = xt.Environment(particle_ref=xt.Particles(mass0=xt.PROTON_MASS_EV, p0c=1e9))
    env.new("q0", "Quadrupole", length=1.0, k1=0.1)
    env.new("q1", "q0")
    line = env.new_line(components=["q0", "q1", "q1"])
    tw = line.twiss(method="4d", betx=1, bety=1, strengths=True)
    assert list(tw.name) == ["q0", "q1::0", "q1::1", "_end_point"]
    np.testing.assert_allclose(tw.k1l, [0.1, 0.1, 0.1, 0.0])  # q1 rows find their element
    assert list(tw.prototype) == [None, "q0", "q0", None]
    assert "prototype" not in line.twiss(method="4d", betx=1, bety=1).keys()
