"""Typed memory in buffers and portable C kernels on CPU, OpenCL and CUDA.

See ``ARCHITECTURE.md`` beside this package for the memory layout, the
generated C API and the kernel conventions.
"""

from ._version import __version__
from .types import *  # noqa: F401,F403
from .types import __all__ as _types_all
from .context import *  # noqa: F401,F403
from .context import __all__ as _context_all
from .hybrid_class import *  # noqa: F401,F403
from .hybrid_class import __all__ as _hybrid_all
from .assertions import assert_allclose
from .settings import _print, settings
from . import typeutils  # noqa: F401,E402 - registers the default context with the types

__all__ = ["__version__", *_types_all, *_context_all, *_hybrid_all, "assert_allclose", "settings"]
