"""Each library imports only the layers below it (ARCHITECTURE.md, "Layers").

The check reads every Python file of a library (package and tests) with
``ast``, so it also sees imports inside functions, conditional imports and
``importlib.import_module("...")`` / ``__import__("...")`` with a literal name.
"""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# What each library may import from the suite (itself excluded).
ALLOWED = {
    "xobjects": set(),
    "xdeps": set(),
    "xpart": {"xobjects"},
    "xtrack": {"xobjects", "xdeps", "xpart"},
    "xfields": {"xobjects", "xdeps", "xpart", "xtrack"},
    "lossmaps": {"xobjects", "xdeps", "xpart", "xtrack"},
}
SUITE = set(ALLOWED) | {"xsuite"}


def imported_suite_modules(source, filename="<string>"):
    """Yield (line number, top-level suite module) for every import in source."""
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                names = [node.module]
        elif isinstance(node, ast.Call):
            func = node.func
            func_name = getattr(func, "attr", None) or getattr(func, "id", None)
            if (
                func_name in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
        for name in names:
            top = name.split(".")[0]
            if top in SUITE:
                yield node.lineno, top


def layering_violations(library, repo=REPO):
    allowed = ALLOWED[library] | {library}
    violations = []
    for path in sorted((repo / library).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for lineno, top in imported_suite_modules(source, str(path)):
            if top not in allowed:
                violations.append(f"{path.relative_to(repo).as_posix()}:{lineno} imports {top}")
    return violations


@pytest.mark.parametrize("library", sorted(ALLOWED))
def test_library_imports_only_lower_layers(library):
    violations = layering_violations(library)
    assert not violations, "upward imports:\n" + "\n".join(violations)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import xtrack", ["xtrack"]),
        ("from xtrack.line import Line", ["xtrack"]),
        ("def f():\n    import xfields as xf\n", ["xfields"]),
        ("if True:\n    from lossmaps import plot\n", ["lossmaps"]),
        ("import importlib\nimportlib.import_module('xtrack.twiss')", ["xtrack"]),
        ("__import__('xdeps')", ["xdeps"]),
        ("from . import sibling\nimport numpy", []),
    ],
)
def test_checker_sees_every_import_form(source, expected):
    assert [top for _, top in imported_suite_modules(source)] == expected


def test_checker_flags_an_upward_import(tmp_path):
    lib = tmp_path / "xobjects"
    lib.mkdir()
    (lib / "bad.py").write_text("def f():\n    import xtrack\n")
    assert layering_violations("xobjects", repo=tmp_path) == [
        "xobjects/bad.py:2 imports xtrack"
    ]
