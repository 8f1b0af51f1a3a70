"""Aggregating beam monitors: sampled position/size/profile monitors and BeamStatsMonitor."""

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_equal

import xtrack as xt
from xpart import Particles

C = 299792458.0


def _particles(**kwargs):
    return Particles(p0c=6.5e12, **kwargs)


# ---------------------------------------------------------------- sampled monitors
def test_position_monitor_samples_by_arrival_time():
    # two samples per turn: particles with zeta = -c/2 arrive half a turn late
    n = 8
    p = _particles(x=np.arange(n, dtype=float), y=-np.arange(n, dtype=float),
                   zeta=-C * np.tile([0.0, 0.5], n // 2))
    mon = xt.BeamPositionMonitor(num_particles=6, start_at_turn=0, stop_at_turn=2, frev=1.,
                                 sampling_frequency=2.)
    for turn in range(3):
        mon.track(p)
        p.at_turn += 1
    assert_equal(mon.count, [3, 3, 3, 3])
    assert_allclose(mon.x_sum, [0 + 2 + 4, 1 + 3 + 5] * 2)
    assert_allclose(mon.y_cen, -np.array([2., 3., 2., 3.]))
    assert_allclose(mon.x_mean, mon.x_cen)


def test_position_monitor_empty_samples_are_nan_and_range_selects_ids():
    p = _particles(x=[1., 2., 3.], particle_id=[0, 1, 2])
    mon = xt.BeamPositionMonitor(particle_id_range=(1, 3), stop_at_turn=2)
    mon.track(p)
    assert_equal(mon.count, [2, 0])
    assert_allclose(mon.x_cen[0], 2.5)
    assert np.isnan(mon.x_cen[1])


def test_size_monitor_variance():
    x = np.array([0.1, 0.3, -0.2, 0.5])
    mon = xt.BeamSizeMonitor(stop_at_turn=1)
    mon.track(_particles(x=x, y=2 * x))
    assert_allclose(mon.x_var, [np.var(x)], rtol=1e-12)
    assert_allclose(mon.y_std, [2 * np.std(x)], rtol=1e-12)
    assert_allclose(mon.x2_sum, [np.sum(x ** 2)])


def test_profile_monitor_matches_numpy_histogram():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=300), rng.normal(size=300)
    mon = xt.BeamProfileMonitor(stop_at_turn=1, n=20, x_range=4, y_range=(-3, 1))
    mon.track(_particles(x=x, y=y))
    assert_allclose(mon.x_intensity[0], np.histogram(x, bins=20, range=(-2, 2))[0])
    assert_allclose(mon.y_intensity[0], np.histogram(y, bins=20, range=(-3, 1))[0])
    assert_allclose(mon.x_edges, np.linspace(-2, 2, 21))
    assert_allclose(mon.y_grid, (mon.y_edges[1:] + mon.y_edges[:-1]) / 2)


@pytest.mark.parametrize("make", [
    lambda: xt.BeamPositionMonitor(stop_at_turn=10, num_particles=5),
    lambda: xt.BeamSizeMonitor(start_at_turn=2, stop_at_turn=4, frev=2., sampling_frequency=6.),
    lambda: xt.BeamProfileMonitor(stop_at_turn=3, nx=4, ny=5, x_range=(-1, 2), y_range=3,
                                  particle_id_range=(2, 9)),
])
def test_sampled_monitor_dict_round_trip(make):
    mon = make()
    dct = json.loads(json.dumps(mon.to_dict()))
    new = type(mon).from_dict(dct)
    assert new.to_dict() == mon.to_dict()
    a = mon._xobject._buffer.buffer[mon._xobject._offset:mon._xobject._offset + mon._xobject._size]
    b = new._xobject._buffer.buffer[new._xobject._offset:new._xobject._offset + new._xobject._size]
    assert np.array_equal(a, b)


def test_sampled_monitor_bad_input():
    with pytest.raises(ValueError, match="stop_at_turn"):
        xt.BeamPositionMonitor()
    with pytest.raises(ValueError, match="sampling_frequency"):
        xt.BeamPositionMonitor(stop_at_turn=1, sampling_frequency=0)
    with pytest.raises(ValueError, match="bins"):
        xt.BeamProfileMonitor(stop_at_turn=1, x_range=1, y_range=1)
    with pytest.raises(ValueError, match="x_range"):
        xt.BeamProfileMonitor(stop_at_turn=1, n=3, x_range=(1, -1), y_range=1)
    with pytest.raises(TypeError):
        xt.BeamPositionMonitor(stop_at_turn=1, not_a_parameter=3)


def test_sampled_monitor_in_line():
    mon = xt.BeamPositionMonitor(stop_at_turn=3)
    line = xt.Line(elements=[mon, xt.Drift(length=1.)])
    line.build_tracker()
    line.track(_particles(x=[1e-3, 3e-3]), num_turns=5)
    assert_equal(mon.count, [2, 2, 2])
    assert_allclose(mon.x_cen, [2e-3, 2e-3, 2e-3])


# -------------------------------------------------------------- BeamStatsMonitor
def test_stats_whole_beam_weighted_moments():
    x = np.array([1., 3., 10.])
    px = np.array([0.1, 0.2, -0.5])
    w = np.array([2., 1., 4.])
    mon = xt.BeamStatsMonitor(stop_at_turn=1, stats=["num_particles", "mean_x", "sigma_x",
                                                      "cov_x_px", "gemitt_x_projected"])
    mon.track(Particles(p0c=7e12, x=x, px=px, weight=w))
    mx, mpx = np.average(x, weights=w), np.average(px, weights=w)
    vx = np.average((x - mx) ** 2, weights=w)
    vpx = np.average((px - mpx) ** 2, weights=w)
    cxp = np.average((x - mx) * (px - mpx), weights=w)
    assert mon.available_levels == ("beam",)
    assert_allclose(mon.num_particles, [7.])
    assert_allclose(mon.mean_x, [mx])
    assert_allclose(mon.sigma_x, [np.sqrt(vx)])
    assert_allclose(mon.cov_x_px, [cxp])
    assert_allclose(mon.gemitt_x_projected, [np.sqrt(vx * vpx - cxp ** 2)])


def test_stats_bunches_and_slices():
    p = Particles(p0c=7e12, x=[1., 2., 10., 20.], zeta=[-0.3, 0.3, -10.3, -9.7])
    mon = xt.BeamStatsMonitor(stop_at_turn=1, num_bunches=2, bunch_spacing_zeta=10.,
                              zeta_range=(-1., 1.), num_slices=2, stats=["num_particles", "mean_x"])
    mon.track(p)
    assert mon.default_level == "slice"
    assert_allclose(mon.num_particles, [[[1., 1.], [1., 1.]]])
    assert_allclose(mon.get("mean_x", level="bunch"), [[1.5, 15.]])
    assert_allclose(mon.get("mean_x", level="beam", turn=0), 33. / 4.)
    assert_allclose(mon.zeta_centers, [[-0.5, 0.5], [-10.5, -9.5]])
    assert mon.slice_index(-9.7, slot=1) == 1


def test_stats_coasting_folds_by_line_length():
    mon = xt.BeamStatsMonitor(stop_at_turn=2, coasting=True, num_slices=2, line_length=4.,
                              stats=["num_particles", "mean_zeta"])
    p = Particles(p0c=7e12, zeta=[1., -1., 3.], at_turn=[0, 0, 0])
    mon.track(p)
    # zeta = 3 is ahead of the ring (> L/2): counted one turn earlier (dropped, turn -1)
    assert_allclose(mon.num_particles, [[1., 1.], [0., 0.]])
    p = Particles(p0c=7e12, zeta=[-3.], at_turn=[0])  # one turn late: turn 1, zeta 1
    mon.track(p)
    assert_allclose(mon.num_particles, [[1., 1.], [1., 0.]])
    assert_allclose(mon.mean_zeta, [[1., -1.], [1., 0.]])
    assert_allclose(mon.zeta_centers_unwrapped(), [[1., -1.], [-3., -5.]])


def test_stats_profiles_are_weighted_histograms():
    mon = xt.BeamStatsMonitor(stop_at_turn=1, stats=["num_particles"],
                              profiles={"delta": {"range": (-1e-3, 1e-3), "num_bins": 2}})
    mon.track(Particles(p0c=7e12, delta=[-5e-4, 5e-4, 2e-3], weight=[1., 3., 5.]))
    assert_allclose(mon.profiles["delta"], [[1., 3.]])
    assert_allclose(mon.num_particles, [9.])


def test_stats_normal_form_recovers_uncoupled_optics():
    from xtrack.beam_elements import _beam_stats as bs

    def block(beta, alpha):
        return np.array([[np.sqrt(beta), 0.], [-alpha / np.sqrt(beta), 1 / np.sqrt(beta)]])

    s = bs._symplectic_form()
    w = np.eye(6)
    w[0:2, 0:2], w[2:4, 2:4], w[4:6, 4:6] = block(2., 0.5), block(7., -1.), block(3., 0.1)
    assert_allclose(w.T @ s @ w, s, atol=1e-14)
    eps = np.array([1e-6, 2e-6, 3e-6])
    sigma = w @ np.diag(np.repeat(eps, 2)) @ w.T
    got_eps, got_w = bs.normal_form(sigma)
    assert_allclose(got_eps, eps, rtol=1e-12)
    assert_allclose(got_w, w, rtol=1e-10, atol=1e-14)


def test_stats_to_dict_is_configuration_and_round_trips():
    mon = xt.BeamStatsMonitor(start_at_turn=1, stop_at_turn=5, every_n_turns=2,
                              filled_slots=[0, 2], bunch_spacing_zeta=5., stats=["mean_x"],
                              particle_id_range=(0, 4))
    mon.track(Particles(p0c=7e12, x=[1.], at_turn=[1]))
    dct = mon.to_dict()
    assert "data" not in dct and "moments" not in dct
    new = xt.BeamStatsMonitor.from_dict(json.loads(json.dumps(dct)))
    assert new.to_dict() == dct  # tuples come back as tuples
    assert_equal(new.selected_slots, [0, 2])
    assert_allclose(new.get("num_particles", level="bunch"), np.zeros((2, 2)))


def test_stats_bad_input():
    with pytest.raises(ValueError, match="unknown statistic"):
        xt.BeamStatsMonitor(stop_at_turn=1, stats=["mean_q"])
    with pytest.raises(ValueError, match="bunch_spacing_zeta"):
        xt.BeamStatsMonitor(stop_at_turn=1, num_bunches=2)
    with pytest.raises(ValueError, match="level"):
        xt.BeamStatsMonitor(stop_at_turn=1).get("mean_x", level="slice")
    with pytest.raises(ValueError, match="not recorded"):
        xt.BeamStatsMonitor(stop_at_turn=1, stats=["num_particles"]).get("sigma_y")
    with pytest.raises(ValueError, match="turn 3"):
        xt.BeamStatsMonitor(stop_at_turn=2).record_index(3)
