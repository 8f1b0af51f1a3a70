"""Machinery shared by all composite types: placement, reading and writing.

Every composite type class (Struct, Array, String, Ref, UnionRef) implements
the same class-level protocol, used recursively by the others:

``_prepare(value, name) -> prepared``
    Validate and normalise a Python value (raising TypeError / ValueError that
    name the parameter) without touching any buffer. Dynamic types return a
    :class:`Prepared` carrying the size in bytes the value needs.
``_encode(mem, loc, prepared, writer)``
    Write the prepared value into the host staging array ``mem`` at ``loc``;
    ``writer`` knows the buffer and the absolute offset of ``mem[0]`` (refs
    need absolute positions and may allocate their targets in the buffer).
``_decode(reader, offset)``
    Plain Python value (dicts, lists, numpy host arrays) of the object stored
    at absolute ``offset``.
``_view(buffer, offset)``
    What attribute access returns: a scalar, a context array view, or an
    instance viewing the buffer in place.

Objects are staged in host memory and written with one ``buffer.write`` so
that building an object on a GPU context costs one transfer. Large arrays of
scalars are the exception: staging them would copy every item twice, so
``_encode`` hands them to the :class:`Writer`, which writes them straight
from the given array (one ``update_from_nplike`` each, or one ``fill`` for a
constant) and writes the staged bytes around them.
"""

import difflib
import math
import struct

import numpy as np

#: Every object starts at a multiple of this many bytes (ARCHITECTURE.md).
ALIGNMENT = 8


def round_up(nbytes, alignment=ALIGNMENT):
    """Smallest multiple of ``alignment`` that is >= ``nbytes``."""
    return -(-nbytes // alignment) * alignment


def unknown_name_error(owner, name, allowed, what="keyword"):
    """TypeError for an unknown keyword, with difflib close matches."""
    allowed = list(allowed)
    close = difflib.get_close_matches(str(name), allowed, n=3)
    if close:
        hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
    else:
        hint = "allowed: " + ", ".join(repr(a) for a in allowed) if allowed else "none allowed"
    return TypeError(f"{owner}() got an unexpected {what} {name!r}; {hint}")


def to_host_array(value):
    """Return ``value`` (numpy, pyopencl/cupy array or sequence) as a numpy array."""
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "get") and hasattr(value, "dtype") and hasattr(value, "shape"):
        return value.get()  # pyopencl.array.Array and cupy.ndarray
    return np.asarray(value)


def unwrap_hybrid(value):
    """The xobject behind a HybridClass instance, or ``value`` itself."""
    xobject = getattr(value, "_xobject", None)
    return value if xobject is None else xobject


def xo_type_of(obj):
    """Normalise a type given by the user: HybridClass -> its ``_XoStruct``."""
    inner = getattr(obj, "_XoStruct", None)
    return obj if inner is None else inner


def is_xo_type(obj):
    """Whether ``obj`` is an xobjects type class (scalar or composite)."""
    obj = xo_type_of(obj)
    return isinstance(obj, type) and hasattr(obj, "_c_type") and hasattr(obj, "_encode")


def size_of(xtype, prepared):
    """Bytes taken by ``prepared`` of type ``xtype`` (static size when known)."""
    return xtype._size if xtype._size is not None else prepared.size


class Prepared:
    """A validated value of a dynamic type, with the bytes it needs."""

    __slots__ = ("size", "data", "shape", "offsets")

    def __init__(self, size, data, shape=None, offsets=None):
        self.size = size
        self.data = data
        self.shape = shape
        self.offsets = offsets  # a struct's dynamic fields: where each one starts


#: Arrays of scalars at least this large skip the staging array.
DIRECT_WRITE_BYTES = 1 << 16


class Writer:
    """Where the staging array being encoded will land, and the direct writes.

    ``zeroed`` says that the destination bytes are known to be zero (a new
    buffer), so that zero items need not be written at all.
    """

    __slots__ = ("buffer", "base", "zeroed", "direct")

    def __init__(self, buffer, base, zeroed=False):
        self.buffer = buffer
        self.base = base
        self.zeroed = zeroed
        self.direct = []  # (loc in the staging array, dtype, shape, items or None)

    def write_items(self, mem, loc, dtype, shape, items):
        """Write scalar ``items`` (an array, or None for zeros) of ``shape`` at ``mem[loc]``.

        Small arrays go to the staging array now; large ones are written
        directly into the buffer by :meth:`flush`.
        """
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes >= DIRECT_WRITE_BYTES:
            self.direct.append((loc, dtype, shape, items))
        elif items is not None and nbytes:
            mem[loc : loc + nbytes].view(dtype).reshape(shape)[...] = items

    def flush(self, mem):
        """Write the staging array ``mem`` around the direct writes, then those."""
        cursor = 0
        for loc, dtype, shape, items in sorted(self.direct, key=lambda d: d[0]):
            if loc > cursor:
                self.buffer.write(self.base + cursor, mem[cursor:loc])
            write_scalars(self.buffer, self.base + loc, dtype, shape, items, self.zeroed)
            cursor = loc + math.prod(shape) * dtype.itemsize
        if cursor < mem.size:
            self.buffer.write(self.base + cursor, mem[cursor:] if cursor else mem)


