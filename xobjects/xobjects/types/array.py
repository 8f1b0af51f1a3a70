"""Array: fixed or variable length, multi-dimensional, C order.

Layout (ARCHITECTURE.md): an array of static items with only fixed
dimensions is just its items. Otherwise it starts with an int64 total size,
then one int64 length per variable (``:``) dimension, then, for items of
dynamic size, a table of int64 item offsets (from the array start), then the
items (each 8-aligned when dynamic).

Array types come from the class syntax ``xo.Float64[:]``, ``xo.Float64[3]``,
``xo.Float64[:, 3]``, ``MyStruct[:]`` (cached: the same expression always
gives the same class) or from a named subclass::

    class Coeffs(xo.Array):
        _itemtype = xo.Float64
        _shape = (None,)
"""

import math

import numpy as np

from .base import (
    ALIGNMENT,
    DIRECT_WRITE_BYTES,
    MetaXType,
    Prepared,
    XObject,
    assign,
    constant_value,
    put_int64,
    read_int64,
    round_up,
    same_layout,
    size_of,
    to_host_array,
    unwrap_hybrid,
    xo_type_of,
)
from .scalar import Scalar

_ARRAY_CLASSES = {}


def _check_shape(shape, owner):
    shape = tuple(shape)
    if not shape:
        raise ValueError(f"{owner}: _shape must have at least one dimension.")
    for dim in shape:
        if dim is not None and (not isinstance(dim, (int, np.integer)) or dim < 0):
            raise ValueError(
                f"{owner}: each dimension must be None (variable) or an int >= 0, got {dim!r}."
            )
    return tuple(None if d is None else int(d) for d in shape)


_DYN_LETTERS = "NMOPQRSTUVWYZ"


def _order_from_ranks(ranks, owner):
    """Storage order (dimensions, slowest first) from per-dimension ranks; None for C order."""
    if all(r is None for r in ranks):
        return None
    if any(r is None for r in ranks) or sorted(ranks) != list(range(len(ranks))):
        raise ValueError(
            f"{owner}: array dimensions are ':' or an int, optionally with a storage rank "
            f"('n:rank', ':rank'); the ranks must be given for every dimension and be "
            f"0..{len(ranks) - 1} once each, got {ranks}."
        )
    order = tuple(sorted(range(len(ranks)), key=lambda d: ranks[d]))
    return None if order == tuple(range(len(ranks))) else order


def array_of(itemtype, index):
    """The array class of ``itemtype`` with the shape given by ``index``.

    ``index`` is what the class syntax receives: ``:`` for a variable
    dimension, an int for a fixed one, or a tuple of those.
    """
    itemtype = xo_type_of(itemtype)
    dims = index if isinstance(index, tuple) else (index,)
    shape, ranks = [], []
    for dim in dims:
        if isinstance(dim, slice):
            # ``n:k`` / ``:k``: a dimension of length n (variable) stored at
            # rank k of the storage order (0 = slowest varying).
            if dim.step is not None or not (dim.start is None or isinstance(dim.start, (int, np.integer))) \
                    or not (dim.stop is None or isinstance(dim.stop, (int, np.integer))):
                raise ValueError(f"array dimensions are ':', an int, 'n:rank' or ':rank', got the slice {dim!r}.")
            if dim.start is None:
                shape.append(None)
            else:
                shape.append(int(dim.start))
            ranks.append(None if dim.stop is None else int(dim.stop))
        elif isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
            shape.append(int(dim))
        else:
            raise TypeError(f"array dimensions are ':' or an int, got {dim!r}.")
        if len(ranks) < len(shape):
            ranks.append(None)
    shape = _check_shape(shape, f"{itemtype.__name__}[...]")
    order = _order_from_ranks(ranks, f"{itemtype.__name__}[...]")
    key = (itemtype, shape, order)
    cls = _ARRAY_CLASSES.get(key)
    if cls is None:
        item_name = itemtype.__name__ if issubclass(itemtype, Scalar) else itemtype._c_type
        # Established naming: dimensions joined by "x", the variable ones
        # named N, M, O, ... in turn (``ArrNx3Float64``, ``ArrNxMInt64``).
        dims, ndyn = [], 0
        for d in shape:
            if d is None:
                dims.append(_DYN_LETTERS[ndyn] if ndyn < len(_DYN_LETTERS) else f"N{ndyn}")
                ndyn += 1
            else:
                dims.append(str(d))
        dims_name = "x".join(dims)
        if order is not None:
            dims_name += "o" + "_".join(str(d) for d in order)
        name = f"Arr{dims_name}{item_name}"
        cls = _ARRAY_CLASSES[key] = MetaArray(
            name, (Array,), {"_itemtype": itemtype, "_shape": shape, "_order": order}
        )
    return cls


