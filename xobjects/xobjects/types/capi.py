"""Generation of the C accessors of xobjects types (see ARCHITECTURE.md).

The generated source is annotated (``/*gpufun*/``, ``/*gpuglmem*/``) and
specialised by the context for C, OpenCL C or CUDA. Accessors are generated
for every *path* from a type to a leaf: a path is a sequence of field steps
(into struct fields, through the offset slot of dynamic fields) and index
steps (into array items, one ``int64_t`` argument per dimension). Paths go
through nested structs and arrays but not through refs, so recursive types
give finite APIs. Function names are the type name, a verb and the field
names of the path; index steps add arguments, not name parts. The verb
``getp`` becomes ``getp1`` when the path ends with an index step (a pointer
to an item).
"""

import re

from .array import Array
from .base import ALIGNMENT, xo_type_of
from .ref import Ref, UnionRef
from .scalar import Int64, Scalar, UInt8
from .string import String
from .struct import Struct

GLOBAL = "/*gpuglmem*/"
_USES_P = re.compile(r"\bp\b")
FUN = "/*gpufun*/"

# OpenCL C and NVRTC have no <stdint.h>; the context prologues use the same
# guard if they need these names too.
STDINT_PRELUDE = """\
#ifndef XOBJ_STDINT
#define XOBJ_STDINT
#if defined(__OPENCL_VERSION__)
typedef long int64_t;
typedef int int32_t;
typedef short int16_t;
typedef char int8_t;
typedef unsigned long uint64_t;
typedef unsigned int uint32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
#elif defined(__CUDACC_RTC__)
typedef long long int64_t;
typedef int int32_t;
typedef short int16_t;
typedef signed char int8_t;
typedef unsigned long long uint64_t;
typedef unsigned int uint32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
#else
#include <stdint.h>
#endif
#endif
"""


def _composite_types(types):
    """Reachable composite types of ``types``, dependencies first, each once."""
    order, seen = [], set()

    def visit(t):
        t = xo_type_of(t)
        if t in seen or issubclass(t, Scalar):
            return
        seen.add(t)
        for inner in t._get_inner_types():
            visit(inner)
        order.append(t)

    for t in types:
        t = xo_type_of(t)
        if not hasattr(t, "_get_inner_types"):
            raise TypeError(f"gen_c_api needs xobjects types, got {t!r}.")
        visit(t)
    return order


def gen_cdef(types):
    """``typedef struct T_s * T;`` for each composite type (cffi ``cdef``)."""
    return "".join(f"typedef struct {t._c_type}_s * {t._c_type};\n" for t in _composite_types(types))


def gen_c_api(types):
    """C typedefs and accessors of ``types`` and of every type they reference.

    Each type appears once, dependencies first; typedefs are guarded by
    ``XOBJ_TYPEDEF_<T>`` and accessors by ``XOBJ_API_<T>``, so that several
    sources can include the API of the same type.
    """
    composites = _composite_types(types)
    out = [STDINT_PRELUDE]
    # All typedefs first: accessors may name types that point back (refs).
    for t in composites:
        name = t._c_type
        out.append(f"#ifndef XOBJ_TYPEDEF_{name}\n#define XOBJ_TYPEDEF_{name}\n")
        out.append(f"typedef {GLOBAL} struct {name}_s * {name};\n")
        if issubclass(t, UnionRef):
            for ii, member in enumerate(t._reftypes):
                out.append(f"#define {name}_{member._c_type}_t {ii}\n")
        out.append("#endif\n")
    for t in composites:
        name = t._c_type
        out.append(f"#ifndef XOBJ_API_{name}\n#define XOBJ_API_{name}\n")
        out.append(_TypeApi(t).source())
        out.append("#endif\n")
    return "".join(out)


