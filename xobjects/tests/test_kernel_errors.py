"""Bad kernel descriptions, bad call arguments and compilation failures."""

import numpy as np
import pytest

import xobjects as xo

AXPY_SRC = """
/*gpukern*/ void axpy(const int64_t n, const double a, const int8_t flag,
                      /*gpuglmem*/ const double* x, /*gpuglmem*/ double* y) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        y[ii] += a * x[ii] + flag;
    }//end_vectorize
}
"""
AXPY = {
    "axpy": xo.Kernel(
        args=[
            xo.Arg(xo.Int64, name="n"),
            xo.Arg(xo.Float64, name="a"),
            xo.Arg(xo.Int8, name="flag"),
            xo.Arg(xo.Float64, pointer=True, const=True, name="x"),
            xo.Arg(xo.Float64, pointer=True, name="y"),
        ],
        n_threads="n",
    )
}


@pytest.fixture
def axpy(context_no_cupy):
    context_no_cupy.add_kernels(sources=[AXPY_SRC], kernels=AXPY)
    return context_no_cupy


def _good_args(ctx):
    return dict(n=3, a=2.0, flag=1, x=ctx.nparray_to_context_array(np.ones(3)), y=ctx.zeros(3))


def test_good_call_works(axpy):
    args = _good_args(axpy)
    axpy.kernels.axpy(**args)
    assert axpy.nparray_from_context_array(args["y"]).tolist() == [3.0, 3.0, 3.0]


@pytest.mark.parametrize(
    "change, exc, match",
    [
        ({"nn": 3}, TypeError, r"unexpected keyword 'nn'; did you mean 'n'\?"),
        ({"a": "two"}, TypeError, r"argument 'a' must be a number \(Float64\), got 'two'"),
        ({"a": 1j}, TypeError, r"argument 'a' must be real"),
        ({"n": 2.5}, TypeError, r"argument 'n' must be an integer \(Int64\), got 2.5"),
        ({"flag": 300}, ValueError, r"argument 'flag'=300 is out of the range of Int8 \[-128, 127\]"),
        ({"flag": True}, TypeError, r"argument 'flag' must be a number"),
        ({"x": np.ones(3, dtype=np.float32)}, TypeError, r"argument 'x' must have dtype float64, got float32"),
        ({"x": [1.0, 2.0, 3.0]}, TypeError, r"argument 'x' must be a .* of dtype float64 on this context, got builtins.list"),
    ],
)
def test_bad_argument_names_the_argument(axpy, change, exc, match):
    args = _good_args(axpy)
    args.update(change)
    if isinstance(change.get("x"), np.ndarray):  # a wrong dtype, but on the right context
        args["x"] = axpy.nparray_to_context_array(change["x"])
    if "nn" in change:
        del args["n"]
    y_before = axpy.nparray_from_context_array(args["y"]).copy()
    with pytest.raises(exc, match=match):
        axpy.kernels.axpy(**args)
    np.testing.assert_array_equal(axpy.nparray_from_context_array(args["y"]), y_before)


def test_missing_argument(axpy):
    args = _good_args(axpy)
    del args["y"], args["flag"]
    with pytest.raises(TypeError, match=r"missing argument\(s\): 'flag', 'y'"):
        axpy.kernels.axpy(**args)


def test_numpy_scalars_and_integral_floats_are_accepted(axpy):
    args = _good_args(axpy)
    args.update(n=np.int32(3), a=np.float32(0.5), flag=np.int64(0), x=args["x"])
    axpy.kernels.axpy(**args)
    assert axpy.nparray_from_context_array(args["y"]).tolist() == [0.5] * 3


def test_non_contiguous_array_is_a_value_error(context_by_id):
    ctx = context_by_id("cpu")
    ctx.add_kernels(sources=[AXPY_SRC], kernels=AXPY)
    with pytest.raises(ValueError, match=r"argument 'y' must be a C-contiguous array"):
        ctx.kernels.axpy(n=3, a=1.0, flag=0, x=np.ones(3), y=np.zeros(6)[::2])


def test_read_only_array_for_a_written_argument_is_a_value_error(cpu_context):
    cpu_context.add_kernels(sources=[AXPY_SRC], kernels=AXPY)
    frozen = np.zeros(3)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"argument 'y' is written by the kernel .* read-only"):
        cpu_context.kernels.axpy(n=3, a=1.0, flag=0, x=np.ones(3), y=frozen)
    x = np.ones(3)
    x.flags.writeable = False  # const argument: fine
    y = np.zeros(3)
    cpu_context.kernels.axpy(n=3, a=1.0, flag=0, x=x, y=y)
    assert y.tolist() == [1.0] * 3


def test_array_of_another_context_is_rejected(context_by_id):
    ocl = context_by_id("opencl")
    ocl.add_kernels(sources=[AXPY_SRC], kernels=AXPY)
    with pytest.raises(TypeError, match=r"argument 'x' must be a pyopencl.array.Array .* got numpy.ndarray"):
        ocl.kernels.axpy(n=3, a=1.0, flag=0, x=np.ones(3), y=ocl.zeros(3))
    cpu = context_by_id("cpu")
    cpu.add_kernels(sources=[AXPY_SRC], kernels=AXPY)
    with pytest.raises(TypeError, match=r"argument 'y' must be a numpy.ndarray"):
        cpu.kernels.axpy(n=3, a=1.0, flag=0, x=np.ones(3), y=ocl.zeros(3))


