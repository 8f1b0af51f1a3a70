"""Elens, Wire, NonLinearLens: golden maps and physics checks."""

import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["Elens", "Wire", "NonLinearLens"]

MU_0 = 4e-7 * np.pi
C_LIGHT = 299792458.0
TRANSVERSE = ("x", "px", "y", "py")


def test_lenses_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _jacobian_4d(element, point, eps=1e-8, p0c=7e12):
    coords = {k: np.full(8, point[i], dtype=float) for i, k in enumerate(TRANSVERSE)}
    for j, k in enumerate(TRANSVERSE):
        coords[k][2 * j] += eps
        coords[k][2 * j + 1] -= eps
    p = xt.Particles(p0c=p0c, **coords)
    element.track(p)
    order = np.argsort(p.particle_id)
    out = np.array([np.asarray(getattr(p, k))[order] for k in TRANSVERSE])
    return (out[:, 0::2] - out[:, 1::2]) / (2 * eps)


@pytest.mark.parametrize("element,point", [
    (xt.Elens(current=5, inner_radius=1e-3, outer_radius=2.5e-3, elens_length=3, voltage=1e4),
     [1.2e-3, 1e-5, 0.9e-3, -2e-5]),
    (xt.Elens(current=5, inner_radius=1e-3, outer_radius=2.5e-3, elens_length=3, voltage=1e4),
     [3e-3, 0, -2e-3, 1e-5]),
    (xt.Wire(L_phy=1, L_int=2, current=350, xma=1e-2, yma=2e-3), [1e-3, 1e-5, -1e-3, 0]),
    (xt.NonLinearLens(knll=2e-5, cnll=5e-3), [1e-3, 1e-5, 2e-3, -1e-5]),
    (xt.NonLinearLens(knll=2e-5, cnll=5e-3, shift_x=1e-4, rot_s_rad=0.3), [1e-3, 1e-5, 2e-3, -1e-5]),
], ids=["elens_annulus", "elens_outside", "wire", "nllens", "nllens_tilted"])
def test_lens_kicks_are_symplectic(element, point):
    m = _jacobian_4d(element, point)
    s = np.kron(np.eye(2), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    np.testing.assert_allclose(m.T @ s @ m, s, rtol=0, atol=1e-9)


def test_elens_profile():
    r1, r2 = 1e-3, 2.5e-3
    lens = xt.Elens(current=5, inner_radius=r1, outer_radius=r2, elens_length=3, voltage=1e4)
    r = np.array([0.5e-3, 1.5e-3, 2e-3, 3e-3, 6e-3])
    p = xt.Particles(p0c=7e12, x=r)
    lens.track(p)
    order = np.argsort(p.particle_id)
    kick = -p.px[order]
    assert kick[0] == 0 and np.all(kick[1:] > 0)  # nothing inside, focusing outside
    # enclosed-current fraction in the annulus, 1/r beyond
    np.testing.assert_allclose(kick[1] / kick[2], (r[1]**2 - r1**2) / (r[2]**2 - r1**2) * r[2] / r[1],
                               rtol=1e-13)
    np.testing.assert_allclose(kick[3] / kick[4], r[4] / r[3], rtol=1e-13)
    assert np.all(p.py == 0)


def test_elens_without_current_only_gives_the_residual_kick():
    lens = xt.Elens(inner_radius=1e-3, outer_radius=2e-3, residual_kick_x=1e-8, residual_kick_y=-2e-8)
    p = xt.Particles(p0c=26e9, x=[0.0, 5e-4, 3e-3], y=[0.0, 0.0, 1e-3])
    lens.track(p)
    order = np.argsort(p.particle_id)
    np.testing.assert_allclose(p.px[order], [1e-8, 1e-8, 0.0], rtol=0, atol=1e-24)
    np.testing.assert_allclose(p.py[order], [-2e-8, -2e-8, 0.0], rtol=0, atol=1e-24)


def test_wire_far_from_the_ends_is_an_infinite_wire():
    length, current, p0c = 1e6, 100.0, 7e12
    wire = xt.Wire(L_phy=length, L_int=length, current=current, xma=0.0, yma=0.0)
    r = 5e-3
    p = xt.Particles(p0c=p0c, x=[r])
    wire.track(p)
    brho = p0c / C_LIGHT
    # straight infinite conductor: int B ds = mu0 I L / (2 pi r), attractive for I > 0
    np.testing.assert_allclose(p.px[0], -MU_0 * current * length / (2 * np.pi * r * brho), rtol=1e-8)


def test_wire_shift_equals_moving_the_wire():
    kwargs = dict(p0c=26e9, x=[1e-3, -2e-3], y=[2e-3, 0.5e-3])
    p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
    xt.Wire(L_phy=1, L_int=2, current=200, xma=5e-3, yma=1e-3, shift_x=2e-3, shift_y=-1e-3).track(p1)
    xt.Wire(L_phy=1, L_int=2, current=200, xma=7e-3, yma=0.0).track(p2)
    np.testing.assert_allclose(p1.px, p2.px, rtol=1e-12)
    np.testing.assert_allclose(p1.py, p2.py, rtol=1e-12)
    np.testing.assert_allclose(p1.x, p2.x, rtol=0, atol=1e-18)


def test_wire_post_subtraction_cancels_the_kick_on_the_reference():
    wire = xt.Wire(L_phy=1, L_int=2, current=350, xma=1e-2, yma=-3e-3)
    p = xt.Particles(p0c=7e12, x=[0.0])
    wire.track(p)
    wire.post_subtract_px, wire.post_subtract_py = p.px[0], p.py[0]
    p = xt.Particles(p0c=7e12, x=[0.0])
    wire.track(p)
    assert abs(p.px[0]) < 1e-22 and abs(p.py[0]) < 1e-22


def test_nonlinear_lens_linear_limit_is_a_quadrupole():
    knll, cnll = 1e-3, 1e-2
    p = xt.Particles(p0c=1e9, x=[1e-7, 0], y=[0, 1e-7])
    xt.NonLinearLens(knll=knll, cnll=cnll).track(p)
    order = np.argsort(p.particle_id)
    k1 = 2 * knll / cnll**2
    np.testing.assert_allclose(p.px[order][0] / 1e-7, -k1, rtol=1e-6)
    np.testing.assert_allclose(p.py[order][1] / 1e-7, k1, rtol=1e-6)


@pytest.mark.parametrize("element", [
    xt.Elens(current=4, inner_radius=1e-3, outer_radius=3e-3, elens_length=2, voltage=1e4,
             coefficients_polynomial=[0.02, -0.05, 0.3, 0.1]),
    xt.Wire(L_phy=1.5, L_int=3, current=-200, xma=-8e-3, yma=6e-3, post_subtract_px=1e-7),
    xt.NonLinearLens(knll=-1e-5, cnll=1e-2, shift_y=1e-4),
])
def test_lens_dict_json_round_trip(element):
    dct = json.loads(json.dumps(element.to_dict()))
    again = type(element).from_dict(dct)
    assert again.to_dict() == element.to_dict()
    kwargs = dict(p0c=26e9, x=[1.5e-3, -2.2e-3, 4e-3], y=[1e-3, 0.5e-3, -2e-3], delta=[0, 1e-3, -1e-2])
    p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
    element.track(p1)
    again.track(p2)
    assert np.all(p1.px == p2.px) and np.all(p1.py == p2.py)


def test_elens_polynomial_order_defaults_to_the_coefficients():
    lens = xt.Elens(coefficients_polynomial=[0.02, -0.05, 0.3, 0.1])
    assert lens.polynomial_order == 3
    assert xt.Elens().polynomial_order == 0


def test_lens_bad_input():
    with pytest.raises(ValueError, match="polynomial_order"):
        xt.Elens(coefficients_polynomial=[1.0, 2.0], polynomial_order=4)
    with pytest.raises(ValueError, match="voltage must be > 0"):
        xt.Elens(current=2.0, inner_radius=1e-3, outer_radius=2e-3)
    with pytest.raises(TypeError, match="current"):
        xt.Wire(curent=1.0)
    with pytest.raises(TypeError, match="knll"):
        xt.NonLinearLens(knl=1.0)
