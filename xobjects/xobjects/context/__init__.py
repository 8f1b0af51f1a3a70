"""Contexts (CPU, OpenCL, CUDA), buffers and kernels.

pyopencl and cupy are imported only when their context is instantiated.
"""

from .base import Chunk, XBuffer, XContext
from .cache import clear_kernel_cache
from .cpu import BufferCpu, ContextCpu
from .cpu_compile import CompileError
from .cpu_kernels import KernelCpu
from .cupy import BufferCupy, ContextCupy
from .default import context_default
from .kernel import Arg, Kernel
from .pyopencl import BufferPyopencl, ContextPyopencl
from .sources import KernelNotInSourceError, gather_sources, sort_classes
from .specialize import SpecializationError
from .contexts_for_tests import get_test_contexts

__all__ = [
    "XContext", "XBuffer",
    "ContextCpu", "BufferCpu", "KernelCpu",
    "ContextPyopencl", "BufferPyopencl",
    "ContextCupy", "BufferCupy",
    "context_default",
    "Kernel", "Arg",
    "CompileError", "SpecializationError", "KernelNotInSourceError",
    "clear_kernel_cache",
    "Chunk", "get_test_contexts", "sort_classes", "gather_sources",
]
