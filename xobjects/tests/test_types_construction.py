"""Building structs with large arrays, and the layout query ``Struct._layout_for``.

Large arrays of scalars bypass the host staging array (see ``types/base.py``):
these tests check that every way of giving them (arrays of any dtype and
strides, broadcast scalars, lengths) stores the same bytes as the staged
path, on every context, also in reused (dirty) memory, and that the layout
query gives the offsets the constructor uses.
"""

import numpy as np
import pytest
from xobjects.types.base import DIRECT_WRITE_BYTES

import xobjects as xo

# enough float64 items to take the direct path
BIG = DIRECT_WRITE_BYTES // 8 + 5


class Item(xo.Struct):
    a = xo.Field(xo.Float64, default=2.5)
    b = xo.Int64


class Beam(xo.Struct):
    n = xo.Int32
    x = xo.Float64[:]
    ids = xo.Int64[:]
    seeds = xo.UInt32[:]
    label = xo.String
    centre = Item
    grid = xo.Float64[:, 3]
    fixed = xo.Float32[3]
    items = Item[:]


def _dirty_buffer(context, nbytes):
    """A buffer whose free memory is full of non-zero bytes (a freed object)."""
    buffer = context.new_buffer(capacity=nbytes)
    junk = xo.UInt8[:](np.full(nbytes - 64, 0xAB, dtype=np.uint8), _buffer=buffer)
    junk._free()
    return buffer


def _host(context, array):
    return context.nparray_from_context_array(array)


@pytest.mark.parametrize("lengths", [
    {},
    {"x": 5, "ids": 0, "seeds": 3, "grid": 2, "items": 4, "label": "abc"},
    {"x": BIG, "ids": BIG, "seeds": BIG + 1, "grid": BIG, "items": 7},
])
def test_layout_for_gives_the_offsets_of_the_constructor(lengths):
    layout = Beam._layout_for(**lengths)
    obj = Beam(**lengths)
    assert layout.size == obj._size
    for f in Beam._fields:
        assert layout.offsets[f.name] == obj._field_offset(f) - obj._offset, f.name
    base = obj._buffer.buffer.ctypes.data + obj._offset
    for name in ("x", "ids", "seeds", "grid"):
        view = getattr(obj, name)
        if view.size:  # an empty view has no meaningful address
            assert layout.item_offsets[name] == view.ctypes.data - base, name
    # the item offsets of arrays of structs and of static arrays follow the same rule
    if len(obj.items):
        assert layout.item_offsets["items"] == obj.items._item_offset(0) - obj._offset
    assert layout.item_offsets["fixed"] == layout.offsets["fixed"]
    assert set(layout.item_offsets) == {"x", "ids", "seeds", "grid", "fixed", "items"}


def test_layout_for_is_computed_once_per_type_and_lengths():
    assert Beam._layout_for(x=10, ids=3) is Beam._layout_for(x=10, ids=3)
    assert Beam._layout_for(x=10).size == Beam._layout_for(x=np.zeros(10)).size
    assert Item._layout_for() == (Item._size, {"a": 0, "b": 8}, {})


def test_layout_for_rejects_unknown_fields_with_a_close_match():
    with pytest.raises(TypeError, match=r"Beam._layout_for\(\) got an unexpected keyword 'xx'; did you mean 'x'"):
        Beam._layout_for(xx=3)
    with pytest.raises(ValueError, match="lengths must be >= 0"):
        Beam._layout_for(x=-1)


def test_large_arrays_of_any_dtype_and_strides_are_stored_as_given(context):
    rng = np.random.default_rng(1)
    x = rng.normal(size=2 * BIG).astype(np.float32)[::2]  # strided, other dtype
    ids = np.arange(BIG, dtype=np.int32)
    grid = rng.normal(size=(BIG, 3))
    obj = Beam(x=x, ids=ids, seeds=np.broadcast_to(np.uint32(7), BIG), grid=grid,
               label="beam", n=3, _context=context)
    np.testing.assert_array_equal(_host(context, obj.x), x.astype(np.float64))
    np.testing.assert_array_equal(_host(context, obj.ids), ids)
    np.testing.assert_array_equal(_host(context, obj.seeds), np.full(BIG, 7, dtype=np.uint32))
    np.testing.assert_array_equal(_host(context, obj.grid), grid)
    assert obj.label == "beam" and obj.n == 3 and obj.centre.a == 2.5


@pytest.mark.parametrize("value", [0.0, -1.25])
def test_broadcast_scalars_and_lengths_fill_reused_memory(context, value):
    buffer = _dirty_buffer(context, 64 * BIG)
    obj = Beam(x=np.broadcast_to(value, BIG), ids=BIG, seeds=BIG, grid=BIG, items=BIG,
               _buffer=buffer)
    np.testing.assert_array_equal(_host(context, obj.x), np.full(BIG, value))
    for name in ("ids", "seeds", "grid"):
        assert not _host(context, getattr(obj, name)).any(), name
    # default items (a = 2.5) are encoded once and repeated, also in dirty memory
    assert obj.items[0].a == 2.5 and obj.items[BIG - 1].a == 2.5 and obj.items[BIG - 1].b == 0


def test_staged_and_direct_paths_store_the_same_bytes(context):
    small, big = BIG // 8, BIG
    for n in (small, big):
        values = {"x": np.linspace(0, 1, n), "ids": np.arange(n), "seeds": n, "label": "s"}
        obj = Beam(values, _context=context)
        reference = Beam(values, _buffer=_dirty_buffer(context, 64 * BIG))
        assert np.array_equal(obj._buffer.read(obj._offset, obj._size),
                              reference._buffer.read(reference._offset, reference._size)), n


def test_large_integer_arrays_are_still_checked():
    with pytest.raises(ValueError, match=r"Beam.ids must hold integers"):
        Beam(ids=np.full(BIG, 0.5))
    with pytest.raises(ValueError, match=r"Beam.seeds: values must be in \[0, 4294967295\]"):
        Beam(seeds=np.broadcast_to(-1, BIG))
    assert Beam(ids=np.full(BIG, 3.0)).ids[-1] == 3


def test_assigning_a_large_array_in_place_overwrites_every_item(context):
    obj = Beam(x=np.arange(BIG, dtype=float), _context=context)
    obj.x = np.broadcast_to(4.0, BIG)
    np.testing.assert_array_equal(_host(context, obj.x), np.full(BIG, 4.0))
    obj.x = np.zeros(BIG)
    assert not _host(context, obj.x).any()
    copy = Beam(obj, _context=context)  # struct copy: byte copy
    np.testing.assert_array_equal(_host(context, copy.x), np.zeros(BIG))


def test_an_array_built_from_another_array_copies_its_items(context):
    source = xo.Float64[:](np.arange(BIG, dtype=float), _context=context)
    copy = xo.Float32[:](source, _context=context)
    np.testing.assert_array_equal(_host(context, copy.to_nplike()), np.arange(BIG, dtype=np.float32))
