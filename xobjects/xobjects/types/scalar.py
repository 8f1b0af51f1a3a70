"""Scalar types: fixed-size numbers stored at their natural alignment.

Each scalar type is a class carrying its numpy dtype, C type and size; the
composite types (Struct, Array, ...) and the kernels' argument conversion
read these attributes.
"""

import struct
from types import SimpleNamespace

import numpy as np

from .base import XType

#: What a fast converter returns for a value it does not handle: the caller
#: takes the general path, which gives the error (or the exotic conversion).
NOFAST = object()

#: Ints given to float types are taken by the fast path while exact.
_EXACT_INT = {8: 2**53, 4: 2**24}
_FLT_MAX = float(np.finfo(np.float32).max)
_INT_TYPES = (int, bool)


class Scalar(XType):
    """Base of the scalar types; not instantiated, used as a type tag.

    Values are Python ``float`` / ``int`` on the Python side; conversion
    checks the kind (no strings, no complex), that integers fit the type, and
    that floats given to integer types are integral.
    """

    _dtype: np.dtype
    _c_type: str
    _size: int
    _align: int

    def __new__(cls, value=0):
        """``Float64(3)``: ``value`` converted to the type, as a Python number."""
        return cls._prepare(value, cls.__name__).item()

    @classmethod
    def _inspect_args(cls, *args, **kwargs):
        """Layout information of a value (scalars: always ``_size`` bytes)."""
        return SimpleNamespace(size=cls._size, _offsets={})

    @classmethod
    def _to_plain(cls, decoded):
        return decoded

    @classmethod
    def _to_buffer(cls, buffer, offset, value):
        """Write ``value`` at ``offset`` of ``buffer``."""
        buffer.write(offset, cls._prepare(value, cls.__name__).reshape(1).view(np.uint8))

    @classmethod
    def _from_buffer(cls, buffer, offset):
        """The value stored at ``offset`` of ``buffer``."""
        return cls._view(buffer, offset)

    @classmethod
    def _prepare(cls, value, name="value"):
        """Validate ``value``; return it as a 0-d numpy array of ``_dtype``."""
        if value is None:
            value = 0
        if isinstance(value, (list, tuple, np.ndarray)) and np.size(value) == 1 and np.ndim(value) == 1:
            value = value[0]  # one value in a list, as numpy assignment takes it (hxl=[0.1])
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, bool):
            value = int(value)
        kind = cls._dtype.kind
        if kind == "f":
            if not isinstance(value, (int, float)):
                raise TypeError(
                    f"{name} must be a real number ({cls.__name__}), got {value!r} "
                    f"({type(value).__name__})."
                )
            return np.array(value, dtype=cls._dtype)
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"{name} must be an integer ({cls.__name__}), got {value!r}.")
            value = int(value)
        if not isinstance(value, int):
            raise TypeError(
                f"{name} must be an integer ({cls.__name__}), got {value!r} ({type(value).__name__})."
            )
        lo, hi = cls._limits
        if not lo <= value <= hi:
            raise ValueError(f"{name} must be in [{lo}, {hi}] ({cls.__name__}), got {value}.")
        return np.array(value, dtype=cls._dtype)

    @classmethod
    def _fast_value(cls, value):
        """``value`` ready for ``struct`` packing with ``_pack_code``, or :data:`NOFAST`.

        Takes only values whose conversion is plain and exact (Python and
        numpy floats and ints in range, bools, None); anything else,
        including every bad value, is left to :meth:`_prepare`, which stores
        the same bytes or raises.
        """
        return NOFAST

    @classmethod
    def _pack(cls, value):
        """The bytes of ``value`` (validated as :meth:`_prepare` does)."""
        fast = cls._fast_value(value)
        if fast is NOFAST:
            return cls._prepare(value, cls.__name__).tobytes()
        return cls._packer.pack(fast)

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        mem[loc : loc + cls._size] = prepared.reshape(1).view(np.uint8)

    @classmethod
    def _decode(cls, reader, offset):
        return reader.scalar(offset, cls._dtype)

    @classmethod
    def _view(cls, buffer, offset):
        return buffer.read(offset, cls._size).view(cls._dtype)[0].item()


def _float_converter(size):
    exact = _EXACT_INT[size]
    big = float("inf") if size == 8 else _FLT_MAX

    def fast_value(cls, value):
        t = type(value)
        if t is float or t is np.float64:
            # Float32: beyond its range numpy gives inf where struct raises.
            return value if size == 8 or -big <= value <= big else NOFAST
        if t is int or t is bool:
            return value if -exact <= value <= exact else NOFAST
        if value is None:
            return 0.0
        if t is np.float32:
            return float(value)
        return NOFAST

    return classmethod(fast_value)


def _int_converter(lo, hi):
    def fast_value(cls, value):
        t = type(value)
        if t is int or t is bool:
            pass
        elif t is float:
            if not value.is_integer():
                return NOFAST
            value = int(value)
        elif value is None:
            return 0
        elif isinstance(value, np.integer):
            value = int(value)
        else:
            return NOFAST
        return value if lo <= value <= hi else NOFAST

    return classmethod(fast_value)


_PACK_CODES = {"f8": "d", "f4": "f", "i8": "q", "i4": "i", "i2": "h", "i1": "b",
               "u8": "Q", "u4": "I", "u2": "H", "u1": "B"}


def _make_scalar(name, dtype, c_type):
    dtype = np.dtype(dtype)
    code = _PACK_CODES[f"{dtype.kind}{dtype.itemsize}"]
    namespace = {
        "_dtype": dtype,
        "_c_type": c_type,
        "_size": dtype.itemsize,
        "_align": dtype.itemsize,
        # struct code (little endian, standard size) of the fast paths
        "_pack_code": code,
        "_packer": struct.Struct("<" + code),
        "__doc__": f"{dtype.itemsize * 8}-bit scalar ({c_type} in C).",
    }
    if dtype.kind == "f":
        namespace["_fast_value"] = _float_converter(dtype.itemsize)
    else:
        info = np.iinfo(dtype)
        namespace["_limits"] = (int(info.min), int(info.max))
        namespace["_fast_value"] = _int_converter(int(info.min), int(info.max))
    return type(name, (Scalar,), namespace)


Float64 = _make_scalar("Float64", "float64", "double")
Float32 = _make_scalar("Float32", "float32", "float")
Int64 = _make_scalar("Int64", "int64", "int64_t")
Int32 = _make_scalar("Int32", "int32", "int32_t")
Int16 = _make_scalar("Int16", "int16", "int16_t")
Int8 = _make_scalar("Int8", "int8", "int8_t")
# Class names (and so array names: ArrNUint8) follow the established
# implementation; UInt64 ... are the same classes.
Uint64 = UInt64 = _make_scalar("Uint64", "uint64", "uint64_t")
Uint32 = UInt32 = _make_scalar("Uint32", "uint32", "uint32_t")
Uint16 = UInt16 = _make_scalar("Uint16", "uint16", "uint16_t")
Uint8 = UInt8 = _make_scalar("Uint8", "uint8", "uint8_t")

ALL_SCALARS = (Float64, Float32, Int64, Int32, Int16, Int8, UInt64, UInt32, UInt16, UInt8)
