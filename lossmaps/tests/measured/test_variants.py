"""Measured loss maps on valid inputs other than the public fixture, against a numpy oracle.

Variants derived from the fixture: the same acquisitions moved across a
daylight-saving change or into winter time, a vector with fewer monitors (an
older hardware version), another running sum stored beside RS09. The oracle
recomputes window, background, t_max_loss and the DS inefficiency from the raw
arrays with the definitions of lossmaps-formats §5.4 and §8.
"""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lossmaps.measured import MeasuredLossMap
from lossmaps.plotting.ranges import select_acquisition
from lossmaps.table import make_losses_table

import lossmaps as lm

RTOL = 1e-9  # same doubles, different summation order


@pytest.fixture(scope="module")
def raw(measured_dir):
    """times [ns UTC], values (n_t, n_blm), names, dcum, types of the fixture (vector order)."""
    table = pq.read_table(measured_dir / "blm_data_RS09.parquet").to_pandas()
    times = table["timestamp"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    values = np.vstack(table["vals"].to_numpy())
    names = pd.read_csv(measured_dir / "LHC.BLMI_LOSS_RS09.names.csv").sort_values("index")["name"]
    meta = pd.read_csv(measured_dir / "blm_metadata.csv").set_index("name").loc[names]
    return times, values, names.to_numpy(), meta["dcum"].to_numpy(), meta["type"].to_numpy()


def oracle(times, values, dcum, types, start_ns, roi, duration_s=30, bckgr_aq=10):
    """t_max (ns) and DS inefficiency (coll_max norm, cold monitors in the ROI)."""
    in_window = (times >= start_ns) & (times <= start_ns + duration_s * 10**9)
    background = np.flatnonzero(times >= start_ns)[:bckgr_aq]
    signal = values - values[background].mean(axis=0)
    coll_max = np.where(in_window, signal[:, types == "coll"].max(axis=1), -np.inf)
    peak = int(np.argmax(coll_max))
    ds = (types == "cold") & (dcum >= roi[0]) & (dcum <= roi[1])
    return times[peak], signal[peak, ds].max() / coll_max[peak], int(in_window.sum())


def _write(tmp_path, times, values, names, variable="LHC.BLMI:LOSS_RS09"):
    data = tmp_path / "data.parquet"
    pq.write_table(pa.table({
        "nxcals_variable_name": pa.array([variable] * len(times)),
        "nxcals_timestamp": pa.array(times, type=pa.int64()),
        "nxcals_value": pa.array([{"elements": row.tolist(), "dimensions": [len(row)]}
                                  for row in values]),
    }), data)
    names_file = tmp_path / "names.csv"
    pd.DataFrame({"index": np.arange(len(names)), "name": names}).to_csv(names_file, index=False)
    return data, names_file


@pytest.mark.parametrize("start_local, offset", [
    ("2024-03-31 01:59:50", "+01:00"),   # spring forward at 02:00 CET, inside the window
    ("2024-10-27 01:59:50", "+02:00"),   # 30 s before the fall-back hour starts
    ("2024-01-15 09:00:00", "+01:00"),   # plain winter time
])
def test_other_dates_and_daylight_saving(tmp_path, raw, measured_dir, measured_info, start_local,
                                         offset):
    times, values, names, dcum, types = raw
    start_ns = pd.Timestamp(start_local + offset).value
    shift = start_ns - pd.Timestamp(measured_info["timestamp_utc"]).value
    data, names_file = _write(tmp_path, times + shift, values, names)
    lossmap = MeasuredLossMap(timestamp=start_local, lmtype=lm.LMType.B1H)
    lossmap.load_data_files(data, names=names_file, positions=measured_dir / "blm_metadata.csv")
    t_max, ds, n_window = oracle(times + shift, values, dcum, types, start_ns, lossmap.roi)
    assert lossmap.timestamp == pd.Timestamp(start_local + offset)
    assert lossmap.t_max_loss == pd.Timestamp(t_max, tz="UTC")
    assert str(lossmap.t_max_loss.tz) == "Europe/Zurich"
    assert len(lossmap.losses.lossmap.timestamps) == n_window
    np.testing.assert_allclose(lossmap.DS_inefficiency, ds, rtol=RTOL)


def test_ambiguous_local_time_needs_an_offset():
    with pytest.raises(ValueError, match="ambiguous.*\\+02:00"):
        MeasuredLossMap(timestamp="2024-10-27 02:30:00", lmtype=lm.LMType.B1H)
    lossmap = MeasuredLossMap(timestamp="2024-10-27 02:30:00+01:00", lmtype=lm.LMType.B1H)
    assert lossmap.timestamp.utcoffset() == pd.Timedelta(hours=1)
    # choosing an acquisition (plots' timestamp=) follows the same rule
    times = pd.to_datetime(["2024-10-27 00:30:00", "2024-10-27 01:30:00"], utc=True)
    table = make_losses_table([1.0, 1.0], ["a", "a"], [1.0, 1.0], lm.Losses.COLL, [1.0, 2.0],
                              time=times)
    with pytest.raises(ValueError, match="ambiguous"):
        table.lossmap.at_time("2024-10-27 02:30:00")
    for offset, expected in (("+02:00", 1.0), ("+01:00", 2.0)):
        assert table.lossmap.at_time("2024-10-27 02:30:00" + offset)["losses"].tolist() == [expected]


def test_vector_with_fewer_monitors(tmp_path, raw, measured_dir, measured_info):
    """An older vector version: every 7th monitor absent (the key ones kept)."""
    times, values, names, dcum, types = raw
    keep = np.ones(len(names), dtype=bool)
    keep[::7] = False
    keep[types == "coll"] = True  # keeps the TCP monitor, so t_max stays comparable
    data, names_file = _write(tmp_path, times, values[:, keep], names[keep])
    lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype=lm.LMType.B1H)
    lossmap.load_data_files(data, names=names_file, positions=measured_dir / "blm_metadata.csv")
    start_ns = pd.Timestamp(measured_info["timestamp_utc"]).value
    t_max, ds, _ = oracle(times, values[:, keep], dcum[keep], types[keep], start_ns, lossmap.roi)
    assert lossmap.losses["name"].nunique() == keep.sum()
    assert lossmap.t_max_loss == pd.Timestamp(t_max, tz="UTC")
    np.testing.assert_allclose(lossmap.DS_inefficiency, ds, rtol=RTOL)