class _Path:
    """Field names, index arguments and pointer moves from an object to a leaf.

    ``types`` are the types the path went through (the root first): a ref
    to one of them is not followed again, so recursive types give finite APIs.
    """

    def __init__(self, names=(), args=(), code=(), ends_with_index=False, types=()):
        self.names = tuple(names)
        self.args = tuple(args)
        self.code = tuple(code)
        self.ends_with_index = ends_with_index
        self.types = tuple(types)

    def field(self, field):
        if field.is_dynamic:
            move = f"  p += *({GLOBAL} int64_t*)(p + {field.offset});\n"
        else:
            move = f"  p += {field.offset};\n" if field.offset else ""
        return _Path(self.names + (field.name,), self.args, self.code + ((move,) if move else ()),
                     types=self.types + (field.ftype,))

    def deref(self, target):
        """Through a ``Ref`` slot to its target (self-relative offset)."""
        move = f"  p += *({GLOBAL} int64_t*)p;\n"
        return _Path(self.names, self.args, self.code + (move,), self.ends_with_index,
                     self.types + (target,))

    def index(self, atype):
        first = len(self.args)
        idx = [f"i{first + k}" for k in range(len(atype._shape))]
        lengths = _array_lengths(atype)
        dims = atype._order or range(len(idx))  # storage order, slowest first
        flat = None
        for d in dims:
            flat = idx[d] if flat is None else f"({flat})*{lengths[d]} + {idx[d]}"
        if atype._static_items:
            start = atype._header
            start = f"{start} + " if start else ""
            move = f"  p += {start}({flat})*{atype._item_size};\n"
        else:
            move = f"  p += (({GLOBAL} int64_t*)(p + {atype._header}))[{flat}];\n"
        code = "  {\n  " + move + "  }\n"
        return _Path(self.names, self.args + tuple(f"int64_t {i}" for i in idx), self.code + (code,), True,
                     self.types + (atype._itemtype,))


def _array_lengths(atype):
    """C expressions of the lengths of each dimension, ``p`` at the array."""
    out, dyn = [], 0
    for dim in atype._shape:
        if dim is None:
            dyn += 1
            out.append(f"(({GLOBAL} int64_t*)p)[{dyn}]")
        else:
            out.append(str(dim))
    return out


