"""Repository-wide pytest fixtures.

The golden data computed with the established implementation lives in the
``shared/reference`` folder beside this repository (``../shared`` from the
repository root); ``XSUITE_SHARED_DIR`` overrides the location. Tests reach it
only through the fixtures below.
"""

import importlib
import os
from pathlib import Path

import pytest

# pytest's importlib mode names a test module after its folders (for example
# ``xobjects.tests.test_x``) and registers missing parents as empty modules:
# the folder ``xobjects/`` would shadow the installed library ``xobjects``.
# Importing the libraries here, before any test module, prevents that.
for _library in ("xobjects", "xdeps", "xpart", "xtrack", "xfields", "lossmaps"):
    importlib.import_module(_library)

REPO_ROOT = Path(__file__).resolve().parent


def shared_dir():
    """Return the shared folder (docs, reference data), or None if absent."""
    env = os.environ.get("XSUITE_SHARED_DIR")
    candidates = [Path(env)] if env else []
    candidates += [REPO_ROOT.parent / "shared", REPO_ROOT / "shared"]
    for candidate in candidates:
        if (candidate / "reference").is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def reference_dir():
    """Path of ``shared/reference``; the test fails (not skips) if it is missing."""
    base = shared_dir()
    if base is None:
        pytest.fail(
            "shared/reference not found beside the repository; "
            "set XSUITE_SHARED_DIR to the folder that contains it"
        )
    return base / "reference"