class MetaArray(MetaXType):
    """Computes the layout constants of an Array subclass."""

    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        if getattr(cls, "_itemtype", None) is None:
            return cls  # the abstract base
        cls._itemtype = itemtype = xo_type_of(cls._itemtype)
        cls._shape = _check_shape(getattr(cls, "_shape", (None,)), name)
        cls._dyn_dims = tuple(ii for ii, d in enumerate(cls._shape) if d is None)
        order = getattr(cls, "_order", None)
        if order is not None:
            order = tuple(int(d) for d in order)
            if sorted(order) != list(range(len(cls._shape))):
                raise ValueError(f"{name}: _order must be a permutation of the dimensions, got {order}.")
            if order == tuple(range(len(cls._shape))):
                order = None
        cls._order = order
        # Axes of the logical array in the stored (C-contiguous) one.
        cls._inverse_order = None if order is None else tuple(int(k) for k in np.argsort(order))
        cls._scalar_items = issubclass(itemtype, Scalar)
        cls._static_items = itemtype._size is not None
        # Static items are packed at their own size (8-multiple for composites).
        cls._item_size = itemtype._size
        cls._header = 0 if (cls._static_items and not cls._dyn_dims) else ALIGNMENT * (1 + len(cls._dyn_dims))
        cls._size = cls._size_for(cls._shape) if cls._header == 0 else None
        return cls


def _flatten(value, ndim, name):
    """Shape and flat item list of nested sequences ``value`` of depth ``ndim``."""
    if ndim == 0:
        return (), [value]
    if isinstance(value, (dict, str)) or not hasattr(value, "__len__"):
        raise TypeError(f"{name} must be a sequence (depth {ndim}), got {value!r}.")
    shape, flat = None, []
    for item in value:
        sub_shape, sub = _flatten(item, ndim - 1, name)
        if shape is not None and sub_shape != shape:
            raise ValueError(f"{name}: nested sequences have different lengths ({shape} vs {sub_shape}).")
        shape = sub_shape
        flat.extend(sub)
    if shape is None:
        shape = (0,) * (ndim - 1)
    return (len(value), *shape), flat


