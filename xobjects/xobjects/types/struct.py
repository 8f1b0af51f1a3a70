"""Struct and Field: named fields laid out as in ARCHITECTURE.md.

A static struct (all fields of static size) is its fields at their natural
alignment, padded to a multiple of 8. A dynamic struct starts with an int64
holding its total size; each dynamic field is an int64 slot in the static
part holding the offset (from the struct start) of the field's data, which
follows the static part in declaration order, 8-aligned.

Examples
--------
>>> import xobjects as xo
>>> class Point(xo.Struct):
...     x = xo.Float64
...     tag = xo.Field(xo.Int64, default=3)
>>> Point(x=1.5).to_dict()
{'x': 1.5, 'tag': 3}
"""

import functools
import math
import struct as _struct
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from .base import (
    ALIGNMENT,
    MetaXType,
    Prepared,
    Reader,
    ThisClass,
    XObject,
    assign,
    is_xo_type,
    put_int64,
    read_int64,
    round_up,
    same_layout,
    unknown_name_error,
    unwrap_hybrid,
    xo_type_of,
)
from .ref import RefBase, ref_to
from .scalar import NOFAST, Scalar


class Field:
    """A struct field: type, default, read-only flag; a descriptor on instances.

    Parameters
    ----------
    ftype : xobjects type
        Type of the field (scalar, Struct, Array, String, Ref, UnionRef, or a
        HybridClass, which stands for its ``_XoStruct``).
    default : optional
        Value used when the constructor does not get one; ``None`` means the
        type's own default (zero, empty, NULL).
    readonly : bool, default False
        Refuse assignment from Python after construction.
    unit : str, optional
        Physical unit of the value ('m', 'eV', '1' for dimensionless...).
    doc : str, optional
        What the value means. With ``unit``, it documents the field's
        attribute and the Parameters section of a HybridClass docstring.
    """

    def __init__(self, ftype, default=None, readonly=False, *, unit=None, doc=None):
        if not is_xo_type(ftype):
            raise TypeError(f"Field type must be an xobjects type, got {ftype!r}.")
        for what, value in (("unit", unit), ("doc", doc)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"Field {what} must be a str or None, got {value!r}.")
        self.ftype = xo_type_of(ftype)
        self.default = default
        self.readonly = readonly
        self.unit = unit
        self.doc = doc
        self.name = None
        self.index = None
        self.offset = None  # static offset, or offset of the slot if dynamic
        self.is_dynamic = self.ftype._size is None
        self._is_scalar = issubclass(self.ftype, Scalar)

    def _clone(self):
        new = Field(self.ftype, self.default, self.readonly, unit=self.unit, doc=self.doc)
        new.name = self.name
        return new

    def describe(self):
        """One-line description: ``doc [unit]``, whichever of the two is set ('' if none)."""
        unit = f"[{self.unit}]" if self.unit else ""
        return " ".join(part for part in ((self.doc or "").strip(), unit) if part)

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if self._is_scalar:
            raw = obj._buffer.buffer
            if type(raw) is np.ndarray:
                # host memory: one unpack (what Scalar._view gives: a Python number)
                return self.ftype._packer.unpack_from(raw, obj._offset + self.offset)[0]
            return self.ftype._view(obj._buffer, obj._offset + self.offset)
        if getattr(self.ftype, "_scalar_items", False):
            # Hot path (particle coordinates): where the data is and its shape
            # never change for this object, so they are read once.
            cache = obj.__dict__.setdefault("_array_cache", {})
            where = cache.get(self.index)
            if where is None:
                offset = obj._field_offset(self)
                shape = self.ftype._read_shape(lambda o: read_int64(obj._buffer, o), offset)
                where = cache[self.index] = (offset + self.ftype._header, shape)
            return obj._buffer.to_nplike(where[0], self.ftype._itemtype._dtype, where[1])
        return self.ftype._view(obj._buffer, obj._field_offset(self))

    def __set__(self, obj, value):
        if self.readonly:
            raise AttributeError(f"field {self.name!r} of {type(obj).__name__} is read-only.")
        if self._is_scalar:
            # Plain numbers: packed and written in one go; others (and every
            # bad value, for its error) take the general path.
            ftype = self.ftype
            fast = ftype._fast_value(value)
            if fast is not NOFAST:
                raw = obj._buffer.buffer
                if type(raw) is np.ndarray:
                    # host memory: pack straight into it (the mirror of __get__'s unpack_from;
                    # the offset lies inside the object by construction)
                    ftype._packer.pack_into(raw, obj._offset + self.offset, fast)
                else:
                    obj._buffer.write(obj._offset + self.offset, ftype._packer.pack(fast))
                return
        assign(self.ftype, obj._buffer, obj._field_offset(self), value, f"{type(obj).__name__}.{self.name}")

    def __repr__(self):
        return f"Field({self.name!r}, {self.ftype.__name__}, offset={self.offset})"


