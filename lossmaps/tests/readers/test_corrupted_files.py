"""Malformed inputs raise LossMapFormatError naming file, line and expectation,
and never leave a half-loaded loss map behind."""

import re
import shutil

import pytest

import lossmaps as lm


def _copy_runs(sim, tmp_path, pattern):
    runs = []
    for run in sorted(sim.glob(pattern)):
        target = tmp_path / run.name
        shutil.copytree(run, target)
        for f in target.iterdir():
            f.chmod(0o644)
        runs.append(target)
    return runs


def _truncate_line(path, lineno, keep_tokens):
    lines = path.read_text().splitlines()
    lines[lineno - 1] = " ".join(lines[lineno - 1].split()[:keep_tokens])
    path.write_text("\n".join(lines) + "\n")


def _assert_located(exc, path, line, expected_fragment):
    message = str(exc)
    assert str(path) in message
    assert re.search(rf"\bline {line}\b", message), message
    assert expected_fragment in message
    assert exc.file == str(path) and exc.line == line


@pytest.mark.parametrize("filename, lineno, keep, expected", [
    ("coll_summary.dat", 10, 5, "7 whitespace-separated columns"),  # truncated line
    ("aperture_losses.dat", 3, 16, "17 columns"),  # wrong column count
])
def test_truncated_lines_in_k2_files(sim, tmp_path, k2_inputs, filename, lineno, keep, expected):
    runs = _copy_runs(sim, tmp_path, "Results/K2_B1H_s*")
    bad = runs[0] / filename  # run s1 has two aperture losses (lines 2-3)
    _truncate_line(bad, lineno, keep)
    with pytest.raises(lm.LossMapFormatError) as info:
        lm.SimulatedLossMap(lmtype="B1H").load_data_K2(
            posfile=k2_inputs["posfile"], aperfiles=[r / "aperture_losses.dat" for r in runs],
            collfiles=[r / "coll_summary.dat" for r in runs])
    _assert_located(info.value, bad, lineno, expected)


def test_non_numeric_value_names_the_column(writer):
    bad = writer("coll_summary.dat", "# header\n 1 tcp.c6l7.b1 12 abc 0.0 0.0 0.6\n")
    with pytest.raises(lm.LossMapFormatError) as info:
        lm.readers.read_coll_summary(bad)
    _assert_located(info.value, bad, 2, "an integer in column 4")


def test_unknown_collimator_id_in_fort208(sim, tmp_path, fluka_inputs):
    runs = _copy_runs(sim, tmp_path, "Results/FLUKA_B1H_s*")
    bad = runs[1] / "fort.208"
    lines = bad.read_text().splitlines()
    lines[4] = "   999      1   0.6800000000000000E+04"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(lm.LossMapFormatError) as info:
        lm.SimulatedLossMap(lmtype="B1H").load_data_FLUKA(
            **{**fluka_inputs, "fort208files": [r / "fort.208" for r in runs]})
    _assert_located(info.value, bad, 5, "collimator ID listed in collgaps.dat")
    assert "999" in str(info.value)


def test_collimator_missing_from_twiss(sim, tmp_path, k2_inputs):
    tfs = tmp_path / "optics.tfs"
    text = k2_inputs["posfile"].read_text()
    tfs.write_text("\n".join(l for l in text.splitlines() if '"TCSG.A6L7.B1"' not in l) + "\n")
    with pytest.raises(lm.LossMapFormatError) as info:
        lm.SimulatedLossMap(lmtype="B1H").load_data_K2(**{**k2_inputs, "posfile": tfs})
    first = k2_inputs["collfiles"][0]
    lineno = next(i for i, l in enumerate(first.read_text().splitlines(), 1) if "tcsg.a6l7.b1" in l)
    _assert_located(info.value, first, lineno, "present in the twiss file")
    assert "tcsg.a6l7.b1" in str(info.value)


def test_malformed_tfs_row_and_json(writer):
    tfs = writer("bad.tfs", '* NAME S L\n$ %s %le %le\n "IP1" 0 0\n "MQ" 3.0\n')
    with pytest.raises(lm.LossMapFormatError) as info:
        lm.readers.read_tfs(tfs)
    _assert_located(info.value, tfs, 4, "3 columns")
    bad_json = writer("lm.json", '{"collimator": {\n  "name": [1, 2,\n}')
    with pytest.raises(lm.LossMapFormatError) as info:
        lm.readers.read_xcoll_json(bad_json)
    assert info.value.line == 3 and "valid JSON" in str(info.value)


def test_failed_load_leaves_previous_state(sim, tmp_path, k2_inputs):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    lossmap.load_data_K2(**k2_inputs)
    before = {name: getattr(lossmap, name) for name in
              ("losses", "coll_summary", "aperture_losses", "aperture_binned", "positions")}
    runs = _copy_runs(sim, tmp_path, "Results/K2_B1H_s*")
    _truncate_line(runs[-1] / "coll_summary.dat", 20, 3)
    for append in (False, True):
        with pytest.raises(lm.LossMapFormatError):
            lossmap.load_data_K2(posfile=k2_inputs["posfile"],
                                 aperfiles=[r / "aperture_losses.dat" for r in runs],
                                 collfiles=[r / "coll_summary.dat" for r in runs], append=append)
        for name, value in before.items():
            assert getattr(lossmap, name) is value, name
    assert lossmap.losses.lossmap.total_loss == pytest.approx(3773)


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(interpolation=-0.1), ValueError, "interpolation must be a positive"),
    (dict(backwards="yes"), TypeError, "backwards must be True or False"),
    (dict(collfiles=[]), ValueError, "collfiles is empty"),
    (dict(cycle_aperture_from="TCP.C6L7.B9"), KeyError, "close matches: TCP.C6L7.B1"),
])
def test_bad_options_are_named(k2_inputs, kwargs, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        lm.SimulatedLossMap(lmtype="B1H").load_data_K2(**{**k2_inputs, **kwargs})


def test_coll_summaries_without_collimators_are_refused(k2_inputs, tmp_path):
    header_only = tmp_path / "coll_summary.dat"
    header_only.write_text("# icoll collname nimp nabs imp_av imp_sig length\n")
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    with pytest.raises(lm.LossMapFormatError, match="none of the 2 coll_summary files") as info:
        lossmap.load_data_K2(**{**k2_inputs, "collfiles": [header_only, header_only]})
    assert info.value.file == str(header_only)
    assert lossmap.losses is None


def test_unknown_start_element_names_the_twiss_file(k2_inputs):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    with pytest.raises(KeyError, match=re.escape(str(k2_inputs["posfile"])) + ".*TCP.C6L7.B1"):
        lossmap.load_data_K2(**{**k2_inputs, "cycle_aperture_from": "TCP.C6L7.B9"})
    assert lossmap.losses is None
