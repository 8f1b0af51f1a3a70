"""Time windows, daylight-saving changes, and clear errors for bad windows and input."""

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.measured import (
    BLMMetadataError,
    EmptyWindowError,
    LoggingServiceUnavailableError,
    MeasuredLossMap,
    MissingAcquisitionsError,
)
from lossmaps.timeconv import to_utc

T0 = "2024-05-21 14:03:20"


@pytest.fixture(scope="module")
def fixture_frame(measured_dir):
    return pd.read_parquet(measured_dir / "blm_data_RS09.parquet")


def _map(**kwargs):
    return MeasuredLossMap(**{"timestamp": T0, "lmtype": lm.LMType.B1H, **kwargs})


def test_empty_window_names_variable_and_window(fixture_frame, blm_files):
    lossmap = _map(timestamp="2024-05-21 15:00:00")
    with pytest.raises(EmptyWindowError, match=r"LHC\.BLMI:LOSS_RS09.*2024-05-21 15:00:00\+02:00"):
        lossmap.load_data_files(fixture_frame, **blm_files)
    assert lossmap.losses is None  # nothing installed by a failed load


def test_window_beyond_last_acquisition_is_missing_data(fixture_frame, blm_files):
    lossmap = _map(duration=40)  # the data end 35 s after T0
    with pytest.raises(MissingAcquisitionsError, match="missing in the loss-map window") as info:
        lossmap.load_data_files(fixture_frame, **blm_files)
    (gap_start, gap_end), = info.value.gaps
    assert gap_end == pd.Timestamp("2024-05-21 14:04:00", tz="Europe/Zurich")
    assert (gap_end - gap_start) > pd.Timedelta(seconds=4)


def test_gap_inside_window_is_missing_data(fixture_frame, blm_files):
    holed = fixture_frame.drop(index=[15, 16, 17])
    with pytest.raises(MissingAcquisitionsError) as info:
        _map().load_data_files(holed, **blm_files)
    assert len(info.value.gaps) == 1


