import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["Multipole", "Quadrupole", "Sextupole", "Octupole", "Bend", "RBend",
                     "SimpleThinBend", "SimpleThinQuadrupole"]


def test_magnets_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


COORDS = ("x", "px", "y", "py", "zeta", "delta")


def _particles(n=5, p0c=2e9, scale=1.0, seed=3):
    rng = np.random.default_rng(seed)
    return xt.Particles(
        p0c=p0c,
        x=scale * 1e-3 * rng.standard_normal(n), px=scale * 1e-4 * rng.standard_normal(n),
        y=scale * 1e-3 * rng.standard_normal(n), py=scale * 1e-4 * rng.standard_normal(n),
        zeta=1e-2 * rng.standard_normal(n), delta=scale * 1e-3 * rng.standard_normal(n),
    )


def _coords(p):
    return np.array([getattr(p, c) for c in COORDS]).T


def _jacobian(element, x0, p0c=2e9, eps=1e-6):
    """Numerical Jacobian d(out)/d(in) in (x, px, y, py, zeta, pzeta) at x0."""
    def track(v):
        p = xt.Particles(p0c=p0c, x=v[0], px=v[1], y=v[2], py=v[3], zeta=v[4], pzeta=v[5])
        element.track(p)
        return np.array([p.x[0], p.px[0], p.y[0], p.py[0], p.zeta[0], p.pzeta[0]])

    jac = np.zeros((6, 6))
    for j in range(6):
        dv = np.zeros(6)
        dv[j] = eps
        jac[:, j] = (track(x0 + dv) - track(x0 - dv)) / (2 * eps)
    return jac


_S = np.kron(np.eye(3), np.array([[0.0, 1.0], [-1.0, 0.0]]))

SYMPLECTIC_ELEMENTS = [
    xt.Multipole(knl=[1e-4, 0.02, 0.5, 10.0], ksl=[0, 0.01, 0.1]),
    xt.Quadrupole(length=1.0, k1=0.5, knl=[0, 0, 0.3]),
    xt.Quadrupole(length=1.0, k1=0.5, model="drift-kick-drift-exact", num_multipole_kicks=4),
    xt.Sextupole(length=0.4, k2=3.0, integrator="yoshida-4", num_multipole_kicks=3),
    xt.Octupole(length=0.3, k3=100.0, edge_entry_active=1, edge_exit_active=1),
    xt.Bend(length=2.0, angle=0.1, k1=0.05, model="bend-kick-bend", edge_entry_active=0,
            edge_exit_active=0),
    xt.Bend(length=2.0, angle=0.1, model="rot-kick-rot", edge_entry_active=0,
            edge_exit_active=0, num_multipole_kicks=3),
    xt.Bend(length=2.0, angle=0.1, k1=0.05, model="mat-kick-mat", edge_entry_active=0,
            edge_exit_active=0),
]


@pytest.mark.parametrize("element", SYMPLECTIC_ELEMENTS, ids=lambda e: type(e).__name__)
def test_magnet_maps_are_symplectic(element):
    x0 = np.array([1e-3, 2e-4, -2e-3, 1e-4, 1e-3, 1e-3])
    jac = _jacobian(element, x0)
    np.testing.assert_allclose(jac.T @ _S @ jac, _S, atol=1e-9)


def test_zero_strength_magnets_are_drifts():
    p_ref = _particles()
    xt.Drift(length=1.3).track(p_ref)
    for element in [xt.Quadrupole(length=1.3), xt.Sextupole(length=1.3), xt.Octupole(length=1.3),
                    xt.Bend(length=1.3), xt.Multipole(isthick=True, length=1.3)]:
        p = _particles()
        element.track(p)
        np.testing.assert_allclose(_coords(p), _coords(p_ref), rtol=0, atol=1e-15)
        np.testing.assert_allclose(p.s, 1.3)


def test_thin_quadrupole_kick_and_chi_scaling():
    p = xt.Particles(p0c=1e9, x=[1e-3, 1e-3], y=[2e-3, 2e-3], chi=[1.0, 0.5],
                     charge_ratio=[1.0, 0.5])
    xt.Multipole(knl=[0, 0.1]).track(p)
    np.testing.assert_allclose(p.px, [-1e-4, -0.5e-4], rtol=1e-14)
    np.testing.assert_allclose(p.py, [2e-4, 1e-4], rtol=1e-14)


