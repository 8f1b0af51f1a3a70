"""The fast paths of construction: same bytes, same errors, same layout as the general path.

Structs whose fields are scalars and 1-d variable arrays of scalars are
built by an encoder generated once per type (``Struct._fast_plan``, see
``types/struct.py``); scalars assigned from Python go through
``Scalar._fast_value``; small arrays through ``Array._fast_items``. Values
those do not take go to the general path (``_fast_plan = None`` below forces
it), which must be the only one that decides errors. These tests build every
value both ways and compare the buffer bytes, the errors (type and message)
and that nothing was written when a value is bad.
"""

import math
import warnings

import numpy as np
import pytest
from xobjects.types.base import DIRECT_WRITE_BYTES
from xobjects.types.scalar import ALL_SCALARS, NOFAST

import xobjects as xo


class Static(xo.Struct):
    f64 = xo.Float64
    i8 = xo.Int8
    f32 = xo.Float32
    u16 = xo.UInt16
    i64 = xo.Field(xo.Int64, default=-7)
    u8 = xo.UInt8
    i32 = xo.Int32
    u64 = xo.UInt64
    g = xo.Field(xo.Float64, default=2.5)


class Dynamic(xo.Struct):
    n = xo.Int32
    x = xo.Float64[:]
    length = xo.Float64
    ids = xo.Int64[:]
    seeds = xo.UInt32[:]
    w = xo.Field(xo.Float64[:], default=[1.0, 2.0, 3.0])
    small = xo.Float32[:]
    flag = xo.Int8


class Element(xo.HybridClass):
    _xofields = {"length": xo.Float64, "order": xo.Int64, "knl": xo.Float64[:], "ksl": xo.Float64[:]}


class NotFast(xo.Struct):  # a string field: no fast plan
    a = xo.Float64
    name = xo.String


def _bytes(obj):
    return bytes(obj._buffer.read(obj._offset, obj._size))


def _general(monkeypatch, cls):
    monkeypatch.setattr(cls, "_fast_plan", None)


def _both(monkeypatch, cls, values, **place):
    """The object built by the fast path and by the general one (which must agree on taking it)."""
    assert cls._fast_plan(values) is not None, values
    fast = cls(values, **place)
    with monkeypatch.context() as m:
        _general(m, cls)
        slow = cls(values, **place)
    return fast, slow


STATIC_VALUES = [
    {},
    {"f64": 1.5, "i8": -128, "f32": 0.1, "u16": 65535, "i64": 2**63 - 1, "u8": 255, "i32": -(2**31), "u64": 2**64 - 1},
    {"f64": 3, "i8": True, "f32": -2, "u16": False, "i64": -(2**63), "g": None},
    {"f64": np.float64(0.3), "f32": np.float32(1.25), "i64": np.int64(5), "u8": np.uint8(3), "i32": 7.0},
    {"f64": float("nan"), "g": float("-inf"), "i8": -0.0, "u64": 2.0**63},
    {"f64": 2**53, "f32": 2**24, "g": -(2**53)},
    {"f32": 3.4028234663852886e38, "u16": np.int32(12)},
]


@pytest.mark.parametrize("values", STATIC_VALUES)
def test_static_struct_same_bytes_as_the_general_path(monkeypatch, values):
    fast, slow = _both(monkeypatch, Static, values)
    assert _bytes(fast) == _bytes(slow)
    assert fast.to_dict() == slow.to_dict() or all(
        (a == b) or (a != a and b != b) for a, b in zip(fast.to_dict().values(), slow.to_dict().values())
    )
    assert fast._size == slow._size == Static._size


