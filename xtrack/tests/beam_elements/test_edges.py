import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["DipoleEdge", "MagnetEdge", "MultipoleEdge", "Wedge"]

COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def test_edges_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _track_one(element, vec, p0c=2e9):
    p = xt.Particles(p0c=p0c, **{k: [v] for k, v in zip(COORDS, vec)})
    element.track(p)
    return np.array([getattr(p, k)[0] for k in COORDS])


def _jacobian(element, vec, h=1e-5):
    """Central finite-difference Jacobian of the map in (x, px, y, py, zeta, pzeta)."""
    jac = np.zeros((6, 6))
    for j in range(6):
        dv = np.zeros(6)
        dv[j] = h
        jac[:, j] = (_track_one(element, vec + dv) - _track_one(element, vec - dv)) / (2 * h)
    return jac


def _symplecticity_error(element, vec):
    s2 = np.array([[0.0, 1.0], [-1.0, 0.0]])
    s = np.kron(np.eye(3), s2)
    m = _jacobian(element, np.asarray(vec, dtype=float))
    return np.abs(m.T @ s @ m - s).max()


VEC = [3e-3, 2e-3, -2e-3, 1e-3, 1e-2, 5e-3]

SYMPLECTIC_EDGES = [
    xt.DipoleEdge(k=0.2, e1=0.1, hgap=0.03, fint=0.5, model="full"),
    xt.DipoleEdge(k=-0.1, e1=-0.2, hgap=0.02, fint=0.4, model="full", side="exit"),
    xt.Wedge(angle=0.07, k=0.3, k1=0.5, quad_wedge_then_dip_wedge=1),
    xt.MultipoleEdge(kn=[0, 2.0, 30.0, -200.0], ks=[0, 0.5, -10.0, 0.0]),
    xt.MultipoleEdge(kn=[0, -1.0, 5.0], ks=[0, 0.3, 0], is_exit=True),
    xt.MagnetEdge(model="full", kn=[0.2, 0.5, 3.0], ks=[0, 0.1, 0], face_angle=0.05,
                  fringe_integral=0.5, half_gap=0.03),
    xt.MagnetEdge(model="full", kn=[0.2, 0.5], face_angle=0.05, fringe_integral=0.5,
                  half_gap=0.03, is_exit=True),
]


@pytest.mark.parametrize("element", SYMPLECTIC_EDGES, ids=lambda e: type(e).__name__)
def test_edge_maps_are_symplectic(element):
    assert _symplecticity_error(element, VEC) < 1e-9


def test_linear_edge_matrix_is_mad_x_dipedge():
    k, e1, hgap, fint = 0.05, 0.1, 0.03, 0.5
    edge = xt.DipoleEdge(k=k, e1=e1, hgap=hgap, fint=fint)
    m = _jacobian(edge, np.zeros(6))
    psi = 2 * k * hgap * fint * (1 + np.sin(e1) ** 2) / np.cos(e1)
    np.testing.assert_allclose(m[1, 0], k * np.tan(e1), rtol=1e-7)
    np.testing.assert_allclose(m[3, 2], -k * np.tan(e1 - psi), rtol=1e-7)


def test_full_edge_agrees_with_linear_edge_to_first_order():
    kw = dict(k=0.05, e1=0.1, hgap=0.03, fint=0.5)
    m_full = _jacobian(xt.DipoleEdge(model="full", **kw), np.zeros(6))
    m_lin = _jacobian(xt.DipoleEdge(model="linear", **kw), np.zeros(6))
    np.testing.assert_allclose(m_full[1, 0], m_lin[1, 0], rtol=1e-6)
    np.testing.assert_allclose(m_full[3, 2], m_lin[3, 2], rtol=1e-2)  # fint terms differ at O(e1^2)


def test_zero_strength_edges_are_identity():
    vec = np.array(VEC)
    for element in (xt.DipoleEdge(model="full", hgap=0.03, fint=0.5),
                    xt.DipoleEdge(model="linear", e1=0.1),
                    xt.DipoleEdge(model="suppressed", k=1.0, e1=0.3),
                    xt.MultipoleEdge(kn=[0, 0, 0]),
                    xt.Wedge(angle=0.1),
                    xt.MagnetEdge(model="full", kn=[0.0], ks=[0.0])):
        np.testing.assert_allclose(_track_one(element, vec), vec, rtol=0, atol=1e-18)


def test_quadrupole_fringe_is_lee_whiting_to_first_order():
    k1, x, y, delta = 0.8, 4e-3, -3e-3, 0.02
    p = xt.Particles(p0c=1e9, x=[x], y=[y], delta=[delta])
    xt.MultipoleEdge(kn=[0, k1]).track(p)
    np.testing.assert_allclose(p.x[0], x + k1 * (x**3 + 3 * x * y**2) / (12 * (1 + delta)), rtol=1e-15)
    np.testing.assert_allclose(p.y[0], y - k1 * (y**3 + 3 * x**2 * y) / (12 * (1 + delta)), rtol=1e-15)