def test_too_few_background_acquisitions(fixture_frame, blm_files):
    tback_start = pd.Timestamp("2024-05-21 14:03:50", tz="Europe/Zurich")
    left = int((fixture_frame["timestamp"] >= tback_start).sum())
    assert 0 < left < 10
    lossmap = _map(tback_start=tback_start)
    with pytest.raises(MissingAcquisitionsError, match="bckgr_aq=10") as info:
        lossmap.load_data_files(fixture_frame, **blm_files)
    assert (info.value.found, info.value.needed) == (left, 10)


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"duration": -1}, ValueError, "duration must be.*-1"),
        ({"bckgr_aq": 0}, ValueError, "bckgr_aq must be a positive.*0"),
        ({"timestamp": 12.5}, TypeError, "timestamp must be a time.*12.5"),
        ({"timestamp": "yesterday-ish"}, ValueError, "timestamp could not be read"),
        ({"tback_start": "2024-03-31 02:30:00"}, ValueError, "tback_start.*does not exist"),
        ({"lmtype": "B3H"}, ValueError, "lmtype must be one of"),
    ],
)
def test_bad_parameters_raise_naming_them(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        _map(**kwargs)


def test_bad_load_options_raise_before_reading(fixture_frame, blm_files):
    lossmap = _map()
    with pytest.raises(ValueError, match="blm_integration_time must be one of.*'RS13'"):
        lossmap.load_data_files(fixture_frame, blm_integration_time="RS13", **blm_files)
    with pytest.raises(BLMMetadataError, match="positions must be given"):
        lossmap.load_data_files(fixture_frame, names=blm_files["names"], positions=None)
    with pytest.raises(TypeError, match="spark must be a pyspark SparkSession, got NoneType"):
        lossmap.load_data(None)
    assert lossmap.losses is None and lossmap.BLM_integration_time is None


def test_integration_time_accepts_manual_names():
    from lossmaps.measured.lossmap import _integration_time

    for spelling in ("RS09", "RS_1s31072", "LHC.BLMI:LOSS_RS09", lm.BLMintegrated.RS_1s31072):
        assert _integration_time(spelling) is lm.BLMintegrated.RS_1s31072


def test_missing_logging_service_client_gives_clear_message(fixture_frame, blm_files):
    class NotConnectedSession:  # only the attribute load_data checks; no query may run
        read = None

    with pytest.raises(LoggingServiceUnavailableError, match="NXCALS.*not available") as info:
        _map().load_data(NotConnectedSession(), **blm_files)
    assert info.value.__suppress_context__ and info.value.__cause__ is None


# -- daylight-saving changes ---------------------------------------------------------------
def _dst_data(tmp_path):
    """1 Hz data over the 2024-10-27 fall-back (03:00 CEST -> 02:00 CET = 01:00 UTC)."""
    times = pd.date_range("2024-10-27 00:59:30", "2024-10-27 01:00:50", freq="1s", tz="UTC")
    names = ["BLMTI.06L7.B1E10_TCP.C6L7.B1", "BLMQI.09R7.B1E10_MQ", "BLMQI.19R8.B1I30_MQ"]
    values = np.full((len(times), 3), 1e-6)
    peak = times.get_loc(pd.Timestamp("2024-10-27 01:00:10", tz="UTC"))
    values[peak] = [1e-2, 3e-6, 1e-6]
    data = pd.DataFrame({"timestamp": times, "vals": list(values)})
    path = tmp_path / "dst.parquet"
    data.to_parquet(path)
    return path, {
        "names": pd.DataFrame({"index": range(3), "name": names}),
        "positions": pd.DataFrame({"name": names, "dcum": [19792.05, 20335.33, 24195.29]}),
    }


def test_window_across_daylight_saving_change(tmp_path):
    path, meta = _dst_data(tmp_path)
    lossmap = _map(timestamp="2024-10-27 02:59:50+02:00", bckgr_aq=5)
    lossmap.load_data_files(path, **meta)
    times = lossmap.losses.lossmap.timestamps
    # 00:59:50 .. 01:00:20 UTC inclusive at 1 Hz: 31 acquisitions, none lost or doubled
    # although the local clock jumps back from 03:00 to 02:00 inside the window.
    assert len(times) == 31
    assert times[0] == pd.Timestamp("2024-10-27 00:59:50", tz="UTC")
    assert str(times[0]) == "2024-10-27 02:59:50+02:00"
    assert str(times[-1]) == "2024-10-27 02:00:20+01:00"
    assert str(lossmap.t_max_loss) == "2024-10-27 02:00:10+01:00"
    assert lossmap.timestamp.utcoffset() == pd.Timedelta(hours=2)


def test_ambiguous_and_nonexistent_local_times_are_refused():
    with pytest.raises(ValueError, match=r"timestamp='2024-10-27 02:30:00' is ambiguous.*\+01:00"):
        _map(timestamp="2024-10-27 02:30:00")
    with pytest.raises(ValueError, match="does not exist"):
        _map(timestamp="2024-03-31 02:30:00")
    # Unambiguous wall-clock times on the change days convert with their own offset.
    assert to_utc("2024-10-27 01:59:59", "t") == pd.Timestamp("2024-10-26 23:59:59", tz="UTC")
    assert to_utc("2024-10-27 03:00:00", "t") == pd.Timestamp("2024-10-27 02:00:00", tz="UTC")
    assert to_utc("2024-03-31 03:00:00", "t") == pd.Timestamp("2024-03-31 01:00:00", tz="UTC")


def test_times_in_local_out_utc_inside(fixture_frame, blm_files):
    lossmap = _map()
    assert str(lossmap.timestamp) == "2024-05-21 14:03:20+02:00"
    assert lossmap.tback_start == lossmap.timestamp
    lossmap.load_data_files(fixture_frame, **blm_files)
    assert str(lossmap.losses["time"].dt.tz) == "UTC"
    assert str(lossmap.t_max_loss.tz) == "Europe/Zurich"
    lossmap.timestamp = "2024-05-21 12:03:25+00:00"  # tz-aware input is converted
    assert str(lossmap.timestamp) == "2024-05-21 14:03:25+02:00"
    assert lossmap.tback_start == lossmap.timestamp  # follows while not given explicitly