def test_thick_quadrupole_converges_to_thin_limit():
    p_thin = _particles()
    xt.Drift(length=5e-5).track(p_thin)
    xt.Multipole(knl=[0, 1e-4 * 0.5]).track(p_thin)
    xt.Drift(length=5e-5).track(p_thin)
    p_thick = _particles()
    xt.Quadrupole(length=1e-4, k1=0.5).track(p_thick)
    np.testing.assert_allclose(p_thick.px, p_thin.px, rtol=0, atol=1e-15)


def test_exact_bend_keeps_reference_particle_on_axis():
    p = xt.Particles(p0c=1e9, x=[0.0])
    xt.Bend(length=3.0, angle=0.3, model="bend-kick-bend").track(p)
    assert abs(p.x[0]) < 1e-15 and abs(p.px[0]) < 1e-15 and abs(p.zeta[0]) < 1e-14


@pytest.mark.parametrize("element", [
    xt.Multipole(knl=[1e-4, 0.02, 0.5], hxl=1e-3, length=1.0, shift_x=1e-4, rot_s_rad=0.2),
    xt.Quadrupole(length=1.0, k1=0.3, k1s=0.01, knl=[0, 0, 0.2], num_multipole_kicks=3,
                  model="drift-kick-drift-exact", integrator="teapot"),
    xt.Bend(length=2.0, angle=0.05, k1=0.01, edge_entry_angle=0.01, edge_exit_model="full"),
    xt.RBend(length_straight=2.0, angle=0.05, rbend_model="straight-body"),
], ids=lambda e: type(e).__name__)
def test_dict_json_round_trip_tracks_identically(element):
    dct = json.loads(json.dumps(element.to_dict()))
    copy = type(element).from_dict(dct)
    p1, p2 = _particles(), _particles()
    element.track(p1)
    copy.track(p2)
    np.testing.assert_array_equal(_coords(p1), _coords(p2))


def test_knl_sets_order_and_pads():
    m = xt.Multipole(knl=[0, 1, 2], ksl=[3])
    assert m.order == 2
    assert list(m.ksl) == [3, 0, 0]
    q = xt.Quadrupole(length=1, k1=0.1)
    assert q.order == 5 and len(q.knl) == 6
    assert xt.Multipole(order=3).to_dict()["order"] == 3


def test_bend_k0_follows_h_unless_given():
    b = xt.Bend(length=2.0, angle=0.1)
    assert b.to_dict()["k0_from_h"] == 1 and b.to_dict()["h"] == pytest.approx(0.05)
    assert b.h == pytest.approx(0.05)
    b.angle = 0.2  # k0 keeps following h
    assert xt.Bend.from_dict(b.to_dict()).h == pytest.approx(0.1)
    b2 = xt.Bend(length=2.0, angle=0.1, k0=0.04)
    assert b2.to_dict()["k0"] == 0.04


def test_to_dict_lists_named_options_only_when_chosen():
    q = xt.Quadrupole(length=1.0, k1=0.1)
    assert "model" not in q.to_dict() and "integrator" not in q.to_dict()
    q2 = xt.Quadrupole(length=1.0, k1=0.1, model="drift-kick-drift-exact", integrator="teapot")
    d = q2.to_dict()
    assert d["model"] == "drift-kick-drift-exact" and d["integrator"] == "teapot"
    back = xt.Quadrupole.from_dict(q.to_dict())
    assert back.model == "adaptive" and back.integrator == "adaptive"
    b = xt.Bend(length=1.0, angle=0.1, edge_entry_model="full")
    assert b.to_dict()["edge_entry_model"] == "full" and "edge_exit_model" not in b.to_dict()


def test_effective_dipole_strength_follows_h_or_k0():
    rb = xt.RBend(length_straight=1.0, angle=0.2)
    assert rb._k0 == rb.h == pytest.approx(0.2 / rb.length)
    assert xt.Bend(length=2.0, angle=0.1, k0=0.3)._k0 == 0.3


