"""XBuffer: allocation, free with merging, growth, reads, writes and views."""

import numpy as np
import pytest

import xobjects as xo


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def test_allocate_respects_alignment_and_never_overlaps(context):
    buf = context.new_buffer(256)
    chunks = []
    for size, alignment in [(3, 8), (10, 16), (1, 64), (24, 8), (7, 32), (100, 8)]:
        offset = buf.allocate(size, alignment=alignment)
        assert offset % alignment == 0
        chunks.append((offset, offset + size))
    for ii, a in enumerate(chunks):
        for b in chunks[ii + 1 :]:
            assert not _overlaps(a, b)
    assert all(end <= buf.capacity for _, end in chunks)


def test_free_merges_adjacent_chunks(cpu_context):
    buf = cpu_context.new_buffer(64)
    offsets = [buf.allocate(16) for _ in range(4)]
    assert offsets == [0, 16, 32, 48]
    assert buf.free_chunks == []
    buf.free(16, 16)
    buf.free(48, 16)
    assert buf.free_chunks == [(16, 32), (48, 64)]
    buf.free(32, 16)  # bridges both free neighbours
    assert buf.free_chunks == [(16, 64)]
    buf.free(0, 16)
    assert buf.free_chunks == [(0, 64)]
    assert buf.allocate(64) == 0


def test_freed_space_is_reused(cpu_context):
    buf = cpu_context.new_buffer(64)
    a = buf.allocate(32)
    buf.allocate(32)
    buf.free(a, 32)
    assert buf.allocate(24) == a
    assert buf.capacity == 64


def test_free_of_free_bytes_merges_and_out_of_range_free_raises(cpu_context):
    # Freeing already-free bytes merges ranges (the established behaviour);
    # only a range outside the buffer is an error.
    buf = cpu_context.new_buffer(64)
    offset = buf.allocate(16)
    assert buf.free_chunks == [(16, 64)]
    buf.free(offset, 16)
    buf.free(offset, 8)
    assert buf.free_chunks == [(0, 64)]
    buf.allocate(64)
    buf.free(4, 4)
    buf.free(6, 6)  # overlaps the first: one chunk [4, 12)
    buf.free(20, 2)
    assert [(c.start, c.end) for c in buf.chunks] == [(4, 12), (20, 22)]
    for bad in ((60, 16), (-2, 8)):
        with pytest.raises(ValueError, match=r"Cannot free outside of buffer.*\[0, 64\)"):
            buf.free(*bad)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"size": -1}, ValueError, "size must be >= 0"),
        ({"size": 1.5}, TypeError, "size must be an integer"),
        ({"size": 8, "alignment": 12}, ValueError, "power of two, got 12"),
        ({"size": 8, "alignment": 0}, ValueError, "power of two, got 0"),
    ],
)
def test_allocate_rejects_bad_arguments(cpu_context, kwargs, exc, match):
    buf = cpu_context.new_buffer(64)
    with pytest.raises(exc, match=match):
        buf.allocate(**kwargs)
    assert buf.free_chunks == [(0, 64)]  # nothing was modified


def test_allocation_beyond_capacity_grows_and_keeps_content(context):
    buf = context.new_buffer(32)
    first = buf.allocate(32)
    payload = np.arange(4, dtype=np.float64)
    buf.write(first, payload)
    second = buf.allocate(100, alignment=16)
    assert buf.capacity >= 132
    assert second % 16 == 0 and second >= 32
    np.testing.assert_array_equal(buf.read(first, 32).view(np.float64), payload)


def test_grow_keeps_content_and_extends_free_tail(context):
    buf = context.new_buffer(48)
    offset = buf.allocate(16)
    buf.write(offset, np.array([7, -3], dtype=np.int64))
    buf.grow(4096)
    assert buf.capacity == 4096
    assert buf.free_chunks == [(16, 4096)]
    assert buf.read(offset, 16).view(np.int64).tolist() == [7, -3]
    with pytest.raises(ValueError, match="current capacity 4096"):
        buf.grow(100)


def test_new_buffer_is_zeroed_with_default_capacity(context):
    buf = context.new_buffer()
    assert buf.capacity == 1048576
    assert buf.context is context
    assert not buf.read(0, buf.capacity).any()


def test_write_read_round_trip_raw_bytes(context):
    buf = context.new_buffer(64)
    buf.write(8, b"\x01\x02\x03")
    buf.write(16, np.array([1.25], dtype=np.float32))
    assert buf.read(8, 3).tolist() == [1, 2, 3]
    assert buf.read(16, 4).view(np.float32)[0] == 1.25
    with pytest.raises(ValueError, match="outside the buffer"):
        buf.write(62, b"abcd")
    with pytest.raises(ValueError, match="outside the buffer"):
        buf.read(60, 8)


def test_to_nplike_is_a_view_whose_writes_land_in_the_buffer(context):
    buf = context.new_buffer(256)
    offset = buf.allocate(6 * 8)
    view = buf.to_nplike(offset, np.float64, (2, 3))
    assert isinstance(view, context.nplike_array_type)
    assert view.shape == (2, 3) and view.dtype == np.float64
    view[:] = context.nparray_to_context_array(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(buf.read(offset, 48).view(np.float64), np.arange(6.0))
    buf.write(offset, np.array([42.0]))
    assert context.nparray_from_context_array(buf.to_nplike(offset, "f8", 1))[0] == 42.0


def test_update_from_nplike_converts_dtype(context):
    buf = context.new_buffer(64)
    buf.update_from_nplike(8, np.int32, np.array([1.0, 2.0, -3.0]))
    assert buf.read(8, 12).view(np.int32).tolist() == [1, 2, -3]
    device_values = context.nparray_to_context_array(np.array([5, 6], dtype=np.int64))
    buf.update_from_nplike(24, np.float64, device_values)
    assert buf.read(24, 16).view(np.float64).tolist() == [5.0, 6.0]


@pytest.mark.parametrize("source_id", ["cpu", "opencl"])
def test_copy_from_across_contexts(context, context_by_id, source_id):
    source = context_by_id(source_id).new_buffer(64)
    source.write(16, np.array([1.5, 2.5, 3.5]))
    dest = context.new_buffer(64)
    dest.copy_from(source, src_offset=16, dest_offset=8, size=24)
    assert dest.read(8, 24).view(np.float64).tolist() == [1.5, 2.5, 3.5]
    with pytest.raises(ValueError, match="exceeds the source capacity"):
        dest.copy_from(source, src_offset=48, dest_offset=0, size=24)


def test_default_context_is_serial_cpu():
    assert isinstance(xo.context_default, xo.ContextCpu)
    assert xo.context_default.omp_num_threads == 0