DYNAMIC_VALUES = [
    {},
    {"x": 3, "ids": 0, "seeds": 5},
    {"x": [1, 2.5, 3], "ids": [1, 2, 3], "seeds": np.arange(4, dtype=np.uint32), "w": None},
    {"x": np.arange(6.0)[::2], "ids": np.array([5, -6]), "small": [1e-3, 2.0], "flag": -1, "n": 3.0},
    {"x": np.arange(5, dtype=np.int32), "small": np.arange(3, dtype=np.float64), "length": 2},
    {"x": np.array([1.0, 2.0], dtype=">f8"), "w": (True, False), "ids": np.array([], dtype=np.int64)},
    {"x": [], "w": [], "small": np.zeros(0), "seeds": ()},
    {"x": np.broadcast_to(1.5, (4,)), "w": np.arange(3, dtype=np.uint64)},
    {"x": np.zeros(DIRECT_WRITE_BYTES // 8 - 3)},  # largest array still staged
]


@pytest.mark.parametrize("values", DYNAMIC_VALUES)
def test_dynamic_struct_same_bytes_and_layout_as_the_general_path(monkeypatch, values):
    fast, slow = _both(monkeypatch, Dynamic, values)
    assert _bytes(fast) == _bytes(slow)
    assert fast._size == slow._size
    lengths = {k: v for k, v in values.items() if k in ("x", "ids", "seeds", "w", "small")}
    layout = Dynamic._layout_for(**lengths)
    assert layout.size == fast._size
    for f in Dynamic._fields:
        assert layout.offsets[f.name] == fast._field_offset(f) - fast._offset, f.name
    for name in ("x", "ids", "seeds", "w", "small"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name))
        assert getattr(fast, name).dtype == getattr(slow, name).dtype


def test_dirty_reused_memory_gets_every_byte(monkeypatch, context):
    buffer = context.new_buffer(capacity=4096)
    junk = xo.UInt8[:](np.full(4000, 0xAB, dtype=np.uint8), _buffer=buffer)
    junk._free()
    values = {"x": 3, "ids": [4, 5], "w": np.zeros(2)}
    fast, slow = _both(monkeypatch, Dynamic, values, _buffer=buffer)
    assert _bytes(fast) == _bytes(slow)
    s_fast, s_slow = _both(monkeypatch, Static, {"i8": 1}, _buffer=buffer)
    assert _bytes(s_fast) == _bytes(s_slow)
    assert s_fast.g == 2.5 and s_fast.f64 == 0.0


def test_new_buffer_on_every_context(monkeypatch, context):
    values = {"x": [1.0, 2.0], "ids": 2, "flag": 3}
    fast, slow = _both(monkeypatch, Dynamic, values, _context=context)
    assert fast._context is context
    assert _bytes(fast) == _bytes(slow)
    assert fast._offset % max(8, getattr(context, "minimum_alignment", 8)) == 0


def test_fresh_buffer_allocation_is_what_allocate_gives(context):
    a = Dynamic(x=3, _context=context)
    b = context.new_buffer(capacity=a._buffer.capacity)
    assert b.allocate(a._size, alignment=8) == a._offset == 0
    assert a._buffer.free_chunks == b.free_chunks
    s = Static(_context=context)  # fills its buffer: no free chunk left
    assert s._buffer.free_chunks == [] and s._buffer.capacity == Static._size
    s._free()
    assert s._buffer.free_chunks == [(0, Static._size)]


BAD_STATIC = [
    {"f64": "1.0"},
    {"f64": 1j},
    {"f64": np.array(1.0)},  # 0-d arrays: the general path (which takes them)
    {"f64": [1.0]},
    {"i8": 128},
    {"i8": 1.5},
    {"u16": -1},
    {"u64": 2**64},
    {"i64": float("nan")},
    {"i64": float("inf")},
    {"i32": "3"},
    {"f32": 1e39},
    {"f32": float("nan")},
    {"f64": 2**60 + 1},  # exact int -> float conversion: general path
    {"nope": 1.0},
    {"i64": np.uint64(2**63)},
]


@pytest.mark.parametrize("values", BAD_STATIC)
def test_values_not_for_the_fast_path_behave_as_in_the_general_path(monkeypatch, values):
    """The fast encoder declines (None); the result or the error is the general path's."""
    assert Static._fast_plan(values) is None
    outcomes = []
    for general in (False, True):
        with monkeypatch.context() as m:
            if general:
                _general(m, Static)
            try:
                outcomes.append(("ok", _bytes(Static(values))))
            except Exception as exc:  # noqa: BLE001 - compared below
                outcomes.append((type(exc), str(exc)))
    assert outcomes[0] == outcomes[1]


BAD_DYNAMIC = [
    {"x": ["a", "b"]},
    {"x": [[1.0, 2.0]]},
    {"x": np.zeros((2, 2))},
    {"x": -1},
    {"x": 1.5},
    {"ids": [1.5, 2.0]},
    {"ids": np.array([1.5, 2.0])},
    {"seeds": [-1]},
    {"x": [1.0, None]},
    {"x": np.array([1 + 2j])},
    {"x": "abc"},
    {"x": [1.0, [2.0]]},
    {"x": [1.0], "bad": 1},
    {"n": 2**31},
]
#: Valid, but not for the fast path: the general path builds them.
DECLINED_DYNAMIC = [
    {"ids": np.array([1.0, 2.0])},  # integral floats for an integer array
    {"seeds": np.array([1, 2])},  # int64 items for UInt32
    {"x": np.zeros(DIRECT_WRITE_BYTES // 8)},  # written directly
    {"x": DIRECT_WRITE_BYTES // 8},
    {"x": np.zeros((3,))[None, :][0], "n": np.array(3)},
]


def _outcomes(monkeypatch, values):
    """(fast path allowed, general path forced): result bytes or error, and the buffer checks."""
    outcomes = []
    for general in (False, True):
        buffer = xo.context_default.new_buffer(capacity=1 << 20)
        buffer.write(0, np.full(1 << 20, 0x5A, dtype=np.uint8))
        with monkeypatch.context() as m:
            if general:
                _general(m, Dynamic)
            try:
                obj = Dynamic(values, _buffer=buffer)
                outcomes.append(("ok", _bytes(obj)))
            except Exception as exc:  # noqa: BLE001 - compared below
                outcomes.append((type(exc), str(exc)))
                assert (buffer.read(0, 1 << 20) == 0x5A).all()  # nothing written
                assert buffer.free_chunks == [(0, 1 << 20)]  # nothing allocated
    return outcomes


@pytest.mark.parametrize("values", BAD_DYNAMIC)
def test_bad_dynamic_values_same_error_and_nothing_written(monkeypatch, values):
    assert Dynamic._fast_plan(values) is None
    fast, general = _outcomes(monkeypatch, values)
    assert fast == general
    assert fast[0] != "ok"


@pytest.mark.parametrize("values", DECLINED_DYNAMIC)
def test_values_declined_by_the_fast_path_are_built_by_the_general_one(monkeypatch, values):
    assert Dynamic._fast_plan(values) is None
    fast, general = _outcomes(monkeypatch, values)
    assert fast == general
    assert fast[0] == "ok"


def test_error_messages_are_the_clear_ones():
    with pytest.raises(TypeError, match=r"Static\.f64 must be a real number \(Float64\), got '1.0' \(str\)"):
        Static(f64="1.0")
    with pytest.raises(ValueError, match=r"Static\.i8 must be in \[-128, 127\] \(Int8\), got 128"):
        Static(i8=128)
    with pytest.raises(ValueError, match=r"Static\.i64 must be an integer \(Int64\), got 1.5"):
        Static(i64=1.5)
    with pytest.raises(TypeError, match=r"unexpected keyword 'f46'.*did you mean 'f64'"):
        Static(f46=1.0)
    with pytest.raises(TypeError, match=r"Dynamic\.x must be a sequence or array of numbers"):
        Dynamic(x=["a"])
    with pytest.raises(ValueError, match=r"Dynamic\.ids must hold integers"):
        Dynamic(ids=[1.5])


def test_hybrid_class_fast_path_same_bytes_and_values(monkeypatch):
    kwargs = {"length": 2.0, "order": 3, "knl": np.array([0.0, 1.0, 0.5]), "ksl": [0, 0, 0.25]}
    fast = Element(**kwargs)
    with monkeypatch.context() as m:
        _general(m, Element._XoStruct)
        slow = Element(**kwargs)
    assert _bytes(fast._xobject) == _bytes(slow._xobject)
    assert fast.to_dict().keys() == slow.to_dict().keys()
    np.testing.assert_array_equal(fast.knl, [0.0, 1.0, 0.5])
    fast.knl[1] = 7.0  # views still write in place
    assert fast._xobject.to_dict()["knl"][1] == 7.0
    assert type(Element.from_dict(fast.to_dict())) is Element


def test_fast_plan_only_for_eligible_structs():
    assert NotFast._fast_plan is None
    assert Static._fast_plan is not None and Dynamic._fast_plan is not None
    n = NotFast(a=1.0, name="abc")  # general path
    assert n.name == "abc" and n.a == 1.0


@pytest.mark.parametrize("scalar", ALL_SCALARS, ids=lambda s: s.__name__)
def test_scalar_fast_value_packs_what_prepare_gives(scalar):
    values = [None, 0, 1, -1, True, False, 0.5, -2.0, 3.0, 2**7, 2**8, 2**15, 2**16, 2**31, 2**32,
              2**53, 2**53 + 1, 2**63, 2**64, -(2**63), -(2**63) - 1, float("nan"), float("inf"),
              -0.0, 1e39, 3.4028234663852886e38, np.float64(0.1), np.float32(0.1), np.int64(-3),
              np.uint64(2**64 - 1), np.int8(-5), np.bool_(True), "1", 1j, [1], np.array(2.0)]
    for v in values:
        fast = scalar._fast_value(v)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # numpy's overflow to inf: not for the fast path
                expected = scalar._prepare(v, "v").tobytes()
        except (TypeError, ValueError, OverflowError, RuntimeWarning):
            expected = None
        if fast is NOFAST:
            continue  # left to _prepare
        assert expected is not None, (scalar, v)
        assert scalar._packer.pack(fast) == expected, (scalar, v)
        assert scalar._pack(v) == expected


def test_scalar_field_assignment_fast_and_general_agree(monkeypatch, context):
    obj = Static(_context=context)
    ref = Static(_context=context)
    for name, value in [("f64", 0.25), ("i8", -3), ("f32", 1.5), ("u64", 2**64 - 1), ("i64", np.int64(4)),
                        ("u8", True), ("i32", 9.0), ("g", None)]:
        setattr(obj, name, value)
        xo.types.base.assign(getattr(Static, name).ftype, ref._buffer, ref._field_offset(getattr(Static, name)),
                             value, name)
        assert _bytes(obj) == _bytes(ref), name
    before = _bytes(obj)
    for name, value, exc in [("i8", 300, ValueError), ("f64", "x", TypeError), ("u16", -1, ValueError),
                             ("i64", 0.5, ValueError)]:
        with pytest.raises(exc, match=rf"Static\.{name}"):
            setattr(obj, name, value)
    assert _bytes(obj) == before


def test_cpu_write_of_bytes_checks_the_range():
    buffer = xo.ContextCpu().new_buffer(capacity=32)
    buffer.write(8, b"\x01" * 8)
    buffer.write(16, bytearray(b"\x02" * 16))
    assert buffer.read(0, 32).tolist() == [0] * 8 + [1] * 8 + [2] * 16
    for offset, data in [(30, b"abc"), (-1, b"a"), (33, b"")]:
        with pytest.raises(ValueError, match="outside the buffer"):
            buffer.write(offset, data)


def test_generated_encoder_is_inspectable():
    src = Dynamic._fast_plan.source
    assert src.startswith("def encode(value):")
    assert math.isfinite(len(src))


def test_scalar_field_read_fast_path_gives_the_general_value(context):
    values = {"f64": 0.1, "i8": -128, "f32": 0.1, "u16": 65535, "i64": -(2**63), "u8": 255,
              "i32": 2**31 - 1, "u64": 2**64 - 1, "g": float("-inf")}
    obj = Static(values, _context=context)
    for f in Static._fields:
        got = getattr(obj, f.name)
        expected = f.ftype._view(obj._buffer, obj._offset + f.offset)
        assert type(got) is type(expected) and got == expected, f.name
    assert obj.f32 == float(np.float32(0.1))


def test_a_one_value_list_sets_a_scalar_field_and_a_longer_one_is_refused():
    # numpy assignment semantics: x = [0.5] sets a scalar; [0.5, 1.0] cannot
    assert Static(f64=[0.5]).f64 == 0.5
    assert Static(i64=np.array([3])).i64 == 3
    with pytest.raises(TypeError, match=r"Static\.f64 must be a real number"):
        Static(f64=[0.5, 1.0])
