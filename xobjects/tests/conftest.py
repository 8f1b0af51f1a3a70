"""Fixtures shared by the xobjects tests: one ``context`` per available context.

``context`` is parametrised over ContextCpu (serial), ContextCpu with two
OpenMP threads, ContextPyopencl (skipped only when no OpenCL platform exists)
and ContextCupy (marked ``gpu``; skipped without cupy or a CUDA device).
Contexts are built once per test session because creating an OpenCL or CUDA
context is slow.
"""

import functools

import pytest

import xobjects as xo

CONTEXT_IDS = ("cpu", "cpu_omp2", "opencl", "cupy")


@functools.lru_cache(maxsize=None)
def _make_context(name):
    """Return ``(context, None)`` or ``(None, reason it is unavailable)``."""
    if name == "cpu":
        return xo.ContextCpu(), None
    if name == "cpu_omp2":
        return xo.ContextCpu(omp_num_threads=2), None
    if name == "opencl":
        try:
            import pyopencl as cl
        except ImportError:
            return None, "pyopencl is not installed"
        try:
            platforms = cl.get_platforms()
        except cl.Error:
            platforms = []
        if not any(p.get_devices() for p in platforms):
            return None, "no OpenCL platform with a device"
        return xo.ContextPyopencl(), None
    if name == "cupy":
        try:
            import cupy
        except ImportError:
            return None, "cupy is not installed"
        try:
            if cupy.cuda.runtime.getDeviceCount() == 0:
                return None, "no CUDA device"
        except Exception as exc:  # cupy raises its own CUDARuntimeError without a driver
            return None, f"no usable CUDA device ({exc})"
        return xo.ContextCupy(), None
    raise ValueError(f"unknown context id {name!r}; known: {CONTEXT_IDS}")


def get_context(name):
    """Return the session's context ``name`` or skip the test."""
    ctx, reason = _make_context(name)
    if ctx is None:
        pytest.skip(f"context {name} unavailable: {reason}")
    return ctx


def _params(ids):
    return [pytest.param(cid, marks=[pytest.mark.gpu] if cid == "cupy" else [], id=cid) for cid in ids]


@pytest.fixture(params=_params(CONTEXT_IDS))
def context(request):
    """Every available context (CPU serial, CPU OpenMP, OpenCL, CUDA)."""
    return get_context(request.param)


@pytest.fixture(params=_params(("cpu", "cpu_omp2", "opencl")))
def context_no_cupy(request):
    """The contexts that run in CI (CPU serial, CPU OpenMP, OpenCL)."""
    return get_context(request.param)


@pytest.fixture
def cpu_context():
    """The serial CPU context."""
    return get_context("cpu")


@pytest.fixture
def context_by_id():
    """Function ``context_by_id(name)`` returning a context (or skipping); ids in ``CONTEXT_IDS``."""
    return get_context


def pytest_collection_modifyitems(config, items):
    """Mark every test parametrised over contexts as ``context_dependent``."""
    for item in items:
        if {"context", "context_no_cupy"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.context_dependent)
