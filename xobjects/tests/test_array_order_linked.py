"""Storage order syntax (``T[n:rank, ...]``), ``_strides`` and linked arrays."""

import numpy as np
import pytest

import xobjects as xo


def test_storage_order_places_items_and_views_follow():
    A = xo.Float64[3:1, :0]  # dimension 1 is the slowest in memory
    a = A(np.arange(12.0).reshape(3, 4))
    stored = a._buffer.read(a._offset + A._header, 12 * 8).view(np.float64)
    assert stored.tolist() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
    assert a._strides == (8, 24)
    assert a.to_nplike().strides == (8, 24)
    a[2, 1] = -1.0
    assert a.to_nparray()[2, 1] == -1.0
    assert a._to_dict()[2] == [8.0, -1.0, 10.0, 11.0]


def test_storage_order_in_c_accessors():
    A = xo.Int32[2:0, 3:2, 2:1]
    a = A(np.arange(12).reshape(2, 3, 2))
    ctx = xo.ContextCpu()
    ctx.add_kernels(kernels=A._gen_kernels())
    get = getattr(ctx.kernels, f"{A.__name__}_get")
    for idx in np.ndindex(2, 3, 2):
        assert get(obj=a, i0=idx[0], i1=idx[1], i2=idx[2]) == a[idx]


def test_c_order_ranks_give_the_plain_class_and_bad_ranks_fail():
    assert xo.Float64[2:0, 3:1] is xo.Float64[2, 3]
    assert xo.Float64[2, 3]()._strides == (24, 8)
    with pytest.raises(ValueError, match="ranks"):
        xo.Float64[2:0, 3:0]
    with pytest.raises(ValueError, match="ranks"):
        xo.Float64[2:1, 3]


class Tracked(xo.HybridClass):
    _xofields = {"_v": xo.Float64[:], "_twice": xo.Float64[:]}

    def __init__(self, v, **kwargs):
        super().__init__(_v=len(v), _twice=len(v), **kwargs)
        self.v = v

    @property
    def v(self):
        return self._buffer.context.linked_array_type.from_array(
            self._v, mode="setitem_from_container", container=self, container_setitem_name="_set_v")

    @v.setter
    def v(self, value):
        self.v[:] = value

    def _set_v(self, index, value):
        self._v[index] = value
        self._twice[index] = 2 * self._v[index]

    @property
    def twice(self):
        return self._buffer.context.linked_array_type.from_array(self._twice, mode="readonly")


def test_linked_array_writes_through_its_owner():
    t = Tracked(v=np.array([1.0, 2.0, 3.0]))
    assert t.twice.tolist() == [2, 4, 6]
    t.v[0] = 10
    t.v += 1
    assert t.v.tolist() == [11, 3, 4]
    assert t.twice.tolist() == [22, 6, 8]
    derived = t.v[1:] * 2  # results and slices are not linked
    derived[0] = 0
    assert t.v.tolist() == [11, 3, 4]
    with pytest.raises(ValueError, match="read-only"):
        t.twice[0] = 1


def test_linked_array_mode_is_checked():
    t = Tracked(v=np.zeros(2))
    cls = t._buffer.context.linked_array_type
    with pytest.raises(ValueError, match="mode"):
        cls.from_array(t._v, mode="sometimes")
    with pytest.raises(AttributeError, match="no method"):
        cls.from_array(t._v, container=t, container_setitem_name="_nothing")
