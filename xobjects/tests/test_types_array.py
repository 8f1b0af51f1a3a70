"""Array: class syntax, fixed / variable / multi-dimensional, items of structs."""

import numpy as np
import pytest

import xobjects as xo


class Item(xo.Struct):
    a = xo.Float64
    n = xo.Int32


class DynItem(xo.Struct):
    v = xo.Float64[:]


class Named(xo.Array):
    _itemtype = xo.Float64
    _shape = (None,)


def test_class_syntax_is_cached_and_named():
    assert xo.Float64[:] is xo.Float64[:]
    assert xo.Float64[:].__name__ == "ArrNFloat64"
    assert xo.Float64[3]._c_type == "Arr3Float64"
    assert xo.Float64[:, 3].__name__ == "ArrNx3Float64"
    assert Item[:]._itemtype is Item
    assert Named._c_type == "Named" and Named._size is None


@pytest.mark.parametrize(
    "atype, size",
    [
        (xo.Float64[3], 24),
        (xo.Float32[3], 16),   # 12 bytes padded to 8
        (xo.Int8[5, 2], 16),
        (Item[4], 64),         # struct items of 16 bytes
        (xo.Float64[:], None),
        (DynItem[2], None),    # dynamic items: dynamic array
    ],
)
def test_static_sizes(atype, size):
    assert atype._size == size


def test_variable_length_array_layout_header_then_data():
    arr = xo.Int32[:]([1, 2, 3])
    ints = arr._buffer.read(arr._offset, arr._size).view(np.int64)
    assert ints[0] == arr._size == 8 + 8 + 16
    assert ints[1] == 3
    data = arr._buffer.read(arr._offset + 16, 12).view(np.int32)
    assert data.tolist() == [1, 2, 3]


def test_multidimensional_arrays_keep_c_order():
    values = np.arange(12.0).reshape(4, 3)
    for atype in (xo.Float64[:, 3], xo.Float64[:, :], xo.Float64[4, 3]):
        arr = atype(values)
        np.testing.assert_array_equal(arr.to_nplike(), values)
        assert arr.shape == (4, 3) and arr[2, 1] == 7.0
        arr[2, 1] = -1.0
        assert arr.to_nparray()[2, 1] == -1.0


def test_lengths_of_several_variable_dimensions():
    arr = xo.Int64[:, :]((2, 5))
    assert arr.shape == (2, 5) and not arr.to_nplike().any()
    assert xo.Float64[:, 3](4).shape == (4, 3)


def test_scalar_items_index_slices_and_negative():
    arr = Named([1.0, 2.0, 3.0, 4.0])
    assert arr[-1] == 4.0 and len(arr) == 4
    np.testing.assert_array_equal(arr[1:3], [2.0, 3.0])
    arr[1:3] = [9.0, 8.0]
    assert arr.to_nparray().tolist() == [1.0, 9.0, 8.0, 4.0]
    with pytest.raises(IndexError, match="out of range"):
        arr[4]


def test_array_of_structs_items_are_views():
    arr = Item[:]([{"a": 1.0}, {"a": 2.0, "n": 5}])
    assert arr[1].n == 5
    arr[0].a = 10.0
    arr[1] = {"a": 3.0, "n": 6}
    assert arr._to_python() == [{"a": 10.0, "n": 0}, {"a": 3.0, "n": 6}]
    assert [it.a for it in arr] == [10.0, 3.0]


def test_array_of_dynamic_items_uses_offset_table():
    arr = DynItem[:]([{"v": [1.0]}, {"v": [2.0, 3.0, 4.0]}])
    ints = arr._buffer.read(arr._offset, 32).view(np.int64)
    # size, length, then one offset per item (relative to the array start)
    assert ints[1] == 2 and ints[2] == 32
    assert ints[3] == 32 + arr[0]._size
    assert arr[1].v.tolist() == [2.0, 3.0, 4.0]


def test_multidim_array_of_structs_nested_lists():
    value = [[{"a": 1.0}, {"a": 2.0}], [{"a": 3.0}, {"a": 4.0}]]
    arr = Item[:, 2](value)
    assert arr[1, 0].a == 3.0
    assert [[d["a"] for d in row] for row in arr._to_python()] == [[1.0, 2.0], [3.0, 4.0]]


def test_integer_arrays_reject_fractions_and_overflow():
    with pytest.raises(ValueError, match="must hold integers"):
        xo.Int64[:]([1.0, 1.5])
    with pytest.raises(ValueError, match="values must be in"):
        xo.UInt8[:]([1, 300])
    assert xo.Int64[:]([1.0, 2.0]).to_nparray().tolist() == [1, 2]


def test_fixed_array_wrong_length_is_a_value_error():
    with pytest.raises(ValueError, match=r"must have shape \(3\)"):
        xo.Float64[3]([1.0, 2.0])
    with pytest.raises(ValueError, match=r"must have shape \(:, 3\)"):
        xo.Float64[:, 3](np.zeros((2, 2)))


def test_bad_array_values_raise_type_errors():
    with pytest.raises(TypeError, match="sequence or array of numbers"):
        xo.Float64[:](["a", "b"])
    with pytest.raises(TypeError, match="sequence or array of numbers"):
        xo.Float64[3](5.0)
    with pytest.raises(TypeError, match="abstract"):
        xo.Array([1.0])


def test_bad_dimensions_in_class_syntax():
    with pytest.raises(ValueError, match="':' or an int"):
        xo.Float64[1:3]
    with pytest.raises(TypeError, match="':' or an int"):
        xo.Float64["a"]
    with pytest.raises(ValueError, match="int >= 0"):
        xo.Float64[-1]