def test_multipole_edge_scales_with_chi():
    kn, ks, chi = [0, 1.3, -40.0], [0, 0.2, 6.0], 0.7
    p = xt.Particles(p0c=1e9, x=[2e-2], px=[1e-3], y=[-1.5e-2], py=[-2e-3], delta=[0.03])
    p.chi[:] = chi
    p_ref = xt.Particles(p0c=1e9, x=[2e-2], px=[1e-3], y=[-1.5e-2], py=[-2e-3], delta=[0.03])
    xt.MultipoleEdge(kn=kn, ks=ks).track(p)
    xt.MultipoleEdge(kn=[chi * v for v in kn], ks=[chi * v for v in ks]).track(p_ref)
    for name in ("x", "px", "y", "py", "zeta"):
        np.testing.assert_allclose(getattr(p, name), getattr(p_ref, name), rtol=1e-14, atol=1e-18)


def test_magnet_edge_full_is_rotation_fringe_multipole_edge_and_wedges():
    kw = dict(fringe_integral=0.3, half_gap=0.04, face_angle=0.05)
    vec = np.array(VEC)
    got = _track_one(xt.MagnetEdge(model="full", kn=[0.3, 0.4, 5.0], **kw), vec)
    # DipoleEdge 'full' = rotation, dipole fringe, dipole wedge; the opposite
    # wedge undoes its wedge, then the multipole fringe and the full wedge.
    seq = [xt.DipoleEdge(model="full", k=0.3, e1=0.05, fint=0.3, hgap=0.04),
           xt.Wedge(angle=0.05, k=0.3),
           xt.MultipoleEdge(kn=[0, 0.4, 5.0]),
           xt.Wedge(angle=-0.05, k=0.3, k1=0.4, quad_wedge_then_dip_wedge=1)]
    v = vec
    for el in seq:
        v = _track_one(el, v)
    np.testing.assert_allclose(got, v, rtol=0, atol=1e-12)


def test_magnet_edge_linear_equals_dipole_edge_linear_on_both_sides():
    vec = np.array(VEC)
    ref = _track_one(xt.DipoleEdge(k=0.3, e1=0.1, e1_fd=0.02, fint=0.3, hgap=0.04), vec)
    for is_exit in (False, True):
        got = _track_one(xt.MagnetEdge(model="linear", kn=[0.3], face_angle=0.1,
                                       face_angle_feed_down=0.02, fringe_integral=0.3,
                                       half_gap=0.04, is_exit=is_exit), vec)
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-18)


@pytest.mark.parametrize("element", [
    xt.DipoleEdge(k=0.01, e1=0.05, hgap=0.03, fint=0.5, model="full", side="exit"),
    xt.MagnetEdge(model="full", knl=[0.02, 0.05], ksl=[0, 0.01], length=2.0, face_angle=0.01),
    xt.MultipoleEdge(kn=[0, 0.5, 2.0], is_exit=True),
    xt.Wedge(angle=-0.03, k=0.02, k1=0.1, quad_wedge_then_dip_wedge=1),
], ids=lambda e: type(e).__name__)
def test_dict_json_round_trip_tracks_identically(element):
    dct = json.loads(json.dumps(element.to_dict()))
    assert "_model" not in dct and "_side" not in dct
    rebuilt = type(element).from_dict(dct)
    vec = np.array(VEC)
    np.testing.assert_array_equal(_track_one(rebuilt, vec), _track_one(element, vec))


def test_named_options_and_aliases():
    e = xt.DipoleEdge(model="suppress", side="exit")
    assert e.model == "suppressed" and e.side == "exit"
    assert e.to_dict()["model"] == "suppressed"
    assert xt.MultipoleEdge(kn=[0, 1.0], order=3).order == 3
    m = xt.MagnetEdge(kn=[0.1], knl=[0, 0, 1.0])
    assert m.k_order == 0 and m.kl_order == 2


def test_bad_input_is_rejected_with_clear_errors():
    with pytest.raises(ValueError, match="model must be one of"):
        xt.DipoleEdge(model="nonlinear")
    with pytest.raises(ValueError, match="side must be one of"):
        xt.DipoleEdge(side="middle")
    with pytest.raises(TypeError, match="bogus"):
        xt.Wedge(angle=0.1, bogus=1)
    with pytest.raises(ValueError, match="order"):
        xt.MultipoleEdge(kn=[0, 1.0], order=-3)
