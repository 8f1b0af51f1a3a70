"""The documented methods of every context: arrays, libraries, FFT, kernels dict."""

import importlib.util

import numpy as np
import pytest

import xobjects as xo


def test_zeros_has_numpy_interface(context):
    arr = context.zeros((2, 3), dtype=np.int32)
    assert isinstance(arr, context.nplike_array_type)
    assert arr.shape == (2, 3) and arr.dtype == np.int32
    assert context.nparray_from_context_array(arr).tolist() == [[0, 0, 0], [0, 0, 0]]
    assert context.zeros(4).dtype == np.float64


def test_nparray_round_trip(context):
    host = np.array([[1.5, -2.0], [3.25, 4.0]])
    dev = context.nparray_to_context_array(host)
    assert isinstance(dev, context.nplike_array_type)
    back = context.nparray_from_context_array(dev)
    assert isinstance(back, np.ndarray)
    np.testing.assert_array_equal(back, host)


def test_cpu_transfers_do_not_copy():
    ctx = xo.ContextCpu()
    host = np.arange(3.0)
    assert ctx.nparray_to_context_array(host) is host
    assert ctx.nparray_from_context_array(host) is host


def test_nplike_lib_computes_on_context_arrays(context):
    nplike = context.nplike_lib
    a = context.nparray_to_context_array(np.array([1.0, 4.0, -9.0]))
    b = context.nparray_to_context_array(np.array([2.0, 3.0, -10.0]))
    result = context.nparray_from_context_array(nplike.maximum(a, b))
    np.testing.assert_array_equal(result, [2.0, 4.0, -9.0])


def test_splike_lib(context):
    if isinstance(context, xo.ContextPyopencl):
        with pytest.raises(NotImplementedError, match="not available on ContextPyopencl"):
            context.splike_lib
        return
    splike = context.splike_lib
    values = context.nparray_to_context_array(np.array([5.0, 1.0]))
    gammas = context.nparray_from_context_array(splike.special.gamma(values))
    assert gammas.tolist() == [24.0, 1.0]


def test_synchronize_returns_none(context):
    assert context.synchronize() is None


def _plan_fft(context, data, axes):
    """plan_FFT, expecting the host-fallback warning on OpenCL without pyvkfft."""
    if isinstance(context, xo.ContextPyopencl) and importlib.util.find_spec("pyvkfft") is None:
        with pytest.warns(UserWarning, match="pyvkfft is not installed"):
            return context.plan_FFT(data, axes=axes)
    return context.plan_FFT(data, axes=axes)


def test_plan_fft_round_trip(context):
    rng = np.random.default_rng(1)
    host = rng.normal(size=(8, 6)) + 1j * rng.normal(size=(8, 6))
    data = context.nparray_to_context_array(host.copy())
    plan = _plan_fft(context, data, axes=(0, 1))
    plan.transform(data)
    np.testing.assert_allclose(context.nparray_from_context_array(data), np.fft.fft2(host), atol=1e-12)
    plan.itransform(data)
    np.testing.assert_allclose(context.nparray_from_context_array(data), host, atol=1e-13)


def test_plan_fft_rejects_real_data_and_bad_axes(cpu_context):
    with pytest.raises(TypeError, match="complex array"):
        cpu_context.plan_FFT(np.zeros(4), axes=(0,))
    with pytest.raises(ValueError, match=r"axes must index the 1 dimensions"):
        cpu_context.plan_FFT(np.zeros(4, complex), axes=(1,))


def test_plan_fft_pyopencl_without_pyvkfft_uses_the_host(context_by_id):
    ctx = context_by_id("opencl")
    if importlib.util.find_spec("pyvkfft") is not None:
        pytest.skip("pyvkfft is installed: the device plan is used")
    data = ctx.nparray_to_context_array(np.arange(8, dtype=np.complex128))
    with pytest.warns(UserWarning, match="pip install pyvkfft"):
        plan = ctx.plan_FFT(data, axes=(0,))
    plan.transform(data)
    np.testing.assert_allclose(data.get(), np.fft.fft(np.arange(8.0)), atol=1e-12)
    with pytest.raises(ValueError, match="plan made for shape"):
        plan.transform(ctx.zeros(4, dtype=np.complex128))


def test_kernels_dict_has_attribute_access(cpu_context):
    kernels = cpu_context.kernels
    assert isinstance(kernels, dict)
    with pytest.raises(AttributeError, match="no kernel named 'surely_absent'"):
        kernels.surely_absent


@pytest.mark.parametrize(
    "value, exc, match",
    [(-1, ValueError, "got -1"), ("four", ValueError, "'four'"), (1.5, TypeError, "got 1.5")],
)
def test_context_cpu_rejects_bad_thread_counts(value, exc, match):
    with pytest.raises(exc, match=match):
        xo.ContextCpu(omp_num_threads=value)


def test_context_cpu_thread_settings():
    assert xo.ContextCpu().openmp_enabled is False
    assert xo.ContextCpu(omp_num_threads="auto").openmp_enabled is True
    assert xo.ContextCpu(omp_num_threads=3).omp_num_threads == 3


def test_context_pyopencl_device_selection(context_by_id):
    ctx = context_by_id("opencl")
    assert xo.ContextPyopencl(device="0.0").device == ctx.device
    with pytest.raises(ValueError, match="available"):
        xo.ContextPyopencl(device="7.7")
    with pytest.raises(ValueError, match="power of two, got 12"):
        xo.ContextPyopencl(minimum_alignment=12)
    assert xo.ContextPyopencl(minimum_alignment=64).minimum_alignment == 64


def test_context_cupy_without_cupy_names_the_package():
    try:
        import cupy  # noqa: F401

        pytest.skip("cupy is installed")
    except ImportError:
        pass
    with pytest.raises(ImportError, match="pip install cupy-cuda12x"):
        xo.ContextCupy()


def test_pyopencl_patch_handles_non_contiguous_views(context_by_id):
    ctx = context_by_id("opencl")
    dev = ctx.nparray_to_context_array(np.arange(12.0).reshape(3, 4))
    column = dev[:, 1]
    assert not column.flags.c_contiguous
    np.testing.assert_array_equal(column.get(), [1.0, 5.0, 9.0])
    np.testing.assert_array_equal((column * 2).get(), [2.0, 10.0, 18.0])
    dev[:, 2] = np.array([-1.0, -2.0, -3.0])
    np.testing.assert_array_equal(dev.get()[:, 2], [-1.0, -2.0, -3.0])
    np.testing.assert_array_equal(dev.get()[:, 1], [1.0, 5.0, 9.0])
