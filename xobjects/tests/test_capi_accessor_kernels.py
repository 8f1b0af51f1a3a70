"""Accessor kernels (``T._gen_kernels()``), paths through refs, ``len<n>``,
``_nd``/``_shape``, and struct values taken from another struct type."""

import cffi
import numpy as np
import pytest

import xobjects as xo

ffi = cffi.FFI()


class Pair(xo.Struct):
    n = xo.Int32
    w = xo.Float64[:]


class PairRef(xo.Struct):
    n = xo.Int32
    w = xo.Ref(xo.Float64[:])


class Holder(xo.Struct):
    direct = Pair
    linked = PairRef


class Bins(xo.Struct):
    edges = xo.Float64[:]
    counts = xo.Int64[:][:]


def _kernels(*types):
    ctx = xo.ContextCpu()
    kernels = {}
    for t in types:
        kernels.update(t._gen_kernels())
    ctx.add_kernels(kernels=kernels)
    return ctx.kernels


def test_gen_kernels_describe_accessors():
    kernels = Pair._gen_kernels()
    assert {"Pair_getp", "Pair_get_n", "Pair_set_n", "Pair_len_w", "Pair_get_w", "Pair_getp1_w"} <= set(kernels)
    get_w = kernels["Pair_get_w"]
    assert [a.name for a in get_w.args] == ["obj", "i0"]
    assert get_w.ret.atype is xo.Float64 and not get_w.ret.pointer
    assert [a.name for a in kernels["Pair_set_w"].args] == ["obj", "i0", "value"]
    assert kernels["Pair_getp1_w"].ret.pointer


def test_accessor_kernels_read_and_write_in_place():
    ks = _kernels(Pair)
    p = Pair(n=4, w=[1.5, 2.5, 3.5])
    assert ks.Pair_get_n(obj=p) == 4
    ks.Pair_set_w(obj=p, i0=2, value=-1.0)
    assert p.w[2] == -1.0
    assert ks.Pair_len_w(obj=p) == 3
    assert ffi.cast("int32_t *", ks.Pair_getp(obj=p))[2] == 4  # after the size and the slot


def test_paths_go_through_refs():
    buf = xo.ContextCpu().new_buffer(0)
    target = xo.Float64[:]([10.0, 20.0, 30.0], _buffer=buf)
    r = PairRef(n=1, w=target, _buffer=buf)
    ks = _kernels(PairRef, xo.Float64[:])
    assert ks.PairRef_len_w(obj=r) == 3
    assert ks.PairRef_get_w(obj=r, i0=1) == 20.0
    ks.PairRef_set_w(obj=r, i0=0, value=7.0)  # item setter through the ref
    assert target[0] == 7.0
    assert ks.PairRef_getp_w(obj=r) == ks.ArrNFloat64_getp(obj=target)


def test_struct_of_other_type_fills_fields_of_same_names_and_refs_point():
    buf = xo.ContextCpu().new_buffer(0)
    h = Holder(direct=Pair(n=2, w=[1.0, 2.0]), linked={"n": 0}, _buffer=buf)
    h.linked = h.direct  # a Pair where a PairRef is expected
    assert h.linked.n == 2
    ks = _kernels(Holder, Pair)
    assert ks.Holder_getp_linked_w(obj=h) == ks.Pair_getp_w(obj=h.direct)
    ks.Holder_set_linked_w(obj=h, i0=1, value=9.0)
    assert h.direct.w[1] == 9.0


def test_struct_of_unrelated_type_is_rejected():
    class Other(xo.Struct):
        z = xo.Float64

    with pytest.raises(TypeError, match="no field in common"):
        Holder(direct=Other(z=1.0))


def test_len_with_index_arguments():
    b = Bins(edges=[0.0, 1.0], counts=[[1, 2], [3, 4, 5]])
    ks = _kernels(Bins)
    assert ks.Bins_len_counts(obj=b) == 2
    assert ks.Bins_len1_counts(obj=b, i0=1) == 3
    assert ks.Bins_get_counts(obj=b, i0=1, i1=2) == 5


def test_nd_and_shape_of_array_types():
    A = xo.Int16[:, 4, :]
    assert A.__name__ == "ArrNx4xMInt16"
    src = """
    /*gpukern*/ void probe(ArrNx4xMInt16 a, /*gpuglmem*/ int64_t* out){
        out[0] = ArrNx4xMInt16_nd(a);
        ArrNx4xMInt16_shape(a, out + 1);
    }
    """
    ctx = xo.ContextCpu()
    ctx.add_kernels(sources=[src], kernels={"probe": xo.Kernel(
        args=[xo.Arg(A, name="a"), xo.Arg(xo.Int64, pointer=True, name="out")])})
    out = np.zeros(4, dtype=np.int64)
    ctx.kernels.probe(a=A(np.zeros((2, 4, 3))), out=out)
    assert out.tolist() == [3, 2, 4, 3]


def test_array_length_counts_all_items():
    a = xo.Int64[:, 3](np.arange(6).reshape(2, 3))
    assert len(a) == 6
    assert [int(v) for v in a] == [0, 1, 2, 3, 4, 5]


def test_view_of_array_stands_for_the_array():
    Outer = xo.UInt8[:][:]
    o = Outer([[1, 2], [3, 4, 5]])
    ks = _kernels(Outer, xo.UInt8[:])
    assert ks.ArrNUint8_getp(obj=o[1]) == ks.ArrNArrNUint8_getp1(obj=o, i0=1)


def test_other_type_is_passed_with_a_warning():
    ks = _kernels(Pair)
    q = PairRef(n=1)
    with pytest.warns(RuntimeWarning, match="declared Pair, got a PairRef"):
        ks.Pair_getp(obj=q)
