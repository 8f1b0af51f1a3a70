"""MAD-X's own rules the readers follow: division by zero, the length MAD-X gives a sequence.

Golden values are MAD-X 5.09.03's (through cpymad 1.20), noted beside each check.
"""

import warnings

import pytest

import xtrack as xt
from xtrack.madx.loader import MADLoaderWarning


def test_division_by_zero_is_zero_for_that_quotient_with_a_warning():
    # MAD-X: "warning: division by zero, result set to zero"; c = -3 and d = 4 there
    text = """a = 0.10/brho; c = 1 + 2*(3/0) - 4; d = sqrt(4)/(2-2) + 2^2; e = 10/4;
    s: sequence, l=2; endsequence;"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        env = xt.load(string=text, format="madx")
    assert (env["a"], env["c"], env["d"], env["e"]) == (0.0, -3.0, 4.0, 2.5)
    messages = [str(w.message) for w in caught if issubclass(w.category, MADLoaderWarning)]
    division = [m for m in messages if "division by zero" in m]
    assert len(division) == 3
    assert "line 1" in division[0] and "'0.10/brho'" in division[0]
    assert any("undefined variable" in m and "brho" in m for m in messages)


def test_division_by_zero_refused_without_madx_defaults():
    # default_to_zero=False: no MAD-X defaults, the division is an error naming the text
    with pytest.raises(ValueError, match=r"division by zero in the expression '1/\(2-2\)'"):
        xt.load(string="a = 1/(2-2); s: sequence, l=2; endsequence;", format="madx",
                default_to_zero=False)


def test_cpymad_route_ends_where_madx_ends():
    # MAD-X drops gaps and overlaps under 1e-6 m between consecutive elements (no drift),
    # so its sequence can end before l: here the end is at 9.9999998 m for l = 10 m
    cpymad = pytest.importorskip("cpymad.madx")
    mad = cpymad.Madx(stdout=False)
    try:
        mad.input("""m: marker; q: quadrupole, l=0.5, k1=0.1;
        r: sequence, l=10; m1: m, at=1; m2: m, at=1.0000004; q1: q, at=5; m3: m, at=10.0000002;
        endsequence; beam; use, sequence=r;""")
        tw = mad.twiss(betx=1, bety=1)
        s_end = float(tw.s[-1])
        line = xt.Line.from_madx_sequence(mad.sequence.r)
    finally:
        mad.exit()
    assert s_end == pytest.approx(9.9999998, abs=1e-12)
    assert line.get_length() == pytest.approx(s_end, abs=1e-12)
    native = xt.load(string="""m: marker; q: quadrupole, l=0.5, k1=0.1;
        r: sequence, l=10; m1: m, at=1; m2: m, at=1.0000004; q1: q, at=5; m3: m, at=10.0000002;
        endsequence;""", format="madx")["r"]
    assert native.get_length() == pytest.approx(s_end, abs=1e-12)
