"""Fixtures of the xpart tests: the contexts to run on.

`context` is parametrised over the serial CPU context, OpenCL (skipped when
no platform exists) and CUDA (marked `gpu`, skipped without cupy/a device);
contexts are built once per session because OpenCL/CUDA set-up is slow.
"""

import functools

import pytest

import xobjects as xo


@functools.lru_cache(maxsize=None)
def _make_context(name):
    try:
        if name == "cpu":
            return xo.ContextCpu(), None
        if name == "opencl":
            return xo.ContextPyopencl(), None
        return xo.ContextCupy(), None
    except Exception as err:  # noqa: BLE001 - any failure means unavailable
        return None, f"{type(err).__name__}: {err}"


@pytest.fixture(params=[pytest.param("cpu", id="cpu"), pytest.param("opencl", id="opencl"),
                        pytest.param("cupy", id="cupy", marks=pytest.mark.gpu)])
def context(request):
    """Every available context."""
    ctx, reason = _make_context(request.param)
    if ctx is None:
        pytest.skip(f"context {request.param} unavailable: {reason}")
    return ctx
