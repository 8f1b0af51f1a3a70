"""ReferenceEnergyIncrease, ReferenceEnergyChange, TimeDelay: golden maps and checks."""

import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["TimeDelay", "ReferenceEnergyIncrease", "ReferenceEnergyChange"]


def test_reference_energy_matches_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _particles(**kwargs):
    return xt.Particles(p0c=2e9, x=[1e-3, -2e-3, 0], px=[1e-4, -3e-4, 2e-4], y=[2e-3, 0, 1e-3],
                        py=[-2e-4, 5e-5, 0], zeta=[0.1, -0.3, 0.02], delta=[0, 1e-2, -5e-2], **kwargs)


def _physical(p):
    """Momentum components [eV] and arrival time tau = zeta / beta0 of each particle."""
    mass_ratio = p.charge_ratio / p.chi
    return (p.p0c * (1 + p.delta), p.p0c * p.px * mass_ratio, p.p0c * p.py * mass_ratio,
            p.zeta / p.beta0)


@pytest.mark.parametrize("element,new_p0c", [
    (xt.ReferenceEnergyIncrease(Delta_p0c=3e8), 2.3e9),
    (xt.ReferenceEnergyIncrease(Delta_p0c=-5e8), 1.5e9),
    (xt.ReferenceEnergyChange(p0c=7e9), 7e9),
])
def test_reference_change_keeps_the_physical_particle(element, new_p0c):
    p = _particles()
    before = _physical(p)
    element.track(p)
    np.testing.assert_allclose(p.p0c, new_p0c, rtol=1e-15)
    np.testing.assert_allclose(p.beta0, new_p0c / np.sqrt(new_p0c**2 + p.mass0**2), rtol=1e-15)
    for b, a in zip(before, _physical(p)):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-18)
    # the other momentum variables stay consistent with delta
    np.testing.assert_allclose(p.rpp, 1 / (1 + p.delta), rtol=1e-15)


def test_increase_then_decrease_is_the_identity():
    p = _particles()
    p0 = p.copy()
    xt.ReferenceEnergyIncrease(Delta_p0c=1e9).track(p)
    xt.ReferenceEnergyIncrease(Delta_p0c=-1e9).track(p)
    for name in ("px", "py", "zeta", "delta", "ptau", "p0c"):
        np.testing.assert_allclose(getattr(p, name), getattr(p0, name), rtol=1e-13, atol=1e-15)


def test_zero_increase_and_same_p0c_are_identities():
    for element in (xt.ReferenceEnergyIncrease(), xt.ReferenceEnergyChange(p0c=2e9), xt.TimeDelay()):
        p = _particles()
        p0 = p.copy()
        element.track(p)
        for name in ("x", "px", "y", "py", "zeta", "delta", "p0c"):
            np.testing.assert_allclose(getattr(p, name), getattr(p0, name), rtol=1e-15, atol=0)


def test_time_delay_shifts_zeta_and_its_opposite_undoes_it():
    p = _particles()
    zeta0 = p.zeta.copy()
    xt.TimeDelay(shift_zeta=0.25).track(p)
    np.testing.assert_allclose(p.zeta, zeta0 - 0.25, rtol=0, atol=1e-16)
    xt.TimeDelay(shift_zeta=-0.25).track(p)
    np.testing.assert_allclose(p.zeta, zeta0, rtol=0, atol=1e-16)


@pytest.mark.parametrize("element", [xt.ReferenceEnergyIncrease(Delta_p0c=-5e7),
                                     xt.ReferenceEnergyChange(p0c=8e8), xt.TimeDelay(shift_zeta=2e-3)])
def test_reference_energy_dict_json_round_trip(element):
    dct = json.loads(json.dumps(element.to_dict()))
    again = type(element).from_dict(dct)
    assert again.to_dict() == element.to_dict()
    p1, p2 = _particles(), _particles()
    element.track(p1)
    again.track(p2)
    for name in ("px", "py", "zeta", "delta", "p0c"):
        assert np.all(getattr(p1, name) == getattr(p2, name)), name


def test_reference_energy_bad_input():
    with pytest.raises(TypeError, match="Delta_p0c"):
        xt.ReferenceEnergyIncrease(delta_p0c=1e6)
    with pytest.raises(ValueError, match="p0c must be > 0"):
        xt.ReferenceEnergyChange(p0c=-1e9)
    with pytest.raises(TypeError, match="shift_zeta"):
        xt.TimeDelay(dzeta=1e-3)
