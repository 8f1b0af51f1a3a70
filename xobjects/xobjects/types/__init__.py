"""The xobjects type system: scalars, Struct, Array, String, Ref, UnionRef.

Layout and C API conventions are in ``ARCHITECTURE.md`` beside the package.
"""

from .array import Array
from .base import ThisClass
from .capi import gen_c_api, gen_cdef
from .jencoder import JEncoder
from .ref import Ref, UnionRef
from .scalar import (
    Float32, Float64, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64,
    Uint8, Uint16, Uint32, Uint64,
)
from .string import String
from .struct import Field, Struct

__all__ = [
    "Float64", "Float32", "Int64", "Int32", "Int16", "Int8",
    "UInt64", "UInt32", "UInt16", "UInt8", "Uint64", "Uint32", "Uint16", "Uint8",
    "Struct", "Field", "Array", "String", "Ref", "UnionRef",
    "ThisClass", "gen_c_api", "gen_cdef", "JEncoder",
]