def test_other_running_sum_in_the_same_file(tmp_path, raw, measured_dir, measured_info):
    """RS01 and RS09 rows in one NXCALS file: the requested variable only is read."""
    times, values, names, dcum, types = raw
    rs09, names_file = _write(tmp_path, times, values, names)
    rs01 = tmp_path / "rs01"
    rs01.mkdir()
    fast, _ = _write(rs01, times + 1, 3.0 * values, names, variable="LHC.BLMI:LOSS_RS01")
    both = tmp_path / "both.parquet"
    pq.write_table(pa.concat_tables([pq.read_table(rs09), pq.read_table(fast)]), both)
    start_ns = pd.Timestamp(measured_info["timestamp_utc"]).value
    results = {}
    for rs in ("RS09", "RS01"):
        lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype="B1H")
        lossmap.load_data_files(both, names=names_file, positions=measured_dir / "blm_metadata.csv",
                                blm_integration_time=rs)
        results[rs] = lossmap
    scale = results["RS01"].max_loss / results["RS09"].max_loss
    np.testing.assert_allclose(scale, 3.0, rtol=RTOL)
    assert results["RS01"].BLM_integration_time is lm.BLMintegrated.RS_40us
    t_max, ds, _ = oracle(times + 1, 3.0 * values, dcum, types, start_ns, results["RS01"].roi)
    assert results["RS01"].t_max_loss == pd.Timestamp(t_max, tz="UTC")
    np.testing.assert_allclose(results["RS01"].DS_inefficiency, ds, rtol=RTOL)


