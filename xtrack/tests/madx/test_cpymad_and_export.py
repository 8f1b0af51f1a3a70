"""cpymad route, structured parser, apertures, reversed lines and the MAD-X writer."""

import math
import warnings

import numpy as np
import pytest

import xtrack as xt
from xtrack.mad_parser.parse import MadxParser

FODO = """
kqf = 0.3; kqd := -kqf;
qf: quadrupole, l=1, k1:=kqf, apertype="circle", aperture={0.04};
qd: quadrupole, l=1, k1:=kqd, tilt=0.01;
b: sbend, l=2, angle=0.1, e1=0.01, e2=0.02;
vk: vkicker, l=0.5, kick:=0.1*kqf;
mu: multipole, knl:={0, 0.01, kqf}, ksl={0.001, 0.002};
fodo: sequence, l=12;
  qf1: qf, at=0.5; b1: b, at=3; vk1: vk, at=5; qd1: qd, at=6.5; mu1: mu, at=8; b2: b, at=9;
endsequence;
"""


@pytest.fixture
def madx():
    cpymad = pytest.importorskip("cpymad.madx")
    mad = cpymad.Madx(stdout=False)
    yield mad
    mad.exit()


def _used(mad, text, name, bv=1):
    mad.input(text)
    mad.input(f"beam, particle=proton, energy=7000, bv={bv}; use, sequence={name};")
    return mad.sequence[name]


def test_cpymad_route_gives_the_native_elements_and_live_knobs(madx):
    line = xt.Line.from_madx_sequence(_used(madx, FODO, "fodo"), deferred_expressions=True)
    native = xt.load(string=FODO, format="madx", install_apertures=False)["fodo"]
    for name in ("qf1", "qd1", "b1", "vk1", "mu1"):
        d_cpy, d_nat = line[name].to_dict(), native[name].to_dict()
        for key, value in d_nat.items():
            if key in ("prototype", "__class__", "extra") or isinstance(value, str):
                continue
            if name == "mu1" and key in ("knl", "ksl", "order"):
                continue  # a multipole keeps its own order on the cpymad route (below)
            np.testing.assert_allclose(d_cpy[key], value, rtol=1e-12, atol=1e-15, err_msg=f"{name}.{key}")
    # cpymad reports a multipole's knl/ksl to its own order (trailing zeros dropped);
    # the native loader pads them to order 5: same values, and the reference follows knl[0]
    assert line["mu1"].order == 2
    np.testing.assert_allclose(native["mu1"].knl[:3], line["mu1"].knl, rtol=1e-12)
    np.testing.assert_allclose(native["mu1"].ksl[:3], line["mu1"].ksl, rtol=1e-12)
    assert not np.any(native["mu1"].knl[3:]) and not np.any(native["mu1"].ksl[3:])
    # knobs stay knobs: the qd strength follows kqf through kqd := -kqf
    line.vars["kqf"] = 0.25
    assert line["qd1"].k1 == pytest.approx(-0.25)
    assert line["vk1"].ksl[0] == pytest.approx(0.025)
    assert line["mu1"].knl[2] == pytest.approx(0.25)
    assert line["qd1"].rot_s_rad == pytest.approx(0.01)


def test_cpymad_route_positions_follow_madx(madx):
    seq = _used(madx, FODO, "fodo")
    line = xt.Line.from_madx_sequence(seq)
    tt = line.get_table()
    names = list(tt.name)
    s_xt = dict(zip(names, tt.s))
    twiss = madx.twiss(betx=1, bety=1)
    for name in ("qf1", "b1", "qd1", "mu1", "b2"):
        row = list(twiss.name).index(name + ":1")
        s_exit = twiss.s[row]
        assert s_xt[name] + line[name].length == pytest.approx(s_exit, abs=1e-9)
    assert "fodo$start" in names and "fodo$end" in names


def test_cpymad_apertures_and_errors(madx):
    seq = _used(madx, FODO + "select, flag=error, pattern=qd1; efcomp, dkn={0, 0.001};"
                "ealign, dx=0.002, dy=-0.001;", "fodo")
    madx.input("select, flag=error, clear; select, flag=error, pattern=qd1; efcomp, dkn={0, 0.001};"
               "ealign, dx=0.002, dy=-0.001;")
    line = xt.Line.from_madx_sequence(seq, install_apertures=True, apply_madx_errors=True)
    names = line.element_names
    assert names[names.index("qf1") - 1] == "qf1_aper"
    assert line["qf1"].name_associated_aperture == "qf1_aper"
    assert isinstance(line["qf1_aper"], xt.LimitEllipse)
    assert line["qf1_aper"].a == pytest.approx(0.04)
    assert line["qd1"].knl[1] == pytest.approx(0.001)
    assert line["qd1"].shift_x == pytest.approx(0.002)
    assert line["qd1"].shift_y == pytest.approx(-0.001)


