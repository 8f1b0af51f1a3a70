"""Assemble the full source of a kernel module before specialisation.

The source is: extra headers, the generated C API of every xobjects type
used (kernel arguments and ``extra_classes``), then the user sources, with
``apply_to_source`` functions applied. Local ``#include`` directives
(``"file.h"`` next to a source file, or ``<package/path.h>`` inside an
importable Python package) are inlined, each file once, so that the compile
cache key covers every line that is compiled. Includes that cannot be found
(system headers such as ``<math.h>``) are left to the compiler.
"""

import importlib.util
import io
import re
from pathlib import Path

from ..types.base import xo_type_of
from .kernel import is_scalar_type

_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"].*$', re.MULTILINE)


def read_source(src):
    """Return ``(text, folder or None)`` of a source given as str, Path or file object."""
    if isinstance(src, Path):
        return src.read_text(), src.resolve().parent
    if isinstance(src, io.IOBase) or hasattr(src, "read"):
        name = getattr(src, "name", None)
        text = src.read()
        if isinstance(text, bytes):
            text = text.decode()
        return text, Path(name).resolve().parent if isinstance(name, str) else None
    if isinstance(src, str):
        return src, None
    source = getattr(src, "source", None)  # objects carrying their code
    if isinstance(source, str):
        return source, None
    raise TypeError(
        f"sources must contain str (C code), pathlib.Path or file objects, got {type(src).__name__}."
    )


def _find_include(name, local_dir):
    """Path of an included file found locally or in a Python package, else None."""
    if local_dir is not None and (local_dir / name).is_file():
        return (local_dir / name).resolve()
    package = name.split("/", 1)[0]
    if "/" in name and package.isidentifier():
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                candidate = Path(location).parent / name
                if candidate.is_file():
                    return candidate.resolve()
    return None


def inline_includes(text, local_dir, seen):
    """Replace local ``#include`` lines by the files' content (once per file)."""

    def substitute(match):
        path = _find_include(match.group(2), local_dir)
        if path is None:
            return match.group(0)
        if path in seen:
            return f"// {match.group(0).strip()} (already included)"
        seen.add(path)
        body = inline_includes(path.read_text(), path.parent, seen)
        return f"// begin {match.group(2)}\n{body}\n// end {match.group(2)}"

    return _INCLUDE.sub(substitute, text)


_SOURCE_SUFFIXES = (".h", ".c", ".cl", ".cu", ".cpp", ".hpp")


def resolve_source(src, owner="source"):
    """A one-line string naming a C file becomes a Path; a missing such file is an error.

    Without this check a misspelt path would be compiled as (invalid) C
    text, with a confusing compiler message.
    """
    if isinstance(src, str) and "\n" not in src and src.strip().endswith(_SOURCE_SUFFIXES):
        path = Path(src.strip()).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"{owner}: _extra_c_sources entry {src!r} looks like a path to a C file "
                f"(ends with {path.suffix}) but no such file exists (looked in "
                f"{path.resolve().parent}); give an existing path, or C code."
            )
        return path
    return src


def _sources_owner(xtype):
    """The class that declares the C sources of ``xtype``: its HybridClass, or itself."""
    return xtype.__dict__.get("_DressingClass") or xtype


def _dependencies(xtype):
    deps = list(xtype._get_inner_types()) if hasattr(xtype, "_get_inner_types") else []
    deps += list(getattr(_sources_owner(xtype), "_depends_on", ()) or ())
    return deps


def sort_classes(classes):
    """Composite xobjects types reachable from ``classes``, dependencies first, each once.

    Dependencies of a type are the types of its fields / items / ref targets
    and what its class lists in ``_depends_on`` (HybridClasses stand for
    their ``_XoStruct``); they come before it, in declaration order.
    """
    order, visiting = [], set()

    def visit(item):
        xtype = xo_type_of(item)
        if is_scalar_type(xtype) or xtype in order or not hasattr(xtype, "_c_type"):
            return
        if xtype in visiting:  # a cycle through refs or _depends_on: keep the first visit
            return
        visiting.add(xtype)
        for dep in _dependencies(xtype):
            visit(dep)
        visiting.discard(xtype)
        order.append(xtype)

    for item in classes:
        visit(item)
    return order


def _source_key(src):
    if isinstance(src, Path):
        return ("path", src.resolve())
    if isinstance(src, str):
        return ("text", src)
    return ("object", id(src))


