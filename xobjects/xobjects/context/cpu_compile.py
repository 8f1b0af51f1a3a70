"""Build and load CPU kernel modules: cffi generates the C wrapper, the system
C compiler builds it into a Python extension module.

The compiler is called directly (not through setuptools), which keeps a cold
compile short and lets the cache key name the exact compiler and flags.
"""

import importlib.machinery
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sysconfig
from pathlib import Path

# -ffp-contract=off: no fused multiply-add, so that results do not depend on
# the instruction set and match the other contexts bit for bit.
# -Werror=implicit-function-declaration: a call to a function that no source
# defines (a misspelt accessor) fails at compile time, with its line, instead
# of giving a module that cannot be imported.
BASE_COMPILE_ARGS = ("-fPIC", "-shared", "-ffp-contract=off", "-Werror=implicit-function-declaration")


class CompileError(RuntimeError):
    """The C compiler rejected a kernel source.

    Attributes
    ----------
    compiler_output : str
        What the compiler printed.
    source_path : str or None
        Where the failing source was saved.
    """

    def __init__(self, message, compiler_output="", source_path=None):
        super().__init__(message)
        self.compiler_output = compiler_output
        self.source_path = source_path


def compiler_argv():
    """The C compiler command: ``$CC``, else Python's configured one, else ``cc``."""
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    argv = shlex.split(cc)
    found = shutil.which(argv[0])
    if found is None:
        raise CompileError(
            f"C compiler {argv[0]!r} not found; install gcc or clang, or set CC to a C compiler."
        )
    return [found, *argv[1:]]


def excerpt_errors(output, source_text, context_lines=2, max_errors=5):
    """Source lines around each ``file:line:col: error`` in ``output``."""
    lines = source_text.split("\n")
    shown = []
    # gcc/clang/nvrtc: "file:12:5: error: ..."; PoCL: "error: file:12:5: ...".
    pattern = r":(\d+):(?:\d+:)?\s*(?:fatal )?error|error:\s*\S+?:(\d+):"
    for match in re.finditer(pattern, output):
        lineno = int(match.group(1) or match.group(2))
        if lineno in shown or len(shown) >= max_errors or lineno > len(lines):
            continue
        shown.append(lineno)
    blocks = []
    for lineno in shown:
        lo, hi = max(1, lineno - context_lines), min(len(lines), lineno + context_lines)
        blocks.append(
            "\n".join(
                f"{'>' if ii == lineno else ' '} {ii:5d} | {lines[ii - 1]}" for ii in range(lo, hi + 1)
            )
        )
    return "\n---\n".join(blocks)


def build_module(module_name, source, cdef, compile_args, link_args, tmpdir, include_dirs=()):
    """Compile a cffi extension module into ``tmpdir``; return the ``.so`` path.

    Raises
    ------
    CompileError
        With the compiler's message and the offending source lines.
    """
    import cffi
    from cffi.recompiler import make_c_source

    python_include = Path(sysconfig.get_paths()["include"])
    if not (python_include / "Python.h").exists():
        raise CompileError(
            f"Python.h not found in {python_include}: the Python development headers are "
            "needed to build kernels (Debian/Ubuntu: apt-get install python3-dev)."
        )

    ffi = cffi.FFI()
    ffi.cdef(cdef)
    c_file = Path(tmpdir) / f"{module_name}.c"
    make_c_source(ffi, module_name, source, str(c_file))  # quiet, unlike ffi.emit_c_code
    so_file = Path(tmpdir) / f"{module_name}{sysconfig.get_config_var('EXT_SUFFIX')}"
    argv = [
        *compiler_argv(),
        *BASE_COMPILE_ARGS,
        *compile_args,
        f"-I{python_include}",
        *(f"-I{d}" for d in include_dirs),
        str(c_file),
        "-o",
        str(so_file),
        *link_args,
    ]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        c_text = c_file.read_text()
        saved = Path(tmpdir).parent / f"failed_{module_name}.c"
        saved.write_text(c_text)
        output = (result.stderr or result.stdout).strip()
        raise CompileError(
            f"compilation of kernel module {module_name} failed "
            f"(source saved as {saved}).\nCompiler: {' '.join(argv[:1])}\n"
            f"Compiler output:\n{output}\n\nOffending source lines:\n{excerpt_errors(output, c_text)}",
            compiler_output=output,
            source_path=str(saved),
        )
    return so_file


def load_module(module_name, path):
    """Import the compiled extension module ``module_name`` from ``path``."""
    loader = importlib.machinery.ExtensionFileLoader(module_name, str(path))
    spec = importlib.util.spec_from_file_location(module_name, str(path), loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module