class Array(XObject, metaclass=MetaArray):
    """Base of array types; see the module docstring for the syntax.

    Instances: ``Arr(5)`` (length of the variable dimension), ``Arr((2, 3))``
    (lengths of two variable dimensions), ``Arr([1.0, 2.0])`` or
    ``Arr(numpy_or_context_array)`` (values), ``Arr(other_array)`` (copy).
    Item access ``arr[i]`` / ``arr[i, j]``; ``to_nplike()`` gives the context
    array view of arrays of scalars.
    """

    _itemtype = None
    _shape = (None,)

    def __init__(self, *args, **kwargs):
        if type(self)._itemtype is None:
            raise TypeError("xo.Array is abstract: use e.g. xo.Float64[:] or subclass it with _itemtype.")
        super().__init__(*args, **kwargs)

    @classmethod
    def _get_inner_types(cls):
        return [cls._itemtype]

    @classmethod
    def _init_value(cls, args, kwargs):
        # Arr(2, 3) is Arr((2, 3)): the lengths of the ':' dimensions.
        if len(args) > 1 and all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args
        ):
            args = (tuple(int(a) for a in args),)
        return super()._init_value(args, kwargs)

    # ---- shape helpers -----------------------------------------------------
    @classmethod
    def _lengths(cls, value):
        """The full shape if ``value`` gives the variable lengths, else None."""
        ndyn = len(cls._dyn_dims)
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and ndyn == 1:
            lengths = (int(value),)
        elif (
            ndyn >= 2
            and isinstance(value, tuple)
            and len(value) == ndyn
            and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
        ):
            lengths = tuple(int(v) for v in value)
        elif value is None:
            lengths = (0,) * ndyn
        else:
            return None
        if any(n < 0 for n in lengths):
            raise ValueError(f"{cls.__name__}: lengths must be >= 0, got {lengths}.")
        it = iter(lengths)
        return tuple(next(it) if d is None else d for d in cls._shape)

    @classmethod
    def _stored_shape(cls, shape):
        """Shape of the items as stored (dimensions in storage order)."""
        return tuple(shape[d] for d in cls._order)

    @classmethod
    def _check_value_shape(cls, shape, name):
        if len(shape) != len(cls._shape) or any(d is not None and d != n for d, n in zip(cls._shape, shape)):
            wanted = "(" + ", ".join(":" if d is None else str(d) for d in cls._shape) + ")"
            raise ValueError(f"{name} must have shape {wanted} ({cls.__name__}), got shape {tuple(shape)}.")

    @classmethod
    def _read_shape(cls, read_int, offset):
        lengths = [read_int(offset + ALIGNMENT * (1 + k)) for k in range(len(cls._dyn_dims))]
        it = iter(lengths)
        return tuple(next(it) if d is None else d for d in cls._shape)

    @classmethod
    def _data_start(cls, nitems):
        return cls._header + (0 if cls._static_items else ALIGNMENT * nitems)

    # ---- protocol ---------------------------------------------------------
    @classmethod
    def _size_for(cls, shape):
        """Bytes taken by an array of static items with the full ``shape``."""
        nitems = math.prod(shape)
        if cls._header == 0:
            return max(round_up(nitems * cls._item_size), ALIGNMENT)
        return round_up(cls._data_start(nitems) + nitems * cls._item_size)

    @classmethod
    def _prepare(cls, value, name="value"):
        """Validate ``value``; the items of ``Prepared.data`` are None when only lengths are given.

        Arrays of scalars keep the given array (any dtype, strides, a
        broadcast scalar): it is validated here and converted while written.
        """
        value = unwrap_hybrid(value)
        if isinstance(value, Array):
            value = value.to_nplike() if cls._scalar_items and value._scalar_items else value._to_python()
        shape = cls._lengths(value)
        if shape is not None and cls._static_items:
            # Lengths only: no item is built, the defaults are encoded once.
            return Prepared(cls._size_for(shape), None, shape)
        if cls._scalar_items:
            data = cls._prepare_scalars(value, name)
            return Prepared(cls._size_for(data.shape), data, data.shape)
        if shape is not None:
            default = cls._itemtype._prepare(None, f"{name}[...]")
            flat = [default] * math.prod(shape)
        else:
            shape, values = _flatten(value, len(cls._shape), name)
            cls._check_value_shape(shape, name)
            flat = [cls._itemtype._prepare(v, f"{name}[{k}]") for k, v in enumerate(values)]
        if cls._static_items:
            return Prepared(cls._size_for(shape), flat, shape)
        items_bytes = sum(round_up(p.size) for p in flat)
        return Prepared(round_up(cls._data_start(len(flat)) + items_bytes), flat, shape)

    @classmethod
    def _fast_items(cls, value):
        """``(length, item bytes or None for zeros, size)`` of a small 1-d array value, or None.

        For arrays of scalars with one ``:`` dimension (the struct fast
        path, struct.py): a length, None (empty), a 1-d numpy array, a list
        or tuple of numbers. Only values that :meth:`_prepare` takes and
        stores as the same bytes are handled (same dtype, or any real
        numbers for float items); for anything else, and for arrays large
        enough to be written directly, None sends the caller to the general
        path, which gives the error, if any.
        """
        t = type(value)
        if t is np.ndarray:
            items = value
        elif t is list or t is tuple:
            try:
                items = np.asarray(value)
            except (ValueError, TypeError, OverflowError):
                return None
        elif t is int:
            if value < 0:
                return None
            nbytes = value * cls._item_size
            if nbytes >= DIRECT_WRITE_BYTES:
                return None
            return value, None, (ALIGNMENT * 2 + 7 + nbytes) & -ALIGNMENT
        elif value is None:
            return 0, None, ALIGNMENT * 2
        else:
            return None
        if items.ndim != 1:
            return None
        dtype = cls._itemtype._dtype
        if items.dtype is not dtype and items.dtype != dtype:
            if items.dtype.kind not in "biuf":
                return None
            if dtype.kind != "f":
                # integer items from another dtype are checked by _prepare
                return (0, None, ALIGNMENT * 2) if items.shape[0] == 0 else None
            items = items.astype(dtype)  # what the staged write does (unsafe cast)
        data = items.tobytes()
        nbytes = len(data)
        if nbytes >= DIRECT_WRITE_BYTES:
            return None
        return items.shape[0], data, (ALIGNMENT * 2 + 7 + nbytes) & -ALIGNMENT

    @classmethod
    def _prepare_scalars(cls, value, name):
        dtype = cls._itemtype._dtype
        try:
            host = to_host_array(value)
        except ValueError as exc:  # ragged sequences
            raise ValueError(f"{name}: {exc}") from None
        if host.ndim == 0 or host.dtype.kind not in "biuf":
            raise TypeError(
                f"{name} must be a sequence or array of numbers ({cls.__name__}), got {value!r}."
            )
        cls._check_value_shape(host.shape, name)
        if dtype.kind in "iu" and host.size and not np.can_cast(host.dtype, dtype):
            constant = constant_value(host)
            # A broadcast scalar is checked once, not once per item.
            sample = host if constant is None else np.asarray([constant])
            if host.dtype.kind == "f" and not np.all(np.mod(sample, 1) == 0):
                raise ValueError(f"{name} must hold integers ({cls.__name__}), got {value!r}.")
            info = np.iinfo(dtype)
            if sample.min() < info.min or sample.max() > info.max:
                raise ValueError(f"{name}: values must be in [{info.min}, {info.max}] ({cls.__name__}).")
        return host

    @classmethod
    def _same_inner_layout(cls, prepared, buffer, offset):
        if cls._read_shape(lambda o: read_int64(buffer, o), offset) != tuple(prepared.shape):
            return False
        if cls._static_items:
            return True
        table = offset + cls._header
        return all(
            same_layout(cls._itemtype, item, buffer, offset + read_int64(buffer, table + ALIGNMENT * k))
            for k, item in enumerate(prepared.data)
        )

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        shape = prepared.shape
        nitems = math.prod(shape)
        if cls._header:
            put_int64(mem, loc, prepared.size)
            for k, dim in enumerate(cls._dyn_dims):
                put_int64(mem, loc + ALIGNMENT * (1 + k), shape[dim])
        start = loc + cls._data_start(nitems)
        if cls._scalar_items:
            data = prepared.data
            if cls._order is not None:
                shape = cls._stored_shape(shape)
                if data is not None:
                    data = np.ascontiguousarray(np.asarray(data).transpose(cls._order))
            writer.write_items(mem, start, cls._itemtype._dtype, shape, data)
        elif prepared.data is None:
            cls._encode_defaults(mem, start, nitems, writer)
        elif cls._static_items:
            for k, item in enumerate(prepared.data):
                cls._itemtype._encode(mem, start + k * cls._item_size, item, writer)
        else:
            cursor = start - loc
            for k, item in enumerate(prepared.data):
                put_int64(mem, loc + cls._header + ALIGNMENT * k, cursor)
                cls._itemtype._encode(mem, loc + cursor, item, writer)
                cursor += round_up(size_of(cls._itemtype, item))

    @classmethod
    def _encode_defaults(cls, mem, start, nitems, writer):
        """``nitems`` default items of static size from ``mem[start]``."""
        default = cls._itemtype._prepare(None, cls.__name__)
        if nitems == 0:
            return
        if cls._itemtype._has_refs():
            # Self-relative pointers differ from item to item: encode each one.
            for k in range(nitems):
                cls._itemtype._encode(mem, start + k * cls._item_size, default, writer)
            return
        item = np.zeros(cls._item_size, dtype=np.uint8)
        cls._itemtype._encode(item, 0, default, writer)
        if item.any():
            mem[start : start + nitems * cls._item_size].reshape(nitems, -1)[...] = item

    @classmethod
    def _decode(cls, reader, offset):
        shape = cls._read_shape(reader.int64, offset)
        nitems = math.prod(shape)
        start = offset + cls._data_start(nitems)
        if cls._scalar_items:
            if cls._order is not None:
                return reader.array(start, cls._itemtype._dtype, cls._stored_shape(shape)).transpose(
                    cls._inverse_order)
            return reader.array(start, cls._itemtype._dtype, shape)
        if cls._static_items:
            items = [cls._itemtype._decode(reader, start + k * cls._item_size) for k in range(nitems)]
        else:
            table = offset + cls._header
            starts = [offset + reader.int64(table + ALIGNMENT * k) for k in range(nitems)]
            items = [cls._itemtype._decode(reader, start) for start in starts]
        return _nest(items, shape)

    @classmethod
    def _to_plain(cls, decoded):
        if cls._scalar_items:
            return decoded.tolist()
        return _map_nested(cls._itemtype._to_plain, decoded, len(cls._shape))

    @classmethod
    def _view(cls, buffer, offset):
        if cls._scalar_items:
            shape = cls._read_shape(lambda o: read_int64(buffer, o), offset)
            if cls._order is not None:
                return buffer.to_nplike(offset + cls._header, cls._itemtype._dtype,
                                        cls._stored_shape(shape)).transpose(cls._inverse_order)
            return buffer.to_nplike(offset + cls._header, cls._itemtype._dtype, shape)
        return cls._from_buffer(buffer, offset)

    # ---- instances --------------------------------------------------------
    @property
    def shape(self):
        """Lengths of all dimensions (tuple of int)."""
        shape = self.__dict__.get("_shape_cache")
        if shape is None:
            read = lambda o: read_int64(self._buffer, o)  # noqa: E731
            shape = self._shape_cache = type(self)._read_shape(read, self._offset)
        return shape

    def __len__(self):
        # The number of items (all dimensions), as the C ``A_len`` accessor
        # and the established implementation.
        return math.prod(self.shape)

    def _item_offset(self, index):
        cls = type(self)
        shape = self.shape
        index = index if isinstance(index, tuple) else (index,)
        if len(index) != len(shape) or not all(isinstance(i, (int, np.integer)) for i in index):
            raise TypeError(f"{cls.__name__} index must be {len(shape)} int(s), got {index!r}.")
        wrapped = []
        for i, n in zip(index, shape):
            i = int(i)
            if not -n <= i < n:
                raise IndexError(f"index {i} out of range for a dimension of length {n} ({cls.__name__}).")
            wrapped.append(i % n)
        flat = 0
        for d in cls._order or range(len(shape)):
            flat = flat * shape[d] + wrapped[d]
        nitems = math.prod(shape)
        if cls._static_items:
            return self._offset + cls._data_start(nitems) + flat * cls._item_size
        return self._offset + read_int64(self._buffer, self._offset + cls._header + ALIGNMENT * flat)

    def __getitem__(self, index):
        cls = type(self)
        if cls._scalar_items and not _is_full_index(index, len(cls._shape)):
            return self.to_nplike()[index]
        return cls._itemtype._view(self._buffer, self._item_offset(index))

    def __setitem__(self, index, value):
        cls = type(self)
        if cls._scalar_items and not _is_full_index(index, len(cls._shape)):
            view = self.to_nplike()
            view[index] = value
            return
        assign(cls._itemtype, self._buffer, self._item_offset(index), value, f"{cls.__name__}[{index!r}]")

    def __iter__(self):
        """The items in C order (all dimensions)."""
        for index in np.ndindex(*self.shape):
            yield self[index if len(index) > 1 else index[0]]

    def to_nplike(self):
        """Context array (numpy / pyopencl / cupy) viewing the items in place."""
        cls = type(self)
        if not cls._scalar_items:
            raise TypeError(f"{cls.__name__}: to_nplike() needs scalar items, not {cls._itemtype.__name__}.")
        if cls._order is not None:
            return cls._view(self._buffer, self._offset)
        return self._buffer.to_nplike(self._offset + cls._header, cls._itemtype._dtype, self.shape)

    @property
    def _strides(self):
        """Bytes between consecutive items along each dimension (storage order)."""
        cls = type(self)
        item = cls._itemtype._dtype.itemsize if cls._scalar_items else cls._item_size
        if item is None:  # dynamic items: through the offset table, in C order
            item = ALIGNMENT
        shape = self.shape
        strides, step = [0] * len(shape), item
        for d in reversed(cls._order or range(len(shape))):
            strides[d] = step
            step *= shape[d]
        return tuple(strides)

    def to_nparray(self):
        """Host numpy copy of an array of scalars."""
        return self._to_python()


def _is_full_index(index, ndim):
    index = index if isinstance(index, tuple) else (index,)
    return len(index) == ndim and all(
        isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in index
    )


def _map_nested(func, nested, depth):
    """``func`` applied to the items of nested lists of ``depth`` levels."""
    if depth == 0:
        return func(nested)
    return [_map_nested(func, item, depth - 1) for item in nested]


def _nest(items, shape):
    """Nested lists of ``shape`` from a flat list (C order)."""
    if len(shape) <= 1:
        return list(items)
    step = len(items) // shape[0] if shape[0] else 0
    return [_nest(items[k * step : (k + 1) * step], shape[1:]) for k in range(shape[0])]
