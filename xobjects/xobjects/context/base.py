"""Base classes shared by every context: XContext and XBuffer.

An ``XBuffer`` is a block of memory on a context plus an allocator that hands
out non-overlapping, aligned chunks of it. The allocator is pure Python book
keeping over a sorted list of free ``[start, end)`` intervals, identical for
all contexts; the subclasses only move bytes (``_new_raw``, ``_copy_raw``,
``write``, ``read``, ``to_nplike`` ...).
"""

import bisect
import difflib
import math
import weakref

import numpy as np

DEFAULT_BUFFER_CAPACITY = 1048576


class KernelDict(dict):
    """Dictionary of kernels that also allows ``kernels.name`` access.

    Kernels are stored under ``(name, classes)`` (``classes``: the tuple of
    xobjects types they were compiled for), so that two classes with a
    kernel of the same name keep both; storing one also stores it under the
    bare ``name``, which gives the latest kernel of that name.
    """

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if isinstance(key, tuple) and key and isinstance(key[0], str):
            super().__setitem__(key[0], value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self.keys()), n=3)
            hint = f"; close matches: {', '.join(close)}" if close else ""
            raise AttributeError(
                f"no kernel named {name!r} in this context{hint}. "
                "Kernels are added with context.add_kernels(...)."
            ) from None

    def __dir__(self):
        return list(super().__dir__()) + list(self.keys())


def _check_positive_int(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__}).")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
    return int(value)


def _check_alignment(alignment):
    alignment = _check_positive_int("alignment", alignment)
    if alignment == 0 or alignment & (alignment - 1):
        raise ValueError(f"alignment must be a positive power of two, got {alignment}.")
    return alignment


def shape_and_nbytes(dtype, shape):
    """Normalise ``shape`` to a tuple and return it with the size in bytes.

    Called on every field access that builds a view, hence ``math.prod``
    (``np.prod`` costs microseconds on a short tuple).
    """
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    elif type(shape) is not tuple or not all(type(s) is int for s in shape):
        shape = tuple(map(int, shape))
    if shape and min(shape) < 0:
        raise ValueError(f"shape must have non-negative lengths, got {shape}.")
    return shape, math.prod(shape) * np.dtype(dtype).itemsize


class Chunk:
    """A ``[start, end)`` range of bytes of a buffer (the free list's items)."""

    __slots__ = ("start", "end")

    def __init__(self, start, end):
        if end < start:
            raise ValueError(f"Chunk end must be >= start, got start={start}, end={end}.")
        self.start, self.end = int(start), int(end)

    @property
    def size(self):
        return self.end - self.start

    def overlaps(self, other):
        """Whether the two ranges overlap or touch (their union has no gap)."""
        return other.start <= self.end and self.start <= other.end

    def merge(self, other):
        """Extend this chunk to cover ``other`` too (they must overlap); return self."""
        if not self.overlaps(other):
            raise ValueError(f"cannot merge {self!r} with {other!r}: they leave a gap.")
        self.start, self.end = min(self.start, other.start), max(self.end, other.end)
        return self

    def copy(self):
        return Chunk(self.start, self.end)

    def __eq__(self, other):
        return isinstance(other, Chunk) and (self.start, self.end) == (other.start, other.end)

    def __repr__(self):
        return f"Chunk({self.start}, {self.end})"


