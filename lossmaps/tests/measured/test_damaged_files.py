"""Damaged logged-data and BLM metadata files fail with a located LossMapsError
(issue 17): never a raw pandas/pyarrow exception, never a wrong dose rate."""

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.errors import BLMMetadataFileError, MeasuredFileError, MissingAcquisitionsError
from lossmaps.measured import MeasuredLossMap


@pytest.fixture(scope="module")
def getter_frame(measured_dir):
    return pd.read_parquet(measured_dir / "blm_data_RS09.parquet")


@pytest.fixture(scope="module")
def csv_text(getter_frame, tmp_path_factory):
    path = tmp_path_factory.mktemp("csv") / "blm.csv"
    getter_frame.assign(vals=["[" + ",".join(repr(float(v)) for v in row) + "]"
                              for row in getter_frame["vals"]]).to_csv(path, index=False)
    return path.read_text()


def _load(measured_info, data, blm_files, **files):
    lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype="B1H")
    lossmap.load_data_files(data, **{**blm_files, **files})
    return lossmap


def _expect(error_type, call, path, line=None, fragment=""):
    with pytest.raises(error_type) as info:
        call()
    error = info.value
    assert isinstance(error, lm.LossMapsError) and isinstance(error, lm.LossMapFormatError)
    assert error.file == str(path), str(error)
    if line is not None:
        assert error.line == line, str(error)
    assert fragment in str(error), str(error)


def test_undamaged_csv_loads(measured_info, blm_files, tmp_path, csv_text):
    path = tmp_path / "blm.csv"
    path.write_text(csv_text)
    assert _load(measured_info, path, blm_files).losses is not None


@pytest.mark.parametrize("damage, line, fragment", [
    (lambda t: "", None, "the file is empty"),
    (lambda t: t[: len(t) // 2], None, "complete last line"),  # cut mid-line
    (lambda t: t[: len(t) // 2] + "\n", None, ""),  # cut mid-cell, then a newline
    (lambda t: "\x00\x01\x02junk\n" + t, None, ""),
    (lambda t: t.encode("utf-8").decode("latin-1").replace("v", "\xff", 1), None, ""),
])
def test_damaged_csv(measured_info, blm_files, tmp_path, csv_text, damage, line, fragment):
    path = tmp_path / "blm.csv"
    path.write_text(damage(csv_text), encoding="latin-1")
    _expect(lm.LossMapsError, lambda: _load(measured_info, path, blm_files), path, line, fragment)


def test_bad_time_cell_names_its_line(measured_info, blm_files, tmp_path, csv_text):
    lines = csv_text.split("\n")
    lines[7] = "yesterday" + lines[7][lines[7].index(","):]
    path = tmp_path / "blm.csv"
    path.write_text("\n".join(lines))
    _expect(MeasuredFileError, lambda: _load(measured_info, path, blm_files), path, 8,
            "a time (ISO date")


@pytest.mark.parametrize("damage", ["truncate", "junk", "zero footer"])
def test_damaged_parquet_is_a_lossmaps_error(measured_info, blm_files, measured_dir, tmp_path, damage):
    data = (measured_dir / "blm_data_RS09.parquet").read_bytes()
    data = {"truncate": data[: len(data) // 3], "junk": b"not parquet at all" * 10,
            "zero footer": data[:-12] + bytes(12)}[damage]
    path = tmp_path / "blm.parquet"
    path.write_bytes(data)
    _expect(MeasuredFileError, lambda: _load(measured_info, path, blm_files), path, None,
            "a readable Parquet file")


def test_absurd_dose_rate_is_refused(measured_info, blm_files, getter_frame, tmp_path):
    # a flipped byte in an uncompressed page once read as 8e302 Gy/s
    frame = getter_frame.copy()
    vals = [np.array(v) for v in frame["vals"]]
    vals[20][5] = 8e302
    path = tmp_path / "blm.parquet"
    frame.assign(vals=vals).to_parquet(path)
    _expect(MeasuredFileError, lambda: _load(measured_info, path, blm_files), path, None,
            "BLM dose rates below")


def test_non_numeric_dcum_names_file_and_line(measured_info, blm_files, measured_dir, tmp_path):
    lines = (measured_dir / "blm_metadata.csv").read_text().split("\n")
    first_field = lines[40].split(",")
    first_field[1] = "abc"
    lines[40] = ",".join(first_field)
    path = tmp_path / "positions.csv"
    path.write_text("\n".join(lines))
    _expect(BLMMetadataFileError, lambda: _load(measured_info, measured_dir / "blm_data_RS09.parquet",
                                                blm_files, positions=path), path, 41, "finite dcum")


@pytest.mark.parametrize("text", ["", "name,dcum\nBLM.A,1.0\nBLM.B,2", "\x00\x00binary"])
def test_damaged_positions_file(measured_info, blm_files, measured_dir, tmp_path, text):
    path = tmp_path / "positions.csv"
    path.write_text(text)
    _expect(BLMMetadataFileError, lambda: _load(measured_info, measured_dir / "blm_data_RS09.parquet",
                                                blm_files, positions=path), path)


def test_nan_elements_are_announced_and_recorded(measured_info, blm_files, getter_frame, tmp_path):
    # NaN is the logged mark of a missing element: allowed, but never silent
    frame = getter_frame.copy()
    vals = [np.array(v, dtype=float) for v in frame["vals"]]
    reference = _load(measured_info, frame, blm_files)
    t_max = reference.t_max_loss
    row = int(np.flatnonzero(frame["timestamp"] == t_max)[0])  # the peak acquisition
    vals[row][[3, 7]] = np.nan
    path = tmp_path / "blm.parquet"
    frame.assign(vals=vals).to_parquet(path)
    with pytest.warns(lm.LossMapsWarning, match=r"blm.parquet: 2 BLM values are NaN \(missing "
                      r"elements, in 1 of \d+ acquisitions\)"):
        lossmap = _load(measured_info, path, blm_files)
    assert len(lossmap.defaults_applied) == 1 and "2 BLM values are NaN" in lossmap.defaults_applied[0]
    assert reference.defaults_applied == []
    from lossmaps.store import LossMapStore

    store = LossMapStore(tmp_path / "store")
    assert store.load(store.save(lossmap)).defaults_applied == lossmap.defaults_applied
    # the two values are missing, not zero: the other monitors are unchanged
    at, ref_at = lossmap.losses_at(t_max), reference.losses_at(t_max)
    assert at["losses"].isna().sum() == 2
    np.testing.assert_array_equal(at["losses"].dropna().to_numpy(),
                                  ref_at["losses"][at["losses"].notna().to_numpy()].to_numpy())


def test_missing_acquisitions_name_the_file(measured_info, blm_files, tmp_path, csv_text):
    # rows cut out of a file: the gap error says which file lacks them
    lines = csv_text.split("\n")
    del lines[25:29]  # four acquisitions (> 2 s) inside the window
    path = tmp_path / "blm.csv"
    path.write_text("\n".join(lines))
    with pytest.raises(MissingAcquisitionsError, match=f"LOSS_RS09 read from {path} are missing"):
        _load(measured_info, path, blm_files)
