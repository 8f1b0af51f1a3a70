"""Property-based fuzzing of the readers with the reference fixtures (issue 17).

Each example damages one fixture file (mid-line truncation, a dropped or added
column, a non-numeric / NaN / inf / overflowing token, another encoding, junk
bytes) and asserts: the reader raises a LossMapsError naming the file, or it
returns the same numbers as for the undamaged file. Nothing else (no raw
exception, no other number) is allowed.

Mutations keep away from edits no reader can detect without a checksum: a digit
replaced by another digit, a cut exactly at a line end (a valid shorter file),
signs, decimal points and exponent letters inserted into numbers, and the line
tags of TFS (``@ * $ #``) or quotes. Runs are deterministic (derandomized, no
example database), so CI is stable.
"""

import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lossmaps as lm
from lossmaps import readers

# bytes that cannot turn one valid number into another (see module docstring)
JUNK = [bytes([b]) for b in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + list(range(127, 256))]
JUNK += [c.encode() for c in "!%&'()/:;<=>?[]^_`{|}~,"]
OVERFLOW = "9" * 30  # beyond int64
BAD_TOKENS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "abc", "1_0", "0x10",
              OVERFLOW, "--1", "1.2.3", "\u0663", "1e", "e5", "+"]
JSON_BAD_VALUES = ["NaN", "Infinity", "-Infinity", "null", '"x"', "true", "false", "[]", "{}",
                   '"1.0"', "1e999"]
COUNTS = {}


def _settings(n):
    return settings(max_examples=n, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))


def _numbers(result):
    """Comparable numbers of a reader result: numeric columns (line numbers aside) and scalars."""
    if isinstance(result, dict):
        out = {}
        for key, value in result.items():
            for name, column in _numbers(value).items() if isinstance(value, pd.DataFrame) else [(key, value)]:
                out[f"{key}.{name}"] = column
        return out
    return {name: result[name].to_numpy(dtype=float) for name in result.columns
            if name != "line" and pd.api.types.is_numeric_dtype(result[name])}


def _same(a, b):
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, np.ndarray):
            if x.shape != y.shape or not np.array_equal(x, y, equal_nan=True):
                return False
        elif x != y and not (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)):
            return False
    return True


def _data_lines(text):
    lines = text.split("\n")
    return [i for i, line in enumerate(lines) if line.strip() and line.lstrip()[0] not in "#@*$"]


def _replace_token(text, draw, tokens):
    lines = text.split("\n")
    i = draw(st.sampled_from(_data_lines(text)))
    parts = lines[i].split()
    j = draw(st.integers(0, len(parts) - 1))
    token = draw(st.sampled_from(tokens))
    if token == OVERFLOW and not re.fullmatch(r"[+-]?\d+", parts[j]):
        token = "nan"  # 1e30 in a float column is a valid number, an overflow only in an integer one
    parts[j] = token
    lines[i] = " ".join(parts)
    return "\n".join(lines).encode("utf-8")


def _column(text, draw):
    lines = text.split("\n")
    i = draw(st.sampled_from(_data_lines(text)))
    parts = lines[i].split()
    if draw(st.booleans()) and len(parts) > 1:
        del parts[draw(st.integers(0, len(parts) - 1))]
    else:
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(["0", "1.5", "x"])))
    lines[i] = " ".join(parts)
    return "\n".join(lines).encode("utf-8")


def _text_mutation(draw, data, text_tokens=BAD_TOKENS):
    text = data.decode("utf-8")
    kind = draw(st.sampled_from(["truncate", "column", "token", "encoding", "junk"]))
    if kind == "truncate":
        cuts = [p for p in range(1, len(data)) if data[p - 1:p] != b"\n"]
        return data[:draw(st.sampled_from(cuts))]
    if kind == "column":
        return _column(text, draw)
    if kind == "token":
        return _replace_token(text, draw, text_tokens)
    if kind == "encoding":
        return text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "utf-16-be"])))
    position = draw(st.integers(0, len(data)))
    junk = b"".join(draw(st.lists(st.sampled_from(JUNK), min_size=1, max_size=3)))
    return data[:position] + junk + data[position:]


