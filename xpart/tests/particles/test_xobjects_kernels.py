"""Particles is an xobjects HybridClass: kernels built by xobjects use the C API."""

import numpy as np
import pytest

import xobjects as xo
import xpart as xp

_SOURCE = r"""
/*gpukern*/ void shift_and_kick(ParticlesData particles, int64_t n, double dx, double ddelta){
    int64_t ipart;
    //vectorize_over ipart n
    LocalParticle part;
    Particles_to_LocalParticle(particles, &part, ipart, n);
    if (LocalParticle_is_active(&part)){
        LocalParticle_add_to_x(&part, dx);
        LocalParticle_update_delta(&part, LocalParticle_get_delta(&part) + ddelta);
    }
    //end_vectorize
}
"""


def test_struct_is_particles_data_with_every_field():
    struct = xp.Particles._XoStruct
    assert struct.__name__ == "ParticlesData"
    assert [f.name for f in struct._fields] == list(xp.Particles._xofields)
    p = xp.Particles(x=[1.0, 2.0])
    # the xobjects view and the Particles arrays are the same memory
    p.x[0] = 5.0
    assert p._xobject.x[0] == 5.0


def test_xobjects_kernel_reads_and_writes_particles(context):
    if type(context).__name__ == "ContextCupy":
        pytest.skip("CUDA kernels are exercised in the gpu tier")
    p = xp.Particles(_context=context, p0c=26e9, x=[0.0, 1.0, 2.0], delta=[0.0, 1e-3, -1e-3],
                     state=[1, 0, 1], _no_reorganize=True)
    context.add_kernels(
        sources=[*xp.Particles._extra_c_sources, _SOURCE],
        kernels={"shift_and_kick": xo.Kernel(
            args=[xo.Arg(xp.Particles._XoStruct, name="particles"), xo.Arg(xo.Int64, name="n"),
                  xo.Arg(xo.Float64, name="dx"), xo.Arg(xo.Float64, name="ddelta")],
            n_threads="n")})
    expected = p.copy(_context=xo.ContextCpu())
    expected.update_delta(np.array([1e-4, np.nan, -1e-3 + 1e-4]))
    context.kernels.shift_and_kick(particles=p, n=3, dx=0.5, ddelta=1e-4)
    got = p.to_dict()
    np.testing.assert_array_equal(got["x"], [0.5, 1.0, 2.5])  # lost particle untouched
    # C and numpy formulas for pzeta differ by a few eps / beta0^2 absolute
    for key in ("delta", "pzeta", "rpp", "rvv"):
        np.testing.assert_allclose(got[key], expected.to_dict()[key], rtol=1e-14, atol=1e-15)


def test_wrapping_an_xobject_shares_memory_and_move_frees_it(context):
    p = xp.Particles(x=[1.0, 2.0, 3.0], state=[1, 0, 1])
    view = xp.Particles(_xobject=p._xobject)
    view.x[0] = 7.0
    assert p.x[0] == 7.0 and view._num_lost_particles == 1
    buffer = p._buffer
    free_before = buffer.free_bytes
    p.move(_context=context)
    assert p._context is context and buffer.free_bytes > free_before
    np.testing.assert_array_equal(p.to_dict()["x"], [7.0, 3.0, 2.0])
    with pytest.raises(ValueError, match="needs _context or _buffer"):
        p.move()


def test_memory_is_the_xobjects_layout_of_particles_data():
    p = xp.Particles(x=[1.0, 2.0, 3.0], p0c=7e12, _capacity=5)
    struct = xp.Particles._XoStruct
    per_particle = [f.name for f in struct._fields if f.ftype._size is None]
    layout = struct._layout_for(**{name: 5 for name in per_particle})
    assert p._xobject._size == layout.size
    base = p._buffer.buffer.ctypes.data + p._offset
    for name in per_particle:
        assert getattr(p._xobject, name).ctypes.data - base == layout.item_offsets[name], name
    raw = p._buffer.read(p._offset + layout.offsets["mass0"], 8).view(np.float64)
    assert raw[0] == p.mass0


def test_particles_built_in_reused_memory_equal_fresh_ones(context):
    buffer = context.new_buffer(capacity=1 << 16)
    junk = xo.UInt8[:](np.full((1 << 16) - 64, 0xCD, dtype=np.uint8), _buffer=buffer)
    junk._free()
    kwargs = {"x": np.linspace(-1e-3, 1e-3, 50), "delta": 1e-4, "p0c": 7e12, "_capacity": 60}
    fresh = xp.Particles(**kwargs).to_dict()
    reused = xp.Particles(**kwargs, _buffer=buffer)
    assert reused._buffer is buffer
    for name, value in reused.to_dict().items():
        np.testing.assert_array_equal(value, fresh[name], err_msg=name)
