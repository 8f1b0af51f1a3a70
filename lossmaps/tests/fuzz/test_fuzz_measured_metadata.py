"""Property-based fuzzing of the BLM names and positions files of the measured fixture (issue 17).

Each example damages one of the two CSV files (truncation anywhere, a
dropped or added cell, a bad token, another encoding, junk bytes, a line
dropped or repeated) and resolves the monitors the way a measured loss map
does (``resolve_blm_metadata`` with the LHC circumference). Allowed outcomes:
a LossMapsError naming the damaged file, or exactly the names, positions and
types of the undamaged files. Every mutation here changes what a careful
reader can check (the count of monitors, the set of names, the values);
the one edit none can detect without a checksum, a number replaced by
another valid one, is not drawn.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lossmaps as lm
from lossmaps.measured.metadata import resolve_blm_metadata

AT = pd.Timestamp("2024-05-21 12:03:20", tz="UTC")
N_BLM = 3761
LHC = 26658.8832
JUNK = [bytes([b]) for b in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + list(range(127, 256))]
JUNK += [c.encode() for c in "!%&'()/:;<=>?[]^_`{|}~,\""]
# no valid in-range number: 21.31 -> 1.5 in a dcum is a different, equally valid file
TOKENS = ["nan", "inf", "-inf", "abc", "1e999", "", "9" * 30, "-1", "2.5e5", '"x"', "none"]
COUNTS = {}


def _mutation(draw, data):
    text = data.decode("utf-8")
    lines = text.split("\n")
    kind = draw(st.sampled_from(["truncate", "cell", "token", "encoding", "junk", "line"]))
    if kind == "truncate":
        return data[:draw(st.integers(1, len(data) - 1))]
    if kind == "encoding":
        return text.encode(draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32"])))
    if kind == "junk":
        position = draw(st.integers(0, len(data)))
        return data[:position] + b"".join(draw(st.lists(st.sampled_from(JUNK), min_size=1,
                                                        max_size=3))) + data[position:]
    i = draw(st.integers(1, len(lines) - 2))  # a data row (line 1 is the header)
    if kind == "line":
        if draw(st.booleans()):
            del lines[i]
        else:
            lines.insert(i, lines[i])
        return "\n".join(lines).encode()
    cells = lines[i].split(",")
    if kind == "cell":
        if draw(st.booleans()):
            del cells[draw(st.integers(0, len(cells) - 1))]
        else:
            cells.insert(draw(st.integers(0, len(cells))), draw(st.sampled_from(["0", "x", "1.5"])))
    else:
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(TOKENS))
    lines[i] = ",".join(cells)
    return "\n".join(lines).encode()


def _resolve(names, positions):
    metadata = resolve_blm_metadata(names, positions, AT, N_BLM, LHC)
    return metadata.names.tolist(), metadata.dcum.tolist(), list(metadata.types)


@pytest.mark.parametrize("damaged", ["names", "positions"])
def test_damaged_blm_metadata_is_refused_or_equal(blm_files, tmp_path_factory, damaged):
    folder = tmp_path_factory.mktemp(f"fuzz_{damaged}")
    original = _resolve(blm_files["names"], blm_files["positions"])
    data = blm_files[damaged].read_bytes()
    path = folder / f"{damaged}.csv"
    other = blm_files["positions" if damaged == "names" else "names"]

    @settings(max_examples=200, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(draw_data):
        path.write_bytes(_mutation(draw_data.draw, data))
        COUNTS[damaged] = COUNTS.get(damaged, 0) + 1
        files = {damaged: path, "positions" if damaged == "names" else "names": other}
        try:
            result = _resolve(files["names"], files["positions"])
        except lm.LossMapsError as error:
            assert str(path) in str(error), f"error does not name the damaged file: {error}"
            return
        assert result == original, f"silent wrong metadata from {path.read_bytes()[:200]!r}"

    run()
    assert COUNTS[damaged] >= 200