_ARRAY_HEADER = _struct.Struct("<qq")  # total size, length of a 1-d variable array


def _fast_plan(cls):
    """The fast encoder of ``cls`` (see ``Struct._fast_encode``), or None if it has none.

    Eligible: structs whose fields are all scalars or arrays of scalars with
    one ``:`` dimension. The encoder is a function generated once per type
    (the "plan"): it reads each field's value from the dict, checks its
    type inline (a Python float for a Float64, an int in range for an
    integer type; other values go through ``Scalar._fast_value`` /
    ``Array._fast_items``), and packs the whole static part with one
    ``struct.Struct`` (the total size first when dynamic, the scalars and
    the dynamic fields' offset slots at their offsets, zero padding); the
    arrays follow, at the offsets of ``_dynamic_layout``.
    """
    dynamic = cls._size is None
    fmt = ["<"]
    cursor = 0
    if dynamic:
        fmt.append("q")
        cursor = ALIGNMENT
    env = {"NOFAST": NOFAST, "names": frozenset(cls._field_names) | {"__class__"},
           "cls": cls, "header": _ARRAY_HEADER.pack_into}
    body = ["    if not names.issuperset(value):", "        return None", "    get = value.get"]
    packed, arrays = [], []
    for k, f in enumerate(cls._fields):
        ftype = f.ftype
        env[f"d{k}"] = f.default
        if f._is_scalar and f.default is None:
            # the type's zero: passes the inline check below (None itself,
            # when given, goes through the converter and gives the same)
            env[f"d{k}"] = 0.0 if ftype._dtype.kind == "f" else 0
        if f._is_scalar:
            code, nbytes = ftype._pack_code, ftype._size
            env[f"c{k}"] = ftype._fast_value
            body.append(f"    v{k} = get({f.name!r}, d{k})")
            if ftype._dtype.kind == "f" and ftype._size == 8:
                body.append(f"    if type(v{k}) is not float:")
            elif ftype._dtype.kind in "iu":
                lo, hi = ftype._limits
                body.append(f"    if type(v{k}) is not int or not {lo} <= v{k} <= {hi}:")
            else:
                body.append("    if True:")
            body += [f"        v{k} = c{k}(v{k})", f"        if v{k} is NOFAST:", "            return None"]
            packed.append(f"v{k}")
        elif getattr(ftype, "_scalar_items", False) and ftype._shape == (None,):
            code, nbytes = "q", ALIGNMENT
            env[f"i{k}"] = ftype._fast_items
            body += [f"    a{k} = i{k}(get({f.name!r}, d{k}))", f"    if a{k} is None:", "        return None"]
            packed.append(f"rels[{len(arrays)}]")
            arrays.append(k)
        else:
            return None
        if f.offset > cursor:
            fmt.append(f"{f.offset - cursor}x")
        fmt.append(code)
        cursor = f.offset + nbytes
    if cls._static_size > cursor:
        fmt.append(f"{cls._static_size - cursor}x")
    packer = _struct.Struct("".join(fmt))
    assert packer.size == cls._static_size, (cls, packer.format)
    env["pack"], env["pack_into"] = packer.pack, packer.pack_into
    if not dynamic:
        body.append(f"    return {packer.size}, pack({', '.join(packed)})")
    else:
        env["layout"] = _dynamic_layout  # defined below (the Struct base itself is static)
        sizes = "".join(f"a{k}[2], " for k in arrays)
        body += [f"    size, rels = layout(cls, ({sizes}))", "    mem = bytearray(size)",
                 f"    pack_into(mem, 0, size, {', '.join(packed)})"]
        for j, k in enumerate(arrays):
            body += [f"    header(mem, rels[{j}], a{k}[2], a{k}[0])", f"    data = a{k}[1]",
                     "    if data is not None:", f"        start = rels[{j}] + {2 * ALIGNMENT}",
                     "        mem[start : start + len(data)] = data"]
        body.append("    return size, mem")
    source = "def encode(value):\n" + "\n".join(body) + "\n"
    exec(compile(source, f"<xobjects fast encoder of {cls.__name__}>", "exec"), env)
    encode = env["encode"]
    encode.source = source
    return encode


