"""xtrack test fixtures: the per-element golden cases.

A test module that sets ``REFERENCE_CLASSES = ["Drift", ...]`` and asks for
the ``element_case`` argument is run once per case of those classes in
``shared/reference/xtrack/elements``; ``KNOWN_REFERENCE_FAILURES = {"Class/case":
"reason"}`` marks cases not reproduced yet as strict xfails. The comparison is the one of
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


def _cases(class_names, known_failures):
    base = shared_dir()
    if base is None:
        return []
    out = []
    for name in class_names:
        data = json.loads((base / "reference" / "xtrack" / "elements" / f"{name}.json").read_text())
        for case in data["cases"]:
            case_id = f"{name}/{case['id']}"
            # A known failure is a strict xfail: the day it passes, the marker must go.
            marks = ([pytest.mark.xfail(strict=True, reason=known_failures[case_id])]
                     if case_id in known_failures else [])
            out.append(pytest.param(case, id=case_id, marks=marks))
    return out


def pytest_generate_tests(metafunc):
    if "element_case" in metafunc.fixturenames:
        classes = getattr(metafunc.module, "REFERENCE_CLASSES", [])
        known = getattr(metafunc.module, "KNOWN_REFERENCE_FAILURES", {})
        metafunc.parametrize("element_case", _cases(classes, known))


@pytest.fixture
def check_reference_case():
    """``check(case) -> (passed, message)``: rebuild, track once, compare with the golden output."""
    return CHECKER.check_case
