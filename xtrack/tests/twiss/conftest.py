"""Optics test fixtures: the reference lattices of shared/reference/xtrack/lattices."""

import gzip
import json
import sys
from functools import lru_cache
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(_ROOT))
from conftest import shared_dir  # noqa: E402  (the repository-wide conftest)

sys.path.pop(0)


def lattice_dir(name):
    base = shared_dir()
    if base is None:
        pytest.skip("shared/reference is not available")
    path = base / "reference" / "xtrack" / "lattices" / name
    if not path.is_dir():
        pytest.skip(f"reference lattice {name!r} is not available")
    return path


@lru_cache(maxsize=None)
def reference_json(name, filename):
    with gzip.open(lattice_dir(name) / filename, "rt") as fh:
        return json.load(fh)


def load_line(name):
    import xtrack as xt

    line = xt.Line.from_json(lattice_dir(name) / "line.json.gz")
    line.build_tracker()
    return line


@pytest.fixture(scope="session")
def fodo():
    """The fodo reference ring with its tracker (shared by the optics tests: do not edit it)."""
    return load_line("fodo")


@pytest.fixture(scope="session")
def lattice_reference():
    """`lattice_reference(name, file)`: parsed JSON of a reference file (cached)."""
    return reference_json


@pytest.fixture(scope="session")
def lattice_line():
    """`lattice_line(name)`: the reference line `name` with its tracker (cached: do not edit it)."""
    return lru_cache(maxsize=None)(load_line)