def constant_value(items):
    """The single value of an array whose strides are all 0 (a broadcast scalar), else None."""
    if items.size > 1 and not any(items.strides):
        return items[(0,) * items.ndim]
    return None


def write_scalars(buffer, offset, dtype, shape, items, zeroed=False):
    """Write ``items`` (array of ``shape``, or None for zeros) as ``dtype`` at ``offset``.

    One ``update_from_nplike`` for the data, or one ``fill`` of the context
    view for a constant (a broadcast scalar costs no host array and no
    transfer); zeros are not written when the bytes are known to be zero.
    """
    if items is None:
        if not zeroed:
            buffer.to_nplike(offset, dtype, shape).fill(0)
        return
    value = constant_value(items)
    if value is None:
        buffer.update_from_nplike(offset, dtype, items)
    elif value != 0 or not zeroed:
        buffer.to_nplike(offset, dtype, shape).fill(dtype.type(value))


class Reader:
    """Reads from a buffer through one host copy of a window of it.

    Decoding a whole object reads its bytes once (one device transfer on a
    GPU context); accesses outside the window (ref targets) go to the buffer.
    """

    __slots__ = ("buffer", "start", "mem", "following")

    def __init__(self, buffer, start=0, size=0):
        self.buffer = buffer
        self.start = start
        self.mem = buffer.read(start, size) if size > 0 else None
        self.following = set()  # ref targets being decoded, to detect cycles

    def bytes(self, offset, size):
        rel = offset - self.start
        if self.mem is not None and 0 <= rel and rel + size <= self.mem.size:
            return self.mem[rel : rel + size]
        return self.buffer.read(offset, size)

    def scalar(self, offset, dtype):
        return self.bytes(offset, dtype.itemsize).view(dtype)[0].item()

    def int64(self, offset):
        return self.scalar(offset, _INT64)

    def array(self, offset, dtype, shape):
        count = math.prod(shape)
        if count == 0:
            return np.zeros(shape, dtype)
        raw = self.bytes(offset, count * dtype.itemsize)
        return raw.view(dtype).reshape(shape).copy()


_INT64 = np.dtype("int64")


def read_int64(buffer, offset):
    """The int64 stored at ``offset`` of ``buffer``."""
    return int(buffer.read(offset, 8).view(_INT64)[0])


_PACK_INT64 = struct.Struct("<q").pack_into


def put_int64(mem, loc, value):
    """Store ``value`` as int64 in the host staging array ``mem`` at ``loc``."""
    _PACK_INT64(mem, loc, value)


def object_alignment(buffer):
    """Alignment of object starts in ``buffer``: 8, or the context's larger minimum."""
    return max(ALIGNMENT, getattr(buffer.context, "minimum_alignment", ALIGNMENT))


_DEFAULT_CONTEXT = []  # the provider registered by the package (see set_default_context_provider)


def set_default_context_provider(provider):
    """Register ``provider()``, returning the context used when none is given.

    ``xobjects.typeutils`` registers one reading its ``context_default``
    attribute at each call (test suites replace that attribute to send
    allocations to a fresh context). The type system never imports the
    contexts: they sit above it and plug in here.
    """
    if not callable(provider):
        raise TypeError(f"the default-context provider must be callable, got {provider!r}.")
    _DEFAULT_CONTEXT[:] = [provider]


def _default_context():
    if not _DEFAULT_CONTEXT:
        raise RuntimeError("no default context is registered: import xobjects (the package "
                           "registers it), or give _context or _buffer.")
    return _DEFAULT_CONTEXT[0]()


