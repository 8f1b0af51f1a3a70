"""String: UTF-8 text stored as an int64 total size then NUL-terminated bytes.

Field access returns a Python ``str``; a stored string keeps its size, so a
new value must fit the same padded size (see ``base.assign``).
"""

import numpy as np

from .base import ALIGNMENT, Prepared, XObject, put_int64, read_int64, round_up, unwrap_hybrid


class String(XObject):
    """Variable-size UTF-8 string.

    ``xo.String("text", _context=...)`` builds a standalone string;
    ``to_str()`` (or ``str(obj)``) reads it back.
    """

    _c_type = "String"

    @classmethod
    def _prepare(cls, value, name="value"):
        value = unwrap_hybrid(value)
        if value is None:
            value = ""
        elif isinstance(value, String):
            value = value.to_str()
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {value!r} ({type(value).__name__}).")
        data = value.encode("utf-8")
        if b"\0" in data:
            raise ValueError(f"{name} must not contain NUL characters, got {value!r}.")
        return Prepared(ALIGNMENT + round_up(len(data) + 1), data)

    @classmethod
    def _same_inner_layout(cls, prepared, buffer, offset):
        return True  # the size says it all

    @classmethod
    def _encode(cls, mem, loc, prepared, writer):
        put_int64(mem, loc, prepared.size)
        data = np.frombuffer(prepared.data, dtype=np.uint8)
        mem[loc + ALIGNMENT : loc + ALIGNMENT + data.size] = data

    @classmethod
    def _decode(cls, reader, offset):
        size = reader.int64(offset)
        raw = reader.bytes(offset + ALIGNMENT, size - ALIGNMENT).tobytes()
        return raw.split(b"\0", 1)[0].decode("utf-8")

    @classmethod
    def _view(cls, buffer, offset):
        size = read_int64(buffer, offset)
        raw = buffer.read(offset + ALIGNMENT, size - ALIGNMENT).tobytes()
        return raw.split(b"\0", 1)[0].decode("utf-8")

    @classmethod
    def _to_plain(cls, decoded):
        return decoded

    def to_str(self):
        """The stored text."""
        return self._to_python()

    def __str__(self):
        return self.to_str()
