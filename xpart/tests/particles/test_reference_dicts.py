"""Every particle dictionary of shared/reference/xtrack loads and round-trips exactly."""

import gzip
import json

import numpy as np

import xpart as xp


def _element_dicts(reference_dir):
    for path in sorted((reference_dir / "xtrack" / "elements").glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            for key in ("particle_ref", "particles_in", "particles_out"):
                yield f"{path.stem}/{case['id']}/{key}", case[key]


def _lattice_dicts(reference_dir):
    for folder in sorted((reference_dir / "xtrack" / "lattices").iterdir()):
        if not folder.is_dir():
            continue
        with gzip.open(folder / "line.json.gz", "rt") as fid:
            yield f"{folder.name}/line/particle_ref", json.load(fid)["particle_ref"]
        with gzip.open(folder / "tracking.json.gz", "rt") as fid:
            tracking = json.load(fid)
        for key in ("particles_initial", "particles_final"):
            yield f"{folder.name}/tracking/{key}", tracking[key]


def _assert_same_values(name, dct, particles):
    """Every value of dct equals the loaded one, bit for bit, matched by particle_id."""
    out = particles.to_dict()
    n = np.size(np.atleast_1d(dct.get("x", dct.get("p0c"))))
    ids_in = np.asarray(dct.get("particle_id", np.arange(n)))
    order = np.argsort(out["particle_id"][: len(ids_in)])
    pos = order[np.searchsorted(out["particle_id"][: len(ids_in)][order], ids_in)]
    for key, expected in dct.items():
        if key == "name":
            continue
        got = out[key] if key in out else getattr(particles, key)
        if np.ndim(got) == 0 or np.ndim(expected) == 0:
            got = np.atleast_1d(got)[: max(1, n)]
            expected = np.broadcast_to(expected, got.shape)
        else:
            got = np.asarray(got)[pos]
        # identical values required: the reference stores shortest
        # round-trip doubles, and loading must neither recompute nor round
        np.testing.assert_array_equal(got, expected, err_msg=f"{name}: {key}")


def test_all_reference_particle_dicts_round_trip(reference_dir):
    count = 0
    for name, dct in [*_element_dicts(reference_dir), *_lattice_dicts(reference_dir)]:
        clean = {k: v for k, v in dct.items() if k != "name"}
        particles = xp.Particles.from_dict(clean)
        _assert_same_values(name, dct, particles)
        again = xp.Particles.from_dict(particles.to_dict())
        _assert_same_values(name + " (second pass)", dct, again)
        count += 1
    # 219 element cases x 3 dicts + 5 lattices x 3 dicts
    assert count == 219 * 3 + 5 * 3


def test_reference_particles_by_species_match_reference(reference_dir):
    """Named species reproduce the reference particles of the element data."""
    names = {"proton": "proton_7TeV", "electron": "electron_45p6GeV", "Pb208": "Pb82_7ZTeV"}
    refs = {}
    for _, dct in _element_dicts(reference_dir):
        if "name" in dct:
            refs[dct["name"]] = dct
    for species, ref_name in names.items():
        ref = refs[ref_name]
        p = xp.Particles(species, p0c=ref["p0c"])
        assert p.mass0 == ref["mass0"]
        # electron data are stored with q0 = -1: the species sets the sign
        assert p.q0 == ref["q0"]
        np.testing.assert_array_equal(p.gamma0, [ref["gamma0"]])
        np.testing.assert_array_equal(p.beta0, [ref["beta0"]])
