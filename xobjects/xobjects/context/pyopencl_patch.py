"""Patch ``pyopencl.array.Array`` to operate on non-contiguous arrays.

pyopencl refuses ``get``, element-wise arithmetic and slice assignment on
non-contiguous views (``a[:, 1]``). Code written for numpy/cupy does these
freely, so ContextPyopencl (``patch_pyopencl_array=True``) adds:

- ``get()`` on a non-contiguous view: reads the byte span the view covers and
  gathers it on the host;
- ``a[idx] = value`` where ``a[idx]`` is non-contiguous: read-modify-write of
  that span (the command queue is in order and the copies block);
- arithmetic and comparisons with a non-contiguous operand: the operand is
  first made contiguous.
"""

import numpy as np

_PATCHED = False
_BINARY_OPS = (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__pow__", "__rpow__",
    "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__",
)


def _span(arr):
    """Return (first byte in the base buffer, number of bytes, shift of item 0).

    The view's items lie in ``[first, first + nbytes)``; item 0 sits at
    ``first + shift`` (``shift > 0`` only for negative strides).
    """
    if arr.size == 0:
        return arr.offset, 0, 0
    low = sum(min(0, (n - 1) * s) for n, s in zip(arr.shape, arr.strides))
    high = sum(max(0, (n - 1) * s) for n, s in zip(arr.shape, arr.strides)) + arr.dtype.itemsize
    return arr.offset + low, high - low, -low


def _host_view(arr, raw):
    """numpy view with the layout of ``arr`` over its span ``raw`` read to the host."""
    return np.ndarray(arr.shape, arr.dtype, buffer=raw, offset=_span(arr)[2], strides=arr.strides)


def _read_span(arr):
    import pyopencl as cl

    first, nbytes, _ = _span(arr)
    raw = np.empty(nbytes, dtype=np.uint8)
    cl.enqueue_copy(arr.queue, raw, arr.base_data, src_offset=first)
    return raw


def _contiguous(arr):
    import pyopencl.array as cla

    if arr.flags.c_contiguous:
        return arr
    return cla.to_device(arr.queue, np.ascontiguousarray(arr.get()))


def patch_pyopencl_array():
    """Install the patches once per process (idempotent)."""
    global _PATCHED
    if _PATCHED:
        return
    import pyopencl as cl
    import pyopencl.array as cla

    Array = cla.Array
    original_get = Array.get
    original_setitem = Array.__setitem__

    def get(self, queue=None, ary=None, **kwargs):
        if self.flags.c_contiguous or self.flags.f_contiguous or ary is not None:
            return original_get(self, queue=queue, ary=ary, **kwargs)
        return np.array(_host_view(self, _read_span(self)))

    def setitem(self, index, value):
        view = self[index]
        if view.flags.c_contiguous or view.size == 0:
            return original_setitem(self, index, value)
        raw = _read_span(view)
        host_value = value.get() if isinstance(value, Array) else value
        _host_view(view, raw)[...] = host_value
        cl.enqueue_copy(view.queue, view.base_data, raw, dst_offset=_span(view)[0])

    def wrap(name):
        original = getattr(Array, name)

        def op(self, other):
            if isinstance(other, Array):
                other = _contiguous(other)
            return original(_contiguous(self), other)

        op.__name__ = name
        return op

    Array.get = get
    Array.__setitem__ = setitem
    for name in _BINARY_OPS:
        if hasattr(Array, name):
            setattr(Array, name, wrap(name))
    _PATCHED = True
