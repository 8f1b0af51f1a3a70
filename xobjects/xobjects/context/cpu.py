"""CPU context: numpy memory, kernels compiled with cffi and the C compiler.

Kernels are specialised for plain C (OpenMP loops when the context has
threads), compiled once into a Python extension module through cffi and the
system C compiler, and cached on disk (see ``cache.py``).
"""

import ctypes
import time
from pathlib import Path

import numpy as np

from ..types.base import to_host_array
from .base import NdarrayBuffer, XContext, kernel_key
from .cpu_compile import build_module, load_module
from .cpu_kernels import (
    KernelCpu,
    compile_or_load,
    find_module_file,
    module_cdef,
    module_source,
)
from .linked_array import LinkedArrayCpu
from .kernel import check_kernel_descriptions

# Raw buffers start on a cache-line boundary so that every 8-aligned offset
# is also naturally aligned for any scalar and vector loads are not split.
_BASE_ALIGNMENT = 64


def _address(raw):
    """Address of the first byte of the writable numpy array ``raw``."""
    return ctypes.addressof(ctypes.c_char.from_buffer(raw))


class BufferCpu(NdarrayBuffer):
    """Buffer in host memory; ``buffer`` is a 64-byte aligned uint8 numpy array."""

    def _new_raw(self, capacity):
        raw = np.zeros(capacity + _BASE_ALIGNMENT, dtype=np.uint8)
        # (ctypes' from_buffer gives the address 4x faster than raw.ctypes.data:
        # every new object gets a buffer of its own, so this is a hot path)
        shift = (-_address(raw)) % _BASE_ALIGNMENT
        return raw[shift : shift + capacity]

    @property
    def address(self):
        """Address (int) of the first byte of the raw memory."""
        return self.buffer.ctypes.data

    def write(self, offset, data):
        """Write host bytes or a numpy array (raw bytes) at ``offset``."""
        if type(data) is bytes or type(data) is bytearray:
            # what the fast paths of the types write: a plain memory copy
            end = offset + len(data)
            if offset < 0 or end > self.capacity:
                self._check_range(offset, len(data))
            self.buffer.data[offset:end] = data
            return
        data = self._as_bytes(data)
        self._check_range(offset, data.size)
        self.buffer[offset : offset + data.size] = data

    def read(self, offset, size):
        """Return a host copy (``np.ndarray`` of uint8) of ``size`` bytes at ``offset``."""
        self._check_range(offset, size)
        return self.buffer[offset : offset + size].copy()

    def update_from_nplike(self, offset, dest_dtype, value):
        """Write ``value`` (any context's array) at ``offset``, converted to ``dest_dtype``."""
        host = to_host_array(value)
        self.to_nplike(offset, dest_dtype, host.shape)[...] = host


