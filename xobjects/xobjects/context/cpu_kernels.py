"""CPU kernels: module source, cache lookup and the callable ``KernelCpu``."""

import sys
import time
import warnings
from pathlib import Path

import numpy as np

from .cache import cache_key, cached_build, compiler_version, discard_entry
from .cpu_compile import build_module, compiler_argv, load_module
from .kernel import (
    ContextKernel,
    call_values,
    check_array,
    scalar_converter,
    xobject_of,
)
from .specialize import PREAMBLES, context_defines

# Lets kernels of an OpenMP context run with that context's thread count.
_OMP_HELPER = """
#ifdef _OPENMP
#include <omp.h>
void xobjects_set_num_threads(int n) { if (n > 0) omp_set_num_threads(n); }
#else
void xobjects_set_num_threads(int n) { (void)n; }
#endif
"""
_OMP_HELPER_CDEF = "void xobjects_set_num_threads(int n);"

# Modules loaded in this process, by cache key (an extension module cannot be
# loaded twice under one name).
_LOADED = {}


def kernel_cdef(name, description):
    """cffi prototype of a kernel."""
    ret = description.ret
    ret = "void" if ret is None else ret.atype._c_type + ("*" if ret.pointer else "")
    args = ", ".join(a.c_decl() for a in description.args) or "void"
    return f"{ret} {description.get_c_name(name)}({args});"


def module_cdef(kernels, types_cdef, extra_cdef):
    parts = [types_cdef, _OMP_HELPER_CDEF, *(kernel_cdef(n, k) for n, k in kernels.items()), extra_cdef]
    return "\n".join(p for p in parts if p)


def module_source(source, specialized):
    """Final C source of a module: the preamble when not specialised, and the OpenMP helper."""
    if not specialized:
        source = PREAMBLES["cpu"] + context_defines("cpu") + source
    return source + "\n" + _OMP_HELPER


def compile_or_load(source, cdef, compile_args, link_args, description_for_log):
    """Return the loaded module for this source and flags, compiling only on a cache miss."""
    cc = compiler_argv()
    key = cache_key(
        target="cpu",
        source=source,
        cdef=cdef,
        compile_args=list(compile_args),
        link_args=list(link_args),
        compiler=cc,
        compiler_version=compiler_version(cc[0]),
    )
    module = _LOADED.get(key)
    if module is not None:
        return module
    module_name = f"_xobjects_{key[:32]}"
    t0 = time.perf_counter()
    path, built = cached_build(
        "cpu",
        key,
        ".so",
        lambda tmp: build_module(module_name, source, cdef, compile_args, link_args, tmp),
    )
    if built:
        print(
            f"xobjects: compiled {description_for_log} in {time.perf_counter() - t0:.2f} s; "
            f"cached as {path}",
            file=sys.stderr,
        )
    try:
        module = load_module(module_name, path)
    except (ImportError, OSError) as exc:
        if built:
            raise
        # Sound bytes that do not load (e.g. a library since removed): rebuild once.
        warnings.warn(f"xobjects: cached kernel module {path} does not load ({exc}); rebuilding it.",
                      RuntimeWarning, stacklevel=2)
        discard_entry(path)
        path, _ = cached_build(
            "cpu", key, ".so",
            lambda tmp: build_module(module_name, source, cdef, compile_args, link_args, tmp),
        )
        module = load_module(module_name, path)
    _LOADED[key] = module
    return module


class KernelCpu(ContextKernel):
    """A compiled CPU kernel, called with keyword arguments.

    Attributes
    ----------
    description : Kernel
    source : str
        The specialised C source of the module holding the kernel.
    """

    def __init__(self, context, name, description, module, source):
        self.module = module
        self._set_threads = module.lib.xobjects_set_num_threads
        function = getattr(module.lib, description.get_c_name(name))
        super().__init__(context, name, description, function, source)

    def _converter(self, arg):
        name = self.name
        ffi = self.module.ffi
        if arg.is_scalar and not arg.pointer:
            return scalar_converter(name, arg)
        if arg.pointer:
            c_array = f"{arg.atype._c_type}[]"
            dtype = arg.atype._dtype
            const = arg.const

            def pointer(value):
                if value is None:  # None is the NULL pointer
                    return ffi.NULL
                flags = getattr(value, "flags", None)
                if not (
                    type(value) is np.ndarray
                    and value.dtype == dtype
                    and flags.c_contiguous
                    and (const or flags.writeable)
                ):
                    check_array(name, arg, value, np.ndarray)
                # from_buffer is the cheapest way to a pointer; it also accepts
                # read-only arrays (const arguments).
                return ffi.from_buffer(c_array, value)

            return pointer
        c_type = arg.atype._c_type
        buffer_class = self.context._buffer_class
        context = self.context

        def composite(value):
            xobj = xobject_of(name, arg, value, buffer_class, context)
            return ffi.cast(c_type, xobj._buffer.address + xobj._offset)

        return composite

    def __call__(self, **kwargs):
        values = call_values(self.name, self.description, self._converters, kwargs)
        threads = self.context.omp_num_threads
        if threads != 0:
            self._set_threads(0 if threads == "auto" else threads)
        result = self.function(*values)
        return result if self.description.ret is not None else None


def find_module_file(module_name, containing_dir):
    """Path of the compiled module ``module_name`` in ``containing_dir``."""
    folder = Path(containing_dir)
    candidates = sorted(folder.glob(f"{module_name}.*so")) + sorted(folder.glob(f"{module_name}.*pyd"))
    if not candidates:
        raise FileNotFoundError(
            f"no compiled module {module_name!r} (file {module_name}.*.so) in {folder.resolve()}."
        )
    return candidates[0]
