"""The xobjects type system."""

from .scalar import Float32, Float64, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64

__all__ = [
    "Float64", "Float32", "Int64", "Int32", "Int16", "Int8",
    "UInt64", "UInt32", "UInt16", "UInt8",
]
