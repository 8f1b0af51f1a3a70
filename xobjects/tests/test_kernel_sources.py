"""Sources of classes in dependency order, kernels keyed by (name, classes), bad sources."""

import numpy as np
import pytest

import xobjects as xo
from xobjects.context.sources import gather_sources


class Base(xo.Struct):
    v = xo.Float64
    _extra_c_sources = ["/*gpufun*/ double base_twice(Base b){ return 2 * Base_get_v(b); }"]


class Helper(xo.Struct):
    w = xo.Float64
    _extra_c_sources = ["/*gpufun*/ double helper_one(void){ return 1.0; }"]


class Top(xo.Struct):
    base = Base
    more = xo.Float64[:]
    _depends_on = [Helper]
    _extra_c_sources = ["/*gpufun*/ double top_sum(Top t){ return base_twice(Top_getp_base(t)) + helper_one(); }"]


def test_sort_classes_puts_dependencies_first_once():
    order = xo.context.sort_classes([Top, Base])
    assert order == [Base, xo.Float64[:], Helper, Top]
    sources = gather_sources([Top, Helper])
    assert [s.split("(")[0].split()[-1] for s in sources] == ["base_twice", "helper_one", "top_sum"]


def test_extra_classes_bring_their_sources():
    ctx = xo.ContextCpu()
    src = "/*gpukern*/ double run_top(Top t){ return top_sum(t); }"
    ctx.add_kernels(
        sources=[src],
        kernels={"run_top": xo.Kernel(args=[xo.Arg(Top, name="t")], ret=xo.Arg(xo.Float64))},
        extra_classes=[Top],
    )
    assert ctx.kernels.run_top(t=Top(base={"v": 3.0}, more=2)) == 7.0


def _element(name, factor):
    # Two classes whose kernels are both called "scale".
    return type(name, (xo.HybridClass,), {
        "_xofields": {"k": xo.Float64},
        "_extra_c_sources": [
            f"/*gpukern*/ void scale({name}Data el, int64_t n, /*gpuglmem*/ double* x){{\n"
            f"  for (int64_t i = 0; i < n; i++) {{ //vectorize_over i n\n"
            f"    x[i] *= {factor} * {name}Data_get_k(el);\n"
            "  }//end_vectorize\n}\n"
        ],
        "_kernels": {"scale": xo.Kernel(
            args=[xo.Arg(xo.ThisClass, name="el"), xo.Arg(xo.Int64, name="n"),
                  xo.Arg(xo.Float64, pointer=True, name="x")], n_threads="n")},
    })


@pytest.mark.parametrize("ctx_id", ["cpu", "opencl"])
def test_same_kernel_name_in_two_classes(ctx_id, context_by_id):
    ctx = context_by_id(ctx_id)
    ElemA, ElemB = _element("ElemA", 2), _element("ElemB", 10)
    a, b = ElemA(k=1.0, _context=ctx), ElemB(k=1.0, _context=ctx)
    a.compile_kernels(only_if_needed=True)
    b.compile_kernels(only_if_needed=True)  # must not take ElemA's "scale"
    a.compile_kernels(only_if_needed=True)
    for elem, expected in ((a, 2.0), (b, 10.0)):
        x = ctx.nparray_to_context_array(np.ones(3))
        elem.get_kernel("scale")(el=elem, n=3, x=x)
        assert ctx.nparray_from_context_array(x).tolist() == [expected] * 3
    assert {k for k in ctx.kernels if isinstance(k, tuple)} >= {
        ("scale", (ElemA._XoStruct,)), ("scale", (ElemB._XoStruct,))}
    # only_if_needed found ElemA's kernel: the bare name still gives the latest compiled (ElemB).
    assert ctx.kernels["scale"] is ctx.kernels[("scale", (ElemB._XoStruct,))]


def test_misspelt_source_path_is_reported():
    class Bad(xo.HybridClass):
        _xofields = {"k": xo.Float64}
        _extra_c_sources = ["no/such/dir/bad_elment.h"]
        _kernels = {"f": xo.Kernel(args=[xo.Arg(xo.ThisClass, name="el")])}

    with pytest.raises(FileNotFoundError, match=r"Bad: _extra_c_sources entry 'no/such/dir/bad_elment.h'"):
        Bad(k=1).compile_kernels()


def test_none_pointer_is_null():
    ctx = xo.ContextCpu()
    src = '#include "xobjects/headers/common.h"\nGPUKERN int32_t is_null(const double* p){ return p == NULL; }'
    ctx.add_kernels(sources=[src], kernels={"is_null": xo.Kernel(
        args=[xo.Arg(xo.Float64, pointer=True, const=True, name="p")], ret=xo.Arg(xo.Int32))})
    assert ctx.kernels.is_null(p=None) == 1
    assert ctx.kernels.is_null(p=np.zeros(1)) == 0


def test_objects_honour_a_larger_minimum_alignment():
    class WideCpu(xo.ContextCpu):
        minimum_alignment = 64

    buf = WideCpu().new_buffer(8)
    buf.allocate(3)
    arrays = [xo.Float64[3](_buffer=buf) for _ in range(3)]
    assert all(a._offset % 64 == 0 for a in arrays)


def test_pyopencl_minimum_alignment(context_by_id):
    base = context_by_id("opencl")
    ctx = xo.ContextPyopencl(device=base.device, minimum_alignment=128)
    buf = ctx.new_buffer(16)
    assert buf.default_alignment == 128
    offsets = [xo.Float64[3](_buffer=buf)._offset for _ in range(3)]
    assert all(o % 128 == 0 for o in offsets)