class _TypeApi:
    """Accessors of one type: every path from it to its leaves.

    Besides the C source, each accessor is recorded as ``(name, ret, n_index,
    value)`` (``ret``: ``(xobjects type, pointer)`` or None for ``void``;
    ``value``: the type of the ``value`` argument or None) for
    :func:`gen_kernels`.
    """

    def __init__(self, xtype):
        self.xtype = xtype
        self.name = xtype._c_type
        self.funcs = []
        self.names = set()
        self.specs = []

    def source(self):
        t = self.xtype
        root = _Path(types=(t,))
        if not issubclass(t, Ref):
            # The object itself (``Ref`` types use ``RefU_getp`` for the target).
            self._func(self.name, "getp", root, "  return obj;\n", ret=(t, False))
        if issubclass(t, Struct):
            for f in t._fields:
                self._leaf(f.ftype, root.field(f))
        elif issubclass(t, Array):
            self._array_leaf(t, root, with_pointer=False)
        elif issubclass(t, (Ref, UnionRef)):
            self._leaf(t, root)
        elif issubclass(t, String):
            self._string_api()
        return "".join(self.funcs)

    def _func(self, ret_c, verb, path, body, value=None, ret=None):
        fname = "_".join((self.name, verb) + path.names)
        if fname in self.names:
            # Arrays of arrays give the inner array the outer one's names
            # (index steps add no name part): the first accessor wins.
            return
        self.names.add(fname)
        extra = (f"{_c_decl(value)} value",) if value is not None else ()
        args = ", ".join((f"{self.name} obj",) + path.args + extra)
        code = "".join(path.code)
        start = f"  {GLOBAL} char* p = ({GLOBAL} char*) obj;\n" if _USES_P.search(code + body) else ""
        self.funcs.append(f"{FUN} {ret_c} {fname}({args}){{\n{start}{code}{body}}}\n")
        self.specs.append((fname, ret, len(path.args), value))

    def _getp_verb(self, path):
        return "getp1" if path.ends_with_index else "getp"

    def _leaf(self, t, path):
        if issubclass(t, Scalar):
            ct = t._c_type
            self._func(ct, "get", path, f"  return *({GLOBAL} {ct}*)p;\n", ret=(t, False))
            self._func("void", "set", path, f"  *({GLOBAL} {ct}*)p = value;\n", value=t)
            self._func(f"{GLOBAL} {ct}*", self._getp_verb(path), path, f"  return ({GLOBAL} {ct}*)p;\n",
                       ret=(t, True))
        elif issubclass(t, Struct):
            if path.names or path.args:
                self._func(t._c_type, self._getp_verb(path), path, f"  return ({t._c_type})p;\n",
                           ret=(t, False))
            for f in t._fields:
                self._leaf(f.ftype, path.field(f))
        elif issubclass(t, Array):
            self._array_leaf(t, path, with_pointer=True)
        elif issubclass(t, Ref):
            target_t = t._reftype
            target = target_t._c_type
            self._func(
                target, self._getp_verb(path), path,
                f"  int64_t rel = *({GLOBAL} int64_t*)p;\n"
                f"  return rel ? ({target})(p + rel) : ({target})0;\n",
                ret=(target_t, False),
            )
            if target_t not in path.types and not issubclass(target_t, (Ref, UnionRef)):
                # Paths go on through the ref into its target (not into a
                # type already on the path: recursive types stay finite).
                # For a ref to an array of scalars, ``set`` is the item setter.
                self._leaf(target_t, path.deref(target_t))
            self._func(
                "void", "set", path,
                f"  *({GLOBAL} int64_t*)p = value ? (int64_t)(({GLOBAL} char*)value - p) : 0;\n",
                value=target_t,
            )
        elif issubclass(t, UnionRef):
            if path.names or path.args:
                self._func(t._c_type, self._getp_verb(path), path, f"  return ({t._c_type})p;\n",
                           ret=(t, False))
            self._func("int64_t", "typeid", path, f"  return *({GLOBAL} int64_t*)p;\n", ret=(Int64, False))
            self._func(
                f"{GLOBAL} void*", "member", path,
                f"  int64_t rel = (({GLOBAL} int64_t*)p)[1];\n"
                f"  return rel ? ({GLOBAL} void*)(p + {ALIGNMENT} + rel) : ({GLOBAL} void*)0;\n",
                ret=(UInt8, True),
            )
        elif issubclass(t, String):
            self._func(t._c_type, self._getp_verb(path), path, f"  return ({t._c_type})p;\n",
                       ret=(t, False))

    def _array_leaf(self, t, path, with_pointer):
        if with_pointer:
            self._func(t._c_type, self._getp_verb(path), path, f"  return ({t._c_type})p;\n",
                       ret=(t, False))
        lengths = _array_lengths(t)
        total = f"  return {'*'.join(lengths)};\n"
        int64 = (Int64, False)
        self._func("int64_t", "len", path, total, ret=int64)
        for k, length in enumerate(lengths):
            self._func("int64_t", f"len{k}", path, f"  return {length};\n", ret=int64)
        if not path.names and not path.args:
            # Array types themselves: number of dimensions and shape.
            self._func("int64_t", "nd", path, f"  return {len(lengths)};\n", ret=int64)
            fname = f"{self.name}_shape"
            self.names.add(fname)
            body = "".join(f"  out_shape[{k}] = {length};\n" for k, length in enumerate(lengths))
            start = f"  {GLOBAL} char* p = ({GLOBAL} char*) obj;\n" if _USES_P.search(body) else ""
            self.funcs.append(
                f"{FUN} void {fname}({self.name} obj, {GLOBAL} int64_t* out_shape){{\n{start}{body}}}\n"
            )
        if path.args:
            # Established naming: ``len<n>`` is the total length of an array
            # reached with n index arguments (e.g. ``Cells_len1_particles(c, i)``
            # for an array of arrays). A per-dimension name above wins a clash.
            self._func("int64_t", f"len{len(path.args)}", path, total, ret=int64)
        self._leaf(t._itemtype, path.index(t))

    def _string_api(self):
        # The NUL-terminated bytes follow the int64 size.
        self.funcs.append(
            f"{FUN} {GLOBAL} char* {self.name}_getp_data({self.name} obj){{\n"
            f"  return ({GLOBAL} char*) obj + {ALIGNMENT};\n}}\n"
        )


def _c_decl(xtype):
    return xtype._c_type


def api_functions(xtype):
    """``[(name, ret, n_index, value)]`` of the accessors of ``xtype`` (see ``_TypeApi``)."""
    api = _TypeApi(xo_type_of(xtype))
    api.source()
    return api.specs


def gen_kernels(xtype):
    """Kernel descriptions of every C accessor of ``xtype`` (CPU).

    Returns ``{name: xo.Kernel}``: arguments ``obj`` (the object), ``i0``,
    ``i1``... (index steps) and ``value`` (setters), ``ret`` the accessor's
    result (scalar, pointer to a scalar, or object). Passed to
    ``ContextCpu.add_kernels(kernels=...)`` without sources they make every
    accessor callable from Python, e.g. ``ctx.kernels.T_get_f(obj=t)``.
    """
    from .signature import Arg, Kernel

    xtype = xo_type_of(xtype)
    out = {}
    for name, ret, n_index, value in api_functions(xtype):
        args = [Arg(xtype, name="obj")]
        args += [Arg(Int64, name=f"i{k}") for k in range(n_index)]
        if value is not None:
            args.append(Arg(value, name="value"))
        ret_arg = Arg(ret[0], pointer=ret[1]) if ret is not None else None
        out[name] = Kernel(args=args, ret=ret_arg, c_name=name)
    return out