#: Instance attributes and methods that a field would hide.
_RESERVED = {
    "_buffer", "_offset", "_size", "_context", "_fields", "_slot_cache", "_array_cache",
    "to_dict", "_to_python", "_free", "_field_offset", "_bind", "_c_type", "_static_size",
    "_layout_for", "_field_names", "_dynamic_fields", "compile_kernels", "_to_dict",
    "_pre_init", "_post_init",
}


class MetaStruct(MetaXType):
    """Collects the fields of a Struct subclass and computes its layout."""

    def __new__(mcs, name, bases, namespace):
        fields = {}
        for base in bases:
            for f in getattr(base, "_fields", ()):
                fields[f.name] = f._clone()
        for key, value in list(namespace.items()):
            if isinstance(value, Field) or (is_xo_type(value) and not key.startswith("__")):
                field = value._clone() if isinstance(value, Field) else Field(value)
                field.name = key
                fields[key] = field
                namespace[key] = field
        reserved = [key for key in fields if key in _RESERVED]
        if reserved:
            raise ValueError(
                f"struct {name}: field name {reserved[0]!r} is reserved for the instances' "
                f"own attributes ({', '.join(sorted(_RESERVED))})."
            )
        cls = super().__new__(mcs, name, bases, namespace)
        for f in fields.values():
            if getattr(f.ftype, "_reftype", None) is ThisClass:
                f.ftype = ref_to(cls)
        kernels = namespace.get("_kernels")
        if isinstance(kernels, dict):  # ThisClass in kernel arguments names this struct
            cls._kernels = _bind_this_class(kernels, cls)
        cls._fields = list(fields.values())
        for ii, f in enumerate(cls._fields):
            f.index = ii
            setattr(cls, f.name, f)
        cls._layout()
        return cls

    def _layout(cls):
        dynamic = any(f.is_dynamic for f in cls._fields)
        cursor = ALIGNMENT if dynamic else 0  # room for the total size
        for f in cls._fields:
            align = ALIGNMENT if f.is_dynamic else f.ftype._align
            f.offset = round_up(cursor, align)
            cursor = f.offset + (ALIGNMENT if f.is_dynamic else f.ftype._size)
        # An empty struct still takes 8 bytes so that distinct objects differ.
        cls._static_size = max(round_up(cursor), ALIGNMENT)
        cls._size = None if dynamic else cls._static_size
        cls._field_names = [f.name for f in cls._fields]
        cls._dynamic_fields = [f for f in cls._fields if f.is_dynamic]
        cls._fast_plan = _fast_plan(cls)