def gather_sources(classes):
    """``_extra_c_sources`` of ``classes`` and their dependencies, dependencies first, each once.

    One-line strings ending in ``.h``/``.c``/... are paths (a missing file
    is a FileNotFoundError naming the class); other strings are C code.
    """
    out, seen = [], set()
    for xtype in sort_classes(classes):
        owner = _sources_owner(xtype)
        for src in owner.__dict__.get("_extra_c_sources", None) or ():
            src = resolve_source(src, owner=f"{owner.__name__}")
            key = _source_key(src)
            if key not in seen:
                seen.add(key)
                out.append(src)
    return out


def collect_types(kernels, extra_classes):
    """Composite xobjects types used by the kernels' arguments and ``extra_classes``."""
    types = []
    candidates = [a.atype for k in kernels.values() for a in k.args]
    candidates += [xo_type_of(c) for c in extra_classes]
    for atype in candidates:
        if not is_scalar_type(atype) and atype not in types:
            types.append(atype)
    return types


def c_api_of(types):
    """``(C API source, cffi cdef)`` of ``types`` from ``types/capi.py``."""
    if not types:
        return "", ""
    from ..types import capi

    return capi.gen_c_api(types), capi.gen_cdef(types)


def assemble_source(sources, kernels, extra_classes=(), extra_headers=(), apply_to_source=()):
    """Return ``(source, cdef of the types)`` of a kernel module, before specialisation."""
    seen = set()
    parts = []
    for header in extra_headers:
        text, folder = read_source(header)
        parts.append(inline_includes(text, folder, seen))
    types = collect_types(kernels, extra_classes)
    api, types_cdef = c_api_of(types)
    parts.append(api)
    # The classes' own sources (their _extra_c_sources, dependencies first)
    # come before the user's sources, which call them; each source once.
    # Sources the caller already lists keep their place (they may rely on
    # headers listed before them).
    user_sources, user_keys = [], set()
    for src in sources or ():
        src = resolve_source(src)
        if _source_key(src) not in user_keys:
            user_keys.add(_source_key(src))
            user_sources.append(src)
    missing = [src for src in gather_sources(types) if _source_key(src) not in user_keys]
    labelled = []
    for src in missing + user_sources:
        text, folder = read_source(src)
        parts.append(inline_includes(text, folder, seen))
        labelled.append((_source_label(src, len(labelled)), parts[-1]))
    source = "\n".join(parts)
    for func in apply_to_source:
        source = func(source)
    check_kernels_defined(source, kernels, labelled)
    return source, types_cdef


class KernelNotInSourceError(ValueError):
    """A kernel named in the descriptions has no function of that name in the sources."""


_DEFINITION = re.compile(r"\b([A-Za-z_]\w*)\s*\([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*\)\s*\{")


def _source_label(src, index):
    if isinstance(src, Path):
        return str(src)
    name = getattr(src, "name", None)
    return name if isinstance(name, str) else f"source {index + 1}"


def _definitions(labelled):
    """``{function name: 'label:line'}`` of the functions defined in the user's sources."""
    where = {}
    for label, text in labelled:
        for match in _DEFINITION.finditer(text):
            name = match.group(1)
            if name not in ("if", "for", "while", "switch", "return", "sizeof"):
                line = text.count("\n", 0, match.start(1)) + 1
                where.setdefault(name, f"{label}:{line}")
    return where


def check_kernels_defined(source, kernels, labelled=()):
    """Refuse kernel names that appear nowhere in the module source, before compiling.

    Without this the compiler reports an implicit declaration inside the
    generated wrapper, at a line of a file the user never wrote. Sources that
    paste tokens (``##``) may build names the text does not spell: those are
    left to the compiler.
    """
    if not kernels or "##" in source:
        return
    # a substring test only (fast on megabyte sources): a name that is not even
    # a substring is surely absent; one inside a longer name is left to the compiler
    absent = [kernel.get_c_name(name) for name, kernel in kernels.items()
              if kernel.get_c_name(name) not in source]
    if not absent:
        return
    import difflib

    defined = _definitions(labelled)
    lines = []
    for name in absent:
        close = difflib.get_close_matches(name, list(defined), n=3)
        hint = ("; did you mean " + ", ".join(f"{c!r} (defined at {defined[c]})" for c in close)
                if close else "")
        lines.append(f"kernel {name!r} is named in kernels= but no function of that name is "
                     f"in the sources{hint}")
    names = sorted(defined)
    listed = ", ".join(names[:20]) + (f", ... ({len(names)} in all)" if len(names) > 20 else "")
    raise KernelNotInSourceError("; ".join(lines) + f". Functions defined in the sources: "
                                 f"{listed or 'none'}.")
