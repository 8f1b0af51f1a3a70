"""Kernel descriptions (``Kernel``, ``Arg``, from ``types/signature.py``) and
conversion of call arguments.

A ``Kernel`` lists the C function's arguments in order; each ``Arg`` gives
the xobjects type, whether it is a pointer and its name. Kernels are called
with keyword arguments only; the context-specific kernel classes turn each
value into what the compiled function takes using the converters below,
validating everything before the launch.
"""

import difflib
import warnings
import numbers

import numpy as np

from ..types.signature import Arg, Kernel, is_scalar_type  # noqa: F401 - re-exported


class ContextKernel:
    """Common part of the compiled kernels of every context (KernelCpu, KernelPyopencl, KernelCupy).

    Holds the compiled ``function`` and, per argument, the converter that the
    subclass's ``_converter(arg)`` builds, so that a call only converts.
    """

    def __init__(self, context, name, description, function, source):
        self.context = context
        self.name = name
        self.description = description
        self.function = function
        self.source = source
        self._converters = [(a.name, self._converter(a)) for a in description.args]

    def _converter(self, arg):
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.name} on {self.context!r}>"


def check_kernel_descriptions(kernels):
    """Validate the ``kernels`` argument of ``add_kernels``; return it as a dict."""
    if kernels is None:
        return {}
    if not isinstance(kernels, dict):
        raise TypeError(
            f"kernels must be a dict {{name: xo.Kernel(...)}}, got {type(kernels).__name__}."
        )
    for name, description in kernels.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"kernel names must be C identifiers, got {name!r}.")
        if not isinstance(description, Kernel):
            raise TypeError(f"kernels[{name!r}] must be an xo.Kernel, got {type(description).__name__}.")
    return dict(kernels)


def check_call_names(kernel_name, description, kwargs):
    """Raise TypeError for unknown or missing keyword arguments."""
    names = description.arg_names
    unknown = [k for k in kwargs if k not in names]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, names, n=3)
        hint = f"; did you mean {close[0]!r}?" if close else f"; arguments are {names}."
        raise TypeError(f"kernel {kernel_name}() got an unexpected keyword {key!r}{hint}")
    missing = [n for n in names if n not in kwargs]
    if missing:
        raise TypeError(f"kernel {kernel_name}() missing argument(s): {', '.join(map(repr, missing))}.")


def scalar_converter(kernel_name, arg):
    """Function converting a call value to a Python number of ``arg``'s scalar type.

    Exact ``int``/``float`` values take a fast path; everything else goes
    through the full validation of :func:`convert_scalar`.
    """
    dtype = arg.atype._dtype
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        low, high = int(info.min), int(info.max)

        def convert(value):
            if type(value) is int and low <= value <= high:
                return value
            return convert_scalar(kernel_name, arg, value)

        return convert

    def convert(value):
        if type(value) is float:
            return value
        return convert_scalar(kernel_name, arg, value)

    return convert


def call_values(kernel_name, description, converters, kwargs):
    """Converted values of the keyword arguments, in the kernel's order."""
    if len(kwargs) != len(converters):
        check_call_names(kernel_name, description, kwargs)
    try:
        return [convert(kwargs[name]) for name, convert in converters]
    except KeyError:
        check_call_names(kernel_name, description, kwargs)
        raise


def convert_scalar(kernel_name, arg, value):
    """Return ``value`` as a Python number of the declared scalar type."""
    dtype = arg.atype._dtype
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number):
        raise TypeError(
            f"kernel {kernel_name}(): argument {arg.name!r} must be a number "
            f"({arg.atype.__name__}), got {value!r} ({type(value).__name__})."
        )
    if np.issubdtype(dtype, np.integer):
        if not isinstance(value, (numbers.Integral)):
            if isinstance(value, numbers.Real) and float(value).is_integer():
                value = int(value)
            else:
                raise TypeError(
                    f"kernel {kernel_name}(): argument {arg.name!r} must be an integer "
                    f"({arg.atype.__name__}), got {value!r}."
                )
        info = np.iinfo(dtype)
        value = int(value)
        if not info.min <= value <= info.max:
            raise ValueError(
                f"kernel {kernel_name}(): argument {arg.name!r}={value} is out of the range of "
                f"{arg.atype.__name__} [{info.min}, {info.max}]."
            )
        return value
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise TypeError(f"kernel {kernel_name}(): argument {arg.name!r} must be real, got {value!r}.")
    return float(value)


