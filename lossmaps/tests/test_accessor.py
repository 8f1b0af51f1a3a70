"""The .lossmap accessor on canonical tables (simulated and time-resolved)."""

import types

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.table import make_losses_table

L = lm.Losses


@pytest.fixture
def sim_table():
    # a collimator of 0.5 m with 10 particles (20 /m), two aperture bins of 0.1 m
    return make_losses_table(s=[100.0, 150.05, 990.05], name=["tcp", "mq", "mb"],
                             length=[0.5, 0.1, 0.1], losses_type=[L.COLL, L.COLD, L.WARM],
                             losses=[20.0, 30.0, 10.0])


@pytest.fixture
def blm_table():
    """Seven monitors, five acquisitions; the first three are background."""
    times = pd.date_range("2024-05-21 12:00:00", periods=5, freq="1s", tz="UTC")
    signal = {"coll": [1.0, 1.2, 0.8, 50.0, 20.0],
              "cold": [0.1, 0.1, 0.1, 0.6, 0.2],
              "spike": [0.0, 0.0, 0.0, 9.0, 0.0],
              "arc1": [0.1] * 5, "arc2": [0.1] * 5, "arc3": [0.1] * 5, "arc4": [0.1] * 5}
    s = {"coll": 10.0, "cold": 20.0, "arc1": 30.0, "arc2": 40.0, "spike": 50.0, "arc3": 60.0,
         "arc4": 70.0}
    kind = {n: L.COLD for n in s} | {"coll": L.COLL}
    rows = [(s[n], n, kind[n], v, t, i < 3) for n in signal for i, (v, t) in
            enumerate(zip(signal[n], times))]
    frame = make_losses_table(s=[r[0] for r in rows], name=[r[1] for r in rows],
                              length=[np.nan] * len(rows), losses_type=[r[2] for r in rows],
                              losses=[r[3] for r in rows], time=[r[4] for r in rows])
    frame["background"] = [r[5] for r in sorted(rows, key=lambda r: (r[0], r[4]))]
    return frame


def test_missing_columns_are_listed():
    with pytest.raises(AttributeError, match="missing columns: length, losses_type"):
        pd.DataFrame({"s": [1.0], "name": ["a"], "losses": [1.0]}).lossmap.total_loss


def test_totals_maxima_and_norms(sim_table):
    acc = sim_table.lossmap
    assert acc.total_loss == pytest.approx(10 + 3 + 1)  # integrated counts
    assert acc.max_loss == 30.0 and acc.coll_max == 20.0 and acc.coll_max_name == "tcp"
    assert acc.max_loss_per_type.to_dict() == {L.COLL: 20.0, L.COLD: 30.0, L.WARM: 10.0}
    assert acc.normalisation("total") == pytest.approx(14.0)
    assert acc.normalisation("none") == 1.0
    with pytest.raises(ValueError, match="norm must be one of .*got 'peak'"):
        acc.inefficiency("peak")


def test_inefficiency_returns_new_frames(sim_table):
    before = sim_table.copy()
    ineff = sim_table.lossmap.inefficiency("coll_max")
    np.testing.assert_allclose(ineff["losses"], [1.0, 1.5, 0.5])
    pd.testing.assert_frame_equal(sim_table, before)
    by_type = sim_table.lossmap.inefficiency_by_type("max")
    assert set(by_type) == {L.COLL, L.COLD, L.WARM}
    np.testing.assert_allclose(by_type[L.WARM]["losses"], [10.0 / 30.0])
    np.testing.assert_allclose(sim_table.lossmap.data_background_sub(2)["losses"], before["losses"])


def test_max_inefficiency_roi_types_and_wrap(sim_table):
    acc = sim_table.lossmap
    assert acc.max_inefficiency((0, 500)) == pytest.approx(1.5)  # cold only, collimator excluded
    assert acc.max_inefficiency((900, 1000)) == 0.0  # the warm bin is not a DS loss
    assert acc.max_inefficiency((900, 1000), types=[L.WARM]) == pytest.approx(0.5)
    assert acc.max_inefficiency((980, 120), types=[L.WARM, L.COLL]) == pytest.approx(1.0)  # wraps
    with pytest.raises(ValueError, match="roi must be a pair"):
        acc.max_inefficiency(5.0)