def test_bad_options_name_the_parameter():
    with pytest.raises(ValueError, match="model must be one of"):
        xt.Quadrupole(length=1.0, model="kick-drift")
    with pytest.raises(ValueError, match="integrator must be one of"):
        xt.Bend(length=1.0, integrator="yoshida-8")
    with pytest.raises(TypeError, match="k7"):
        xt.Octupole(length=1.0, k7=3.0)
    with pytest.raises(ValueError, match="order"):
        xt.Multipole(knl=[1.0], order=-1)


def test_pure_tilt_equals_srotations():
    q = xt.Quadrupole(length=1.0, k1=0.2, rot_s_rad=0.3)
    p1 = _particles()
    q.track(p1)
    p2 = _particles()
    xt.SRotation(angle=np.rad2deg(0.3)).track(p2)
    xt.Quadrupole(length=1.0, k1=0.2).track(p2)
    xt.SRotation(angle=-np.rad2deg(0.3)).track(p2)
    np.testing.assert_allclose(_coords(p1), _coords(p2), rtol=0, atol=1e-15)


def test_full_misalignment_with_zero_angles_is_a_shift():
    q1 = xt.Quadrupole(length=1.0, k1=0.2, shift_x=1e-3, shift_y=-5e-4)
    q2 = xt.Quadrupole(length=1.0, k1=0.2, shift_x=1e-3, shift_y=-5e-4, rot_x_rad=1e-16)
    p1, p2 = _particles(), _particles()
    q1.track(p1)
    q2.track(p2)
    np.testing.assert_allclose(_coords(p1), _coords(p2), rtol=0, atol=1e-13)


def test_rbend_straight_body_reference_particle_stays_on_axis():
    for diff in (0.0, 0.01):
        p = xt.Particles(p0c=26e9, x=[0.0])
        rb = xt.RBend(length_straight=2.5, angle=0.04, rbend_model="straight-body",
                      rbend_angle_diff=diff)
        rb.track(p)
        assert abs(p.x[0]) < 1e-12 and abs(p.px[0]) < 1e-12 and abs(p.zeta[0]) < 1e-11


def test_nested_rot_kick_rot_keeps_reference_orbit_with_quadrupole():
    # the nested scheme integrates the dipole between the outer kicks, so the
    # reference particle stays on the axis where the outer kicks sample k1
    p_nested = xt.Particles(p0c=7e12, x=[0.0])
    xt.Bend(length=10.0, angle=0.01, k1=0.01).track(p_nested)  # adaptive: nested
    p_low = xt.Particles(p0c=7e12, x=[0.0])
    xt.Bend(length=10.0, angle=0.01, k1=0.01, model="rot-kick-rot-low-order").track(p_low)
    assert abs(p_nested.x[0]) < 1e-12 and abs(p_nested.px[0]) < 1e-12
    assert abs(p_low.x[0]) > 1e-6


@pytest.mark.parametrize("model", ["rot-kick-rot", "rot-kick-rot-high-order"])
def test_rot_kick_rot_converges_to_exact_bend(model):
    def track(**kwargs):
        p = xt.Particles(p0c=1e9, x=[1e-3, -2e-3], px=[1e-4, 0.0], y=[1e-3, 0.0],
                         delta=[1e-3, -2e-3])
        xt.Bend(length=2.0, angle=0.1, edge_entry_active=0, edge_exit_active=0,
                **kwargs).track(p)
        return p
    p_ref = track(model="bend-kick-bend")
    # the inner Yoshida-4 step converges as (angle per step)^4: 100 outer steps
    p_test = track(model=model, num_multipole_kicks=700)
    for name in ("x", "px", "y", "py", "zeta"):
        np.testing.assert_allclose(getattr(p_test, name), getattr(p_ref, name), rtol=0,
                                   atol=1e-13)


def test_bend_mean_radiation_of_reference_particle_is_classical():
    # Jackson eq. 14.44 on a circle of curvature h: dE = e beta^3 gamma^4 h^2 L / (6 pi eps0)
    p = xt.Particles(p0c=45.6e9, mass0=xt.ELECTRON_MASS_EV, q0=-1, x=[0.0])
    bend = xt.Bend(length=10.0, angle=0.01, radiation_flag=1)
    bend.track(p)
    gamma = np.sqrt(45.6e9**2 + xt.ELECTRON_MASS_EV**2) / xt.ELECTRON_MASS_EV
    beta = np.sqrt(1 - 1 / gamma**2)
    d_energy = 1.6021766208e-19 * beta**3 * gamma**4 * 1e-6 * 10.0 / (6 * np.pi * 8.854187817620e-12)
    np.testing.assert_allclose(p.ptau[0] * 45.6e9, -d_energy, rtol=1e-9)
    assert abs(p.x[0]) < 1e-11  # the loss is applied after the body


