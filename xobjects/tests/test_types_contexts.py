"""Every type on every context: build, read views, copy across contexts."""

import numpy as np

import xobjects as xo

from .ref_types import Leaf


class Inner(xo.Struct):
    x = xo.Float64
    k = xo.Int8


class Choice(xo.UnionRef):
    _reftypes = [Inner, Leaf]


class Everything(xo.Struct):
    f32 = xo.Float32
    u16 = xo.UInt16
    fixed = xo.Float64[3]
    var = xo.Int32[:]
    grid = xo.Float64[:, 2]
    inner = Inner
    inners = Inner[:]
    text = xo.String
    ref = xo.Ref(Inner)
    choice = Choice


VALUE = {
    "f32": 0.25,
    "u16": 65535,
    "fixed": [1.0, -2.0, 3.5],
    "var": [4, -5],
    "grid": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
    "inner": {"x": 7.0, "k": -1},
    "inners": [{"x": 8.0, "k": 2}],
    "text": "beam",
    "ref": {"x": 9.0, "k": 3},
    "choice": {"__class__": "Leaf", "n": 11},
}


def _plain(dct):
    """Comparable form: arrays as lists."""
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in dct.items()}


def test_round_trip_on_context(context):
    obj = Everything(VALUE, _context=context)
    assert _plain(obj.to_dict()) == {**VALUE, "choice": {"__class__": "Leaf", "n": 11}}
    view = obj.var  # a context array, written in place
    assert type(view) is type(context.zeros(1))
    view[1] = 12
    assert obj.to_dict()["var"].tolist() == [4, 12]
    assert obj.inner.x == 7.0 and obj.ref.x == 9.0 and obj.choice.n == 11


def test_copy_to_and_from_context_is_bit_identical_without_refs(context):
    class Plain(xo.Struct):
        a = xo.Float64[:]
        b = Inner[2]
        c = xo.String

    src = Plain(a=np.random.default_rng(1).normal(size=17), b=[{"x": 1.0}, {"x": 2.0}], c="abc")
    there = Plain(src, _context=context)
    back = Plain(there, _context=xo.ContextCpu())
    raw = lambda o: o._buffer.read(o._offset, o._size)  # noqa: E731
    np.testing.assert_array_equal(raw(there), raw(src))
    np.testing.assert_array_equal(raw(back), raw(src))


def test_copy_with_refs_to_context_rebuilds_targets_there(context):
    src = Everything(VALUE)
    there = Everything(src, _context=context)
    assert there.ref._context is context and there.choice._context is context
    assert _plain(there.to_dict()) == _plain(src.to_dict())


def test_array_and_string_standalone_on_context(context):
    arr = xo.Float64[:, 2](np.arange(6.0).reshape(3, 2), _context=context)
    assert arr.shape == (3, 2) and arr[2, 1] == 5.0
    arr[0, 0] = -1.0
    np.testing.assert_array_equal(arr.to_nparray()[0], [-1.0, 1.0])
    s = xo.String("ok", _context=context)
    assert s.to_str() == "ok"
