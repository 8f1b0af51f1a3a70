"""Matching test fixtures: a small FODO cell and the reference lattices."""

import gzip
import json
import sys
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


def reference_match(name):
    with gzip.open(lattice_dir(name) / "operations.json.gz", "rt") as fh:
        return json.load(fh)["match"]


def make_fodo_cell():
    """10 m FODO cell of thick quadrupoles (knobs kqf, kqd) with markers 'mid' and 'end'."""
    import xtrack as xt

    env = xt.Environment()
    env.particle_ref = xt.Particles(p0c=2e9, mass0=xt.PROTON_MASS_EV)
    env.vars({"kqf": 0.1, "kqd": -0.1})
    return env.new_line(components=[
        env.new("start", "Marker", at=0.0),
        env.new("mqf", "Quadrupole", length=0.5, k1="kqf", at=0.25),
        env.new("mid", "Marker", at=5.0),
        env.new("mqd", "Quadrupole", length=0.5, k1="kqd", at=5.25),
        env.new("end", "Marker", at=10.0),
    ])


@pytest.fixture
def cell():
    return make_fodo_cell()
