"""MAD-X ``line = (...)`` definitions, composers of loaded lines, layout data on the cpymad route."""

import numpy as np
import pytest

import xtrack as xt
from xtrack.mad_parser.loader import MadxLoader

LINES = """
a: drift, l=1; b: drift, l=2; c: quadrupole, l=3, k1=0.1;
fwd: line = (a, b, c);
back: line = (-fwd);
rep: line = (2 * a, 3 * b);
mixed: line = (-rep, rep, c);
twice: line = (-2 * mixed);
nested: line = (2 * (a, b), -(b, a), fwd);
"""


def _names(env, name):
    line = env[name]
    line.end_compose()
    return list(line.element_names)


def test_line_bodies_expand_repeats_reversals_and_nested_lines():
    loader = MadxLoader()
    loader.load_string(LINES)
    env = loader.env  # built on first access: no explicit build() needed
    assert _names(env, "fwd") == ["a", "b", "c"]
    assert _names(env, "back") == ["c", "b", "a"]
    assert _names(env, "rep") == ["a", "a", "b", "b", "b"]
    mixed = ["b", "b", "b", "a", "a", "a", "a", "b", "b", "b", "c"]
    assert _names(env, "mixed") == mixed
    assert _names(env, "twice") == 2 * mixed[::-1]
    assert _names(env, "nested") == ["a", "b", "a", "b", "a", "b", "a", "b", "c"]
    # a reversed line is the same elements in the other order: same length, same optics path
    assert env["back"].get_length() == pytest.approx(env["fwd"].get_length()) == 6.0


def test_lines_get_apertures_before_their_elements():
    loader = MadxLoader()
    loader.load_string('m: marker, apertype="circle", aperture={.1}; d: drift, l=1;'
                       'l: line = (m, 2 * m, d);')
    assert _names(loader.env, "l") == 3 * ["m_aper", "m"] + ["d"]
    assert loader.env["m"].name_associated_aperture == "m_aper"
    assert loader.env["m_aper"].a == pytest.approx(0.1)


def test_loaded_sequence_keeps_a_composer_with_its_length():
    env = xt.load(string="q: quadrupole, l=2, k1=0.1; ll := 3 * a; a = 10;"
                         "s: sequence, l = ll; q1: q, at = 19; endsequence;", format="madx")
    line = env["s"]
    assert line.composer.length == pytest.approx(30.0)
    before = list(line.element_names)
    line.end_compose()  # rebuilding from the composer gives the same line
    assert list(line.element_names) == before
    np.testing.assert_allclose(line.get_table().rows["q1"].s, 18.0)


SEQ = """
qd: quadrupole, l=1, k1=0.2;
mb: sbend, l=2, angle=0.05;
s: sequence, l=10;
  q1: qd, at=1, slot_id=11, assembly_id=7; b1: mb, at=5, slot_id=12;
endsequence;
"""


@pytest.fixture
def mad():
    cpymad = pytest.importorskip("cpymad.madx")
    m = cpymad.Madx(stdout=False)
    m.input(SEQ + "beam; use, sequence=s;")
    yield m
    m.exit()


def test_cpymad_route_extra_holds_layout_data_only_when_asked(mad):
    plain = xt.Line.from_madx_sequence(mad.sequence.s)
    assert plain["q1"].extra is None and plain["b1"].extra is None
    assert "extra" not in plain["q1"].to_dict()
    layout = xt.Line.from_madx_sequence(mad.sequence.s, enable_layout_data=True)
    # only what the file set: no builtin-class defaults (fintx = -1, frngmax, aper_tol ...)
    assert layout["q1"].extra == {"slot_id": 11.0, "assembly_id": 7.0}
    native = xt.load(string=SEQ, format="madx")["s"]
    assert native["q1"].extra == layout["q1"].extra
    assert native["b1"].extra == layout["b1"].extra == {"slot_id": 12.0}


def test_cpymad_and_native_element_dicts_agree_key_by_key(mad):
    ref = xt.Line.from_madx_sequence(mad.sequence.s, deferred_expressions=True)
    native = xt.load(string=SEQ, format="madx")["s"]
    for name in ("q1", "b1"):
        d_ref, d_nat = ref[name].to_dict(), native[name].to_dict()
        # the native route also names the prototype (the MAD-X class), cpymad does not
        assert set(d_ref) - {"extra"} == set(d_nat) - {"extra", "prototype"}
        for key, value in d_ref.items():
            if key in ("__class__", "prototype"):
                continue
            np.testing.assert_allclose(value, d_nat[key], rtol=1e-12, atol=0, err_msg=f"{name}.{key}")
