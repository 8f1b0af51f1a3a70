"""MAD-X elements that map to special xtrack classes: MATRIX, WIRE, thin MULTIPOLE."""

import numpy as np
import pytest

import xtrack as xt

MATRIX = """
a11 = 1;
mat: matrix, l=0.4, rm11:=a11, rm12=2, rm21=3, rm22=4, kick1=0.1, kick2=0.2, kick3=0.3;
ss: sequence, l=1; mm: mat, at=0.3; endsequence;
"""


def _check(line, set_a11):
    mm = line["mm"]
    assert isinstance(mm, xt.FirstOrderTaylorMap)
    assert line.get_length() == pytest.approx(1.0, abs=1e-15)
    expected = np.eye(6)
    expected[:2, :2] = [[1, 2], [3, 4]]
    np.testing.assert_array_equal(mm.m1, expected)  # the entries not given keep the unit matrix
    np.testing.assert_array_equal(mm.m0, [0.1, 0.2, 0.3, 0, 0, 0])
    set_a11(2.0)
    assert line["mm"].m1[0, 0] == 2.0
    p = xt.Particles(x=1e-3, px=2e-3)
    line["mm"].track(p)
    np.testing.assert_allclose(p.s, 0.4, atol=1e-15)
    np.testing.assert_allclose(p.x, 0.1 + 2.0 * 1e-3 + 2 * 2e-3, rtol=1e-15)
    np.testing.assert_allclose(p.px, 0.2 + 3 * 1e-3 + 4 * 2e-3, rtol=1e-15)


def test_native_loader_matrix():
    env = xt.load(string=MATRIX, format="madx")
    _check(env["ss"], lambda v: env.__setitem__("a11", v))


def test_cpymad_matrix():
    cpymad = pytest.importorskip("cpymad.madx")
    mad = cpymad.Madx(stdout=False)
    try:
        mad.input(MATRIX + "beam; use, sequence=ss;")
        line = xt.Line.from_madx_sequence(mad.sequence.ss, deferred_expressions=True)
    finally:
        mad.exit()  # no MAD-X process left for the garbage collector (warnings are errors)
    _check(line, lambda v: line.vars.__setitem__("a11", v))


def test_wire_is_an_xtrack_wire_and_a_long_one_keeps_its_length():
    env = xt.load(string="""
    w1: wire, current=5, l_phy=1, l_int=2, xma=1e-3, yma=2e-3;
    w2: wire, l=0.5, current=5;
    ss: sequence, l=2; w1: w1, at=0.5; w2: w2, at=1.5; endsequence;
    """, format="madx")
    line = env["ss"]
    w = line["w1"]
    assert isinstance(w, xt.Wire)
    assert (w.current, w.L_phy, w.L_int, w.xma, w.yma) == (5, 1, 2, 1e-3, 2e-3)
    assert isinstance(line["w2"], xt.Device) and line["w2"].length == 0.5
    assert line.get_length() == 2.0


def test_cpymad_multipole_keeps_its_order_and_bends_the_reference_by_knl0():
    cpymad = pytest.importorskip("cpymad.madx")
    mad = cpymad.Madx(stdout=False)
    try:
        mad.input("""
        m1: multipole, knl={0.01, 2, 3, 0};
        m2: multipole, knl={0.01, 2}, angle=0.02;
        ss: sequence, l=1; m1: m1, at=0.2; m2: m2, at=0.4; endsequence;
        beam; use, sequence=ss;""")
        line = xt.Line.from_madx_sequence(mad.sequence.ss)
    finally:
        mad.exit()
    np.testing.assert_array_equal(line["m1"].knl, [0.01, 2, 3])
    assert line["m1"].hxl == 0.01  # no angle given: the reference orbit follows knl[0]
    assert line["m2"].hxl == 0.02


def test_native_multipole_bends_the_reference_by_knl0_live():
    # MAD-X follows knl[0] with the reference orbit unless a non-zero angle is given
    # (checked with MAD-X 5.09: no closed-orbit kick from `knl={0.01}` alone)
    env = xt.load(string="""
    kb = 0.01;
    m1: multipole, knl:={kb, 2};
    m2: multipole, knl={0.01, 2}, angle=0.02;
    m3: multipole, knl={0, 2};
    ss: sequence, l=1; m1: m1, at=0.2; m2: m2, at=0.4; m3: m3, at=0.6; endsequence;
    """, format="madx")
    line = env["ss"]
    assert line["m1"].hxl == 0.01
    assert line["m2"].hxl == 0.02
    assert line["m3"].hxl == 0.0
    env["kb"] = 0.03
    assert line["m1"].hxl == 0.03 and line["m1"].knl[0] == 0.03
    line.particle_ref = xt.Particles(p0c=1e9)
    p = line.build_particles(x=0, px=0)
    line["m1"].track(p)
    assert p.px[0] == 0.0  # on the design orbit: knl[0] is the reference bending