class Struct(XObject, metaclass=MetaStruct):
    """Base of struct types; subclass it with fields as class attributes.

    Instances are built as ``S(a=1.0, b=[1, 2, 3])``, ``S({'a': 1.0})`` or
    ``S(other_instance)`` (a copy), plus ``_context``, ``_buffer``,
    ``_offset``. Fields not given take their default. For a variable-length
    array field, an int gives its length.
    """

    _align = ALIGNMENT
    _pre_init = None  # the hooks below, when a subclass defines them
    _post_init = None

    def __init__(self, *args, _context=None, _buffer=None, _offset=None, **kwargs):
        # Hooks of subclasses: _pre_init(*args, **kwargs) -> (args, kwargs)
        # turns other keywords into field values; _post_init() runs after.
        cls = type(self)
        if cls._pre_init is not None:
            args, kwargs = cls._pre_init(*args, **kwargs)
        super().__init__(*args, _context=_context, _buffer=_buffer, _offset=_offset, **kwargs)
        if cls._post_init is not None:
            self._post_init()

    @classmethod
    def _get_inner_types(cls):
        return [f.ftype for f in cls._fields]

    @classmethod
    def _init_value(cls, args, kwargs):
        if len(args) > 1:
            raise TypeError(f"{cls.__name__}() takes at most one positional value, got {len(args)}.")
        if args and kwargs:
            if not isinstance(args[0], dict):
                raise TypeError(f"{cls.__name__}(): give either an instance or keywords, not both.")
            return {**args[0], **kwargs}
        return args[0] if args else kwargs

    @classmethod
    def _prepare(cls, value, name="value"):
        value = unwrap_hybrid(value)
        if value is None:
            value = {}
        elif isinstance(value, Struct):
            value = cls._values_from_struct(value, name)
        elif not isinstance(value, dict):
            raise TypeError(
                f"{name} must be a dict or a {cls.__name__}, got {value!r} ({type(value).__name__})."
            )
        names = cls._field_names
        for key in value:
            if key not in names and key != "__class__":
                raise unknown_name_error(cls.__name__, key, names)
        data = {}
        for f in cls._fields:
            data[f.name] = f.ftype._prepare(value.get(f.name, f.default), f"{name}.{f.name}")
        if cls._size is not None:
            return Prepared(cls._size, data)
        sizes = tuple(data[f.name].size for f in cls._dynamic_fields)
        size, offsets = _dynamic_layout(cls, sizes)
        return Prepared(size, data, offsets=offsets)

    @classmethod
    def _values_from_struct(cls, other, name):
        """Field values of ``cls`` taken from a struct instance ``other``.

        An instance of the same field names gives all its values; one of
        another struct type gives the values of the fields of the same names
        (as the established implementation: e.g. a struct with an array
        field given where a struct with a ``Ref`` to such an array is
        expected; the ref then points at the array in place when it lives in
        the same buffer). Fields ``other`` lacks keep their defaults; it
        must share at least one field name with ``cls``.
        """
        own = type(other)._fields
        if [(f.name, f.ftype) for f in own] == [(f.name, f.ftype) for f in cls._fields]:
            return other._to_python()
        theirs = {f.name: f for f in own}
        common = [f for f in cls._fields if f.name in theirs]
        if not common:
            raise TypeError(
                f"{name} must be a {cls.__name__} or a dict, got a {type(other).__name__} "
                f"(no field in common)."
            )
        values = {}
        for f in common:
            src = theirs[f.name]
            if issubclass(f.ftype, RefBase) and not issubclass(src.ftype, (Scalar, RefBase)):
                # The object itself (a ref to it), not a copy of its value.
                values[f.name] = src.ftype._from_buffer(other._buffer, other._field_offset(src))
            else:
                values[f.name] = src.ftype._decode(Reader(other._buffer), other._field_offset(src))
        return values

    @classmethod
    def _fast_encode(cls, value):
        """``(size, bytes)`` of the struct built from the dict ``value``, or None.

        The fast path of the constructor (``cls._fast_plan``, generated by
        :func:`_fast_plan`): every field is a scalar or a small 1-d array of
        scalars, and every value is one the fast converters take
        (``Scalar._fast_value``, ``Array._fast_items``); the bytes are those
        the general path would stage. None (an unknown key, a value of
        another kind, a bad value) leaves the decision, and the error, to
        the general path; nothing has been written then.
        """
        encode = cls._fast_plan
        return None if encode is None else encode(value)

    @classmethod
    def _layout_for(cls, **values):
        """Size and field offsets of the struct built with ``values``, without building it.

        Parameters
        ----------
        **values
            What the constructor would get for the dynamic fields: for an
            array of static items, an int (or a tuple of ints) giving the
            lengths of its ``:`` dimensions, or its values; for other
            dynamic fields, their values. Fields not given take their
            default, as in the constructor.

        Returns
        -------
        StructLayout
            ``size`` (bytes), ``offsets`` (field name -> offset from the
            struct start of the field's object: the value of a scalar, the
            header of an array) and ``item_offsets`` (arrays of static items
            -> offset of their first item, where a context-array view of an
            array of scalars starts). See ARCHITECTURE.md, "Memory layout".
        """
        names = cls._field_names
        for key in values:
            if key not in names:
                raise unknown_name_error(f"{cls.__name__}._layout_for", key, names)
        sizes = []
        shapes = {}
        for f in cls._dynamic_fields:
            given = values.get(f.name, f.default)
            shape = f.ftype._lengths(given) if getattr(f.ftype, "_static_items", False) else None
            if shape is None:
                prepared = f.ftype._prepare(given, f"{cls.__name__}.{f.name}")
                sizes.append(prepared.size)
                shape = prepared.shape
            else:
                sizes.append(f.ftype._size_for(shape))
            shapes[f.name] = shape
        return _layout_from_sizes(cls, tuple(sizes), tuple(shapes.get(f.name) for f in cls._dynamic_fields))

    @classmethod
    def _same_inner_layout(cls, prepared, buffer, offset):
        return all(
            same_layout(f.ftype, prepared.data[f.name], buffer, cls._dynamic_offset(buffer, offset, f))
            for f in cls._dynamic_fields
        )

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        if cls._size is None:
            put_int64(mem, loc, prepared.size)
        rels = iter(prepared.offsets or ())
        for f in cls._fields:  # in declaration order: ref targets are allocated in it
            value = prepared.data[f.name]
            if f.is_dynamic:
                rel = next(rels)
                put_int64(mem, loc + f.offset, rel)
                f.ftype._encode(mem, loc + rel, value, writer)
            else:
                f.ftype._encode(mem, loc + f.offset, value, writer)

    @classmethod
    def _decode(cls, reader, offset):
        out = {}
        for f in cls._fields:
            where = offset + (reader.int64(offset + f.offset) if f.is_dynamic else f.offset)
            out[f.name] = f.ftype._decode(reader, where)
        return out

    @classmethod
    def _view(cls, buffer, offset):
        view = cls._from_buffer(buffer, offset)
        # The struct of a HybridClass is handed out as an object of that class.
        dressing = cls.__dict__.get("_DressingClass")
        return view if dressing is None else dressing(_xobject=view)

    @staticmethod
    def _dynamic_offset(buffer, offset, field):
        """Absolute offset of dynamic ``field``'s data in the struct at ``offset``."""
        return offset + read_int64(buffer, offset + field.offset)

    def _field_offset(self, field):
        """Absolute offset of ``field``'s data (dynamic fields follow their slot)."""
        if not field.is_dynamic:
            return self._offset + field.offset
        # Offsets inside an object never change (sizes are fixed at build
        # time), so the slot is read once per instance.
        cache = self.__dict__.setdefault("_slot_cache", {})
        rel = cache.get(field.index)
        if rel is None:
            rel = cache[field.index] = read_int64(self._buffer, self._offset + field.offset)
        return self._offset + rel

    @classmethod
    def _to_plain(cls, decoded):
        return {f.name: f.ftype._to_plain(decoded[f.name]) for f in cls._fields}

    def compile_kernels(self, extra_classes=(), **kwargs):
        """Compile the struct's ``_kernels`` (with its C sources) on its context."""
        classes = [type(self), *extra_classes]
        self._context.add_kernels(kernels=getattr(type(self), "_kernels", {}), extra_classes=classes, **kwargs)

    def to_dict(self):
        """Dict of the field values: numbers, numpy host arrays, nested dicts."""
        return jsonable(self._to_python())

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.to_dict().items())})"