def test_beam2_loss_map_uses_the_b2_ds(measured_dir, measured_info, raw):
    """lmtype B2H selects the DS left of IR7 (B1 coordinate) for the same data."""
    times, values, _, dcum, types = raw
    lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype=lm.LMType.B2H)
    lossmap.load_data_files(measured_dir / "blm_data_RS09.parquet",
                            names=measured_dir / "LHC.BLMI_LOSS_RS09.names.csv",
                            positions=measured_dir / "blm_metadata.csv")
    with open(measured_dir.parent / "machine" / "lhc_machine_facts.json") as handle:
        roi = json.load(handle)["roi_ds_b2_in_b1_coordinates_m"]
    assert lossmap.roi == tuple(roi)
    start_ns = pd.Timestamp(measured_info["timestamp_utc"]).value
    _, ds, _ = oracle(times, values, dcum, types, start_ns, roi)
    np.testing.assert_allclose(lossmap.DS_inefficiency, ds, rtol=RTOL)


def test_background_before_the_window_is_never_the_peak(tmp_path, raw, measured_dir,
                                                        measured_info):
    """Old-style background taken before the window, holding a large collimator signal.

    The background acquisitions serve the subtraction only; t_max_loss and max_loss
    belong to the loss-map window, and a plot at a background acquisition shows
    its signal above the background mean (not zero).
    """
    times, values, names, _, types = raw
    start_ns = pd.Timestamp(measured_info["timestamp_utc"]).value
    before = np.flatnonzero(times < start_ns)
    assert before.size >= 3
    values = values.copy()
    # a loss during the background, ten times the loss-map peak
    values[before[2], types == "coll"] = 10.0 * values[:, types == "coll"].max()
    data, names_file = _write(tmp_path, times, values, names)
    lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype=lm.LMType.B1H,
                              tback_start=pd.Timestamp(times[before[0]], tz="UTC"), bckgr_aq=3)
    lossmap.load_data_files(data, names=names_file, positions=measured_dir / "blm_metadata.csv")
    background = values[before[:3]].mean(axis=0)
    signal = values - background
    in_window = (times >= start_ns) & (times <= start_ns + 30 * 10**9)
    coll = np.where(in_window, signal[:, types == "coll"].max(axis=1), -np.inf)
    assert lossmap.t_max_loss == pd.Timestamp(times[np.argmax(coll)], tz="UTC")
    np.testing.assert_allclose(lossmap.max_loss, coll.max(), rtol=RTOL)
    at_background = pd.Timestamp(times[before[2]], tz="UTC")
    expected = np.sort(signal[before[2]])
    # the plots' selection, from the map and from its bare table, then normalised
    # with norm 'none' (which must not subtract the background a second time)
    for shown in (select_acquisition(lossmap.losses, at_background, 0, lossmap),
                  select_acquisition(lossmap.losses, at_background, 0)):
        values_shown = shown.lossmap.inefficiency("none")["losses"].to_numpy()
        np.testing.assert_allclose(np.sort(values_shown), expected, rtol=RTOL, atol=1e-15)


def test_bad_csv_vector_names_file_and_line(tmp_path, raw, measured_dir, measured_info):
    times, values, _, _, _ = raw
    rows = ["[" + ",".join(repr(float(v)) for v in row) + "]" for row in values]
    rows[12] = rows[12].replace(",", ";", 1)
    csv = tmp_path / "blm.csv"
    pd.DataFrame({"nxcals_variable_name": "LHC.BLMI:LOSS_RS09", "nxcals_timestamp": times,
                  "nxcals_value": rows}).to_csv(csv, index=False)
    lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype="B1H")
    with pytest.raises(lm.measured.MeasuredDataError, match=rf"blm.csv, line {12 + 2}: expected a vector"):
        lossmap.load_data_files(csv, names=measured_dir / "LHC.BLMI_LOSS_RS09.names.csv",
                                positions=measured_dir / "blm_metadata.csv")
    assert lossmap.losses is None