def test_bad_descriptions():
    with pytest.raises(TypeError, match="atype must be an xobjects type"):
        xo.Arg(float, name="x")
    with pytest.raises(ValueError, match="needs a name"):
        xo.Kernel(args=[xo.Arg(xo.Float64)])
    with pytest.raises(ValueError, match=r"repeated: \['x'\]"):
        xo.Kernel(xo.Arg(xo.Float64, name="x"), xo.Arg(xo.Int64, name="x"))
    with pytest.raises(ValueError, match=r"n_threads='nn' is not an argument.*did you mean 'n'"):
        xo.Kernel(args=[xo.Arg(xo.Int64, name="n")], n_threads="nn")
    with pytest.raises(TypeError, match="must be an xo.Arg"):
        xo.Kernel(args=["n"])
    with pytest.raises(TypeError, match="either positionally or as args"):
        xo.Kernel(xo.Arg(xo.Int64, name="n"), args=[])


def test_add_kernels_rejects_bad_kernels_argument(cpu_context):
    with pytest.raises(TypeError, match=r"kernels must be a dict"):
        cpu_context.add_kernels(sources=[AXPY_SRC], kernels=[AXPY["axpy"]])
    with pytest.raises(TypeError, match=r"kernels\['axpy'\] must be an xo.Kernel"):
        cpu_context.add_kernels(sources=[AXPY_SRC], kernels={"axpy": "axpy"})
    with pytest.raises(TypeError, match="sources must contain str"):
        cpu_context.add_kernels(sources=[42], kernels=AXPY)


BROKEN_SRC = """
/*gpukern*/ void broken(const int64_t n, /*gpuglmem*/ double* y) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        y[ii] = undefined_variable_xyz * 2.0;
    }//end_vectorize
}
"""
BROKEN = {"broken": xo.Kernel(args=[xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, pointer=True, name="y")], n_threads="n")}


def test_compile_error_shows_compiler_message_and_source_lines(context_no_cupy):
    with pytest.raises(xo.CompileError) as info:
        context_no_cupy.add_kernels(sources=[BROKEN_SRC], kernels=BROKEN)
    message = str(info.value)
    assert "undefined_variable_xyz" in info.value.compiler_output
    assert "Offending source lines:" in message
    offending = message.split("Offending source lines:")[1]
    assert "> " in offending and "y[ii] = undefined_variable_xyz * 2.0;" in offending
    assert "broken" not in context_no_cupy.kernels


def test_unclosed_vectorize_block_is_reported(cpu_context):
    src = "void f(const int64_t n, double* y) {\n  int tid = 0 //vectorize_over tid n\n  y[tid] = 1;\n}\n"
    with pytest.raises(xo.SpecializationError, match="not closed by //end_vectorize"):
        cpu_context.add_kernels(sources=[src], kernels={"f": xo.Kernel(args=[xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, pointer=True, name="y")])})


def test_gpu_kernels_cannot_return_values(context_by_id):
    ocl = context_by_id("opencl")
    kernels = {"f": xo.Kernel(args=[xo.Arg(xo.Int64, name="n")], ret=xo.Arg(xo.Float64), n_threads="n")}
    with pytest.raises(ValueError, match="ret is not supported on ContextPyopencl"):
        ocl.add_kernels(sources=["double f(long n) { return 1.0; }"], kernels=kernels)


MISSPELT_SRC = """
/*gpukern*/ void scale_by_two(const int64_t n, /*gpuglmem*/ double* y) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        y[ii] *= 2.0;
    }//end_vectorize
}
"""


def test_kernel_absent_from_the_source_is_named_before_compiling(context_no_cupy):
    kernels = {"scale_by_tow": xo.Kernel(args=[xo.Arg(xo.Int64, name="n"),
                                               xo.Arg(xo.Float64, pointer=True, name="y")],
                                         n_threads="n")}
    with pytest.raises(xo.KernelNotInSourceError) as info:
        context_no_cupy.add_kernels(sources=[MISSPELT_SRC], kernels=kernels)
    message = str(info.value)
    # the user's source and line of the close match, not a line of the generated module
    assert "'scale_by_tow' is named in kernels=" in message
    assert "did you mean 'scale_by_two' (defined at source 1:2)" in message
    assert isinstance(info.value, ValueError)
    assert "scale_by_tow" not in context_no_cupy.kernels


def test_kernel_defined_through_apply_to_source_is_accepted(cpu_context):
    # a name the user's text does not spell but apply_to_source writes is present
    kernels = {"triple": xo.Kernel(args=[xo.Arg(xo.Int64, name="n"),
                                         xo.Arg(xo.Float64, pointer=True, name="y")])}
    src = "void KERNEL_NAME(const int64_t n, double* y) { for (int64_t i = 0; i < n; i++) y[i] *= 3; }"
    cpu_context.add_kernels(sources=[src], kernels=kernels,
                            apply_to_source=[lambda s: s.replace("KERNEL_NAME", "triple")])
    y = np.ones(3)
    cpu_context.kernels.triple(n=3, y=y)
    assert y.tolist() == [3.0, 3.0, 3.0]
