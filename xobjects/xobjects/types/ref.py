"""Ref and UnionRef: pointers to objects in the same buffer.

A ``Ref`` slot holds an int64 offset relative to the slot itself (0 is NULL),
so a whole buffer copied to another context keeps its pointers valid. A
``UnionRef`` holds an int64 type id (index in ``_reftypes``, -1 for NULL)
then the offset of the target relative to this second slot.

Assigning an object that lives in the same buffer stores a pointer to it;
an object in another buffer, or a plain value (dict, list ...), is first
copied into the buffer.

Examples
--------
>>> import xobjects as xo
>>> class A(xo.Struct):
...     x = xo.Float64
>>> class B(xo.Struct):
...     n = xo.Int64
>>> class Elem(xo.UnionRef):
...     _reftypes = [A, B]
>>> class Holder(xo.Struct):
...     first = xo.Ref(A)
...     items = Elem[:]
"""

import numpy as np

from .base import (
    ALIGNMENT,
    MetaXType,
    XObject,
    XType,
    object_alignment,
    put_int64,
    read_int64,
    size_of,
    unwrap_hybrid,
    write_new,
    xo_type_of,
)

_REF_CLASSES = {}


def _target_offset(reftype, value, writer):
    """Offset of ``value`` in ``writer.buffer``, copying it there if needed."""
    kind, payload = value
    if kind == "inst" and payload._buffer is writer.buffer:
        return payload._offset
    if kind == "inst":
        return reftype(payload, _buffer=writer.buffer)._offset
    offset = writer.buffer.allocate(
        max(size_of(reftype, payload), ALIGNMENT), alignment=object_alignment(writer.buffer)
    )
    write_new(reftype, payload, writer.buffer, offset)
    return offset


def _prepare_target(reftype, value, name):
    value = unwrap_hybrid(value)
    if isinstance(value, reftype):
        return ("inst", value)
    return ("new", reftype._prepare(value, name))


class RefBase(XType):
    """Common part of Ref and UnionRef: static size, pointers inside."""

    _align = ALIGNMENT

    @classmethod
    def _has_refs(cls):
        return True


class Ref(RefBase):
    """Pointer to an object of one type: ``xo.Ref(SomeType)`` or ``xo.Ref[SomeType]`` as a field type."""

    _size = ALIGNMENT
    _reftype = None

    def __class_getitem__(cls, index):
        if cls is Ref:  # xo.Ref[T]: the pointer type, as xo.Ref(T)
            return ref_to(index)
        return super().__class_getitem__(index)

    def __init__(self, *args, **kwargs):
        raise TypeError(
            f"{type(self).__name__} is a pointer type: use it as a field or array item type."
        )

    @classmethod
    def _to_plain(cls, decoded):
        return None if decoded is None else cls._reftype._to_plain(decoded)

    def __new__(cls, *reftypes):
        if cls is not Ref:
            return super().__new__(cls)
        if len(reftypes) != 1:
            raise TypeError(
                f"xo.Ref takes one type, got {len(reftypes)}; for a pointer to one of several "
                "types subclass xo.UnionRef with _reftypes = [...]."
            )
        return ref_to(reftypes[0])

    @classmethod
    def _get_inner_types(cls):
        return [cls._reftype]

    @classmethod
    def _prepare(cls, value, name="value"):
        if value is None:
            return None
        return _prepare_target(cls._reftype, value, name)

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        rel = 0
        if prepared is not None:
            rel = _target_offset(cls._reftype, prepared, writer) - (writer.base + loc)
        put_int64(mem, loc, rel)

    @classmethod
    def _decode(cls, reader, offset):
        rel = reader.int64(offset)
        if rel == 0:
            return None
        target = offset + rel
        if target in reader.following:
            raise ValueError(
                f"{cls.__name__} at offset {offset} closes a cycle of refs: a cyclic "
                "structure has no plain (dict) value; walk it through the instances."
            )
        reader.following.add(target)
        value = cls._reftype._decode(reader, target)
        reader.following.discard(target)
        return value

    @classmethod
    def _view(cls, buffer, offset):
        rel = read_int64(buffer, offset)
        return None if rel == 0 else cls._reftype._view(buffer, offset + rel)


def _is_composite(xtype):
    """Whether ``xtype`` is an xobjects type that a pointer can target (not a scalar)."""
    return hasattr(xtype, "_c_type") and getattr(xtype, "_dtype", None) is None


def ref_to(reftype):
    """The (cached) Ref class pointing at ``reftype``."""
    reftype = xo_type_of(reftype)
    if not _is_composite(reftype):
        raise TypeError(f"xo.Ref needs a composite xobjects type (Struct, Array, String), got {reftype!r}.")
    cls = _REF_CLASSES.get(reftype)
    if cls is None:
        name = f"Ref{reftype._c_type}"
        cls = _REF_CLASSES[reftype] = type(name, (Ref,), {"_reftype": reftype, "_c_type": name})
    return cls


