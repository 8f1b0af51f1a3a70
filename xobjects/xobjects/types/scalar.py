"""Scalar types: fixed-size numbers stored at their natural alignment.

Each scalar type is a class carrying its numpy dtype, C type and size; the
composite types (Struct, Array, ...) and the kernels' argument conversion
read these attributes.
"""

import numpy as np


class Scalar:
    """Base of the scalar types; not instantiated, used as a type tag."""

    _dtype: np.dtype
    _c_type: str
    _size: int

    @classmethod
    def _get_inner_types(cls):
        return []


def _make_scalar(name, dtype, c_type):
    dtype = np.dtype(dtype)
    return type(
        name,
        (Scalar,),
        {
            "_dtype": dtype,
            "_c_type": c_type,
            "_size": dtype.itemsize,
            "__doc__": f"{dtype.itemsize * 8}-bit scalar ({c_type} in C).",
        },
    )


Float64 = _make_scalar("Float64", "float64", "double")
Float32 = _make_scalar("Float32", "float32", "float")
Int64 = _make_scalar("Int64", "int64", "int64_t")
Int32 = _make_scalar("Int32", "int32", "int32_t")
Int16 = _make_scalar("Int16", "int16", "int16_t")
Int8 = _make_scalar("Int8", "int8", "int8_t")
UInt64 = _make_scalar("UInt64", "uint64", "uint64_t")
UInt32 = _make_scalar("UInt32", "uint32", "uint32_t")
UInt16 = _make_scalar("UInt16", "uint16", "uint16_t")
UInt8 = _make_scalar("UInt8", "uint8", "uint8_t")

ALL_SCALARS = (Float64, Float32, Int64, Int32, Int16, Int8, UInt64, UInt32, UInt16, UInt8)
