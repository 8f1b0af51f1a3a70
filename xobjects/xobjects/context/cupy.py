"""CUDA context through cupy. cupy is imported only when a context is created."""

import numpy as np

from ..types.base import to_host_array
from .base import NdarrayBuffer, XContext
from .cpu_compile import CompileError, excerpt_errors
from .gpu_kernels import GpuContextMixin, KernelCupy


def _import_cupy():
    try:
        import cupy
    except ImportError as exc:
        raise ImportError(
            "ContextCupy needs cupy and a CUDA GPU: pip install cupy-cuda12x "
            "(cupy-cuda11x for CUDA 11)."
        ) from exc
    return cupy


class BufferCupy(NdarrayBuffer):
    """Buffer in CUDA device memory; ``buffer`` is a ``cupy.ndarray`` of uint8."""

    def _new_raw(self, capacity):
        return _import_cupy().zeros(capacity, dtype=np.uint8)

    @property
    def address(self):
        """Device address (int) of the first byte of the raw memory."""
        return self.buffer.data.ptr

    def write(self, offset, data):
        """Write host bytes or a numpy array (raw bytes) at ``offset``."""
        data = self._as_bytes(data)
        self._check_range(offset, data.size)
        if data.size:
            self.buffer[offset : offset + data.size].set(data)

    def read(self, offset, size):
        """Return a host copy (``np.ndarray`` of uint8) of ``size`` bytes at ``offset``."""
        self._check_range(offset, size)
        return self.buffer[offset : offset + size].get()

    def update_from_nplike(self, offset, dest_dtype, value):
        """Write ``value`` (any context's array) at ``offset``, converted to ``dest_dtype``."""
        cupy = _import_cupy()
        if not isinstance(value, cupy.ndarray):
            value = to_host_array(value)
        self.to_nplike(offset, dest_dtype, value.shape)[...] = cupy.asarray(value)


class ContextCupy(GpuContextMixin, XContext):
    """Creates a Cupy Context object, that allows performing the computations on nVidia GPUs.

    Parameters
    ----------
    default_block_size : int, default 256
        CUDA thread block size used when a kernel does not set one.
    default_shared_mem_size_bytes : int, default 0
        Dynamic shared memory per block, in bytes, for kernel launches.
    device : int, optional
        Identifier of the device to be used by the context.
    """

    _buffer_class = BufferCupy
    _kernel_class = KernelCupy
    _target = "cuda"

    def __init__(self, default_block_size=256, default_shared_mem_size_bytes=0, device=None):
        for name, value in (
            ("default_block_size", default_block_size),
            ("default_shared_mem_size_bytes", default_shared_mem_size_bytes),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}.")
        if default_block_size == 0:
            raise ValueError("default_block_size must be a positive integer, got 0.")
        cupy = _import_cupy()
        super().__init__()
        self.default_block_size = int(default_block_size)
        self.default_shared_mem_size_bytes = int(default_shared_mem_size_bytes)
        self.device = device
        if device is not None:
            cupy.cuda.Device(device).use()

    def __repr__(self):
        return f"ContextCupy(device={self.device!r})"

    @property
    def nplike_array_type(self):
        """Class of the arrays of this context (``cupy.ndarray``)."""
        return _import_cupy().ndarray

    @property
    def linked_array_type(self):
        """Arrays whose item assignment goes through their owner (see ``linked_array.py``)."""
        from .linked_array import linked_array_class

        cls = type(self).__dict__.get("_linked_array_class")
        if cls is None:
            cls = linked_array_class(_import_cupy().ndarray)
            type(self)._linked_array_class = cls
        return cls

    # ---- arrays -----------------------------------------------------------
    def zeros(self, *args, **kwargs):
        """Allocates an array of zeros on the device. Same interface as ``numpy.zeros``."""
        return _import_cupy().zeros(*args, **kwargs)

    def nparray_to_context_array(self, arr):
        """Copies a numpy array to the device memory."""
        return _import_cupy().array(arr)

    def nparray_from_context_array(self, dev_arr):
        """Copies an array of the device to a numpy array."""
        return dev_arr.get()

    @property
    def nplike_lib(self):
        """Module containing all the numpy features supported by cupy."""
        return _import_cupy()

    @property
    def splike_lib(self):
        """Module containing all the scipy features supported by cupy (``cupyx.scipy``)."""
        import cupyx.scipy
        import cupyx.scipy.fft  # noqa: F401  (submodules are not loaded by the package)
        import cupyx.scipy.special  # noqa: F401

        return cupyx.scipy

    def synchronize(self):
        """Ensures that all computations submitted to the context are completed."""
        _import_cupy().cuda.Stream.null.synchronize()

    def plan_FFT(self, data, axes):
        """Generates an FFT plan object to be executed on the context.

        Parameters
        ----------
        data : cupy.ndarray
            Array having type and shape for which the FFT needs to be planned.
        axes : sequence of ints
            Axes along which the FFT needs to be performed.

        Returns
        -------
        FFTCupy
            Plan with in-place ``transform(data)`` and ``itransform(data)``.
        """
        from .fft import FFTCupy

        return FFTCupy(data, axes)

    def _build_program(self, source, c_names):
        """Compile the source with NVRTC (cupy caches the binaries); return its kernels."""
        cupy = _import_cupy()
        try:
            module = cupy.RawModule(code=source, options=("--std=c++14", "--fmad=false"))
            return {name: module.get_function(name) for name in c_names}
        except cupy.cuda.compiler.CompileException as exc:
            log = str(exc)
            raise CompileError(
                f"CUDA compilation failed.\nCompiler output:\n{log}\n\n"
                f"Offending source lines:\n{excerpt_errors(log, source)}",
                compiler_output=log,
            ) from None