def place(size, _context, _buffer, _offset, owner):
    """Resolve where a new object of ``size`` bytes goes.

    ``_offset`` may be an int (bytes already reserved by the caller), None,
    or ``'aligned'`` / ``'packed'`` (allocate; both give an aligned start,
    since the layout needs one). Returns ``(buffer, offset, zeroed)``;
    ``zeroed`` is True when the bytes are in a buffer made for the object,
    whose memory every context allocates zeroed, so that zero values need
    not be written.
    """
    if _buffer is None and _offset is None:
        # The common case (a new object in a buffer of its own), kept short.
        if _context is None:
            _context = _default_context()
        elif not hasattr(_context, "new_buffer"):
            raise TypeError(
                f"{owner}: _context must be a context object (xo.ContextCpu(), "
                f"xo.ContextPyopencl(), xo.ContextCupy()), got {_context!r} "
                f"({type(_context).__name__})."
            )
        size = max(size, ALIGNMENT)
        _buffer = _context.new_buffer(capacity=round_up(size))
        return _buffer, _buffer._allocate_first(size), True
    if isinstance(_offset, str):
        if _offset not in ("aligned", "packed"):
            raise ValueError(
                f"{owner}: _offset must be an int, None, 'aligned' or 'packed', got {_offset!r}."
            )
        _offset = None
    if _buffer is None and _offset is not None:
        raise ValueError(f"{owner}: _offset={_offset!r} needs the _buffer it was reserved in.")
    zeroed = _buffer is None
    if _buffer is None:
        if _context is None:
            _context = _default_context()
        elif not hasattr(_context, "new_buffer"):
            raise TypeError(
                f"{owner}: _context must be a context object (xo.ContextCpu(), "
                f"xo.ContextPyopencl(), xo.ContextCupy()), got {_context!r} "
                f"({type(_context).__name__})."
            )
        _buffer = _context.new_buffer(capacity=round_up(max(size, ALIGNMENT)))
    elif not hasattr(_buffer, "allocate"):
        raise TypeError(f"{owner}: _buffer must be a buffer (context.new_buffer()), got {_buffer!r}.")
    elif _context is not None and _buffer.context is not _context:
        raise ValueError(
            f"{owner}: _buffer lives on {_buffer.context!r}, not on the given _context "
            f"{_context!r}; pass only one of them."
        )
    align = object_alignment(_buffer)
    if _offset is None:
        _offset = _buffer.allocate(max(size, ALIGNMENT), alignment=align)
    elif not isinstance(_offset, (int, np.integer)) or _offset < 0 or _offset % ALIGNMENT:
        raise ValueError(
            f"{owner}: _offset must be a non-negative multiple of {ALIGNMENT}, got {_offset!r}."
        )
    return _buffer, int(_offset), zeroed


def write_new(xtype, prepared, buffer, offset, zeroed=False):
    """Stage ``prepared`` in host memory and write it at ``offset``.

    The staging array is as large as the object but zero-allocated, so the
    pages under large arrays (written directly, see :class:`Writer`) are
    never touched.
    """
    size = size_of(xtype, prepared)
    mem = np.zeros(size, dtype=np.uint8)
    writer = Writer(buffer, offset, zeroed)
    xtype._encode(mem, 0, prepared, writer)
    writer.flush(mem)


def assign(xtype, buffer, offset, value, name):
    """Overwrite the object of type ``xtype`` at ``offset`` with ``value``.

    A dynamic object keeps its place, so the new value must need the same
    number of bytes (e.g. a variable-length array keeps its length).
    """
    prepared = xtype._prepare(value, name)
    if not same_layout(xtype, prepared, buffer, offset):
        raise ValueError(
            f"{name}: the new value has other lengths than the stored one "
            f"({prepared.size} bytes vs {read_int64(buffer, offset)}); the lengths of a "
            "variable-size field cannot change in place (build a new object instead)."
        )
    write_new(xtype, prepared, buffer, offset)


def same_layout(xtype, prepared, buffer, offset):
    """Whether ``prepared`` would put every length and offset where the stored value has it.

    Objects viewing parts of the stored value (and the kernels) rely on
    those positions, so an in-place assignment must not move anything.
    """
    if xtype._size is not None:
        return True
    if read_int64(buffer, offset) != prepared.size:
        return False
    return xtype._same_inner_layout(prepared, buffer, offset)


class MetaXType(type):
    """Metaclass of composite types: the C name defaults to the class name."""

    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        if "_c_type" not in namespace:
            cls._c_type = name
        if not cls._c_type.isidentifier():
            raise ValueError(f"type name {cls._c_type!r} is not a valid C identifier.")
        return cls


class XType:
    """Base of every type class: array class syntax and inner-type queries."""

    def __class_getitem__(cls, index):
        """``Float64[:]``, ``Float64[3]``, ``S[:, 3]``: the array class of ``cls``."""
        from .array import array_of

        return array_of(cls, index)

    @classmethod
    def _get_inner_types(cls):
        return []

    @classmethod
    def _gen_kernels(cls):
        """``{name: xo.Kernel}`` of every C accessor of this type (see ``capi.gen_kernels``)."""
        from .capi import gen_kernels

        return gen_kernels(cls)

    @classmethod
    def _has_refs(cls):
        """Whether objects of this type hold pointers (then copies re-encode)."""
        return any(t._has_refs() for t in cls._get_inner_types())


