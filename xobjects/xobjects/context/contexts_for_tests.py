"""The contexts that test suites run on: ``get_test_contexts``.

The environment variable ``XOBJECTS_TEST_CONTEXTS`` lists them, separated by
``;`` or ``,``: ``ContextCpu`` (serial), ``ContextCpu:auto`` (OpenMP, thread
count chosen by OpenMP), ``ContextCpu:4`` (four OpenMP threads),
``ContextPyopencl`` (first device) or ``ContextPyopencl:0.1`` (a device),
``ContextCupy``. Unset, it means every context that this machine can run:
ContextCpu, ContextCpu:auto, and ContextPyopencl / ContextCupy when their
runtime and a device are present.

Contexts are built once per process and per spec, because building an
OpenCL or CUDA context is slow; tests share them.
"""

import functools
import os

ENV_VAR = "XOBJECTS_TEST_CONTEXTS"
KNOWN = ("ContextCpu", "ContextPyopencl", "ContextCupy")


def _opencl_available():
    try:
        import pyopencl as cl
    except ImportError:
        return False
    try:
        return any(p.get_devices() for p in cl.get_platforms())
    except cl.Error:  # no ICD / platform: the runtime is absent, not broken
        return False


def _cupy_available():
    try:
        import cupy
    except ImportError:
        return False
    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # cupy raises CUDARuntimeError without a driver
        return False


def available_context_specs():
    """Specs of every context this machine can run (the default list)."""
    specs = ["ContextCpu", "ContextCpu:auto"]
    if _opencl_available():
        specs.append("ContextPyopencl")
    if _cupy_available():
        specs.append("ContextCupy")
    return specs


def parse_spec(spec):
    """``(class name, option or None)`` of one spec; ValueError naming what is allowed."""
    name, _, option = spec.strip().partition(":")
    if name not in KNOWN:
        raise ValueError(
            f"{ENV_VAR}: unknown context {spec!r}; allowed: {', '.join(KNOWN)}, optionally "
            "followed by ':option' (ContextCpu:auto, ContextCpu:4, ContextPyopencl:0.0)."
        )
    return name, (option or None)


def context_specs_for_tests():
    """Specs listed in ``XOBJECTS_TEST_CONTEXTS``, or the available ones when unset."""
    value = os.environ.get(ENV_VAR)
    if value is None or not value.strip():
        return available_context_specs()
    specs = [s.strip() for s in value.replace(",", ";").split(";") if s.strip()]
    for spec in specs:
        parse_spec(spec)
    return specs


@functools.lru_cache(maxsize=None)
def context_from_spec(spec):
    """The (shared) context built from one spec."""
    from .cpu import ContextCpu
    from .cupy import ContextCupy
    from .pyopencl import ContextPyopencl

    name, option = parse_spec(spec)
    if name == "ContextCpu":
        if option is None:
            return ContextCpu()
        if option == "auto":
            return ContextCpu(omp_num_threads="auto")
        if not option.isdigit():
            raise ValueError(f"{ENV_VAR}: {spec!r}: the ContextCpu option is 'auto' or a thread count.")
        return ContextCpu(omp_num_threads=int(option))
    if name == "ContextPyopencl":
        return ContextPyopencl(device=option) if option else ContextPyopencl()
    return ContextCupy(device=int(option)) if option else ContextCupy()


def get_test_contexts():
    """Yield the contexts listed by ``XOBJECTS_TEST_CONTEXTS`` (see the module docstring)."""
    for spec in context_specs_for_tests():
        yield context_from_spec(spec)
