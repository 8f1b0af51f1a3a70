"""Memory of a `Particles` object: one chunk of an xobjects buffer.

The chunk follows the xobjects layout of the dynamic struct `ParticlesData`
(xobjects/ARCHITECTURE.md, "Memory layout"): an int64 total size, the
fields in declaration order (scalars in place, each array represented by an
int64 offset from the struct start), then the arrays, each an int64 total
size, an int64 length and the data padded to 8 bytes. Kernels therefore
read it through the generated accessors `ParticlesData_get_<field>`,
`ParticlesData_getp1_<field>` and `ParticlesData_len_<field>`, and the chunk
can be copied byte for byte to a buffer of another context.
"""

import numpy as np

from .fields import FIELDS

__all__ = ["ParticlesStorage", "struct_layout"]


def _pad8(nbytes):
    return -(-nbytes // 8) * 8


def struct_layout(capacity):
    """Return (total size [bytes], {field: offset of its value or data}).

    For arrays the offset is that of the first item (after the 16-byte array
    header); the header itself lives 16 bytes before.
    """
    offsets = {}
    pos = 8 + 8 * len(FIELDS)  # size word + one slot per field
    slot = 8
    slots = {}
    for f in FIELDS:
        slots[f.name] = slot
        if not f.per_particle:
            offsets[f.name] = slot
        slot += 8
    for f in FIELDS:
        if f.per_particle:
            offsets[f.name] = pos + 16
            pos += 16 + _pad8(capacity * np.dtype(f.dtype).itemsize)
    return pos, offsets, slots


class ParticlesStorage:
    """A `ParticlesData` struct with arrays of length `capacity` in a buffer.

    Parameters
    ----------
    capacity : int
        Length of every per-particle array.
    context : xobjects context, optional
        Where to allocate (default: `xobjects.context_default`).
    buffer : xobjects buffer, optional
        Buffer to allocate in (its context is used).
    """

    def __init__(self, capacity, context=None, buffer=None, offset=None):
        import xobjects as xo

        if buffer is None:
            if context is None:
                context = xo.context_default
            size = struct_layout(capacity)[0]
            buffer = context.new_buffer(capacity=size)
        self.capacity = int(capacity)
        self.size, self.offsets, slots = struct_layout(self.capacity)
        self.buffer = buffer
        self.offset = buffer.allocate(self.size) if offset is None else offset
        self._write_header(slots)

    @classmethod
    def wrap(cls, capacity, buffer, offset):
        """Storage object for a struct already written at `offset` of `buffer`."""
        obj = cls.__new__(cls)
        obj.capacity = int(capacity)
        obj.size, obj.offsets, _ = struct_layout(obj.capacity)
        obj.buffer, obj.offset = buffer, offset
        return obj

    @property
    def context(self):
        """Context owning the memory."""
        return self.buffer.context

    def _write_header(self, slots):
        words = {0: self.size}
        for f in FIELDS:
            if f.per_particle:
                data = self.offsets[f.name]
                words[slots[f.name]] = data - 16
                words[data - 16] = 16 + _pad8(self.capacity * np.dtype(f.dtype).itemsize)
                words[data - 8] = self.capacity
        for pos, value in words.items():
            self.buffer.write(self.offset + pos, np.array([value], dtype=np.int64))

    def view(self, name, dtype, per_particle):
        """Context array viewing one field; writes land in the buffer."""
        shape = (self.capacity,) if per_particle else (1,)
        return self.buffer.to_nplike(self.offset + self.offsets[name], dtype, shape)

    def copy_to(self, context=None, buffer=None):
        """Byte copy of the whole struct into another buffer (any context)."""
        import xobjects as xo

        if buffer is None:
            buffer = (context or xo.context_default).new_buffer(capacity=self.size)
        dest = ParticlesStorage.wrap(self.capacity, buffer, buffer.allocate(self.size))
        buffer.copy_from(self.buffer, self.offset, dest.offset, self.size)
        return dest