def test_background_subtraction_population_and_sample_std(blm_table):
    coll_bg = np.array([1.0, 1.2, 0.8])
    for ddof in (0, 1):
        sub = blm_table.lossmap.data_background_sub(background_std=2, ddof=ddof)
        peak = sub[(sub["name"] == "coll")]["losses"].to_numpy()
        level = coll_bg.mean() + 2 * coll_bg.std(ddof=ddof)
        np.testing.assert_allclose(peak, [1.0, 1.2, 0.8, 50.0, 20.0] - level)
    with pytest.raises(ValueError, match="background_std must be a number >= 0"):
        blm_table.lossmap.data_background_sub(-1)


def test_fake_spike_is_isolated_signal(blm_table):
    spikes = blm_table.lossmap.fake_spikes(norm="coll_max", threshold=1e-4, ratio=2)
    assert list(spikes["name"]) == ["spike"]
    np.testing.assert_allclose(spikes[["losses_prev", "losses_next", "losses_neighbours"]],
                               [[0.0, 0.0, 0.0]], atol=1e-15)  # background-mean round-off
    # the collimator monitor (the loss source) is never a fake spike, even isolated
    assert blm_table.lossmap.fake_spikes(threshold=0.5).empty
    # simulated tables have no instrument spikes
    assert make_losses_table([1.0], ["a"], [0.1], L.COLD, [5.0]).lossmap.fake_spikes().empty
    with pytest.raises(ValueError, match="neighbours must be an integer >= 1"):
        blm_table.lossmap.fake_spikes(neighbours=0)


def test_shower_peak_is_not_a_spike_with_two_neighbours():
    # m3 and m1 shower onto each other (second neighbours): genuine peaks, not spikes
    values = [0.01, 0.06, 0.01, 0.1, 0.04, 0.01, 0.01, 0.01]
    table = make_losses_table(np.arange(8.0), [f"m{i}" for i in range(8)], [np.nan] * 8, L.COLD,
                              values, time=[pd.Timestamp("2024-01-01", tz="UTC")] * 8)
    assert list(table.lossmap.fake_spikes("none", neighbours=1)["name"]) == ["m1", "m3"]
    assert table.lossmap.fake_spikes("none", neighbours=2).empty


@pytest.mark.parametrize("name", ["timestamps", "total_loss_per_time", "max_loss_per_time",
                                  "t_max_loss", "max_loss_per_time_per_type", "t_max_loss_per_type"])
def test_per_time_properties_are_measured_only(sim_table, name):
    with pytest.raises(lm.MeasuredOnlyError, match="measured loss maps only"):
        getattr(sim_table.lossmap, name)


def test_per_time_methods_delegate_to_measured_module(blm_table, monkeypatch):
    calls = []

    def fake(name):
        def function(frame):
            calls.append((name, len(frame)))
            return pd.Series([2.0] * 5, index=pd.DatetimeIndex(frame["time"].unique()))
        return function

    module = types.SimpleNamespace(**{n: fake(n) for n in (
        "timestamps", "total_loss_per_time", "max_loss_per_time", "t_max_loss",
        "max_loss_per_time_per_type", "t_max_loss_per_type", "total_per_time",
        "coll_max_per_time", "max_per_time")})
    monkeypatch.setitem(__import__("sys").modules, "lossmaps.measured.per_time", module)
    assert blm_table.lossmap.total_loss_per_time.iloc[0] == 2.0
    ineff = blm_table.lossmap.inefficiency("coll_max_per_time")
    np.testing.assert_allclose(ineff["losses"], blm_table.lossmap.data_background_sub()["losses"] / 2)
    assert ("coll_max_per_time", 35) in calls and ("total_loss_per_time", 35) in calls


def test_at_time_selects_nearest_acquisition(blm_table):
    rows = blm_table.lossmap.at_time("2024-05-21 14:00:03.3")  # naive = Europe/Zurich (UTC+2)
    assert len(rows) == 7
    assert (rows["time"] == pd.Timestamp("2024-05-21 12:00:03", tz="UTC")).all()
