"""Damaged simulation outputs fail with a located LossMapFormatError instead of
becoming wrong numbers or raw exceptions (issue 17, one case per defect found)."""

import json
import re
import shutil

import pytest

import lossmaps as lm


@pytest.fixture
def copies(sim, tmp_path):
    """Writable copy of the simulated fixture folder."""
    target = tmp_path / "simulated"
    shutil.copytree(sim, target)
    for path in target.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    return target


def _k2(folder, machine="LHC", **extra):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine=machine)
    lossmap.load_data_K2(posfile=extra.pop("posfile", folder / "MADX" / "all_optics_B1.tfs"),
                         aperfiles=sorted(folder.glob("Results/K2_B1H_s*/aperture_losses.dat")),
                         collfiles=sorted(folder.glob("Results/K2_B1H_s*/coll_summary.dat")),
                         cycle_aperture_from="TCP.C6L7.B1", **extra)
    return lossmap


def _fluka(folder):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    lossmap.load_data_FLUKA(collgaps=folder / "Input" / "collgaps.dat",
                            posfile=folder / "MADX" / "all_optics_B1.tfs",
                            aperfiles=sorted(folder.glob("Results/FLUKA_B1H_s*/aperture_losses.dat")),
                            fort208files=sorted(folder.glob("Results/FLUKA_B1H_s*/fort.208")),
                            cycle_aperture_from="TCP.C6L7.B1")
    return lossmap


def _json(folder):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    lossmap.load_data_json(sorted(folder.glob("xcoll/lossmap_K2_B1H_s*.json")))
    return lossmap


def _replace_token(path, lineno, column, token):
    lines = path.read_text().split("\n")
    tokens = lines[lineno - 1].split()
    tokens[column - 1] = token
    lines[lineno - 1] = " ".join(tokens)
    path.write_text("\n".join(lines))


def _located(info, path, line=None, fragment=""):
    error = info.value
    assert isinstance(error, lm.LossMapFormatError)
    assert error.file == str(path), str(error)
    if line is not None:
        assert error.line == line and re.search(rf"\bline {line}\b", str(error)), str(error)
    assert fragment in str(error), str(error)


# -- K2 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["nan", "NaN", "inf", "-Infinity", "1E+999", "5_29.6"])
def test_non_finite_slos_is_refused(copies, token):
    # once a cold loss at s = -9.2e17 m (NaN through an integer cast)
    path = copies / "Results/K2_B1H_s1/aperture_losses.dat"
    _replace_token(path, 2, 5, token)
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, 2, "column 5 (slos: finite")


def test_thirty_digit_integer_names_the_column(copies):
    path = copies / "Results/K2_B1H_s2/coll_summary.dat"
    _replace_token(path, 5, 4, "1" * 30)
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, 5, "column 4 (nabs")


@pytest.mark.parametrize("token", ["nan", "-0.6", "inf"])
def test_bad_collimator_length_is_refused_not_replaced(copies, token):
    # once replaced by 0.1 m: the TCP maximum became 5140 instead of 856.7 /m
    path = copies / "Results/K2_B1H_s1/coll_summary.dat"
    lineno = next(i for i, l in enumerate(path.read_text().split("\n"), 1) if "tcp.c6l7.b1" in l)
    _replace_token(path, lineno, 7, token)
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, lineno, "column 7 (length: finite, >= 0")


def test_negative_count_is_refused(copies):
    path = copies / "Results/K2_B1H_s1/coll_summary.dat"
    _replace_token(path, 3, 4, "-5")
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, 3, "a count >= 0")


def test_file_cut_mid_line_is_not_a_smaller_number(copies):
    # '...E+04' cut to '...E+0' once read as 0.68 instead of 6800
    path = copies / "Results/FLUKA_B1H_s2/fort.208"
    text = path.read_text()
    path.write_text(text[:-2])
    n_lines = text.count("\n")
    with pytest.raises(lm.LossMapFormatError) as info:
        _fluka(copies)
    _located(info, path, n_lines, "complete last line")


def test_damaged_first_row_is_not_taken_for_a_header(copies):
    path = copies / "Results/K2_B1H_s1/aperture_losses.dat"
    lines = path.read_text().split("\n")
    path.write_text("\n".join(lines[1:]))  # drop the header: the first row comes first
    _replace_token(path, 1, 1, "3x")
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, 1, "header naming the columns")


# -- FLUKA ------------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["nan", "inf", "-1.0E+03"])
def test_bad_fort208_energy_is_refused_not_summed_as_zero(copies, token):
    path = copies / "Results/FLUKA_B1H_s1/fort.208"
    _replace_token(path, 3, 3, token)
    with pytest.raises(lm.LossMapFormatError) as info:
        _fluka(copies)
    _located(info, path, 3, "column 3 (energy_lost_GeV: finite, >= 0")


def test_thirty_digit_fort208_count(copies):
    path = copies / "Results/FLUKA_B1H_s3/fort.208"
    _replace_token(path, 2, 2, "9" * 30)
    with pytest.raises(lm.LossMapFormatError) as info:
        _fluka(copies)
    _located(info, path, 2, "column 2")


def test_bad_collgaps_length(copies):
    path = copies / "Input/collgaps.dat"
    _replace_token(path, 2, 8, "nan")
    with pytest.raises(lm.LossMapFormatError) as info:
        _fluka(copies)
    _located(info, path, 2, "column 8 (length: finite, >= 0")


