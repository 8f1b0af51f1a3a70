"""BLM names and positions: classification and versions resolved for the acquisition time."""

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.measured import BLMMetadataError, MeasuredLossMap, classify_blm, classify_blms
from lossmaps.measured.metadata import resolve_blm_metadata

AT = pd.Timestamp("2024-05-21 12:03:20", tz="UTC")


@pytest.fixture(scope="module")
def names(blm_files):
    return pd.read_csv(blm_files["names"])


@pytest.fixture(scope="module")
def positions(blm_files):
    return pd.read_csv(blm_files["positions"])


def test_classification_matches_fixture_types(positions):
    assert (classify_blms(positions["name"]) == positions["type"].to_numpy()).all()


@pytest.mark.parametrize(
    "name, kind",
    [
        ("BLMTI.06L7.B1E10_TCP.C6L7.B1", "coll"),
        ("BLMQI.06R1.B1E10_MQML_XRP", "xrp"),
        ("BLMQI.05L7.B1E10_MQWA.D5L7", "warm"),
        ("BLMQI.03L5.B2E30_MQXA_X5FCA.A4", "cold"),
        ("BLMBI.20R8.B0T10_MBA-MBB_19R8", "cold"),
        ("BLMEI.05L1.B1E10_XYZ", "other"),
    ],
)
def test_classification_by_element(name, kind):
    assert classify_blm(name) == kind


def test_positions_without_type_are_classified(names, positions):
    metadata = resolve_blm_metadata(names, positions.drop(columns=["type"]), AT, len(names))
    assert (metadata.types == positions["type"].to_numpy()).all()


def test_versioned_names_pick_the_version_of_the_acquisition(names, positions):
    older = names.assign(valid_from="2024-01-01 00:00:00+00:00")
    newer = names.iloc[:-1].assign(valid_from="2024-06-01 00:00:00+00:00")
    both = pd.concat([older, newer])
    metadata = resolve_blm_metadata(both, positions, AT, len(names))
    assert len(metadata) == len(names)
    later = pd.Timestamp("2024-07-01", tz="UTC")
    assert len(resolve_blm_metadata(both, positions, later, len(names) - 1)) == len(names) - 1
    with pytest.raises(BLMMetadataError, match=f"lists {len(names) - 1} monitors.*{len(names)} elements"):
        resolve_blm_metadata(both, positions, later, len(names))
    with pytest.raises(BLMMetadataError, match="no version starts at or before"):
        resolve_blm_metadata(both, positions, pd.Timestamp("2023-01-01", tz="UTC"), len(names))


def test_folder_of_versions_named_by_start_time(names, positions, tmp_path):
    folder = tmp_path / "headers"
    folder.mkdir()
    names.to_csv(folder / "2018_04_10_00_00_00+0200.csv", index=False)
    names.iloc[::-1].assign(index=range(len(names))).to_csv(
        folder / "2024_06_01_00_00_00+0200.csv", index=False)
    metadata = resolve_blm_metadata(folder, positions, AT, len(names))
    assert metadata.names[0] == names["name"].iloc[0]
    later = resolve_blm_metadata(folder, positions, pd.Timestamp("2024-06-02", tz="UTC"), len(names))
    assert later.names[0] == names["name"].iloc[-1]


def test_monitor_without_position_is_refused(names, positions):
    with pytest.raises(BLMMetadataError, match="1 monitors of the vector have no dcum"):
        resolve_blm_metadata(names, positions.iloc[1:], AT, len(names))


def test_vector_length_change_inside_window_is_refused(measured_dir, blm_files):
    frame = pd.read_parquet(measured_dir / "blm_data_RS09.parquet")
    frame.at[20, "vals"] = np.asarray(frame.at[20, "vals"])[:-1]
    lossmap = MeasuredLossMap(timestamp="2024-05-21 14:03:20", lmtype=lm.LMType.B1H)
    with pytest.raises(BLMMetadataError, match="vector length changes inside the window"):
        lossmap.load_data_files(frame, **blm_files)


def test_bare_name_list_is_in_vector_order(names, positions):
    """A names table without ``index`` (one name per row) is taken in row order."""
    shuffled = names.sample(frac=1.0, random_state=1)
    metadata = resolve_blm_metadata(shuffled[["name"]], positions, AT, len(names))
    assert (metadata.names == shuffled["name"].to_numpy()).all()
    indexed = resolve_blm_metadata(shuffled, positions, AT, len(names))  # index column wins
    assert (indexed.names == names["name"].to_numpy()).all()


def test_type_column_is_case_insensitive(names, positions):
    upper = positions.assign(type=positions["type"].str.upper())
    metadata = resolve_blm_metadata(names, upper, AT, len(names))
    assert (metadata.types == positions["type"].to_numpy()).all()
    with pytest.raises(BLMMetadataError, match="type must be one of"):
        resolve_blm_metadata(names, positions.assign(type="tepid"), AT, len(names))