def test_bv_minus_one_reverses_like_the_native_reverse_lines(madx):
    line = xt.Line.from_madx_sequence(_used(madx, FODO, "fodo", bv=-1), deferred_expressions=True)
    native = xt.load(string=FODO, format="madx", reverse_lines=["fodo"], install_apertures=False)["fodo"]
    # mirrored: order reversed, k1 flips, tilt flips, edges swap, vertical kick flips
    order = [n for n in line.element_names if not n.startswith(("drift", "fodo$"))]
    assert order == ["b2", "mu1", "qd1", "vk1", "b1", "qf1"]
    assert line["qf1"].k1 == pytest.approx(-0.3)
    assert line["qd1"].rot_s_rad == pytest.approx(-0.01)
    assert line["b1"].edge_entry_angle == pytest.approx(0.02)
    assert line["vk1"].ksl[0] == pytest.approx(-0.03)
    assert list(line["mu1"].knl)[:3] == pytest.approx([0, -0.01, 0.3])
    assert list(line["mu1"].ksl)[:2] == pytest.approx([-0.001, 0.002])
    for name in ("qf1", "qd1", "b1", "mu1", "vk1"):
        knl = line[name].to_dict()["knl"]
        assert knl == pytest.approx(native[name].to_dict()["knl"][:len(knl)])
    line.vars["kqf"] = 0.2
    assert line["qd1"].k1 == pytest.approx(0.2)


def test_to_madx_sequence_round_trip_through_madx(madx):
    native = xt.load(string=FODO.replace("kick:=0.1*kqf", "kick:=0"), format="madx")["fodo"]
    text = native.to_madx_sequence("fodo_out")
    assert "k1:=kqf" in text.replace(" ", "")
    madx.input(text)
    madx.input("beam, particle=proton, energy=7000; use, sequence=fodo_out;")
    tw_out = madx.twiss()
    q1_out = tw_out.summary.q1
    madx.input(FODO.replace("kick:=0.1*kqf", "kick:=0").replace("fodo:", "fodo_ref:"))
    madx.input("use, sequence=fodo_ref;")
    tw_ref = madx.twiss()
    assert q1_out == pytest.approx(tw_ref.summary.q1, abs=1e-9)
    assert tw_out.summary.q2 == pytest.approx(tw_ref.summary.q2, abs=1e-9)


def test_madx_parser_structure_and_live_values():
    env = xt.Environment()
    parser = MadxParser(vars=env.vars, functions=env.functions)
    result = parser.parse_string("""
        a = 2; b := 3 * a;
        q: quadrupole, l := b, k1 = 0.1;
        s: sequence, l = 10; q1: q, at = 5, from = m0; endsequence;
        q1, k1 := a;
        beam, particle = PROTON, energy = 7;
    """)
    assert set(result) == {"elements", "lines", "parameters", "beams"}
    assert result["elements"]["q"] == {"parent": "quadrupole", "l": env.vars["b"], "k1": 0.1}
    assert result["lines"]["s"]["elements"]["q1"] == {"parent": "q", "at": 5.0, "from": "m0"}
    assert result["parameters"]["q1"] == {"k1": env.vars["a"]}
    assert result["beams"] == [{"particle": "proton", "energy": 7.0}]
    env["a"] = 4
    assert env["b"] == 12


def test_native_apertures_and_octagon():
    env = xt.load(string="""
        m: marker, apertype=octagon, aperture={0.4, 0.5, 0.5, 1.0};
        r: marker, apertype=rectangle, aperture={0.07, 0.05}, aper_offset={0.01, 0.02};
        s: sequence, l=1; m, at=0.1; r, at=0.2; endsequence;
    """, format="madx")
    line = env["s"]
    octagon = line["m_aper"]
    assert isinstance(octagon, xt.LimitPolygon)
    assert octagon._xobject.y_vertices[0] == pytest.approx(0.4 * math.tan(0.5))
    rect = line["r_aper"]
    assert (rect.min_x, rect.max_x, rect.shift_x, rect.shift_y) == pytest.approx((-0.07, 0.07, 0.01, 0.02))


def test_unsupported_apertype_names_the_allowed_ones():
    with pytest.raises(ValueError, match="apertype 'triangle' is not supported; allowed"):
        xt.load(string='m: marker, apertype="triangle", aperture={1}; s: sequence, l=1; m, at=0; endsequence;',
                format="madx")


def test_from_madx_sequence_rejects_a_name():
    with pytest.raises(TypeError, match="cpymad sequence object"):
        xt.Line.from_madx_sequence("lhcb1")