def _bind_this_class(kernels, struct):
    """Copies of ``kernels`` whose ``ThisClass`` arguments name ``struct``."""
    import copy

    out = {}
    for name, kernel in kernels.items():
        if any(arg.atype is ThisClass for arg in getattr(kernel, "args", ())):
            kernel = copy.copy(kernel)
            kernel.args = [copy.copy(arg) for arg in kernel.args]
            for arg in kernel.args:
                if arg.atype is ThisClass:
                    arg.atype = struct
        out[name] = kernel
    return out


class StructLayout(NamedTuple):
    """Where the fields of one struct go (see ``Struct._layout_for``)."""

    size: int
    offsets: MappingProxyType
    item_offsets: MappingProxyType


@functools.lru_cache(maxsize=1024)
def _dynamic_layout(struct, sizes):
    """Total size and offsets of the dynamic fields of ``struct`` whose objects take ``sizes`` bytes.

    The data of the dynamic fields follow the static part in declaration
    order, each 8-aligned (ARCHITECTURE.md, "Memory layout"); computed once
    per (type, sizes).
    """
    cursor = struct._static_size
    offsets = []
    for size in sizes:
        offsets.append(cursor)
        cursor += round_up(size)
    return cursor, tuple(offsets)


@functools.lru_cache(maxsize=1024)
def _layout_from_sizes(struct, sizes, shapes):
    """``StructLayout`` of ``struct`` given the sizes and shapes of its dynamic fields."""
    size, rels = _dynamic_layout(struct, sizes)
    names = [f.name for f in struct._dynamic_fields]
    rels, shapes = dict(zip(names, rels)), dict(zip(names, shapes))
    offsets = {f.name: rels[f.name] if f.is_dynamic else f.offset for f in struct._fields}
    item_offsets = {
        f.name: offsets[f.name] + f.ftype._data_start(math.prod(shapes.get(f.name, f.ftype._shape)))
        for f in struct._fields
        if getattr(f.ftype, "_static_items", False)
    }
    # Cached, hence read-only mappings.
    return StructLayout(
        struct._size or size, MappingProxyType(offsets), MappingProxyType(item_offsets)
    )


def jsonable(value):
    """Replace instances viewing buffers (union members) by their plain values."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, XObject):
        out = jsonable(value._to_python())
        if isinstance(value, Struct):
            out = {"__class__": type(value).__name__, **out}
        return out
    return value
