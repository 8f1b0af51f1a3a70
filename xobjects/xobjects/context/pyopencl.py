"""OpenCL context through pyopencl (runs on GPUs and, with PoCL, on CPUs).

Kernels receive every pointer argument as ``(__global char* buffer, long
offset)``: OpenCL buffers have no host-visible address, and arrays that view
an xobjects buffer start at an offset inside it. A generated wrapper kernel
rebuilds the typed pointers and calls the user's function (see
``specialize.py``).
"""

import hashlib
import sys
import time

import numpy as np

from ..types.base import to_host_array
from .base import XBuffer, XContext, shape_and_nbytes
from .cache import cache_dir
from .cpu_compile import CompileError, excerpt_errors
from .gpu_kernels import GpuContextMixin, KernelPyopencl

# Built programs of this process, by (OpenCL context, source digest).
_PROGRAMS = {}


def _import_pyopencl():
    try:
        import pyopencl
        import pyopencl.array
    except ImportError as exc:
        raise ImportError(
            "ContextPyopencl needs pyopencl: pip install pyopencl "
            "(and an OpenCL runtime, e.g. PoCL: apt-get install pocl-opencl-icd)."
        ) from exc
    return pyopencl


class BufferPyopencl(XBuffer):
    """Buffer in OpenCL device memory; ``buffer`` is a ``pyopencl.Buffer``."""

    def _new_raw(self, capacity):
        cl = _import_pyopencl()
        ctx = self.context
        # OpenCL refuses zero-size buffers; the extra bytes are never handed out.
        raw = cl.Buffer(ctx.context, cl.mem_flags.READ_WRITE, size=max(capacity, 8))
        cl.enqueue_fill_buffer(ctx.queue, raw, np.uint8(0), 0, max(capacity, 8))
        return raw

    def _copy_raw(self, dest_raw, src_raw, nbytes):
        if nbytes:
            _import_pyopencl().enqueue_copy(self.context.queue, dest_raw, src_raw, byte_count=nbytes)

    def write(self, offset, data):
        """Write host bytes or a numpy array (raw bytes) at ``offset``."""
        data = self._as_bytes(data)
        self._check_range(offset, data.size)
        if data.size:
            _import_pyopencl().enqueue_copy(self.context.queue, self.buffer, data, dst_offset=offset)

    def read(self, offset, size):
        """Return a host copy (``np.ndarray`` of uint8) of ``size`` bytes at ``offset``."""
        self._check_range(offset, size)
        out = np.empty(size, dtype=np.uint8)
        if size:
            _import_pyopencl().enqueue_copy(self.context.queue, out, self.buffer, src_offset=offset)
        return out

    def to_nplike(self, offset, dtype, shape):
        """Return a ``pyopencl.array.Array`` viewing the buffer at ``offset``."""
        cl = _import_pyopencl()
        shape, nbytes = shape_and_nbytes(dtype, shape)
        self._check_range(offset, nbytes)
        return cl.array.Array(self.context.queue, shape, np.dtype(dtype), data=self.buffer, offset=offset)

    def update_from_nplike(self, offset, dest_dtype, value):
        """Write ``value`` (any context's array) at ``offset``, converted to ``dest_dtype``."""
        host = np.ascontiguousarray(to_host_array(value), dtype=dest_dtype)
        self.write(offset, host)

    def _copy_on_device(self, source_buffer, src_offset, dest_offset, size):
        if not (
            isinstance(source_buffer, BufferPyopencl)
            and source_buffer.context.context == self.context.context
        ):
            return False
        _import_pyopencl().enqueue_copy(
            self.context.queue, self.buffer, source_buffer.buffer,
            src_offset=src_offset, dst_offset=dest_offset, byte_count=size,
        )
        return True


def _select_device(cl, device):
    """Return the ``pyopencl.Device`` for ``device`` (None, 'p.d' string or Device)."""
    if isinstance(device, cl.Device):
        return device
    platforms = cl.get_platforms()
    if device is None:
        for platform in platforms:
            devices = platform.get_devices()
            if devices:
                return devices[0]
        raise RuntimeError("no OpenCL device found; install an OpenCL runtime (e.g. PoCL).")
    if isinstance(device, str):
        try:
            ip, id_ = (int(v) for v in device.split("."))
            return platforms[ip].get_devices()[id_]
        except (ValueError, IndexError):
            pass
    available = [f"{ip}.{id_}" for ip, p in enumerate(platforms) for id_ in range(len(p.get_devices()))]
    raise ValueError(
        f"device must be None, a pyopencl.Device or 'platform.device', got {device!r}; "
        f"available: {available}."
    )


