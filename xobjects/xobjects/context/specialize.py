"""Turn annotated C source into the dialect of a target (CPU C, OpenCL C, CUDA).

Annotations (comments, so the source is valid C as written):

- ``/*gpukern*/`` a kernel entry point, ``/*gpufun*/`` a device function,
  ``/*gpuglmem*/`` a global-memory pointer, ``/*gpusharedmem*/`` shared memory;
- a vectorised loop, in either form::

      for (int tid = 0; tid < n; tid++) { //vectorize_over tid n
          ...
      }//end_vectorize

      int tid = 0 //vectorize_over tid n
      ...
      //end_vectorize

  On the CPU it is (or becomes) a loop, preceded by ``#pragma omp parallel
  for`` when the context has threads; on GPUs each thread runs one index,
  ``tid = global thread id`` guarded by ``if (tid < n)``. When the limit is
  omitted, the ``n_threads`` argument of the enclosing kernel is used.

On GPUs, each described kernel ``K`` becomes a device function
``K__xobody`` and a generated entry point ``K`` calls it. On OpenCL that
entry point takes every pointer and object argument as ``(__global char*
buffer, long offset)`` and rebuilds the typed pointers (its prologue).
"""

import re

TARGETS = ("cpu", "opencl", "cuda")

_TOKENS = {
    "cpu": {"gpukern": "", "gpufun": "static inline", "gpuglmem": "", "gpusharedmem": ""},
    "opencl": {"gpukern": "__kernel", "gpufun": "", "gpuglmem": "__global", "gpusharedmem": "__local"},
    "cuda": {
        "gpukern": 'extern "C" __global__',
        "gpufun": "__device__",
        "gpuglmem": "",
        "gpusharedmem": "__shared__",
    },
}
_THREAD_INDEX = {"opencl": "get_global_id(0)", "cuda": "(blockDim.x * blockIdx.x + threadIdx.x)"}

PREAMBLES = {
    "cpu": "#include <stdint.h>\n#include <stddef.h>\n",
    "opencl": (
        "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n"
        # No fused multiply-add contraction, so results match the CPU bit for bit.
        "#pragma OPENCL FP_CONTRACT OFF\n"
        "#ifndef XOBJ_STDINT\n#define XOBJ_STDINT\n"
        "typedef long int64_t;\ntypedef int int32_t;\ntypedef short int16_t;\ntypedef char int8_t;\n"
        "typedef unsigned long uint64_t;\ntypedef unsigned int uint32_t;\n"
        "typedef unsigned short uint16_t;\ntypedef unsigned char uint8_t;\n#endif\n"
    ),
    "cuda": (
        "#ifndef XOBJ_STDINT\n#define XOBJ_STDINT\n"
        "typedef long long int64_t;\ntypedef int int32_t;\ntypedef short int16_t;\n"
        "typedef signed char int8_t;\ntypedef unsigned long long uint64_t;\n"
        "typedef unsigned int uint32_t;\ntypedef unsigned short uint16_t;\n"
        "typedef unsigned char uint8_t;\n#endif\n"
    ),
}

BODY_SUFFIX = "__xobody"

_VECTORIZE = re.compile(r"//\s*vectorize_over\s+(\w+)(?:[ \t]+(\w+))?")
_END_VECTORIZE = re.compile(r"//\s*end_vectorize")
_FUNC_DEF = re.compile(r"\b(\w+)\s*\([^;{}]*\)\s*\{")


class SpecializationError(ValueError):
    """An annotation of the source cannot be specialised (bad vectorize block)."""


def _check_target(target):
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}.")


def _enclosing_function(source_before):
    """Name of the last function whose definition starts in ``source_before``."""
    names = _FUNC_DEF.findall(source_before)
    names = [n for n in names if n not in ("if", "for", "while", "switch")]
    return names[-1] if names else None


def _vectorize_line(code, var, limit, target, openmp, lineno):
    """Replacement of the code before a ``//vectorize_over`` comment; returns (text, form)."""
    indent = code[: len(code) - len(code.lstrip())]
    loop = re.match(
        r"^\s*for\s*\(\s*((?:[A-Za-z_][\w]*\s+)*)" + re.escape(var) + r"\s*=\s*([^;]+);[^;]*;[^)]*\)\s*\{\s*$",
        code,
    )
    if loop:
        ctype = loop.group(1).strip()
        if target == "cpu":
            pragma = f"{indent}#pragma omp parallel for\n" if openmp else ""
            return f"{pragma}{code}", "loop"
        decl = f"{ctype} {var}" if ctype else var
        return f"{indent}{decl} = {_THREAD_INDEX[target]}; if ({var} < ({limit})) {{", "loop"
    decl = re.match(r"^\s*((?:[A-Za-z_][\w]*\s+)*)" + re.escape(var) + r"\s*(?:=\s*[^;]*)?;?\s*$", code)
    if decl is None and code.strip():
        raise SpecializationError(
            f"line {lineno}: '//vectorize_over {var}' must follow 'for (... {var} = 0; ...) {{' "
            f"or a declaration 'int {var} = 0', got {code.strip()!r}."
        )
    ctype = decl.group(1).strip() if decl else ""
    head = f"{ctype} {var}" if ctype else var
    if target == "cpu":
        pragma = f"{indent}#pragma omp parallel for\n" if openmp else ""
        return f"{pragma}{indent}for ({head} = 0; {var} < ({limit}); {var}++) {{", "block"
    return f"{indent}{head} = {_THREAD_INDEX[target]}; if ({var} < ({limit})) {{", "block"