def check_array(kernel_name, arg, value, array_type):
    """Validate a context array given for a pointer argument; return it."""
    if not isinstance(value, array_type):
        raise TypeError(
            f"kernel {kernel_name}(): argument {arg.name!r} must be a "
            f"{array_type.__module__}.{array_type.__name__} of dtype {arg.atype._dtype} on this "
            f"context, got {type(value).__module__}.{type(value).__name__}."
        )
    if value.dtype != arg.atype._dtype:
        raise TypeError(
            f"kernel {kernel_name}(): argument {arg.name!r} must have dtype "
            f"{arg.atype._dtype}, got {value.dtype}."
        )
    if not arg.const and not getattr(value.flags, "writeable", True):
        raise ValueError(
            f"kernel {kernel_name}(): argument {arg.name!r} is written by the kernel (not const) "
            "but the array is read-only."
        )
    if not value.flags.c_contiguous:
        raise ValueError(
            f"kernel {kernel_name}(): argument {arg.name!r} must be a C-contiguous array, "
            f"got one with shape {value.shape} and strides {value.strides}; pass a copy."
        )
    return value


def xobject_of(kernel_name, arg, value, buffer_class, context=None):
    """Return the xobjects instance given for a composite argument, validated.

    A context array viewing the items of an array of scalars in a buffer of
    ``context`` (what field access returns for such arrays) stands for that
    array when ``arg`` is an array type of the same item type and shape.
    """
    xobj = getattr(value, "_xobject", value)
    if not (hasattr(xobj, "_buffer") and hasattr(xobj, "_offset")):
        xobj = _array_behind_view(arg.atype, value, context)
        if xobj is None:
            raise TypeError(
                f"kernel {kernel_name}(): argument {arg.name!r} must be a {arg.atype.__name__} "
                f"(xobjects instance or HybridClass), got {type(value).__name__}."
            )
    if not (type(xobj) is arg.atype or getattr(type(xobj), "_c_type", None) == arg.atype._c_type):
        if not (hasattr(type(xobj), "_c_type") and hasattr(type(xobj), "_get_inner_types")):
            raise TypeError(
                f"kernel {kernel_name}(): argument {arg.name!r} must be a {arg.atype.__name__}, "
                f"got {type(xobj).__name__}."
            )
        # As the established implementation: another xobjects type is passed
        # as its address (a C cast, e.g. of a UnionRef member), with a warning
        # since the kernel reads it through the declared layout.
        warnings.warn(
            f"kernel {kernel_name}(): argument {arg.name!r} is declared {arg.atype.__name__}, "
            f"got a {type(xobj).__name__}; passing its address.",
            RuntimeWarning, stacklevel=4,
        )
    if not isinstance(xobj._buffer, buffer_class):
        raise TypeError(
            f"kernel {kernel_name}(): argument {arg.name!r} lives on "
            f"{type(xobj._buffer.context).__name__}, not on this context; move it first."
        )
    return xobj


def _array_behind_view(atype, value, context):
    """The ``atype`` array whose items the numpy view ``value`` shows in place, or None."""
    if context is None or type(value) is not np.ndarray or not getattr(atype, "_scalar_items", False):
        return None
    if value.dtype != atype._itemtype._dtype or not value.flags.c_contiguous:
        return None
    address = value.__array_interface__["data"][0]
    for buffer in list(type(context)._buffer_class._live):
        if not isinstance(buffer, type(context)._buffer_class):
            continue
        raw = buffer.buffer
        if type(raw) is not np.ndarray or not np.shares_memory(raw, value):
            continue
        offset = address - buffer.address - atype._header
        if offset < 0 or offset % 8 or offset + value.nbytes > buffer.capacity:
            return None
        candidate = atype._from_buffer(buffer, offset)
        try:
            if tuple(candidate.shape) != value.shape:
                return None
        except Exception:  # not an array header there
            return None
        return candidate
    return None


def threads_of(kernel_name, description, kwargs):
    """Number of threads to launch for a GPU kernel call."""
    n = description.n_threads
    if n is None:
        raise ValueError(f"kernel {kernel_name} has no n_threads; set Kernel(..., n_threads=...).")
    if isinstance(n, str):
        n = kwargs[n]
    n = int(n)
    if n < 0:
        raise ValueError(f"kernel {kernel_name}(): the number of threads must be >= 0, got {n}.")
    return n
