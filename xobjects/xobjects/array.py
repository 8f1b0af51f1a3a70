"""Array types (``xobjects.array``) and stride helpers for C / Fortran orders.

``order`` arguments are permutations of the dimensions, from the slowest
varying to the fastest (``(0, 1, 2)`` is C order, ``(2, 1, 0)`` Fortran),
or the strings ``'C'`` / ``'F'``.
"""

import itertools

from .types.array import Array, array_of  # noqa: F401

__all__ = [
    "Array", "get_c_strides", "get_f_strides", "get_strides", "mk_order", "iter_index", "get_offset",
]


def mk_order(order, shape):
    """``order`` ('C', 'F' or a permutation) as a tuple permutation of ``range(len(shape))``."""
    ndim = len(shape)
    if order == "C":
        return tuple(range(ndim))
    if order == "F":
        return tuple(reversed(range(ndim)))
    order = tuple(order)
    if sorted(order) != list(range(ndim)):
        raise ValueError(f"order must be 'C', 'F' or a permutation of {tuple(range(ndim))}, got {order!r}.")
    return order


def get_strides(shape, order, itemsize):
    """Strides in bytes of ``shape`` stored in ``order`` (slowest dimension first)."""
    order = mk_order(order, shape)
    strides = [0] * len(shape)
    step = itemsize
    for dim in reversed(order):
        strides[dim] = step
        step *= shape[dim]
    return tuple(strides)


def get_c_strides(shape, itemsize):
    return get_strides(shape, "C", itemsize)


def get_f_strides(shape, itemsize):
    return get_strides(shape, "F", itemsize)


def iter_index(shape, order):
    """Indices of ``shape`` in the order the items are stored."""
    order = mk_order(order, shape)
    for permuted in itertools.product(*(range(shape[d]) for d in order)):
        index = [0] * len(shape)
        for dim, value in zip(order, permuted):
            index[dim] = value
        yield tuple(index)


def get_offset(index, strides):
    """Byte offset of ``index`` given ``strides``."""
    return sum(i * s for i, s in zip(index, strides))