class ThisClass:
    """Placeholder for the class being defined.

    ``xo.Ref(xo.ThisClass)`` as a field type of a Struct (or in a
    HybridClass's ``_xofields``) points at the struct itself (linked lists,
    trees); ``xo.Arg(xo.ThisClass)`` in a HybridClass's ``_kernels`` stands
    for its ``_XoStruct`` when the kernels are compiled.
    """

    _c_type = "ThisClass"
    _size = None

    @classmethod
    def _get_inner_types(cls):
        return []


class XObject(XType):
    """Base of the instances of composite types: a view of ``(buffer, offset)``.

    Constructor keywords common to all composite types:

    Parameters
    ----------
    _context : XContext, optional
        Context of a new buffer (``context_default`` when neither ``_context``
        nor ``_buffer`` is given).
    _buffer : XBuffer, optional
        Buffer to allocate the object in.
    _offset : int, optional
        Offset in ``_buffer`` already reserved by the caller.
    """

    _size = None
    _align = ALIGNMENT
    #: Set by types that can build some values without staging: a function
    #: ``dict -> (size, bytes) or None`` (Struct, see struct.py).
    _fast_plan = None

    def __init__(self, *args, _context=None, _buffer=None, _offset=None, **kwargs):
        cls = type(self)
        value = cls._init_value(args, kwargs)
        encode = cls._fast_plan
        if encode is not None and type(value) is dict:
            # Structs of scalars and small arrays of scalars given as plain
            # values: validated and packed in one go (struct.py); None means
            # "not for the fast path", and the general path below decides.
            fast = encode(value)
            if fast is not None:
                size, data = fast
                buffer, offset, _ = place(size, _context, _buffer, _offset, cls.__name__)
                buffer.write(offset, data)
                self._buffer = buffer
                self._offset = offset
                if cls._size is None:
                    self._size = size
                return
        source = unwrap_hybrid(value)
        if type(source) is cls and not cls._has_refs():
            # Position-independent bytes: copy them as they are, across contexts too.
            size = source._size
            buffer, offset, _ = place(size, _context, _buffer, _offset, cls.__name__)
            buffer.copy_from(source._buffer, source._offset, offset, size)
        else:
            prepared = cls._prepare(value, cls.__name__)
            size = size_of(cls, prepared)
            buffer, offset, zeroed = place(size, _context, _buffer, _offset, cls.__name__)
            write_new(cls, prepared, buffer, offset, zeroed)
        self._bind(buffer, offset)

    @classmethod
    def _init_value(cls, args, kwargs):
        if kwargs:
            raise unknown_name_error(cls.__name__, next(iter(kwargs)), ("_context", "_buffer", "_offset"))
        if len(args) > 1:
            raise TypeError(f"{cls.__name__}() takes at most one positional value, got {len(args)}.")
        return args[0] if args else None

    def _bind(self, buffer, offset):
        self._buffer = buffer
        self._offset = offset
        if type(self)._size is None:
            self._size = read_int64(buffer, offset)

    @classmethod
    def _from_buffer(cls, buffer, offset):
        """Instance viewing an existing object at ``offset`` (nothing written)."""
        obj = cls.__new__(cls)
        obj._bind(buffer, offset)
        return obj

    @classmethod
    def _view(cls, buffer, offset):
        return cls._from_buffer(buffer, offset)

    @property
    def _context(self):
        return self._buffer.context

    def _to_python(self):
        """Plain Python value (dicts, lists, numpy host arrays) of the object."""
        cls = type(self)
        return cls._decode(Reader(self._buffer, self._offset, self._size), self._offset)

    def _to_dict(self):
        """Plain value for a dict round trip: ``type(obj)(obj._to_dict())`` rebuilds it.

        Structs give dicts, arrays (nested) lists, union refs ``None`` or
        ``(member type name, plain value)``, scalars and strings themselves.
        """
        return type(self)._to_plain(self._to_python())

    @classmethod
    def _inspect_args(cls, *args, **kwargs):
        """Size in bytes (``.size``) a value would take, without building it.

        For structs, ``._offsets`` maps the index of each dynamic field to
        the offset of its data from the struct start (our layout,
        ARCHITECTURE.md).
        """
        from types import SimpleNamespace

        prepared = cls._prepare(cls._init_value(args, kwargs), cls.__name__)
        fields = getattr(cls, "_dynamic_fields", ())
        offsets = dict(zip((f.index for f in fields), getattr(prepared, "offsets", None) or ()))
        return SimpleNamespace(size=size_of(cls, prepared), _offsets=offsets)

    def _free(self):
        """Give the object's bytes back to its buffer; the instance is unusable after."""
        self._buffer.free(self._offset, max(self._size, ALIGNMENT))

    def __repr__(self):
        return f"<{type(self).__name__} at {self._offset} in {self._buffer!r}>"
