"""Inside xobjects, ``types`` sits below ``context``: no module of ``types/``
imports ``context`` (or the modules above both), even inside a function.

The contexts plug into the types where these need them: the default context
through ``types.base.set_default_context_provider`` (registered by
``typeutils``), kernel signatures live in ``types/signature.py``.
"""

import ast
from pathlib import Path

import pytest

import xobjects as xo
from xobjects.types import base

PACKAGE = Path(xo.__file__).resolve().parent
ABOVE_TYPES = {"context", "typeutils", "hybrid_class", "test_helpers", "array", "assertions"}


def _relative_targets(path):
    """(line, first package-level name) of every relative import leaving ``types/``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 2:
            names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            for name in names:
                yield node.lineno, name
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and getattr(node, "level", 0) == 0:
            modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for module in modules:
                if module and module.startswith("xobjects."):
                    yield node.lineno, module.split(".")[1]


@pytest.mark.parametrize("path", sorted((PACKAGE / "types").glob("*.py")), ids=lambda p: p.name)
def test_types_never_import_what_sits_above_them(path):
    bad = [f"{path.name}:{line} imports {name}" for line, name in _relative_targets(path)
           if name in ABOVE_TYPES]
    assert bad == []


def test_default_context_provider_is_registered_and_checked():
    assert base._default_context() is __import__("xobjects.typeutils").typeutils.context_default
    with pytest.raises(TypeError, match="provider must be callable, got 3"):
        base.set_default_context_provider(3)
