import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["Solenoid", "UniformSolenoid", "VariableSolenoid"]

COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def test_solenoids_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _track_one(element, vec, p0c=2e9):
    p = xt.Particles(p0c=p0c, **{k: [v] for k, v in zip(COORDS, vec)})
    element.track(p)
    return np.array([getattr(p, k)[0] for k in COORDS])


def _symplecticity_error(element, vec, h=1e-6):
    vec = np.asarray(vec, dtype=float)
    m = np.zeros((6, 6))
    for j in range(6):
        dv = np.zeros(6)
        dv[j] = h
        m[:, j] = (_track_one(element, vec + dv) - _track_one(element, vec - dv)) / (2 * h)
    s = np.kron(np.eye(3), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    return np.abs(m.T @ s @ m - s).max()


VEC = [2e-3, 3e-4, -1e-3, -2e-4, 1e-2, 3e-3]


@pytest.mark.parametrize("element", [
    xt.Solenoid(ks=0.4, length=1.5),
    xt.Solenoid(ks=-0.3, length=1.0, knl=[0, 0.01], ksl=[0, 0, 0.1], num_multipole_kicks=3),
    xt.UniformSolenoid(ks=0.5, length=2.0, x0=1e-3, y0=-5e-4),
    xt.UniformSolenoid(ks=0.2, length=1.0, knl=[0, 0.05, 1.0], num_multipole_kicks=4,
                       shift_x=1e-3, rot_s_rad=0.2),
    xt.VariableSolenoid(ks_profile=[0.1, 0.3], length=0.7),
], ids=lambda e: type(e).__name__)
def test_solenoid_maps_are_symplectic(element):
    assert _symplecticity_error(element, VEC) < 1e-9


def test_zero_field_is_exact_drift():
    vec = np.array(VEC)
    ref = _track_one(xt.Drift(length=2.0, model="exact"), vec)
    for element in (xt.Solenoid(length=2.0), xt.UniformSolenoid(length=2.0),
                    xt.VariableSolenoid(length=2.0, ks_profile=[0, 0])):
        np.testing.assert_allclose(_track_one(element, vec), ref, rtol=1e-13, atol=1e-15)


def test_kinetic_momentum_rotates_by_ks_length_over_pz():
    ks, length = 0.6, 1.3
    p = xt.Particles(p0c=1e9, x=[1e-3], px=[2e-4], y=[-2e-3], py=[1e-4], delta=[0.01])
    pix0, piy0 = p.px[0] + ks / 2 * p.y[0], p.py[0] - ks / 2 * p.x[0]
    pz = np.sqrt((1 + p.delta[0]) ** 2 - pix0**2 - piy0**2)
    xt.UniformSolenoid(ks=ks, length=length).track(p)
    pix1, piy1 = p.px[0] + ks / 2 * p.y[0], p.py[0] - ks / 2 * p.x[0]
    theta = ks * length / pz
    np.testing.assert_allclose(pix1, pix0 * np.cos(theta) + piy0 * np.sin(theta), rtol=1e-12)
    np.testing.assert_allclose(piy1, -pix0 * np.sin(theta) + piy0 * np.cos(theta), rtol=1e-12)
    assert p.s[0] == length


def test_two_halves_equal_the_whole():
    vec = np.array(VEC)
    half = xt.UniformSolenoid(ks=0.3, length=0.5)
    np.testing.assert_allclose(_track_one(half, _track_one(half, vec)),
                               _track_one(xt.UniformSolenoid(ks=0.3, length=1.0), vec),
                               rtol=1e-12, atol=1e-17)


def test_axis_offset_is_a_translation():
    vec = np.array(VEC)
    x0, y0 = 1e-3, -2e-3
    shifted = vec.copy()
    shifted[0] -= x0
    shifted[2] -= y0
    ref = _track_one(xt.UniformSolenoid(ks=0.3, length=1.0), shifted)
    ref[0] += x0
    ref[2] += y0
    got = _track_one(xt.UniformSolenoid(ks=0.3, length=1.0, x0=x0, y0=y0), vec)
    np.testing.assert_allclose(got, ref, rtol=1e-14, atol=1e-18)


def test_embedded_multipoles_are_centred_on_the_element_not_the_field_axis():
    vec = np.array(VEC)
    kw = dict(ks=0.0, length=1.0, knl=[0, 0.1, 2.0], num_multipole_kicks=2)
    np.testing.assert_array_equal(_track_one(xt.UniformSolenoid(x0=1e-3, y0=2e-3, **kw), vec),
                                  _track_one(xt.UniformSolenoid(**kw), vec))


def test_variable_solenoid_with_constant_profile_is_uniform():
    vec = np.array(VEC)
    np.testing.assert_array_equal(
        _track_one(xt.VariableSolenoid(ks_profile=[0.2, 0.2], length=1.0), vec),
        _track_one(xt.UniformSolenoid(ks=0.2, length=1.0), vec))


def test_mean_radiation_loses_energy_only_off_axis():
    p = xt.Particles(p0c=45.6e9, mass0=xt.ELECTRON_MASS_EV if hasattr(xt, "ELECTRON_MASS_EV")
                     else 510998.95, q0=-1, x=[0, 1e-3], py=[0, 1e-4])
    xt.UniformSolenoid(ks=0.5, length=2.0, radiation_flag=1).track(p)
    assert p.delta[0] == 0.0
    assert p.delta[1] < 0.0


@pytest.mark.parametrize("element", [
    xt.Solenoid(ks=-0.3, length=1.0, knl=[0, 0.01], ksl=[0, 0, 0.1], num_multipole_kicks=3),
    xt.UniformSolenoid(ks=0.2, length=1.0, x0=1e-3, edge_entry_active=False, rot_s_rad=0.1),
    xt.VariableSolenoid(ks_profile=[0.0, 0.1], length=1.0, x0=1e-3),
], ids=lambda e: type(e).__name__)
def test_dict_json_round_trip_tracks_identically(element):
    dct = json.loads(json.dumps(element.to_dict()))
    assert dct["order"] == 5
    rebuilt = type(element).from_dict(dct)
    vec = np.array(VEC)
    np.testing.assert_array_equal(_track_one(rebuilt, vec), _track_one(element, vec))


def test_bad_input_is_rejected_with_clear_errors():
    with pytest.raises(TypeError, match="kss"):
        xt.UniformSolenoid(kss=0.1)
    with pytest.raises(ValueError, match="ks_profile"):
        xt.VariableSolenoid(ks_profile=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="radiation_flag"):
        xt.Solenoid(ks=0.1, length=1.0, radiation_flag=2)
    with pytest.raises(ValueError, match="ksi"):
        xt.Solenoid(ksi=0.1, length=1.0)
