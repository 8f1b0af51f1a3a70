import json

import numpy as np
import pytest
import xtrack as xt

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("_jacobian", Path(__file__).with_name("_jacobian.py"))
_jacobian = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_jacobian)
symplecticity_error, track_coords = _jacobian.symplecticity_error, _jacobian.track_coords

REFERENCE_CLASSES = ["XYShift", "ZetaShift", "SRotation", "XRotation", "YRotation", "Translation",
                     "Rotation", "Misalignment"]

Z0 = np.array([1e-3, -2e-4, -5e-4, 3e-4, 2e-3, 1e-3])
ZS = np.array([Z0, [0, 0, 0, 0, 0, 0], [-2e-3, 1e-4, 1e-3, -1e-4, -1e-2, -2e-3]])


def test_transformations_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


@pytest.mark.parametrize("element", [
    xt.XRotation(angle=0.3), xt.YRotation(angle=-0.4), xt.SRotation(angle=20),
    xt.Translation(shift_x=1e-3, shift_y=-2e-3, shift_s=0.3),
    xt.Rotation(rot_x_rad=0.01, rot_y_rad=-0.02, rot_s_rad=0.3, seq="sxy"),
    xt.Misalignment(dx=1e-3, dy=-1e-3, ds=0.02, theta=0.002, phi=-0.003, psi=0.1, length=2.0,
                    angle=0.05, tilt=0.2, anchor=0.7, is_exit=True),
], ids=lambda e: type(e).__name__)
def test_frame_changes_are_symplectic(element):
    assert symplecticity_error(element, Z0) < 1e-9


def test_rotation_signs_follow_the_documented_convention():
    def one(element, **coords):
        p = xt.Particles(p0c=1e20, **coords)
        element.track(p)
        return p
    assert np.isclose(one(xt.Rotation(rot_x_rad=np.pi / 6), y=1.0).py[0], 0.5)
    assert np.isclose(one(xt.Rotation(rot_y_rad=np.pi / 6), x=1.0).px[0], -0.5)
    p = one(xt.Rotation(rot_s_rad=np.pi / 6), y=1.0)
    assert np.isclose(p.x[0], 0.5)
    # the deprecated degree rotations agree with Rotation
    for old, new in [(xt.XRotation(angle=2.0), xt.Rotation(rot_x_rad=np.deg2rad(2.0))),
                     (xt.YRotation(angle=2.0), xt.Rotation(rot_y_rad=np.deg2rad(2.0))),
                     (xt.SRotation(angle=2.0), xt.Rotation(rot_s_rad=np.deg2rad(2.0)))]:
        np.testing.assert_allclose(track_coords(old, ZS), track_coords(new, ZS), rtol=0, atol=1e-15)


@pytest.mark.parametrize("forward, backward", [
    (xt.XYShift(dx=1e-3, dy=-2e-3), xt.XYShift(dx=-1e-3, dy=2e-3)),
    (xt.ZetaShift(dzeta=0.1), xt.ZetaShift(dzeta=-0.1)),
    (xt.XRotation(angle=0.5), xt.XRotation(angle=-0.5)),
    (xt.YRotation(angle=0.5), xt.YRotation(angle=-0.5)),
    (xt.Translation(shift_x=1e-3, shift_y=2e-3, shift_s=0.5),
     xt.Translation(shift_x=-1e-3, shift_y=-2e-3, shift_s=-0.5)),
    (xt.Rotation(rot_x_rad=0.01, rot_y_rad=0.02, rot_s_rad=0.3, seq="yxs"),
     xt.Rotation(rot_x_rad=-0.01, rot_y_rad=-0.02, rot_s_rad=-0.3, seq="sxy")),
    (xt.Misalignment(dx=1e-3, dy=2e-3, ds=0.01, theta=1e-3, phi=2e-3, psi=0.1, anchor=0.3, tilt=0.1),
     xt.Misalignment(dx=1e-3, dy=2e-3, ds=0.01, theta=1e-3, phi=2e-3, psi=0.1, anchor=0.3, tilt=0.1,
                     is_exit=True)),
], ids=lambda e: type(e).__name__)
def test_inverse_transformation_restores_the_particle(forward, backward):
    out = track_coords(backward, track_coords(forward, ZS))
    np.testing.assert_allclose(out, ZS, rtol=0, atol=2e-15)


def test_zero_transformations_are_the_identity():
    for element in [xt.XYShift(), xt.ZetaShift(), xt.SRotation(), xt.XRotation(), xt.YRotation(),
                    xt.Translation(), xt.Rotation(), xt.Misalignment(length=3, angle=0.1, anchor=1)]:
        np.testing.assert_allclose(track_coords(element, ZS), ZS, rtol=0, atol=1e-16)


def test_misalignment_pure_shift_of_straight_element_is_a_translation():
    mis = xt.Misalignment(dx=1e-3, dy=-2e-3, ds=0.1, length=2.0, anchor=1.0)
    tr = xt.Translation(shift_x=1e-3, shift_y=-2e-3, shift_s=0.1)
    np.testing.assert_allclose(track_coords(mis, ZS), track_coords(tr, ZS), rtol=0, atol=1e-16)


@pytest.mark.parametrize("element", [
    xt.XYShift(dx=1e-3), xt.ZetaShift(dzeta=2.0), xt.SRotation(angle=3.0), xt.XRotation(angle=0.1),
    xt.YRotation(angle=0.2), xt.Translation(shift_s=0.1), xt.Rotation(rot_x_rad=0.1, seq="xs"),
    xt.Misalignment(dx=1e-3, psi=0.2, is_exit=True, length=1.0, angle=0.1),
], ids=lambda e: type(e).__name__)
def test_dict_json_round_trip_tracks_identically(element):
    dct = json.loads(json.dumps(element.to_dict()))
    rebuilt = type(element).from_dict(dct)
    np.testing.assert_array_equal(track_coords(rebuilt, ZS), track_coords(element, ZS))


def test_rotation_seq_round_trip_and_bad_seq():
    r = xt.Rotation(rot_s_rad=0.1, seq="sxy")
    assert r.seq == "sxy" and r.to_dict()["seq"] == "sxy"
    assert "seq" not in xt.Rotation(rot_s_rad=0.1).to_dict()
    assert xt.Rotation().seq == "yxs"
    with pytest.raises(ValueError, match="seq must be one of"):
        xt.Rotation(seq="xyz")


def test_degree_rotation_from_trigonometric_values_and_consistency():
    r = xt.XRotation(sin_angle=np.sin(np.deg2rad(10)), cos_angle=np.cos(np.deg2rad(10)))
    assert np.isclose(r.angle, 10.0)
    assert np.isclose(xt.SRotation(cos_z=0.0, sin_z=1.0).angle, 90.0)
    with pytest.raises(ValueError, match="tan_angle"):
        xt.YRotation(angle=10.0, tan_angle=1.0)


def test_unknown_keyword_is_rejected():
    with pytest.raises(TypeError, match="shift_z"):
        xt.Translation(shift_z=1.0)