# -- xcoll JSON -------------------------------------------------------------------------
def _edit_json(path, edit):
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("value, where", [
    (float("nan"), "collimator.n[1]"), (None, "collimator.n[1]"), ("3", "collimator.n[1]"),
    (-2.0, "collimator.n[1]"), (float("inf"), "collimator.n[1]"),
])
def test_bad_json_count_is_refused_not_summed_as_zero(copies, value, where):
    path = copies / "xcoll/lossmap_K2_B1H_s3.json"
    _edit_json(path, lambda d: d["collimator"]["n"].__setitem__(1, value))
    with pytest.raises(lm.LossMapFormatError) as info:
        _json(copies)
    _located(info, path, None, f"JSON path {where}")


def test_non_string_collimator_name_is_refused_not_dropped(copies):
    path = copies / "xcoll/lossmap_K2_B1H_s2.json"
    _edit_json(path, lambda d: d["collimator"]["name"].__setitem__(2, 17))
    with pytest.raises(lm.LossMapFormatError) as info:
        _json(copies)
    _located(info, path, None, "JSON path collimator.name[2]: expected an element name")


@pytest.mark.parametrize("key, value, fragment", [
    ("aperture", 5, "JSON path aperture: expected an object"),
    ("interpolation", "0.1m", "JSON path interpolation: expected a positive bin width"),
    ("machine_length", -1, "JSON path machine_length"),
    ("reversed", "no", "JSON path reversed: expected true or false"),
])
def test_mistyped_json_block_is_named(copies, key, value, fragment):
    path = copies / "xcoll/lossmap_K2_B1H_s1.json"
    _edit_json(path, lambda d: d.__setitem__(key, value))
    with pytest.raises(lm.LossMapFormatError) as info:
        _json(copies)
    _located(info, path, None, fragment)


@pytest.mark.parametrize("encoding, fragment", [
    ("utf-16", "UTF-16/32 byte-order mark"), ("utf-16-le", "NUL bytes"), ("utf-32", "UTF-16/32"),
])
def test_json_in_another_encoding_is_named(copies, encoding, fragment):
    path = copies / "xcoll/lossmap_K2_B1H_s1.json"
    path.write_bytes(path.read_text().encode(encoding))
    with pytest.raises(lm.LossMapFormatError) as info:
        _json(copies)
    _located(info, path, 1, fragment)


def test_binary_json_is_named(copies):
    path = copies / "xcoll/lossmap_K2_B1H_s4.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)))
    with pytest.raises(lm.LossMapFormatError) as info:
        _json(copies)
    _located(info, path, None, "UTF-8")


# -- TFS --------------------------------------------------------------------------------
def _edit_tfs_line(path, prefix, edit):
    lines = path.read_text().split("\n")
    lineno = next(i for i, l in enumerate(lines, 1) if l.startswith(prefix))
    lines[lineno - 1] = edit(lines[lineno - 1])
    path.write_text("\n".join(lines))
    return lineno


@pytest.mark.parametrize("prefix, edit, fragment", [
    ("@ LENGTH", lambda l: "@ LENGTH %le abc", "LENGTH"),  # once replaced by max(S)
    ("@ LENGTH", lambda l: "@ LENGTH %le -26658.8832", "positive, finite ring length"),
    ("* NAME", lambda l: l.replace(" L ", " S ", 1), "unique column names"),  # once overwritten
    ("* NAME", lambda l: l.replace(" L ", " s ", 1), "unique column names"),
])
def test_bad_tfs_header_or_names_is_refused(copies, prefix, edit, fragment):
    path = copies / "MADX/all_optics_B1.tfs"
    lineno = _edit_tfs_line(path, prefix, edit)
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, lineno, fragment)


def _tfs_row(path, name):
    lines = path.read_text().split("\n")
    lineno = next(i for i, l in enumerate(lines, 1) if l.split()[:1] == [f'"{name}"'])
    return lineno, lines[lineno - 1]


@pytest.mark.parametrize("column, token", [(3, "inf"), (3, "nan"), (4, "-0.6"), (3, "abc")])
def test_bad_tfs_value_on_a_collimator_row(copies, column, token):
    path = copies / "MADX/all_optics_B1.tfs"
    lineno, line = _tfs_row(path, "TCSG.A6L7.B1")
    _replace_token(path, lineno, column, token)
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, lineno, "column " + ("S" if column == 3 else "L"))


def test_tfs_s_typed_as_string_is_refused(copies):
    path = copies / "MADX/all_optics_B1.tfs"
    lineno = _edit_tfs_line(path, "$", lambda l: " ".join(
        "%s" if i == 3 else t for i, t in enumerate(l.split())))
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, lineno, "column S typed %le")


def test_tfs_position_going_back_is_refused(copies):
    path = copies / "MADX/all_optics_B1.tfs"
    lineno, line = _tfs_row(path, "TCSG.A6L7.B1")
    _replace_token(path, lineno, 3, "19000.0")
    with pytest.raises(lm.LossMapFormatError) as info:
        _k2(copies)
    _located(info, path, lineno, "S increasing")


def test_missing_length_header_is_a_recorded_default(copies):
    path = copies / "MADX/all_optics_B1.tfs"
    lines = path.read_text().split("\n")
    path.write_text("\n".join(l for l in lines if not l.startswith("@ LENGTH")))
    with pytest.warns(lm.LossMapsWarning, match="largest S"):
        lossmap = _k2(copies, machine=None)  # no machine circumference either
    assert any("largest S" in note for note in lossmap.defaults_applied)


def test_undamaged_copies_give_the_public_numbers(copies, expected):
    k2 = _k2(copies)
    assert k2.defaults_applied == []
    assert k2.losses.lossmap.total_loss == pytest.approx(3773)
    assert k2.DS_inefficiency == pytest.approx(0.002027027, rel=1e-6)
