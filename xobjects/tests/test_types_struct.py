"""Scalars and Struct: layout, conversions, defaults, errors, round trips."""

import json

import numpy as np
import pytest

import xobjects as xo


class Point(xo.Struct):
    x = xo.Float64
    tag = xo.Field(xo.Int64, default=3)


class Mixed(xo.Struct):
    a = xo.Int8
    b = xo.Float64
    c = xo.Int16
    d = xo.Float32


class Dyn(xo.Struct):
    n = xo.Int32
    values = xo.Float64[:]
    label = xo.String
    p = Point


class Frozen(xo.Struct):
    k = xo.Field(xo.Float64, default=2.5, readonly=True)


ALL_SCALARS = [xo.Float64, xo.Float32, xo.Int64, xo.Int32, xo.Int16, xo.Int8,
               xo.UInt64, xo.UInt32, xo.UInt16, xo.UInt8]


@pytest.mark.parametrize("stype", ALL_SCALARS, ids=lambda t: t.__name__)
def test_scalar_field_round_trip_keeps_the_extreme_values(stype):
    class Holder(xo.Struct):
        v = stype

    if stype._dtype.kind == "f":
        extreme = float(np.finfo(stype._dtype).max)
    else:
        extreme = int(np.iinfo(stype._dtype).min) if stype._dtype.kind == "i" else int(np.iinfo(stype._dtype).max)
    obj = Holder(v=extreme)
    assert obj.v == extreme
    assert Holder._size == 8  # one scalar padded to 8
    assert stype._size == stype._dtype.itemsize == stype._align


def test_fields_sit_at_natural_alignment_and_struct_is_padded_to_8():
    offsets = {f.name: f.offset for f in Mixed._fields}
    assert offsets == {"a": 0, "b": 8, "c": 16, "d": 20}
    assert Mixed._size == 24
    obj = Mixed(a=-3, b=1.25, c=-7, d=0.5)
    raw = obj._buffer.read(obj._offset, Mixed._size)
    assert raw[0:1].view(np.int8)[0] == -3
    assert raw[8:16].view(np.float64)[0] == 1.25
    assert raw[16:18].view(np.int16)[0] == -7
    assert raw[20:24].view(np.float32)[0] == 0.5


def test_dynamic_struct_layout_has_size_header_and_offset_slots():
    # static part: size(8) n(4, at 8) values slot(16) label slot(24) p(32..48)
    slots = {f.name: f.offset for f in Dyn._fields}
    assert slots == {"n": 8, "values": 16, "label": 24, "p": 32}
    assert Dyn._size is None and Dyn._static_size == 48
    obj = Dyn(n=2, values=[1.0, 2.0, 3.0], label="ab", p={"x": 4.0})
    raw = obj._buffer.read(obj._offset, obj._size)
    ints = raw.view(np.int64)
    assert ints[0] == obj._size
    # values array: size header, length, 3 doubles = 40 bytes right after the static part
    assert ints[2] == 48 and ints[6] == 40 and ints[7] == 3
    assert ints[3] == 48 + 40  # the string follows the array
    assert obj._size == 48 + 40 + 16
    assert obj._offset % 8 == 0


def test_defaults_fill_missing_fields():
    p = Point(x=1.0)
    assert p.tag == 3
    d = Dyn()
    assert d.n == 0 and len(d.values) == 0 and d.label == "" and d.p.tag == 3


def test_int_for_variable_length_field_gives_zeros_of_that_length():
    d = Dyn(values=4)
    np.testing.assert_array_equal(d.values, np.zeros(4))


def test_attribute_views_write_in_place():
    d = Dyn(values=[1.0, 2.0], p={"x": 1.0})
    d.values[1] = 7.0
    d.p.x = 9.0
    d.n = 5
    assert d.to_dict()["values"].tolist() == [1.0, 7.0]
    assert d.to_dict()["p"] == {"x": 9.0, "tag": 3}
    assert d.n == 5


