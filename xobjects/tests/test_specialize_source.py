"""Source specialisation for CPU, OpenCL and CUDA (pure text transformations)."""

import pytest

import xobjects as xo
from xobjects.context.specialize import expand_vectorize, replace_tokens, specialize_source

LOOP_FORM = """void k(const int64_t n, /*gpuglmem*/ double* y) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        y[ii] = 1;
    }//end_vectorize
}"""

DECL_FORM = """void k(const int n, /*gpuglmem*/ double* y) {
    int tid = 0 //vectorize_over tid n
    y[tid] = 1;
    //end_vectorize
}"""


def _body_lines(text):
    return [line.strip() for line in text.split("\n")]


def test_cpu_loop_form_is_kept_and_gets_openmp_pragma():
    serial = expand_vectorize(LOOP_FORM, "cpu")
    assert serial.split("\n")[1].strip() == "for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii"
    assert "#pragma" not in serial
    omp = _body_lines(expand_vectorize(LOOP_FORM, "cpu", openmp=True))
    assert omp[1] == "#pragma omp parallel for"
    assert omp[2].startswith("for (int64_t ii = 0; ii < n; ii++) {")


def test_cpu_declaration_form_becomes_a_loop():
    lines = _body_lines(expand_vectorize(DECL_FORM, "cpu", openmp=True))
    assert lines[1:5] == [
        "#pragma omp parallel for",
        "for (int tid = 0; tid < (n); tid++) { //vectorize_over tid",
        "y[tid] = 1;",
        "}//end_vectorize",
    ]


@pytest.mark.parametrize("source", [LOOP_FORM, DECL_FORM])
@pytest.mark.parametrize(
    "target, index", [("opencl", "get_global_id(0)"), ("cuda", "(blockDim.x * blockIdx.x + threadIdx.x)")]
)
def test_gpu_one_thread_per_index_with_bounds_check(source, target, index):
    lines = _body_lines(expand_vectorize(source, target))
    var, ctype = ("ii", "int64_t") if source is LOOP_FORM else ("tid", "int")
    assert lines[1] == f"{ctype} {var} = {index}; if ({var} < (n)) {{ //vectorize_over {var}"
    assert lines[3] == "}//end_vectorize"
    assert "for" not in "".join(lines[1:4])


def test_missing_limit_uses_the_kernel_n_threads():
    src = DECL_FORM.replace("//vectorize_over tid n", "//vectorize_over tid")
    kernels = {"k": xo.Kernel(xo.Arg(xo.Int32, name="n"), xo.Arg(xo.Float64, pointer=True, name="y"), n_threads="n")}
    out = specialize_source(src, "cpu", kernels=kernels)
    assert "for (int tid = 0; tid < (n); tid++)" in out
    with pytest.raises(xo.SpecializationError, match="has no limit"):
        specialize_source(src, "cpu", kernels={})


@pytest.mark.parametrize(
    "source, match",
    [
        ("int i = 0 //vectorize_over i n\nint j = 0 //vectorize_over j n\n", "nested"),
        ("//end_vectorize\n", "without //vectorize_over"),
        ("int i = 0 //vectorize_over i n\n", "not closed"),
        ("while (1) { //vectorize_over i n\n//end_vectorize\n", "must follow"),
    ],
)
def test_malformed_vectorize_blocks(source, match):
    with pytest.raises(xo.SpecializationError, match=match):
        expand_vectorize(source, "cpu")


def test_unknown_target_is_rejected():
    with pytest.raises(ValueError, match=r"target must be one of \('cpu', 'opencl', 'cuda'\), got 'metal'"):
        specialize_source("", "metal")


@pytest.mark.parametrize(
    "target, kern, fun, glmem, shared",
    [
        ("cpu", "", "static inline", "", ""),
        ("opencl", "__kernel", "", "__global", "__local"),
        ("cuda", 'extern "C" __global__', "__device__", "", "__shared__"),
    ],
)
def test_annotation_tokens(target, kern, fun, glmem, shared):
    src = "/*gpukern*/|/*gpufun*/|/*gpuglmem*/|/*gpusharedmem*/"
    assert replace_tokens(src, target) == f"{kern}|{fun}|{glmem}|{shared}"


class Thing(xo.Struct):
    a = xo.Float64


def test_opencl_entry_point_rebuilds_pointers_from_buffer_and_offset():
    src = "/*gpukern*/ void k(Thing t, const int64_t n, /*gpuglmem*/ const double* x) { }\n"
    kernels = {
        "k": xo.Kernel(
            xo.Arg(Thing, name="t"),
            xo.Arg(xo.Int64, name="n"),
            xo.Arg(xo.Float64, pointer=True, const=True, name="x"),
            n_threads="n",
        )
    }
    out = specialize_source(src, "opencl", kernels=kernels)
    assert "#pragma OPENCL EXTENSION cl_khr_fp64 : enable" in out
    assert " void k__xobody(Thing t, const int64_t n, __global const double* x) { }" in out
    assert (
        "__kernel void k(__global char* t__xobuf, long t__xooff, int64_t n, "
        "__global char* x__xobuf, long x__xooff) {" in out
    )
    assert "    Thing t = (Thing)(t__xobuf + t__xooff);" in out
    assert "    __global const double* x = (__global const double*)(x__xobuf + x__xooff);" in out
    assert "    k__xobody(t, n, x);" in out


def test_cuda_entry_point_calls_the_device_body():
    src = "void k(const int64_t n, /*gpuglmem*/ double* y) { }\nvoid other(void) { k(1, 0); }\n"
    kernels = {"k": xo.Kernel(xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, pointer=True, name="y"), n_threads="n")}
    out = specialize_source(src, "cuda", kernels=kernels)
    assert "__device__ void k__xobody(const int64_t n,  double* y) { }" in out
    assert "k__xobody(1, 0);" in out  # calls follow the rename
    assert 'extern "C" __global__ void k(int64_t n, double* y) {\n    k__xobody(n, y);\n}' in out