class ContextPyopencl(GpuContextMixin, XContext):
    """Creates a Pyopencl Context object, that allows performing the computations on GPUs and CPUs through PyOpenCL.

    Parameters
    ----------
    device : str or pyopencl.Device, optional
        The device (CPU or GPU) for the simulation, as ``"platform.device"``
        indices or a device object. Default: the first device found.
    patch_pyopencl_array : bool, default True
        If True, ``pyopencl.array.Array`` is patched so that slicing
        assignments and ``get`` work on non-contiguous arrays.
    minimum_alignment : int, optional
        Alignment in bytes of the objects allocated by this context
        (default 8).
    """

    _buffer_class = BufferPyopencl
    _kernel_class = KernelPyopencl
    _target = "opencl"

    def __init__(self, device=None, patch_pyopencl_array=True, minimum_alignment=None):
        cl = _import_pyopencl()
        if minimum_alignment is not None:
            if not isinstance(minimum_alignment, (int, np.integer)) or minimum_alignment < 1 or (
                minimum_alignment & (minimum_alignment - 1)
            ):
                raise ValueError(
                    f"minimum_alignment must be a positive power of two, got {minimum_alignment!r}."
                )
            self.minimum_alignment = int(minimum_alignment)
        super().__init__()
        self.device = _select_device(cl, device)
        self.context = cl.Context([self.device])
        self.queue = cl.CommandQueue(self.context)
        self.patch_pyopencl_array = patch_pyopencl_array
        if patch_pyopencl_array:
            from .pyopencl_patch import patch_pyopencl_array as _patch

            _patch()

    def __repr__(self):
        return f"ContextPyopencl(device={self.device.name!r})"

    @property
    def nplike_array_type(self):
        """Class of the arrays of this context (``pyopencl.array.Array``)."""
        return _import_pyopencl().array.Array

    @property
    def linked_array_type(self):
        """Arrays whose item assignment goes through their owner (see ``linked_array.py``)."""
        from .linked_array import linked_array_class

        cls = type(self).__dict__.get("_linked_array_class")
        if cls is None:
            cls = linked_array_class(_import_pyopencl().array.Array)
            type(self)._linked_array_class = cls
        return cls

    # ---- arrays -----------------------------------------------------------
    def zeros(self, shape, dtype=float, order="C"):
        """Allocates an array of zeros on the device. Same interface as ``numpy.zeros``."""
        return _import_pyopencl().array.zeros(self.queue, shape, np.dtype(dtype), order=order)

    def nparray_to_context_array(self, arr):
        """Copies a numpy array to the device memory."""
        return _import_pyopencl().array.to_device(self.queue, np.ascontiguousarray(arr))

    def nparray_from_context_array(self, dev_arr):
        """Copies an array of the device to a numpy array."""
        return dev_arr.get()

    @property
    def nplike_lib(self):
        """Module containing all the numpy features supported by PyOpenCL."""
        return _import_pyopencl().array

    @property
    def splike_lib(self):
        """Scipy features are not available through OpenCL."""
        raise NotImplementedError(
            "scipy features are not available on ContextPyopencl; move the data to a "
            "ContextCpu (nparray_from_context_array) or use ContextCupy."
        )

    def synchronize(self):
        """Ensures that all computations submitted to the context are completed."""
        self.queue.finish()

    def plan_FFT(self, data, axes, wait_on_call=True):
        """Generates an FFT plan object to be executed on the context.

        Parameters
        ----------
        data : pyopencl.array.Array
            Array having type and shape for which the FFT needs to be planned.
        axes : sequence of ints
            Axes along which the FFT needs to be performed.
        wait_on_call : bool, default True
            If True, ``transform`` and ``itransform`` wait for completion.

        Returns
        -------
        FFTPyopencl or FFTPyopenclHost
            Plan with in-place ``transform(data)`` and ``itransform(data)``:
            on the device through ``pyvkfft``, or, where pyvkfft is not
            installed, through the host (with a ``UserWarning`` saying so).
        """
        from .fft import plan_fft_pyopencl

        return plan_fft_pyopencl(self, data, axes, wait_on_call=wait_on_call)

    def _build_program(self, source, c_names):
        """Build (or fetch from pyopencl's cache) the program; return its kernels."""
        cl = _import_pyopencl()
        digest = hashlib.sha256(f"{self.device.name}|{self.device.driver_version}|{source}".encode()).hexdigest()
        key = (self.context.int_ptr, digest)
        program = _PROGRAMS.get(key)
        if program is None:
            t0 = time.perf_counter()
            folder = cache_dir() / "opencl"
            folder.mkdir(parents=True, exist_ok=True)
            try:
                program = cl.Program(self.context, source).build(cache_dir=str(folder))
            except cl.RuntimeError as exc:
                log = str(exc)
                raise CompileError(
                    f"OpenCL compilation failed on {self.device.name}.\nBuild log:\n{log}\n\n"
                    f"Offending source lines:\n{excerpt_errors(log, source)}",
                    compiler_output=log,
                ) from None
            # pyopencl keeps the binaries; this marker only tells whether they
            # were there already, so that only real compilations are reported.
            marker = folder / f"{digest}.built"
            if not marker.exists():
                marker.touch()
                print(
                    f"xobjects: compiled OpenCL program ({', '.join(c_names)}) for "
                    f"{self.device.name} in {time.perf_counter() - t0:.2f} s; binaries cached in {folder}",
                    file=sys.stderr,
                )
            _PROGRAMS[key] = program = (program, {})
        program, functions = program
        # Each retrieval makes a new cl.Kernel: keep one per name and program.
        for name in c_names:
            if name not in functions:
                functions[name] = cl.Kernel(program, name)
        return {name: functions[name] for name in c_names}
