"""In-place updates keep delta, ptau, pzeta, rpp, rvv and the reference consistent."""

import json

import numpy as np
import pytest

import xpart as xp


def _fresh(**kwargs):
    return xp.Particles(p0c=2e9, delta=[0.0, 1e-3, -2e-3, 0.05], x=1e-3, px=1e-4, py=-2e-4,
                        zeta=0.3, **kwargs)


def _assert_consistent(p):
    ref = xp.Particles(p0c=p.p0c, mass0=p.mass0, delta=p.delta)
    # pzeta from ptau and from delta differ by a few eps / beta0^2 absolute
    np.testing.assert_allclose(p.pzeta, ref.pzeta, rtol=1e-13, atol=8 * 2.2e-16 / p.beta0.min() ** 2)
    np.testing.assert_allclose(p.rpp, ref.rpp, rtol=1e-15)
    np.testing.assert_allclose(p.rvv, ref.rvv, rtol=1e-15)
    np.testing.assert_allclose(p.gamma0, ref.gamma0, rtol=1e-15)


@pytest.mark.parametrize("method,name", [("update_delta", "delta"), ("update_ptau", "ptau"),
                                         ("update_pzeta", "pzeta")])
def test_momentum_updates_are_consistent_and_skip_nan(method, name):
    p = _fresh()
    before = p.delta.copy()
    new = np.array([1e-3, np.nan, -1e-3, 0.02])
    getattr(p, method)(new)
    # the updated variable is stored as given (ptau through pzeta = ptau / beta0)
    np.testing.assert_allclose(getattr(p, name)[[0, 2, 3]], new[[0, 2, 3]], rtol=1e-15)
    assert p.delta[1] == before[1]
    _assert_consistent(p)


def test_attribute_assignment_of_delta_is_consistent():
    p = _fresh()
    p.delta = 1e-3
    p.ptau = p.ptau  # round trip through ptau
    np.testing.assert_allclose(p.delta, 1e-3, rtol=1e-12)
    _assert_consistent(p)


def test_update_p0c_keeps_physical_momentum():
    p = _fresh()
    pc_before = p.p0c * (1 + p.delta)
    ppx_before = p.px * p.p0c
    p.update_p0c(2.5e9)
    np.testing.assert_allclose(p.p0c * (1 + p.delta), pc_before, rtol=1e-15)
    np.testing.assert_allclose(p.px * p.p0c, ppx_before, rtol=1e-15)
    _assert_consistent(p)
    p.update_gamma0(3.0)
    np.testing.assert_allclose(p.gamma0, 3.0, rtol=1e-15)
    p.update_beta0(0.5)
    np.testing.assert_allclose(p.beta0, 0.5, rtol=1e-15)
    np.testing.assert_allclose(p.p0c * (1 + p.delta), pc_before, rtol=1e-13)
    _assert_consistent(p)


@pytest.mark.parametrize("fname", ["ReferenceEnergyChange", "ReferenceEnergyIncrease"])
def test_update_p0c_matches_reference_energy_elements(reference_dir, fname):
    """Changing the reference momentum is what these elements do (golden data)."""
    cases = json.loads((reference_dir / "xtrack" / "elements" / f"{fname}.json").read_text())["cases"]
    for case in cases:
        p = xp.Particles.from_dict(case["particles_in"])
        out = case["particles_out"]
        p.update_p0c(np.asarray(out["p0c"]))
        got = p.to_dict()
        for key in ("p0c", "delta", "pzeta", "rpp", "rvv", "px", "py", "zeta"):
            # README tolerance for an independent implementation
            np.testing.assert_allclose(got[key], out[key], rtol=1e-9, atol=1e-13,
                                       err_msg=f"{case['id']}: {key}")


def test_add_to_energy():
    p = _fresh(state=[1, 1, 1, 0])
    energy_before = p.energy.copy()
    direction = p.px * p.rpp
    p.add_to_energy(1e6)
    np.testing.assert_allclose(p.energy[:3] - energy_before[:3], 1e6, rtol=1e-6)
    assert p.energy[3] == energy_before[3]  # lost particle untouched
    # px/(1+delta) (the angle) is kept
    np.testing.assert_allclose(p.px * p.rpp, direction, rtol=1e-13)
    _assert_consistent(p)
