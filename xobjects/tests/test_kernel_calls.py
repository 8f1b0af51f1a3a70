"""Kernels on every context: the manual's example, objects, options, identical results."""

import io

import numpy as np
import pytest

import xobjects as xo

# The manual's example, verbatim in its annotations: no limit after
# //vectorize_over (the kernel's n_threads is used) and Args given positionally.
MY_MUL_SRC = """
void my_mul(const int n,
    /*gpuglmem*/ const double* x1,
    /*gpuglmem*/ const double* x2,
    /*gpuglmem*/       double* y) {
    int tid = 0 //vectorize_over tid
    y[tid] = x1[tid] * x2[tid];
    //end_vectorize
    }
"""
MY_MUL = {
    "my_mul": xo.Kernel(
        xo.Arg(xo.Int32, name="n"),
        xo.Arg(xo.Float64, pointer=True, const=True, name="x1"),
        xo.Arg(xo.Float64, pointer=True, const=True, name="x2"),
        xo.Arg(xo.Float64, pointer=True, const=False, name="y"),
        n_threads="n",
    )
}

# Two kernels in one source, a nested device-function call, the for-loop form.
TWO_KERNELS_SRC = """
/*gpufun*/ double square(double a) { return a * a; }
/*gpufun*/ double poly(double a) { return square(a) + 3.0 * a - 0.5; }

/*gpukern*/ void apply_poly(const int64_t n, /*gpuglmem*/ const double* x, /*gpuglmem*/ double* y) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        y[ii] = poly(x[ii]);
    }//end_vectorize
}

/*gpukern*/ void add_scalar(const int64_t n, const double c, /*gpuglmem*/ double* y) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        y[ii] += c;
    }//end_vectorize
}
"""
TWO_KERNELS = {
    "apply_poly": xo.Kernel(
        args=[
            xo.Arg(xo.Int64, name="n"),
            xo.Arg(xo.Float64, pointer=True, const=True, name="x"),
            xo.Arg(xo.Float64, pointer=True, name="y"),
        ],
        n_threads="n",
    ),
    "add_scalar": xo.Kernel(
        args=[xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, name="c"), xo.Arg(xo.Float64, pointer=True, name="y")],
        n_threads="n",
    ),
}

# A chain of IEEE operations (+ - * / sqrt are correctly rounded everywhere):
# identical bits on every context, as long as no context fuses multiply-adds.
CHAOS_SRC = """
/*gpukern*/ void chaos(const int32_t n, const int32_t n_iter,
                       /*gpuglmem*/ const double* x0, /*gpuglmem*/ double* out) {
    int tid = 0 //vectorize_over tid n
    double x = x0[tid];
    for (int32_t k = 0; k < n_iter; k++) {
        x = 3.9 * x * (1.0 - x) + 1e-3 * sqrt(x) / (1.0 + x * x);
        x = x - (double)(int64_t)x;
    }
    out[tid] = x;
    //end_vectorize
}
"""
CHAOS = {
    "chaos": xo.Kernel(
        args=[
            xo.Arg(xo.Int32, name="n"),
            xo.Arg(xo.Int32, name="n_iter"),
            xo.Arg(xo.Float64, pointer=True, const=True, name="x0"),
            xo.Arg(xo.Float64, pointer=True, name="out"),
        ],
        n_threads="n",
    )
}


def test_manual_my_mul_example(context):
    context.add_kernels(sources=[MY_MUL_SRC], kernels=MY_MUL)
    a1 = context.nparray_to_context_array(np.linspace(0, 1, 1001))
    a2 = context.nparray_to_context_array(np.linspace(-2, 5, 1001))
    b = context.zeros(1001, dtype=np.float64)
    context.kernels.my_mul(n=len(a1), x1=a1, x2=a2, y=b)
    context.synchronize()
    expected = np.linspace(0, 1, 1001) * np.linspace(-2, 5, 1001)
    np.testing.assert_array_equal(context.nparray_from_context_array(b), expected)
    assert context.kernels["my_mul"] is context.kernels.my_mul