def _json_mutation(draw, data):
    text = data.decode("utf-8")
    kind = draw(st.sampled_from(["truncate", "value", "encoding", "junk", "drop key"]))
    if kind in ("truncate", "encoding", "junk"):
        return _text_mutation(draw, data) if kind != "truncate" else data[:draw(
            st.integers(1, len(data) - 2))]
    lines = text.split("\n")
    if kind == "value":  # an element of one of the lists (lines holding one number)
        candidates = [i for i, l in enumerate(lines) if re.fullmatch(r"\s*-?[\d.eE+-]+,?", l)]
        i = draw(st.sampled_from(candidates))
        comma = "," if lines[i].rstrip().endswith(",") else ""
        lines[i] = draw(st.sampled_from(JSON_BAD_VALUES)) + comma
    else:  # a required key renamed
        key = draw(st.sampled_from(['"n"', '"s"', '"length"', '"name"', '"collimator"',
                                    '"aperture"', '"idx_bins"', '"s_bins"', '"n_bins"']))
        i = draw(st.sampled_from([i for i, l in enumerate(lines) if key + ":" in l]))
        lines[i] = lines[i].replace(key, '"renamed"', 1)
    return "\n".join(lines).encode("utf-8")


def _check(tmp_path, name, original, damaged, read):
    path = tmp_path / name
    path.write_bytes(damaged)
    COUNTS[name] = COUNTS.get(name, 0) + 1
    try:
        result = read(path)
    except lm.LossMapsError as error:
        assert str(path) in str(error), f"error does not name the file: {error}"
        return
    assert _same(_numbers(result), original), f"silent wrong numbers from {damaged[:300]!r}"


TEXT_TARGETS = [
    ("Results/K2_B1H_s1/coll_summary.dat", readers.read_coll_summary, 400),
    ("Results/K2_B1H_s1/aperture_losses.dat", readers.read_aperture_losses, 350),
    ("Results/FLUKA_B1H_s3/aperture_losses.dat", readers.read_aperture_losses, 350),
    ("Results/FLUKA_B1H_s1/fort.208", readers.read_fort208, 350),
    ("Input/collgaps.dat", readers.read_collgaps, 350),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("relative, read, n", TEXT_TARGETS, ids=[t[0] for t in TEXT_TARGETS])
def test_damaged_text_file_is_refused_or_equal(sim, workdir, relative, read, n):
    data = (sim / relative).read_bytes()
    original = _numbers(read(sim / relative))
    name = relative.replace("/", "_")

    @_settings(n)
    @given(st.data())
    def run(draw_data):
        _check(workdir, name, original, _text_mutation(draw_data.draw, data), read)

    run()
    assert COUNTS[name] >= n


@pytest.mark.parametrize("relative", ["xcoll/lossmap_K2_B1H_s1.json", "xcoll/lossmap_K2_B1H_s4.json"])
def test_damaged_xcoll_json_is_refused_or_equal(sim, workdir, relative):
    data = (sim / relative).read_bytes()
    original = _numbers(readers.read_xcoll_json(sim / relative))
    name = relative.replace("/", "_")

    @_settings(200)
    @given(st.data())
    def run(draw_data):
        _check(workdir, name, original, _json_mutation(draw_data.draw, data), readers.read_xcoll_json)

    run()
    assert COUNTS[name] >= 200


@pytest.fixture(scope="module")
def small_tfs(sim, workdir):
    """The fixture twiss cut to its IR7 rows (every collimator of the loss map), for speed."""
    lines = (sim / "MADX/all_optics_B1.tfs").read_text().split("\n")
    head = [l for l in lines if l[:1] in "@*$"]
    rows = [l for l in lines[len(head):] if l.strip()]
    return ("\n".join(head + rows[4900:5200]) + "\n").encode()


def test_damaged_tfs_is_refused_or_equal(small_tfs, workdir):
    path = workdir / "original.tfs"
    path.write_bytes(small_tfs)
    original = _numbers(readers.read_tfs(path))

    @_settings(150)
    @given(st.data())
    def run(draw_data):
        _check(workdir, "optics.tfs", original, _text_mutation(draw_data.draw, small_tfs),
               readers.read_tfs)

    run()
    assert COUNTS["optics.tfs"] >= 150