def test_quadrupole_mean_radiation_converges_to_classical_integral():
    # Jackson eq. 14.44 integrated along the orbit: dE = -e beta^3 gamma^4 / (6 pi eps0)
    # * int kappa^2 ds with kappa = k1 r / (1 + delta); per-segment radiation with many
    # kicks must reach it (a single kick is the reference's one-segment average).
    k1, length, n_fine = 0.2, 1.0, 2000
    p0 = xt.Particles(p0c=45.6e9, mass0=xt.ELECTRON_MASS_EV, q0=-1,
                      x=[1e-3, -2e-3], y=[5e-4, 1e-3], px=[1e-4, 2e-4], delta=[0.0, 1e-2])
    p = p0.copy()
    r2 = [p.x**2 + p.y**2]
    piece = xt.Quadrupole(k1=k1, length=length / n_fine)
    for _ in range(n_fine):
        piece.track(p)
        r2.append(p.x**2 + p.y**2)
    r2 = np.array(r2)
    integral = (r2[1:-1].sum(axis=0) + 0.5 * (r2[0] + r2[-1])) * length / n_fine
    opd = 1 + p0.delta
    gamma = np.sqrt((45.6e9 * opd)**2 + xt.ELECTRON_MASS_EV**2) / xt.ELECTRON_MASS_EV
    beta = np.sqrt(1 - 1 / gamma**2)
    expected = -(1.6021766208e-19 * beta**3 * gamma**4 * k1**2 * integral / opd**2
                 / (6 * np.pi * 8.854187817620e-12))
    p_rad = p0.copy()
    xt.Quadrupole(k1=k1, length=length, radiation_flag=1, num_multipole_kicks=100).track(p_rad)
    np.testing.assert_allclose((p_rad.ptau - p0.ptau) * 45.6e9, expected, rtol=1e-4)
    p_one = p0.copy()
    xt.Quadrupole(k1=k1, length=length, radiation_flag=1).track(p_one)
    assert np.all(np.abs((p_one.ptau - p0.ptau) * 45.6e9 / expected - 1) > 1e-3)


def test_legacy_yoshida4_name_is_the_seven_kick_scheme():
    # 'yoshida4' of earlier versions is the seven-kick (sixth-order) scheme, the
    # one adaptive curved bends use: equal tracking, and not the triple jump
    def track(**kwargs):
        p = _particles(p0c=1e9)
        xt.Bend(length=2.0, angle=0.2, k0=0.2, k1=0.3, model="bend-kick-bend",
                num_multipole_kicks=10, edge_entry_active=0, edge_exit_active=0,
                **kwargs).track(p)
        return _coords(p)
    legacy = track(integrator="yoshida4")
    np.testing.assert_array_equal(legacy, track(integrator="yoshida-6"))
    np.testing.assert_array_equal(legacy, track())
    assert np.max(np.abs(legacy - track(integrator="yoshida-4"))) > 1e-9
    assert xt.Bend(length=1.0, angle=0.1, integrator="yoshida4").integrator == "yoshida-6"


def test_raw_struct_answers_to_model_and_integrator_codes():
    b = xt.Bend(length=2.0, angle=0.002, k0=0.001, num_multipole_kicks=20)
    for name, code in [("bend-kick-bend", 2), ("rot-kick-rot", 3), ("mat-kick-mat", 4),
                       ("drift-kick-drift-exact", 5), ("drift-kick-drift-expanded", 6)]:
        b.model = name
        assert b._xobject.model == code == b._xobject._model
    b._xobject.integrator = 1
    assert b.integrator == "teapot"
    q = xt.Quadrupole(length=1.0, k1=0.1, model="drift-kick-drift-exact")
    assert q._xobject.model == 5