class XBuffer:
    """Memory on a context with an allocator of aligned chunks.

    Parameters
    ----------
    capacity : int, default 1048576
        Initial size in bytes.
    context : XContext
        The owning context.

    Notes
    -----
    The raw memory (``self.buffer``) is replaced when the buffer grows, so
    users keep ``(buffer, offset)`` and rebuild views on each access.
    """

    #: Every live buffer (weak), e.g. to find the buffer behind a view.
    _live = weakref.WeakSet()

    def __init__(self, capacity=DEFAULT_BUFFER_CAPACITY, context=None):
        capacity = _check_positive_int("capacity", capacity)
        self.context = context
        self.capacity = capacity
        self.buffer = self._new_raw(capacity)
        XBuffer._live.add(self)
        # Sorted, disjoint, non-adjacent free intervals [start, end).
        self._free_starts = [0] if capacity > 0 else []
        self._free_ends = [capacity] if capacity > 0 else []

    # ---- memory movement, provided by subclasses -------------------------
    def _new_raw(self, capacity):
        raise NotImplementedError

    def _copy_raw(self, dest_raw, src_raw, nbytes):
        """Copy the first ``nbytes`` of ``src_raw`` into ``dest_raw``."""
        raise NotImplementedError

    def write(self, offset, data):
        """Write host bytes or a numpy array (raw bytes) at ``offset``."""
        raise NotImplementedError

    def read(self, offset, size):
        """Return a host copy (``np.ndarray`` of uint8) of ``size`` bytes."""
        raise NotImplementedError

    def to_nplike(self, offset, dtype, shape):
        """Return a context array viewing the buffer at ``offset``."""
        raise NotImplementedError

    def update_from_nplike(self, offset, dest_dtype, value):
        """Write ``value`` (host or context array) converted to ``dest_dtype``."""
        raise NotImplementedError

    # ---- allocator --------------------------------------------------------
    @property
    def free_chunks(self):
        """List of the free ``(start, end)`` intervals, sorted."""
        return list(zip(self._free_starts, self._free_ends))

    @property
    def free_bytes(self):
        """Total number of free bytes."""
        return sum(e - s for s, e in zip(self._free_starts, self._free_ends))

    def allocate(self, size, alignment=None):
        """Reserve ``size`` bytes aligned to ``alignment``; return the offset.

        ``alignment`` defaults to :attr:`default_alignment`. The buffer grows
        (keeping its content, at least doubling) when no free chunk fits.
        """
        size = _check_positive_int("size", size)
        alignment = _check_alignment(self.default_alignment if alignment is None else alignment)
        offset = self._find_fit(size, alignment)
        if offset is None:
            need = self.capacity + size + alignment - 1
            self.grow(max(2 * self.capacity, need))
            offset = self._find_fit(size, alignment)
            assert offset is not None
        self._take(offset, size)
        return offset

    def _allocate_first(self, size, alignment=None):
        """``allocate(size)`` in a buffer in which nothing is allocated yet: offset 0.

        Offset 0 satisfies every alignment; this is the allocation of each
        new object in a buffer of its own, without the free-list search.
        """
        if self._free_starts != [0] or size > self._free_ends[0] or size <= 0:
            return self.allocate(size, alignment)
        if size == self._free_ends[0]:
            self._free_starts.clear()
            self._free_ends.clear()
        else:
            self._free_starts[0] = size
        return 0

    def _find_fit(self, size, alignment):
        for start, end in zip(self._free_starts, self._free_ends):
            aligned = -(-start // alignment) * alignment
            if aligned + size <= end:
                return aligned
        return None

    def _take(self, offset, size):
        """Remove ``[offset, offset+size)`` (inside one free chunk) from the free list."""
        if size == 0:
            return
        ii = bisect.bisect_right(self._free_starts, offset) - 1
        start, end = self._free_starts[ii], self._free_ends[ii]
        del self._free_starts[ii], self._free_ends[ii]
        pieces = [(s, e) for s, e in ((start, offset), (offset + size, end)) if e > s]
        for jj, (s, e) in enumerate(pieces):
            self._free_starts.insert(ii + jj, s)
            self._free_ends.insert(ii + jj, e)

    def free(self, offset, size):
        """Return ``[offset, offset+size)`` to the free list, merging neighbours.

        Freeing bytes that are already free is harmless: the range is merged
        with the free chunks it overlaps or touches (as the established
        implementation does, and its test suites rely on).

        Raises
        ------
        ValueError
            If the range lies outside the buffer.
        """
        if isinstance(offset, bool) or not isinstance(offset, (int, np.integer)):
            raise TypeError(f"offset must be an integer, got {offset!r}.")
        size = _check_positive_int("size", size)
        offset, end = int(offset), int(offset) + size
        if offset < 0 or end > self.capacity:
            raise ValueError(
                f"Cannot free outside of buffer: [{offset}, {end}) is not inside "
                f"[0, {self.capacity})."
            )
        if size == 0:
            return
        # Free chunks overlapping or touching [offset, end) are merged into one.
        lo = bisect.bisect_left(self._free_ends, offset)
        hi = bisect.bisect_right(self._free_starts, end)
        if lo < hi:
            offset = min(offset, self._free_starts[lo])
            end = max(end, self._free_ends[hi - 1])
            del self._free_starts[lo:hi], self._free_ends[lo:hi]
        self._free_starts.insert(lo, offset)
        self._free_ends.insert(lo, end)

    @property
    def chunks(self):
        """The free chunks as :class:`Chunk` objects, sorted."""
        return [Chunk(s, e) for s, e in zip(self._free_starts, self._free_ends)]

    @property
    def default_alignment(self):
        """Alignment of ``allocate`` when none is given: the context's ``minimum_alignment``."""
        return getattr(self.context, "minimum_alignment", 8)

    def update_from_buffer(self, offset, data):
        """Write host bytes at ``offset`` (same as :meth:`write`)."""
        self.write(offset, data)

    def to_bytearray(self, offset, nbytes):
        """Host copy of ``nbytes`` bytes at ``offset``, as ``bytes``."""
        return self.read(offset, nbytes).tobytes()

    def grow(self, capacity):
        """Enlarge the buffer to ``capacity`` bytes, keeping its content."""
        capacity = _check_positive_int("capacity", capacity)
        if capacity < self.capacity:
            raise ValueError(
                f"capacity must be >= the current capacity {self.capacity}, got {capacity}."
            )
        if capacity == self.capacity:
            return
        new_raw = self._new_raw(capacity)
        self._copy_raw(new_raw, self.buffer, self.capacity)
        old_capacity = self.capacity
        self.buffer = new_raw
        self.capacity = capacity
        if self._free_ends and self._free_ends[-1] == old_capacity:
            self._free_ends[-1] = capacity  # the tail was free: extend it
        else:
            self._free_starts.append(old_capacity)
            self._free_ends.append(capacity)

    # ---- copies -----------------------------------------------------------
    def copy_from(self, source_buffer, src_offset, dest_offset, size):
        """Copy ``size`` bytes from ``source_buffer`` (any context) into this buffer."""
        for name, value in (("src_offset", src_offset), ("dest_offset", dest_offset), ("size", size)):
            _check_positive_int(name, value)
        if src_offset + size > source_buffer.capacity:
            raise ValueError(
                f"source range [{src_offset}, {src_offset + size}) exceeds the source "
                f"capacity {source_buffer.capacity}."
            )
        self._check_range(dest_offset, size)
        if not size or self._copy_on_device(source_buffer, src_offset, dest_offset, size):
            return
        if isinstance(source_buffer.buffer, np.ndarray):
            # Host memory (ContextCpu): write from a view, not from a copy.
            self.write(dest_offset, source_buffer.buffer[src_offset : src_offset + size])
        else:
            self.write(dest_offset, source_buffer.read(src_offset, size))

    def _copy_on_device(self, source_buffer, src_offset, dest_offset, size):
        """Copy without a host round trip when possible; return True if done."""
        return False

    def _check_range(self, offset, size):
        if offset < 0 or size < 0 or offset + size > self.capacity:
            raise ValueError(
                f"range [{offset}, {offset + size}) is outside the buffer "
                f"(capacity {self.capacity} bytes)."
            )

    @staticmethod
    def _as_bytes(data):
        """Host uint8 view of bytes-like or numpy data (raw bytes, C order)."""
        if isinstance(data, np.ndarray):
            return np.ascontiguousarray(data).reshape(-1).view(np.uint8)
        return np.frombuffer(memoryview(data).cast("B"), dtype=np.uint8)

    def __repr__(self):
        return (
            f"<{type(self).__name__} capacity={self.capacity} "
            f"free={self.free_bytes} on {type(self.context).__name__}>"
        )


class NdarrayBuffer(XBuffer):
    """Base of the buffers whose raw memory is a uint8 ndarray (numpy, cupy).

    Views, growth copies and same-kind copies are slices of ``self.buffer``.
    """

    def _copy_raw(self, dest_raw, src_raw, nbytes):
        dest_raw[:nbytes] = src_raw[:nbytes]

    def to_nplike(self, offset, dtype, shape):
        """Return a view (numpy or cupy, as the raw memory) at ``offset``; writes land in the buffer."""
        shape, nbytes = shape_and_nbytes(dtype, shape)
        self._check_range(offset, nbytes)
        return self.buffer[offset : offset + nbytes].view(dtype).reshape(shape)

    def _copy_on_device(self, source_buffer, src_offset, dest_offset, size):
        if not isinstance(source_buffer, type(self)):
            return False
        self.buffer[dest_offset : dest_offset + size] = source_buffer.buffer[src_offset : src_offset + size]
        return True


class XContext:
    """Base of all contexts: kernels registry and buffer factory.

    Subclasses implement the array functions (``zeros``,
    ``nparray_to_context_array`` ...), set ``_buffer_class`` and build
    kernels in ``add_kernels``.
    """

    #: Buffer class of the context.
    _buffer_class = XBuffer
    #: Alignment (bytes) of raw ``buffer.allocate`` calls on this context;
    #: objects always start at multiples of ``max(8, minimum_alignment)``.
    minimum_alignment = 8

    def __init__(self):
        self._kernels = KernelDict()
        # Live buffers of the context (weak: a buffer dies with its last user);
        # test suites use it to check that nothing leaks.
        self._buffers = weakref.WeakSet()

    @property
    def kernels(self):
        """Dictionary containing all the kernels that have been imported to the context.

        The syntax ``context.kernels.mykernel`` can also be used.
        """
        return self._kernels

    #: Dialect of the specialised source: 'cpu', 'opencl' or 'cuda'.
    _target = "cpu"

    def _openmp(self):
        return False

    def _prepare_source(
        self, sources, kernels, specialize, apply_to_source, save_source_as, extra_classes, extra_headers
    ):
        """Assemble and specialise the module source; return ``(source, types cdef)``."""
        from .sources import assemble_source
        from .specialize import specialize_source

        source, types_cdef = assemble_source(
            sources, kernels, extra_classes=extra_classes, extra_headers=extra_headers,
            apply_to_source=apply_to_source,
        )
        if specialize:
            source = specialize_source(source, self._target, kernels, openmp=self._openmp())
        if save_source_as is not None:
            with open(save_source_as, "w") as handle:
                handle.write(source)
        return source, types_cdef

    def _uncompiled(self, kernels, source, extra_classes):
        return {
            kernel_key(name, extra_classes): UncompiledKernel(name, description, source)
            for name, description in kernels.items()
        }

    def _register_uncompiled(self, kernels, source, extra_classes=()):
        self._kernels.update(self._uncompiled(kernels, source, extra_classes))

    def new_buffer(self, capacity=DEFAULT_BUFFER_CAPACITY):
        """Return a new buffer of ``capacity`` bytes on this context."""
        buffer = self._buffer_class(capacity=capacity, context=self)
        self._buffers.add(buffer)
        return buffer

    @property
    def buffers(self):
        """The buffers of this context that are still alive (a list)."""
        return list(self._buffers)

    def __repr__(self):
        return f"{type(self).__name__}()"


def kernel_key(name, classes=()):
    """``(name, classes)``: the key of a kernel compiled with these extra classes."""
    from ..types.base import xo_type_of

    return (name, tuple(xo_type_of(c) for c in classes))


class UncompiledKernel:
    """Placeholder registered by ``add_kernels(..., compile=False)``: carries the source."""

    def __init__(self, name, description, source):
        self.name = name
        self.description = description
        self.source = source
        self.specialized_source = source

    def __call__(self, **kwargs):
        raise RuntimeError(
            f"kernel {self.name} was added with compile=False; call add_kernels(..., "
            "compile=True) to run it. Its source is in .source."
        )