def expand_vectorize(source, target, openmp=False, n_threads_of=None):
    """Rewrite the ``//vectorize_over`` ... ``//end_vectorize`` blocks for ``target``.

    Parameters
    ----------
    source : str
        Annotated C source.
    target : {'cpu', 'opencl', 'cuda'}
    openmp : bool, default False
        On the CPU, parallelise the loops with OpenMP.
    n_threads_of : dict, optional
        ``{function name: limit}`` used when an annotation omits its limit.
    """
    _check_target(target)
    n_threads_of = n_threads_of or {}
    out = []
    open_form = None
    consumed = 0
    for lineno, line in enumerate(source.split("\n"), start=1):
        match = _VECTORIZE.search(line)
        if match:
            if open_form is not None:
                raise SpecializationError(f"line {lineno}: nested //vectorize_over blocks are not supported.")
            var, limit = match.group(1), match.group(2)
            if limit is None:
                func = _enclosing_function(source[:consumed])
                limit = n_threads_of.get(func)
                if limit is None:
                    raise SpecializationError(
                        f"line {lineno}: '//vectorize_over {var}' has no limit and the enclosing "
                        f"function {func!r} is not a kernel with n_threads; write "
                        f"'//vectorize_over {var} LIMIT'."
                    )
            text, open_form = _vectorize_line(line[: match.start()], var, limit, target, openmp, lineno)
            out.append(text.rstrip() + " //vectorize_over " + var)
        elif _END_VECTORIZE.search(line):
            if open_form is None:
                raise SpecializationError(f"line {lineno}: //end_vectorize without //vectorize_over.")
            out.append(line if open_form == "loop" else _END_VECTORIZE.sub("}//end_vectorize", line))
            open_form = None
        else:
            out.append(line)
        consumed += len(line) + 1
    if open_form is not None:
        raise SpecializationError("a //vectorize_over block is not closed by //end_vectorize.")
    return "\n".join(out)


def rename_kernel_bodies(source, kernel_names):
    """On GPUs: turn each kernel ``K`` into the device function ``K__xobody``."""
    for name in kernel_names:
        source = re.sub(
            r"(?:(?:/\*gpukern\*/|\bGPUKERN\b)\s*)?\bvoid(\s+)" + re.escape(name) + r"\s*\(",
            r"/*gpufun*/ void\1" + name + BODY_SUFFIX + "(",
            source,
        )
        source = re.sub(r"\b" + re.escape(name) + r"(\s*\()", name + BODY_SUFFIX + r"\1", source)
    return source


def replace_tokens(source, target):
    """Replace the ``/*gpu...*/`` annotations by the target's qualifiers."""
    _check_target(target)
    for token, replacement in _TOKENS[target].items():
        source = source.replace(f"/*{token}*/", replacement)
    return source


def gpu_entry_point(name, description, target):
    """Source of the ``__kernel``/``__global__`` function calling ``name__xobody``."""
    params, prologue, call = [], [], []
    for arg in description.args:
        c_type = arg.atype._c_type
        if target == "opencl" and (arg.pointer or not arg.is_scalar):
            params += [f"__global char* {arg.name}__xobuf", f"long {arg.name}__xooff"]
            ptype = f"__global {'const ' if arg.const else ''}{c_type}*" if arg.pointer else c_type
            prologue.append(f"    {ptype} {arg.name} = ({ptype})({arg.name}__xobuf + {arg.name}__xooff);")
        else:
            params.append(arg.c_decl())
        call.append(arg.name)
    head = "__kernel void" if target == "opencl" else 'extern "C" __global__ void'
    c_name = description.get_c_name(name)
    return (
        f"{head} {c_name}({', '.join(params) or 'void'}) {{\n"
        + "".join(p + "\n" for p in prologue)
        + f"    {c_name}{BODY_SUFFIX}({', '.join(call)});\n}}\n"
    )


def specialize_source(source, target, kernels=None, openmp=False):
    """Return ``source`` specialised for ``target``.

    Parameters
    ----------
    source : str
        Annotated C source (all sources and generated C API concatenated).
    target : {'cpu', 'opencl', 'cuda'}
    kernels : dict of str -> Kernel, optional
        The kernels described for this source; on GPUs they get entry points.
    openmp : bool, default False
        CPU only: parallelise vectorised loops with OpenMP.
    """
    _check_target(target)
    kernels = kernels or {}
    n_threads_of = {
        k.get_c_name(name): k.n_threads for name, k in kernels.items() if isinstance(k.n_threads, (str, int))
    }
    source = expand_vectorize(source, target, openmp=openmp, n_threads_of=n_threads_of)
    if target != "cpu":
        c_names = [k.get_c_name(name) for name, k in kernels.items()]
        source = rename_kernel_bodies(source, c_names)
        source = replace_tokens(source, target)
        source += "\n" + "\n".join(gpu_entry_point(name, k, target) for name, k in kernels.items())
    else:
        source = replace_tokens(source, target)
    return PREAMBLES[target] + context_defines(target, openmp) + source


def context_defines(target, openmp=False):
    """``#define XO_CONTEXT_...`` lines telling the headers which target is compiled."""
    if target == "cpu":
        return f"#define XO_CONTEXT_CPU\n#define XO_CONTEXT_CPU_{'OPENMP' if openmp else 'SERIAL'}\n"
    return "#define XO_CONTEXT_CL\n" if target == "opencl" else "#define XO_CONTEXT_CUDA\n"
