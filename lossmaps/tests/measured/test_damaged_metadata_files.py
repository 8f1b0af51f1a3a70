"""Damaged BLM names/positions files: a located BLMMetadataFileError, never a silent value.

Found by fuzzing the fixture's names and positions files (issue 17): a dcum
of 1e30 was taken as a position, a monitor listed twice with other values
kept its first row silently, and the errors for a damaged list (wrong
count, a monitor without position, an unknown type) named neither file nor
line.
"""

import pandas as pd
import pytest

from lossmaps.errors import BLMMetadataError, BLMMetadataFileError
from lossmaps.measured import MeasuredLossMap
from lossmaps.measured.metadata import resolve_blm_metadata

AT = pd.Timestamp("2024-05-21 12:03:20", tz="UTC")
N_BLM = 3761
LHC = 26658.8832


@pytest.fixture
def files(blm_files, tmp_path):
    """Editable copies of the names and positions files: (names lines, positions lines, write)."""
    names = blm_files["names"].read_text().split("\n")
    positions = blm_files["positions"].read_text().split("\n")

    def write(names_lines=None, positions_lines=None):
        out = {}
        for key, lines in (("names", names_lines or names), ("positions", positions_lines or positions)):
            out[key] = tmp_path / f"{key}.csv"
            out[key].write_text("\n".join(lines))
        return out

    return names, positions, write


def _located(call, path, line, fragment):
    with pytest.raises(BLMMetadataFileError) as info:
        call()
    error = info.value
    assert error.file == str(path) and error.line == line, str(error)
    assert fragment in str(error), str(error)
    return error


def test_dcum_outside_the_ring_is_refused_through_the_loss_map(files, measured_info, measured_dir):
    names, positions, write = files
    fields = positions[100].split(",")
    fields[1] = "9" * 30  # a long digit run: a finite float (1e30), was taken as a position
    positions[100] = ",".join(fields)
    paths = write(positions_lines=positions)
    lossmap = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype="B1H")
    _located(lambda: lossmap.load_data_files(measured_dir / "blm_data_RS09.parquet", **paths),
             paths["positions"], 101, f"within the ring [0, {LHC}]")


def test_monitor_listed_twice_with_another_dcum_is_refused(files):
    names, positions, write = files
    name, dcum, kind = positions[10].split(",")
    positions.insert(500, f"{name},{float(dcum) + 7.5},{kind}")
    paths = write(positions_lines=positions)
    _located(lambda: resolve_blm_metadata(paths["names"], paths["positions"], AT, N_BLM, LHC),
             paths["positions"], 501, f"monitor {name!r} listed once, or again with the same "
             "values (also in line 11)")


def test_monitor_listed_twice_with_the_same_values_is_accepted(files):
    names, positions, write = files
    positions.insert(500, positions[10])
    paths = write(positions_lines=positions)
    assert len(resolve_blm_metadata(paths["names"], paths["positions"], AT, N_BLM, LHC)) == N_BLM


@pytest.mark.parametrize("edit, line, fragment", [
    (lambda lines: lines.pop(30), None, "lists 3760 monitors"),
    (lambda lines: lines.insert(30, lines[30]), 32, "each vector index once (index 29 is also in line 31)"),
    (lambda lines: lines.__setitem__(30, "2x," + lines[30].split(",")[1]), 31, "an integer vector index"),
    (lambda lines: lines.__setitem__(30, "29,"), 31, "a monitor name in column name"),
])
def test_damaged_names_file_is_named(files, edit, line, fragment):
    names, positions, write = files
    edit(names)
    paths = write(names_lines=names)
    _located(lambda: resolve_blm_metadata(paths["names"], paths["positions"], AT, N_BLM, LHC),
             paths["names"], line, fragment)


def test_monitor_without_position_names_both_files(files):
    names, positions, write = files
    missing = positions.pop(40).split(",")[0]
    paths = write(positions_lines=positions)
    error = _located(lambda: resolve_blm_metadata(paths["names"], paths["positions"], AT, N_BLM, LHC),
                     paths["positions"], None, f"names list {paths['names']}")
    assert f"1 monitors of the vector have no dcum, e.g. [{missing!r}]" in str(error)


def test_unknown_type_names_its_line(files):
    names, positions, write = files
    positions[77] = ",".join(positions[77].split(",")[:2] + ["tepid"])
    paths = write(positions_lines=positions)
    _located(lambda: resolve_blm_metadata(paths["names"], paths["positions"], AT, N_BLM, LHC),
             paths["positions"], 78, "type must be one of")


def test_frames_without_a_file_name_parameter_and_row(blm_files):
    positions = pd.read_csv(blm_files["positions"])
    positions.loc[5, "dcum"] = -3.0
    with pytest.raises(BLMMetadataError, match=r"positions: expected a finite dcum \[m\] within the "
                       r"ring \[0, 26658.8832\] for monitor .* in row 5; got '-3.0'"):
        resolve_blm_metadata(pd.read_csv(blm_files["names"]), positions, AT, N_BLM, LHC)


def test_bom_less_utf16_file_is_refused(files, blm_files, tmp_path):
    # UTF-16-BE without BOM is valid UTF-8 full of NULs: it read as columns '\x00n\x00a...'
    path = tmp_path / "names16.csv"
    path.write_bytes(blm_files["names"].read_text().encode("utf-16-be"))
    _located(lambda: resolve_blm_metadata(path, blm_files["positions"], AT, N_BLM, LHC),
             path, 1, "UTF-8 text without NUL bytes")


def test_extra_cell_on_the_first_row_is_refused(files):
    # pandas takes the extra first cell as an index column: the names were read as the indices
    names, positions, write = files
    names[1] = "0," + names[1]
    paths = write(names_lines=names)
    _located(lambda: resolve_blm_metadata(paths["names"], paths["positions"], AT, N_BLM, LHC),
             paths["names"], 2, "as many cells as header names (index, name)")