def test_several_kernels_and_nested_device_functions(context):
    context.add_kernels(sources=[TWO_KERNELS_SRC], kernels=TWO_KERNELS)
    x_host = np.array([-1.0, 0.0, 0.5, 2.0, 10.0])
    x = context.nparray_to_context_array(x_host)
    y = context.zeros(5, dtype=np.float64)
    context.kernels.apply_poly(n=5, x=x, y=y)
    context.kernels.add_scalar(n=np.int64(5), c=1, y=y)
    expected = x_host * x_host + 3.0 * x_host - 0.5 + 1.0
    np.testing.assert_array_equal(context.nparray_from_context_array(y), expected)


def test_kernel_on_a_view_with_an_offset(context):
    """Arrays that view a buffer at an offset (as object fields do) are valid pointers."""
    context.add_kernels(sources=[TWO_KERNELS_SRC], kernels=TWO_KERNELS)
    buf = context.new_buffer(256)
    offset = buf.allocate(8 * 4) + 0
    offset = buf.allocate(8 * 4)  # a second chunk: non-zero offset
    assert offset > 0
    y = buf.to_nplike(offset, np.float64, 4)
    context.kernels.add_scalar(n=4, c=2.5, y=y)
    assert buf.read(offset, 32).view(np.float64).tolist() == [2.5] * 4
    assert not buf.read(0, offset).any()


def test_same_bits_on_cpu_serial_openmp_and_opencl(context_by_id):
    x0 = np.random.default_rng(7).uniform(0.01, 0.99, 4096)
    results = {}
    for cid in ("cpu", "cpu_omp2", "opencl"):
        ctx = context_by_id(cid)
        ctx.add_kernels(sources=[CHAOS_SRC], kernels=CHAOS)
        out = ctx.zeros(len(x0), dtype=np.float64)
        ctx.kernels.chaos(n=len(x0), n_iter=200, x0=ctx.nparray_to_context_array(x0), out=out)
        results[cid] = ctx.nparray_from_context_array(out)
    reference = results["cpu"]
    assert np.all((reference > 0) & (reference < 1))
    for cid, values in results.items():
        assert values.tobytes() == reference.tobytes(), f"{cid} differs from serial CPU"


def test_openmp_context_runs_on_several_threads(context_by_id):
    ctx = context_by_id("cpu_omp2")
    src = """
    #ifdef _OPENMP
    #include <omp.h>
    #endif
    /*gpukern*/ void who(const int64_t n, /*gpuglmem*/ int32_t* tid_of) {
        for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        #ifdef _OPENMP
            tid_of[ii] = omp_get_thread_num();
        #else
            tid_of[ii] = -1;
        #endif
        }//end_vectorize
    }
    """
    kernels = {"who": xo.Kernel(args=[xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Int32, pointer=True, name="tid_of")])}
    ctx.add_kernels(sources=[src], kernels=kernels)
    tid_of = np.zeros(1000, dtype=np.int32)
    ctx.kernels.who(n=1000, tid_of=tid_of)
    assert sorted(set(tid_of.tolist())) == [0, 1]
    serial = xo.ContextCpu()
    serial.add_kernels(sources=[src], kernels=kernels)
    serial.kernels.who(n=1000, tid_of=tid_of)
    assert set(tid_of.tolist()) == {-1}


class Bunch(xo.Struct):
    scale = xo.Float64
    shift = xo.Int64
    values = xo.Float64[:]


BUNCH_SRC = """
/*gpukern*/ void bunch_apply(Bunch b, const int64_t n, /*gpuglmem*/ double* out) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        double v = Bunch_get_values(b, ii);
        out[ii] = Bunch_get_scale(b) * v + (double)Bunch_get_shift(b);
        Bunch_set_values(b, ii, -v);
    }//end_vectorize
}
"""
BUNCH = {
    "bunch_apply": xo.Kernel(
        args=[xo.Arg(Bunch, name="b"), xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, pointer=True, name="out")],
        n_threads="n",
    )
}