def test_to_dict_round_trip_and_json():
    d = Dyn(n=2, values=[1.5, -2.0], label="héllo", p={"x": 3.0, "tag": 7})
    dct = d.to_dict()
    again = Dyn(**dct)
    assert json.dumps(again.to_dict(), cls=xo.JEncoder) == json.dumps(dct, cls=xo.JEncoder)
    assert json.loads(json.dumps(dct, cls=xo.JEncoder))["values"] == [1.5, -2.0]


def test_instance_and_dict_positional_forms():
    p = Point({"x": 2.0}, tag=5)
    assert (p.x, p.tag) == (2.0, 5)
    q = Point(p)
    assert q.to_dict() == p.to_dict() and q._buffer is not p._buffer


def test_many_objects_share_one_buffer_without_overlap():
    buf = xo.context_default.new_buffer(64)
    objs = [Dyn(values=np.arange(k, dtype=float), _buffer=buf) for k in range(20)]
    spans = sorted((o._offset, o._offset + o._size) for o in objs)
    assert all(e0 <= s1 for (_, e0), (s1, _) in zip(spans, spans[1:]))
    assert all(o.values.tolist() == list(range(k)) for k, o in enumerate(objs))


def test_readonly_field_refuses_assignment():
    f = Frozen()
    assert f.k == 2.5
    with pytest.raises(AttributeError, match="read-only"):
        f.k = 1.0


def test_struct_subclass_inherits_fields_first():
    class Point3(Point):
        z = xo.Float64

    assert [f.name for f in Point3._fields] == ["x", "tag", "z"]
    assert Point3(x=1, z=2).to_dict() == {"x": 1.0, "tag": 3, "z": 2.0}


def test_unknown_field_is_a_type_error_with_close_match():
    with pytest.raises(TypeError, match="did you mean 'tag'"):
        Point(tga=1)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"x": "abc"}, TypeError, "Point.x must be a real number"),
        ({"tag": 1.5}, ValueError, "Point.tag must be an integer"),
        ({"tag": 2**70}, ValueError, r"must be in \["),
        ({"x": 1 + 2j}, TypeError, "real number"),
    ],
)
def test_bad_scalar_values_raise_naming_the_field(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Point(**kwargs)


def test_wrong_type_for_nested_struct_is_a_type_error():
    with pytest.raises(TypeError, match="Dyn.p must be a dict or a Point"):
        Dyn(p=3)


def test_changing_variable_length_in_place_is_refused_and_leaves_data():
    d = Dyn(values=[1.0, 2.0])
    with pytest.raises(ValueError, match="cannot change in place"):
        d.values = [1.0, 2.0, 3.0]
    assert d.values.tolist() == [1.0, 2.0]
    d.values = [5.0, 6.0]
    assert d.values.tolist() == [5.0, 6.0]


def test_placement_arguments_are_checked():
    ctx_a, ctx_b = xo.ContextCpu(), xo.ContextCpu()
    with pytest.raises(ValueError, match="_buffer lives on"):
        Point(_context=ctx_a, _buffer=ctx_b.new_buffer())
    buf = ctx_a.new_buffer()
    with pytest.raises(ValueError, match="_offset must be"):
        Point(_buffer=buf, _offset=3)
    with pytest.raises(ValueError, match="needs the _buffer"):
        Point(_offset=64)
    p = Point(x=1.0, _buffer=buf, _offset=64)
    assert p._offset == 64 and p._context is ctx_a


def test_same_size_but_other_lengths_is_refused():
    class TwoArrays(xo.Struct):
        a = xo.Float64[:]
        b = xo.Float64[:]

    class Holder(xo.Struct):
        inner = TwoArrays

    h = Holder(inner={"a": [1.0], "b": [1.0, 2.0, 3.0]})
    view = h.inner
    with pytest.raises(ValueError, match="cannot change in place"):
        h.inner = {"a": [1.0, 2.0, 3.0], "b": [1.0]}  # same total size, moved arrays
    h.inner = {"a": [5.0], "b": [6.0, 7.0, 8.0]}
    assert view.a.tolist() == [5.0] and view.b.tolist() == [6.0, 7.0, 8.0]
