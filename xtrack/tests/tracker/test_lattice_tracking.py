"""Whole-ring tracking against the golden data of shared/reference/xtrack/lattices.

For each lattice: load `line.json.gz`, rebuild `particles_initial`, track
`num_turns` with the turn-by-turn monitor and compare final coordinates and
the monitor with the README's tolerance for tracked coordinates (relative to
the largest |u| over the turns); state, at_turn, at_element, particle_id
exactly.
"""

import gzip
import json

import numpy as np
import pytest
import xtrack as xt

# README "Recommended tolerances": tracked coordinates u, relative to max |u|.
TOLERANCE = {"fodo": 2e-9, "lhcb1": 1e-7, "sps": 5e-8, "ps": 1e-9, "fccee_z": 1e-5}
COORDS = ("x", "px", "y", "py", "zeta", "delta")


def _load(path):
    with gzip.open(path, "rt") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def lattices(reference_dir):
    return reference_dir / "xtrack" / "lattices"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TOLERANCE))
def test_tracking_matches_reference(lattices, name):
    folder = lattices / name
    line = xt.Line.from_json(folder / "line.json.gz")
    ref = _load(folder / "tracking.json.gz")
    pi = ref["particles_initial"]
    particles = xt.Particles(mass0=pi["mass0"], q0=pi["q0"], p0c=pi["p0c"], x=pi["x"], px=pi["px"],
                             y=pi["y"], py=pi["py"], zeta=pi["zeta"], delta=pi["delta"])
    line.build_tracker()
    line.track(particles, num_turns=ref["num_turns"], turn_by_turn_monitor=True)
    particles.sort(by="particle_id")
    final, mon = ref["particles_final"], ref["monitor"]
    record = line.record_last_track
    tol = TOLERANCE[name]
    for coord in COORDS:
        expected_tbt = np.array(mon[coord])
        # README: relative to the largest |u| of that coordinate over the turns (all particles;
        # a particle with no amplitude in u has only round-off there)
        scale = max(np.max(np.abs(expected_tbt)), np.max(np.abs(np.array(final[coord]))))
        got_tbt = getattr(record, coord)
        assert got_tbt.shape == expected_tbt.shape
        err_tbt = np.max(np.abs(got_tbt - expected_tbt)) / scale
        err_final = np.max(np.abs(getattr(particles, coord) - np.array(final[coord]))) / scale
        assert err_tbt <= tol and err_final <= tol, (coord, err_tbt, err_final)
    for field in ("state", "at_turn", "at_element", "particle_id"):
        assert np.array_equal(getattr(particles, field), np.array(final[field])), field
    assert np.array_equal(record.state, np.array(mon["state"]))
