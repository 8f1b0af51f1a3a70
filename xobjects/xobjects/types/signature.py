"""Kernel signatures (``Kernel``, ``Arg``): C argument lists over xobjects types.

They belong to the type system: the C API generator (``capi.gen_kernels``)
describes accessor kernels with them, and the contexts compile and call
kernels from them (``context/kernel.py`` converts the call values). Keeping
them here means ``types`` never imports ``context``.
"""

import difflib

from .base import xo_type_of
from .scalar import Scalar

__all__ = ["Arg", "Kernel", "is_scalar_type"]


def is_scalar_type(atype):
    return isinstance(atype, type) and issubclass(atype, Scalar)


class Arg:
    """Description of one kernel argument.

    Parameters
    ----------
    atype : xobjects type
        A scalar type (``xo.Float64`` ...) or a composite type (Struct,
        Array, ... or a HybridClass, whose struct is used).
    pointer : bool, default False
        For scalar types: the kernel takes a pointer to an array of them.
    const : bool, default False
        The pointed-to data is read only (``const`` in C).
    name : str, optional
        Name of the argument; kernels are called with it as keyword.
    """

    def __init__(self, atype, pointer=False, const=False, name=None):
        atype = xo_type_of(atype)
        if not hasattr(atype, "_c_type"):
            raise TypeError(
                f"Arg {name!r}: atype must be an xobjects type (xo.Float64, a Struct, ...), "
                f"got {atype!r}."
            )
        if name is not None and (not isinstance(name, str) or not name.isidentifier()):
            raise ValueError(f"Arg name must be a C identifier, got {name!r}.")
        if pointer and not is_scalar_type(atype):
            raise ValueError(
                f"Arg {name!r}: pointer=True is only for scalar types; composite types "
                f"({atype._c_type}) are always passed by reference."
            )
        self.atype = atype
        self.pointer = bool(pointer)
        self.const = bool(const)
        self.name = name

    @property
    def is_scalar(self):
        """True for a scalar type (by value or pointer), False for composite types."""
        return is_scalar_type(self.atype)

    def c_decl(self, name=None, gpuglmem=""):
        """C declaration of the argument, e.g. ``const double* x``."""
        name = self.name if name is None else name
        const = "const " if self.const else ""
        if self.pointer:
            return f"{gpuglmem}{const}{self.atype._c_type}* {name}"
        return f"{self.atype._c_type} {name}"

    def __repr__(self):
        return (
            f"Arg({self.atype.__name__}, pointer={self.pointer}, const={self.const}, "
            f"name={self.name!r})"
        )


class Kernel:
    """Description of a kernel: its arguments and how many threads to launch.

    Parameters
    ----------
    *args : Arg
        The arguments, in the order of the C function (alternative to ``args``).
    args : list of Arg
        The arguments, in the order of the C function.
    n_threads : str or int, optional
        Name of the argument whose value is the number of threads on GPUs,
        or a fixed number.
    ret : Arg, optional
        Return type; None for ``void``. A scalar by value gives a Python
        number; a pointer to scalars or a composite type (CPU only) gives
        the cffi pointer.
    c_name : str, optional
        Name of the C function, if different from the key in ``kernels``.
    """

    def __init__(self, *positional_args, args=None, n_threads=None, ret=None, c_name=None):
        if positional_args and args is not None:
            raise TypeError("Kernel takes its Args either positionally or as args=[...], not both.")
        if len(positional_args) == 1 and isinstance(positional_args[0], (list, tuple)):
            positional_args = tuple(positional_args[0])
        args = list(positional_args) if args is None else list(args)
        for ii, arg in enumerate(args):
            if not isinstance(arg, Arg):
                raise TypeError(f"Kernel argument {ii} must be an xo.Arg, got {arg!r}.")
            if arg.name is None:
                raise ValueError(f"Kernel argument {ii} ({arg!r}) needs a name.")
        names = [a.name for a in args]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"Kernel argument names must be unique; repeated: {dupes}.")
        if isinstance(n_threads, str) and n_threads not in names:
            close = difflib.get_close_matches(n_threads, names, n=3)
            raise ValueError(
                f"n_threads={n_threads!r} is not an argument of the kernel; arguments: {names}"
                + (f"; did you mean {close[0]!r}?" if close else ".")
            )
        if ret is not None and not isinstance(ret, Arg):
            raise TypeError(f"ret must be an xo.Arg (a scalar, a pointer to scalars or an object), got {ret!r}.")
        self.args = args
        self.n_threads = n_threads
        self.ret = ret
        self.c_name = c_name

    @property
    def arg_names(self):
        return [a.name for a in self.args]

    def get_c_name(self, name):
        """C function name of the kernel registered as ``name``."""
        return self.c_name or name

    def __repr__(self):
        return f"Kernel(args={self.args!r}, n_threads={self.n_threads!r}, ret={self.ret!r})"