class MetaUnionRef(MetaXType):
    """Normalises ``_reftypes`` (HybridClasses stand for their ``_XoStruct``)."""

    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        reftypes = namespace.get("_reftypes")
        if reftypes is not None:
            cls._reftypes = [xo_type_of(t) for t in reftypes]
            for t in cls._reftypes:
                if not _is_composite(t):
                    raise TypeError(f"{name}._reftypes must hold composite xobjects types, got {t!r}.")
        return cls


class UnionRef(RefBase, XObject, metaclass=MetaUnionRef):
    """Pointer to an object of one of several types listed in ``_reftypes``.

    Used as a field or array item type, or alone: ``U(obj)``, ``U(None)``,
    ``U('A', {...})`` (a member type name and its value, as ``_to_dict``
    gives) build a union slot in a buffer; ``get()`` returns the target.
    """

    _size = 2 * ALIGNMENT
    _reftypes = []

    def __init__(self, *args, **kwargs):
        if type(self) is UnionRef:
            raise TypeError("xo.UnionRef is abstract: subclass it with _reftypes = [...].")
        super().__init__(*args, **kwargs)

    @classmethod
    def _init_value(cls, args, kwargs):
        if len(args) == 2 and isinstance(args[0], str):  # U('A', {...})
            args = (tuple(args),)
        return super()._init_value(args, kwargs)

    def get(self):
        """The target (an instance viewing the buffer, or a value), or None."""
        return type(self)._view(self._buffer, self._offset)

    @classmethod
    def _to_plain(cls, member):
        if member is None:
            return None
        return (type(member).__name__, type(member)._to_plain(member._to_python()))

    @classmethod
    def _typeid_from_type(cls, reftype):
        return cls._reftypes.index(xo_type_of(reftype))

    @classmethod
    def _typeid_from_name(cls, name):
        names = cls._type_names()
        if name not in names:
            raise KeyError(f"{name!r} is not a member of {cls.__name__}; members: {sorted(names)}.")
        return names[name]

    @classmethod
    def _type_from_typeid(cls, typeid):
        return cls._reftypes[typeid]

    @classmethod
    def _type_from_name(cls, name):
        return cls._reftypes[cls._typeid_from_name(name)]

    @classmethod
    def _get_inner_types(cls):
        return list(cls._reftypes)

    @classmethod
    def _type_names(cls):
        names = {}
        for ii, t in enumerate(cls._reftypes):
            names[t.__name__] = ii
            dressing = getattr(t, "_DressingClass", None)
            if dressing is not None:
                names[dressing.__name__] = ii
        return names

    @classmethod
    def _prepare(cls, value, name="value"):
        value = unwrap_hybrid(value)
        if value is None:
            return None
        if isinstance(value, UnionRef):
            return cls._prepare(value.get(), name)
        for ii, t in enumerate(cls._reftypes):
            if isinstance(value, t):
                return (ii, ("inst", value))
        allowed = ", ".join(t.__name__ for t in cls._reftypes)
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            # (member type name, value): what _to_dict gives
            ii = cls._type_names().get(value[0])
            if ii is None:
                raise TypeError(f"{name}: {value[0]!r} is not one of {allowed} ({cls.__name__}).")
            return (ii, ("new", cls._reftypes[ii]._prepare(value[1], name)))
        if isinstance(value, dict) and "__class__" in value:
            ii = cls._type_names().get(value["__class__"])
            if ii is None:
                raise TypeError(
                    f"{name}: '__class__' {value['__class__']!r} is not one of {allowed} ({cls.__name__})."
                )
            return (ii, ("new", cls._reftypes[ii]._prepare(value, name)))
        raise TypeError(
            f"{name} must be an instance of one of {allowed} ({cls.__name__}) or a dict with "
            f"'__class__', got {value!r} ({type(value).__name__})."
        )

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        if prepared is None:
            put_int64(mem, loc, -1)
            put_int64(mem, loc + ALIGNMENT, 0)
            return
        typeid, target = prepared
        offset = _target_offset(cls._reftypes[typeid], target, writer)
        put_int64(mem, loc, typeid)
        put_int64(mem, loc + ALIGNMENT, offset - (writer.base + loc + ALIGNMENT))

    @classmethod
    def _member(cls, typeid, rel, offset):
        """Member type and absolute offset of the target, or (None, None)."""
        if typeid < 0 or rel == 0:
            return None, None
        if typeid >= len(cls._reftypes):
            raise ValueError(f"{cls.__name__}: corrupt type id {typeid} at offset {offset}.")
        return cls._reftypes[typeid], offset + ALIGNMENT + rel

    @classmethod
    def _decode(cls, reader, offset):
        # Plain values keep the member as an instance: its type is the information.
        member, where = cls._member(reader.int64(offset), reader.int64(offset + ALIGNMENT), offset)
        return None if member is None else member._from_buffer(reader.buffer, where)

    @classmethod
    def _view(cls, buffer, offset):
        typeid, rel = (int(v) for v in buffer.read(offset, 2 * ALIGNMENT).view(np.int64))
        member, where = cls._member(typeid, rel, offset)
        return None if member is None else member._view(buffer, where)
