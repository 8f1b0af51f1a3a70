"""Line.check_aperture: the association of elements with their apertures."""

import numpy as np
import pytest

import xtrack as xt


def _well_apertured_line():
    # q with entry and exit apertures, a thin multipole with its aperture, drifts between.
    return xt.Line(
        elements={"d0": xt.Drift(length=1.0), "q_aper_entry": xt.LimitEllipse(a=0.02, b=0.02),
                  "q": xt.Quadrupole(length=2.0, k1=0.1), "q_aper_exit": xt.LimitEllipse(a=0.02, b=0.02),
                  "d1": xt.Drift(length=1.0), "m_aper": xt.LimitRect(min_x=-0.03, max_x=0.03),
                  "m": xt.Multipole(knl=[0, 1e-3]), "d2": xt.Drift(length=0.5)},
        element_names=["d0", "q_aper_entry", "q", "q_aper_exit", "d1", "m_aper", "m", "d2"])


def test_well_apertured_line_has_no_flags(capsys):
    df = _well_apertured_line().check_aperture()
    out = capsys.readouterr().out
    assert "0 thin elements miss associated aperture (upstream)" in out
    assert "0 thick elements miss associated aperture (upstream or downstream)" in out
    flags = ["misses_aperture_upstream", "misses_aperture_downstream", "aperture_misplaced",
             "aperture_pair_inverted"]
    assert not df[flags].to_numpy().any()
    df = df.set_index("name")
    assert df.loc["q", "i_aperture_upstream"] == 1 and df.loc["q", "i_aperture_downstream"] == 3
    np.testing.assert_allclose(df.loc["q", ["s", "s_end", "s_aperture_upstream", "s_aperture_downstream"]]
                               .to_numpy(dtype=float), [1.0, 3.0, 1.0, 3.0])
    assert list(df.index[df.is_active]) == ["q", "m"]  # drifts and apertures need none
    assert df.loc["d0", "i_aperture_upstream"] == -1 and np.isnan(df.loc["d0", "s_aperture_upstream"])


def test_drift_named_in_needs_aperture_is_flagged(capsys):
    line = _well_apertured_line()
    line.element_names = line.element_names + ["d3"]
    line.element_dict["d3"] = xt.Drift(length=2.0)  # no aperture at its exit (end of line)
    df = line.check_aperture(needs_aperture=["d3", "d1"]).set_index("name")
    assert df.loc["d3", "is_active"] and df.loc["d3", "misses_aperture_downstream"]
    assert df.loc["d3", "misses_aperture_upstream"]  # the nearest one, m_aper, is 0.5 m upstream
    assert not df.loc["d2", "is_active"]  # not named: a drift needs no aperture
    assert not df.loc["d1", "misses_aperture_upstream"] and not df.loc["d1", "misses_aperture_downstream"]
    out = capsys.readouterr().out
    assert "1 thick elements miss associated aperture (upstream or downstream):" in out
    assert "['d3']" in out


def test_element_without_aperture_is_flagged():
    line = xt.Line(elements={"a": xt.LimitEllipse(a=0.02, b=0.02), "d": xt.Drift(length=1.0),
                             "k": xt.Multipole(knl=[1e-4]), "q": xt.Quadrupole(length=1.0),
                             "b": xt.LimitEllipse(a=0.02, b=0.02)},
                   element_names=["a", "d", "k", "q", "b"])
    df = line.check_aperture().set_index("name")
    assert df.loc["k", "misses_aperture_upstream"]  # its nearest aperture is 1 m upstream
    assert df.loc["q", "misses_aperture_upstream"] and not df.loc["q", "misses_aperture_downstream"]
    assert df.loc["k", "s_aperture_upstream"] == 0.0 and df.loc["k", "s"] == 1.0


def test_inverted_aperture_pair_is_flagged(capsys):
    # The exit aperture placed at the entry and the entry aperture at the exit:
    # every element has an aperture at both ends, only the names reveal the swap.
    line = xt.Line(elements={"q_aper_exit": xt.LimitEllipse(a=0.02, b=0.02), "q": xt.Quadrupole(length=1.0),
                             "q_aper_entry": xt.LimitEllipse(a=0.02, b=0.02)},
                   element_names=["q_aper_exit", "q", "q_aper_entry"])
    df = line.check_aperture().set_index("name")
    assert not df.loc["q", "misses_aperture_upstream"] and not df.loc["q", "misses_aperture_downstream"]
    assert df.loc["q", "aperture_pair_inverted"] and df.loc["q", "aperture_misplaced"]
    assert "1 elements have misplaced or inverted associated apertures:" in capsys.readouterr().out


def test_associated_aperture_away_from_its_element_is_misplaced():
    line = xt.Line(elements={"q_aper": xt.LimitEllipse(a=0.02, b=0.02), "d": xt.Drift(length=0.3),
                             "q": xt.Quadrupole(length=1.0), "e": xt.LimitEllipse(a=0.02, b=0.02)},
                   element_names=["q_aper", "d", "q", "e"])
    df = line.check_aperture().set_index("name")
    assert df.loc["q", "aperture_misplaced"] and not df.loc["q", "aperture_pair_inverted"]


def test_with_progress_false_and_print_suppressed(capsys):
    with xt.settings.override(print_mode="suppress"):
        _well_apertured_line().check_aperture(with_progress=False)
    assert capsys.readouterr().out == ""


def test_unknown_needs_aperture_name_raises():
    with pytest.raises(KeyError, match="needs_aperture.*'m_aperr'.*close matches: m_aper"):
        _well_apertured_line().check_aperture(needs_aperture=["m_aperr"])