def test_kernel_reads_and_writes_an_object_in_place(context):
    context.add_kernels(sources=[BUNCH_SRC], kernels=BUNCH)
    buf = context.new_buffer(1024)
    buf.allocate(24)  # the object starts at a non-zero offset
    bunch = Bunch(scale=2.0, shift=-3, values=[1.0, 2.0, 4.0], _buffer=buf)
    assert bunch._offset > 0
    out = context.zeros(3, dtype=np.float64)
    context.kernels.bunch_apply(b=bunch, n=3, out=out)
    assert context.nparray_from_context_array(out).tolist() == [-1.0, 1.0, 5.0]
    assert context.nparray_from_context_array(bunch.values).tolist() == [-1.0, -2.0, -4.0]


def test_object_of_the_wrong_type_or_context_is_rejected(context_by_id):
    cpu, ocl = context_by_id("cpu"), context_by_id("opencl")
    for ctx in (cpu, ocl):
        ctx.add_kernels(sources=[BUNCH_SRC], kernels=BUNCH)
    on_cpu = Bunch(scale=1.0, shift=0, values=[1.0], _context=cpu)
    with pytest.raises(TypeError, match=r"'b' lives on ContextCpu, not on this context"):
        ocl.kernels.bunch_apply(b=on_cpu, n=1, out=ocl.zeros(1))
    with pytest.raises(TypeError, match=r"argument 'b' must be a Bunch"):
        cpu.kernels.bunch_apply(b=np.zeros(3), n=1, out=np.zeros(1))


def test_cpu_kernel_returns_a_value(cpu_context):
    src = """
    double dot(const int64_t n, const double* a, const double* b) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
        return s;
    }
    """
    kernels = {
        "dot": xo.Kernel(
            args=[
                xo.Arg(xo.Int64, name="n"),
                xo.Arg(xo.Float64, pointer=True, const=True, name="a"),
                xo.Arg(xo.Float64, pointer=True, const=True, name="b"),
            ],
            ret=xo.Arg(xo.Float64),
        )
    }
    cpu_context.add_kernels(sources=[src], kernels=kernels)
    a = np.arange(4.0)
    assert cpu_context.kernels.dot(n=4, a=a, b=a) == 14.0


def test_sources_as_path_and_file_with_includes_headers_and_apply_to_source(cpu_context, tmp_path):
    (tmp_path / "helpers.h").write_text("/*gpufun*/ double twice(double a) { return 2.0 * a; }\n")
    main = tmp_path / "main.c"
    main.write_text('#include "helpers.h"\n#include "helpers.h"\n' + "void fill(double* y) { y[0] = twice(OFFSET); }\n")
    kernels = {"fill": xo.Kernel(args=[xo.Arg(xo.Float64, pointer=True, name="y")])}
    saved = tmp_path / "specialized.c"
    cpu_context.add_kernels(
        sources=[main],
        kernels=kernels,
        extra_headers=["#include <math.h>"],
        apply_to_source=[lambda s: s.replace("OFFSET", "21.0")],
        save_source_as=str(saved),
    )
    y = np.zeros(1)
    cpu_context.kernels.fill(y=y)
    assert y[0] == 42.0
    text = saved.read_text()
    assert text.count("double twice(") == 1 and "static inline" in text and "#include <math.h>" in text
    with open(main) as handle:
        cpu_context.add_kernels(sources=[io.StringIO("#define OFFSET 1.0\n"), handle], kernels=kernels)
    cpu_context.kernels.fill(y=y)
    assert y[0] == 2.0


def test_compile_false_registers_a_placeholder_with_the_source(context):
    described = MY_MUL["my_mul"]
    renamed = xo.Kernel(args=described.args, n_threads="n", c_name="my_mul")
    context.add_kernels(sources=[MY_MUL_SRC], kernels={"my_mul_nc": renamed}, compile=False)
    kernel = context.kernels.my_mul_nc
    assert "y[tid] = x1[tid] * x2[tid];" in kernel.source
    with pytest.raises(RuntimeError, match="compile=False"):
        kernel(n=1)


