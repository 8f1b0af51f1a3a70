"""Scalar types: fixed-size numbers stored at their natural alignment.

Each scalar type is a class carrying its numpy dtype, C type and size; the
composite types (Struct, Array, ...) and the kernels' argument conversion
read these attributes.
"""

from types import SimpleNamespace

import numpy as np

from .base import XType


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
        info = np.iinfo(cls._dtype)
        if not info.min <= value <= info.max:
            raise ValueError(
                f"{name} must be in [{info.min}, {info.max}] ({cls.__name__}), got {value}."
            )
        return np.array(value, dtype=cls._dtype)

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        mem[loc : loc + cls._size] = prepared.reshape(1).view(np.uint8)

    @classmethod
    def _decode(cls, reader, offset):
        return reader.scalar(offset, cls._dtype)

    @classmethod
    def _view(cls, buffer, offset):
        return buffer.read(offset, cls._size).view(cls._dtype)[0].item()


def _make_scalar(name, dtype, c_type):
    dtype = np.dtype(dtype)
    return type(
        name,
        (Scalar,),
        {
            "_dtype": dtype,
            "_c_type": c_type,
            "_size": dtype.itemsize,
            "_align": dtype.itemsize,
            "__doc__": f"{dtype.itemsize * 8}-bit scalar ({c_type} in C).",
        },
    )


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
