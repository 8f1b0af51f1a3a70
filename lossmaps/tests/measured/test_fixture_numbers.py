"""The BLM fixture's expected numbers, loaded from local files (no Spark)."""

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.measured import MeasuredLossMap

# The expected numbers were computed in double precision from the same values;
# only summation order differs, so 1e-9 relative is ample and still catches any
# definition change (background choice, ddof, window) by orders of magnitude.
RTOL = 1e-9


def _load(info, data, blm_files, **kwargs):
    lossmap = MeasuredLossMap(timestamp=info["timestamp_local"], lmtype=lm.LMType.B1H,
                              duration=info["duration_s"], bckgr_aq=info["bckgr_aq"], **kwargs)
    lossmap.load_data_files(data, **blm_files)
    return lossmap


@pytest.fixture(scope="module")
def default_map(measured_info, measured_dir, blm_files):
    return _load(measured_info, measured_dir / "blm_data_RS09.parquet", blm_files)


def _background_times(lossmap):
    losses = lossmap.losses
    times = pd.DatetimeIndex(losses.loc[losses["background"], "time"].unique()).sort_values()
    return [str(t) for t in times.tz_convert("UTC")]


def test_default_map_reproduces_fixture(default_map, expected_measured):
    expected = expected_measured["default"]
    assert _background_times(default_map) == expected["background_acquisitions_utc"]
    assert default_map.t_max_loss == pd.Timestamp(expected["t_max_loss_utc"])
    np.testing.assert_allclose(default_map.max_loss, expected["max_loss_coll_bgsub_Gy_s"], rtol=RTOL)
    at_peak = default_map.losses_at()
    coll = at_peak[at_peak["losses_type"] == lm.Losses.COLL]
    assert coll.loc[coll["losses"].idxmax(), "name"] == expected["max_loss_coll_blm"]
    np.testing.assert_allclose(at_peak["losses"].sum(), expected["total_loss_bgsub_at_tmax"], rtol=RTOL)
    np.testing.assert_allclose(at_peak["losses"].clip(lower=0).sum(),
                               expected["total_loss_bgsub_at_tmax_clipped"], rtol=RTOL)
    np.testing.assert_allclose(default_map.DS_inefficiency, expected["ds_ineff_coll_max"], rtol=RTOL)
    np.testing.assert_allclose(default_map.ds_inefficiency("total"), expected["ds_ineff_total"], rtol=RTOL)
    np.testing.assert_allclose(default_map.ds_inefficiency("max"), expected["ds_ineff_max"], rtol=RTOL)
    row = at_peak.lossmap.max_inefficiency_row(default_map.roi)
    assert row["name"] == expected["ds_blm"]
    np.testing.assert_allclose(row["s"], expected["ds_blm_dcum_m"], rtol=RTOL)


def test_raw_collimator_maximum_is_above_background_subtracted(default_map, expected_measured):
    raw = default_map.losses.lossmap.coll_max
    np.testing.assert_allclose(raw, expected_measured["default"]["max_loss_coll_raw_Gy_s"], rtol=RTOL)
    assert raw > default_map.max_loss


def test_background_std_two_population(default_map, expected_measured):
    expected = expected_measured["default_std2_ddof0"]
    np.testing.assert_allclose(default_map.ds_inefficiency(background_std=2),
                               expected["ds_ineff_coll_max"], rtol=RTOL)
    np.testing.assert_allclose(default_map.losses_at(background_std=2)["losses"].sum(),
                               expected["total_loss_bgsub_at_tmax"], rtol=RTOL)


def test_injected_fake_spike_is_found(default_map, expected_measured):
    spike = expected_measured["injected_fake_spike"]
    at_peak = default_map.losses_at()
    flagged = at_peak.lossmap.fake_spikes()
    assert spike["blm"] in set(flagged["name"])
    row = flagged[flagged["name"] == spike["blm"]].iloc[0]
    np.testing.assert_allclose(row["losses"], spike["ineff_coll_max"], rtol=RTOL)
    # Neighbours in s: their normalised losses are the fixture's, far below the spike.
    np.testing.assert_allclose(sorted([row["losses_prev"], row["losses_next"]]),
                               sorted(spike["neighbour_ineff_coll_max"]), rtol=1e-6)


def test_alternative_background_start(measured_info, measured_dir, blm_files, expected_measured):
    expected = expected_measured["alt_tback_start"]
    lossmap = _load(measured_info, measured_dir / "LHC.BLMI_LOSS_RS09.nxcals.parquet", blm_files,
                    tback_start=measured_info["alt_tback_start_local"])
    assert _background_times(lossmap) == expected["background_acquisitions_utc"]
    assert lossmap.t_max_loss == pd.Timestamp(expected["t_max_loss_utc"])
    np.testing.assert_allclose(lossmap.DS_inefficiency, expected["ds_ineff_coll_max"], rtol=RTOL)


def test_old_style_peak_timestamp(measured_dir, blm_files, expected_measured):
    """Pre-2020 maps are named by the peak time; the window starts `shift` s earlier."""
    expected = expected_measured["alt_tback_start"]
    lossmap = MeasuredLossMap.from_old_style("2024-05-21 14:03:38", tback_start="2024-05-21 14:03:15",
                                             lmtype=lm.LMType.B1H, shift=5, duration=15)
    assert lossmap.timestamp == pd.Timestamp("2024-05-21 14:03:33", tz="Europe/Zurich")
    lossmap.load_data_files(measured_dir / "blm_data_RS09.parquet", **blm_files)
    assert lossmap.t_max_loss == pd.Timestamp(expected["t_max_loss_utc"])
    np.testing.assert_allclose(lossmap.DS_inefficiency, expected["ds_ineff_coll_max"], rtol=RTOL)


def test_both_file_layouts_and_csv_agree(default_map, measured_info, measured_dir, blm_files, tmp_path):
    frame = pd.read_parquet(measured_dir / "blm_data_RS09.parquet")
    csv = tmp_path / "blm.csv"
    frame.assign(vals=[("[" + ",".join(repr(float(v)) for v in row) + "]") for row in frame["vals"]]).to_csv(
        csv, index=False)
    for data in (measured_dir / "LHC.BLMI_LOSS_RS09.nxcals.parquet", csv, frame):
        other = _load(measured_info, data, blm_files)
        pd.testing.assert_frame_equal(other.losses, default_map.losses)


def test_window_holds_only_window_and_background_rows(default_map, measured_info, expected_measured):
    times = default_map.losses.lossmap.timestamps
    assert len(times) == expected_measured["n_acquisitions_in_window"]
    assert times.tz is not None and str(times.tz) == "Europe/Zurich"
    start = pd.Timestamp(measured_info["timestamp_utc"])
    assert times.min() >= start and times.max() <= start + pd.Timedelta(seconds=30)
    assert default_map.losses["name"].nunique() == expected_measured["n_blm"]
    assert default_map.BLM_integration_time is lm.BLMintegrated.RS_1s31072