def test_extra_cdef_exposes_helpers(cpu_context):
    src = "double helper_cube(double a) { return a * a * a; }\nvoid noop(void) {}\n"
    cpu_context.add_kernels(
        sources=[src], kernels={"noop": xo.Kernel(args=[])}, extra_cdef="double helper_cube(double a);"
    )
    assert cpu_context.kernels.noop.module.lib.helper_cube(3.0) == 27.0
    assert cpu_context.kernels.noop() is None


def test_build_kernels_then_kernels_from_file(tmp_path):
    builder, loader = xo.ContextCpu(), xo.ContextCpu()
    built = builder.build_kernels(TWO_KERNELS, "my_module", containing_dir=tmp_path, sources=[TWO_KERNELS_SRC])
    # Kernels come back keyed by (name, classes), not yet registered.
    assert set(built) == {(name, ()) for name in TWO_KERNELS}
    assert "add_scalar" not in builder.kernels
    assert len(list(tmp_path.glob("my_module.*so"))) == 1
    loaded = loader.kernels_from_file("my_module", TWO_KERNELS, containing_dir=tmp_path)
    assert set(loaded) == set(built)
    assert loader.kernels["add_scalar"] is loaded[("add_scalar", ())]
    y = np.zeros(3)
    loader.kernels.add_scalar(n=3, c=1.5, y=y)
    assert y.tolist() == [1.5] * 3
    with pytest.raises(FileNotFoundError, match="no compiled module 'absent'"):
        loader.kernels_from_file("absent", TWO_KERNELS, containing_dir=tmp_path)
    with pytest.raises(KeyError, match="no kernel"):
        loader.kernels_from_file("my_module", MY_MUL, containing_dir=tmp_path)


class Lens(xo.HybridClass):
    _xofields = {"k": xo.Float64, "kicks": xo.Float64[:]}


LENS_SRC = """
/*gpukern*/ void lens_kick(LensData el, const int64_t n, /*gpuglmem*/ double* x) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        x[ii] -= LensData_get_k(el) * x[ii];
        LensData_set_kicks(el, ii, x[ii]);
    }//end_vectorize
}
"""


def test_hybrid_objects_are_passed_by_their_struct(context):
    kernels = {
        "lens_kick": xo.Kernel(
            args=[xo.Arg(Lens._XoStruct, name="el"), xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, pointer=True, name="x")],
            n_threads="n",
        )
    }
    context.add_kernels(sources=[LENS_SRC], kernels=kernels)
    lens = Lens(k=0.25, kicks=np.zeros(3), _context=context)
    x = context.nparray_to_context_array(np.array([4.0, -8.0, 1.0]))
    context.kernels.lens_kick(el=lens, n=3, x=x)
    assert context.nparray_from_context_array(x).tolist() == [3.0, -6.0, 0.75]
    assert context.nparray_from_context_array(lens.kicks).tolist() == [3.0, -6.0, 0.75]
    # A HybridClass given as the Arg type means its struct.
    assert xo.Arg(Lens, name="el").atype is Lens._XoStruct


def test_package_includes_are_inlined_once(cpu_context, tmp_path, monkeypatch):
    package = tmp_path / "xo_fake_pkg"
    (package / "headers").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "headers" / "base.h").write_text("/*gpufun*/ double base_value(void) { return 7.0; }\n")
    (package / "headers" / "top.h").write_text(
        "#include <xo_fake_pkg/headers/base.h>\n/*gpufun*/ double top_value(void) { return 2.0 * base_value(); }\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    src = (
        "#include <xo_fake_pkg/headers/top.h>\n#include <xo_fake_pkg/headers/base.h>\n#include <math.h>\n"
        "void get_value(double* y) { y[0] = top_value() + base_value() + fabs(-1.0); }\n"
    )
    saved = tmp_path / "out.c"
    kernels = {"get_value": xo.Kernel(args=[xo.Arg(xo.Float64, pointer=True, name="y")])}
    cpu_context.add_kernels(sources=[src], kernels=kernels, save_source_as=str(saved))
    y = np.zeros(1)
    cpu_context.kernels.get_value(y=y)
    assert y[0] == 22.0
    text = saved.read_text()
    assert text.count("double base_value(void)") == 1 and "#include <math.h>" in text
