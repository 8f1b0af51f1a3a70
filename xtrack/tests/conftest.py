"""xtrack test fixtures: the per-element golden cases.

A test module that sets ``REFERENCE_CLASSES = ["Drift", ...]`` and asks for
the ``element_case`` argument is run once per case of those classes in
``shared/reference/xtrack/elements``. The comparison is the one of
``tools/check_element_reference.py`` (loaded from the repository), so the
tests and the tool cannot disagree.
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from conftest import shared_dir  # noqa: E402  (the repository-wide conftest)

sys.path.pop(0)


def _load_checker():
    path = REPO_ROOT / "tools" / "check_element_reference.py"
    spec = importlib.util.spec_from_file_location("check_element_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKER = _load_checker()


def _cases(class_names):
    base = shared_dir()
    if base is None:
        return []
    out = []
    for name in class_names:
        data = json.loads((base / "reference" / "xtrack" / "elements" / f"{name}.json").read_text())
        out += [pytest.param(case, id=f"{name}/{case['id']}") for case in data["cases"]]
    return out


def pytest_generate_tests(metafunc):
    if "element_case" in metafunc.fixturenames:
        classes = getattr(metafunc.module, "REFERENCE_CLASSES", [])
        metafunc.parametrize("element_case", _cases(classes))


@pytest.fixture
def check_reference_case():
    """``check(case) -> (passed, message)``: rebuild, track once, compare with the golden output."""
    return CHECKER.check_case