class ContextCpu(XContext):
    """Creates a CPU Platform object, that allows performing the computations on conventional CPUs.

    Parameters
    ----------
    omp_num_threads : int or 'auto', default 0
        Number of threads used by OpenMP. If 0, no parallelization is used.
        If 'auto', the number of threads is selected automatically by
        OpenMP.
    """

    _buffer_class = BufferCpu
    #: Raw allocations are byte-aligned on the host (objects still start at
    #: multiples of 8); the established implementation does the same.
    minimum_alignment = 1
    nplike_array_type = np.ndarray
    #: Arrays whose item assignment goes through their owner (see ``linked_array.py``).
    linked_array_type = LinkedArrayCpu

    def __init__(self, omp_num_threads=0):
        if isinstance(omp_num_threads, str):
            if omp_num_threads != "auto":
                raise ValueError(
                    f"omp_num_threads must be a non-negative integer or 'auto', "
                    f"got {omp_num_threads!r}."
                )
        elif isinstance(omp_num_threads, bool) or not isinstance(omp_num_threads, (int, np.integer)):
            raise TypeError(
                f"omp_num_threads must be a non-negative integer or 'auto', got {omp_num_threads!r}."
            )
        elif omp_num_threads < 0:
            raise ValueError(
                f"omp_num_threads must be a non-negative integer or 'auto', got {omp_num_threads}."
            )
        else:
            omp_num_threads = int(omp_num_threads)
        super().__init__()
        self.omp_num_threads = omp_num_threads

    def _openmp(self):
        return self.openmp_enabled

    @property
    def openmp_enabled(self):
        """True when kernels are compiled with OpenMP."""
        return self.omp_num_threads != 0

    def __repr__(self):
        return f"ContextCpu(omp_num_threads={self.omp_num_threads!r})"

    # ---- arrays -----------------------------------------------------------
    def zeros(self, *args, **kwargs):
        """Allocates an array of zeros on the device. Same interface as ``numpy.zeros``."""
        return np.zeros(*args, **kwargs)

    def nparray_to_context_array(self, arr):
        """Moves a numpy array to the device memory (no copy on the CPU)."""
        return arr

    def nparray_from_context_array(self, dev_arr):
        """Moves an array of the device to a numpy array (no copy on the CPU)."""
        return dev_arr

    @property
    def nplike_lib(self):
        """Module containing all the numpy features."""
        return np

    @property
    def splike_lib(self):
        """Module containing all the scipy features."""
        import scipy

        return scipy

    def synchronize(self):
        """Ensures that all computations submitted to the context are completed (no-op on the CPU)."""

    def plan_FFT(self, data, axes):
        """Generate an FFT plan object to be executed on the context.

        Parameters
        ----------
        data : numpy.ndarray
            Array having type and shape for which the FFT needs to be planned.
        axes : sequence of ints
            Axes along which the FFT needs to be performed.

        Returns
        -------
        FFTCpu
            Plan with in-place ``transform(data)`` and ``itransform(data)``.
        """
        from .fft import FFTCpu

        return FFTCpu(data, axes, workers=self._fft_workers())

    def _fft_workers(self):
        if self.omp_num_threads == "auto":
            return -1
        return max(1, self.omp_num_threads)

    # ---- kernels ----------------------------------------------------------
    def _flags(self, extra_compile_args, extra_link_args):
        compile_args, link_args = list(extra_compile_args), list(extra_link_args)
        if self.openmp_enabled:
            compile_args.append("-fopenmp")
            link_args.append("-fopenmp")
        return compile_args, link_args

    def add_kernels(
        self,
        sources=None,
        kernels=None,
        specialize=True,
        apply_to_source=(),
        save_source_as=None,
        extra_compile_args=("-O3", "-Wno-unused-function"),
        extra_link_args=("-O3",),
        extra_cdef="",
        extra_classes=(),
        extra_headers=(),
        compile=True,
    ):
        """Adds user-defined kernels to the context.

        The kernel source code is provided as strings and/or source files and
        must contain the kernels named in ``kernels``.

        Parameters
        ----------
        sources : list
            Sources concatenated before compilation: str (raw C code),
            file objects and ``pathlib.Path`` objects.
        kernels : dict of str -> Kernel
            Kernel descriptions: names, argument types and names, and the
            argument giving the number of threads (GPUs).
        specialize : bool, default True
            If True, the code is specialized using annotations in the source.
        apply_to_source : list of callable
            Functions ``str -> str`` applied to the source before specialisation.
        save_source_as : str, optional
            Filename for saving the specialized source code.
        extra_compile_args : sequence of str, default ('-O3', '-Wno-unused-function')
            Extra arguments to be passed to the compiler.
        extra_link_args : sequence of str, default ('-O3',)
            Extra arguments to be passed to the linker.
        extra_cdef : str, default ''
            Extra C declarations passed to cffi (callable through the module).
        extra_classes : sequence of xobjects types
            Extra xobjects classes whose C API is needed.
        extra_headers : sequence
            Extra headers (code, paths or file objects) placed before the sources.
        compile : bool, default True
            If False, placeholder kernels carrying the source are registered.

        Raises
        ------
        CompileError
            If the compiler fails; shows its message and the offending lines.
        """
        self._kernels.update(
            self.build_kernels(
                kernel_descriptions=kernels, sources=sources, specialize=specialize,
                apply_to_source=apply_to_source, save_source_as=save_source_as,
                extra_compile_args=extra_compile_args, extra_link_args=extra_link_args,
                extra_cdef=extra_cdef, extra_classes=extra_classes, extra_headers=extra_headers,
                compile=compile,
            )
        )

    def _kernels_of(self, kernels, module, source, extra_classes):
        return {
            kernel_key(name, extra_classes): KernelCpu(self, name, description, module, source)
            for name, description in kernels.items()
        }

    def build_kernels(
        self,
        kernel_descriptions=None,
        module_name=None,
        containing_dir=None,
        sources=None,
        specialize=True,
        apply_to_source=(),
        save_source_as=None,
        extra_compile_args=("-O3", "-Wno-unused-function"),
        extra_link_args=("-O3",),
        extra_cdef="",
        extra_classes=(),
        extra_headers=(),
        compile=True,
    ):
        """Compile kernels and return them, keyed by ``(name, classes)``, without registering them.

        ``classes`` is the tuple of the xobjects types of ``extra_classes``.
        Same arguments as :meth:`add_kernels`, plus:

        Parameters
        ----------
        module_name : str, optional
            Also write the compiled module as ``module_name<EXT_SUFFIX>`` in
            ``containing_dir`` (default '.'), for :meth:`kernels_from_file`.
            Without it the module goes to the compile cache only.
        containing_dir : str or Path, optional
            Folder of the module file; a relative ``save_source_as`` is
            saved there too.

        Returns
        -------
        dict
            ``{(name, classes): KernelCpu}``; ``context.kernels.update(...)``
            registers them (also under the bare names).
        """
        kernels = check_kernel_descriptions(kernel_descriptions)
        if module_name is not None and not str(module_name).isidentifier():
            raise ValueError(f"module_name must be a Python identifier, got {module_name!r}.")
        folder = Path(containing_dir) if containing_dir is not None else None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            if save_source_as is not None and not Path(save_source_as).is_absolute():
                save_source_as = folder / save_source_as
        source, types_cdef = self._prepare_source(
            sources, kernels, specialize, apply_to_source, save_source_as, extra_classes, extra_headers
        )
        source = module_source(source, specialize)
        if not compile:
            return self._uncompiled(kernels, source, extra_classes)
        cdef = module_cdef(kernels, types_cdef, extra_cdef)
        compile_args, link_args = self._flags(extra_compile_args, extra_link_args)
        if module_name is None:
            module = compile_or_load(
                source, cdef, compile_args, link_args,
                f"kernels {', '.join(kernels) or '(none)'} for {self!r}",
            )
        else:
            folder = folder or Path(".")
            t0 = time.perf_counter()
            so = build_module(module_name, source, cdef, compile_args, link_args, folder)
            print(f"xobjects: built {so} in {time.perf_counter() - t0:.2f} s")
            module = load_module(module_name, so)
        return self._kernels_of(kernels, module, source, extra_classes)

    def kernels_from_file(self, module_name, kernel_descriptions, containing_dir="."):
        """Import a compiled module and add its kernels to the context.

        Parameters
        ----------
        module_name : str
            Name of the compiled module (file ``module_name.*.so``).
        kernel_descriptions : dict of str -> Kernel
            The kernels to take from the module.
        containing_dir : str or Path, default '.'
            Folder holding the module.

        Returns
        -------
        dict
            ``{(name, ()): KernelCpu}``, also registered in ``context.kernels``.
        """
        kernels = check_kernel_descriptions(kernel_descriptions)
        path = find_module_file(module_name, containing_dir)
        module = load_module(module_name, path)
        missing = [n for n, k in kernels.items() if not hasattr(module.lib, k.get_c_name(n))]
        if missing:
            raise KeyError(f"module {module_name} ({path}) has no kernel(s) {missing}.")
        loaded = self._kernels_of(kernels, module, None, ())
        self._kernels.update(loaded)
        return loaded
