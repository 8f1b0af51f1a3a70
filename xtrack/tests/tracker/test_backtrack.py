"""Backtracking: `line.track(particles, backtrack=True)` applies the inverse map
of every element, from the end of the range back to its start.

Forward then backward must return the particles to where they started (to
round-off), element family by element family and on whole lattices; the
element-by-element record of a backtrack is the forward record; elements
without an inverse are refused by name, and configurations without one mark
the particles with state -32.
"""

import numpy as np
import pytest
import xtrack as xt

COORDS = ("x", "px", "y", "py", "zeta", "delta", "s")


def _particles(n=8, seed=2, p0c=1e9):
    rng = np.random.default_rng(seed)
    return xt.Particles(p0c=p0c, x=rng.normal(0, 1e-3, n), px=rng.normal(0, 1e-4, n),
                        y=rng.normal(0, 1e-3, n), py=rng.normal(0, 1e-4, n),
                        zeta=rng.normal(0, 1e-2, n), delta=rng.normal(0, 1e-3, n))


def _line(elements):
    line = xt.Line(elements=elements, element_names=[f"e{ii}" for ii in range(len(elements))])
    line.build_tracker()
    return line


ELEMENTS = {
    "drift": xt.Drift(length=2.),
    "drift_exact": xt.DriftExact(length=1.5),
    "device": xt.Device(length=0.7),
    "multipole_thin": xt.Multipole(knl=[1e-3, 0.1, 1.], ksl=[2e-3, 0.05], hxl=1e-3, length=0.5),
    "multipole_thick": xt.Multipole(knl=[1e-3, 0.1, 1.], ksl=[2e-3], length=0.5, isthick=True, hxl=0.01),
    "quadrupole_misaligned": xt.Quadrupole(length=1., k1=0.5, k1s=0.1, knl=[0, 0, 0.3], shift_x=1e-3,
                                           rot_s_rad=0.2),
    "sextupole": xt.Sextupole(length=0.3, k2=3., k2s=1.),
    "octupole": xt.Octupole(length=0.3, k3=30.),
    "bend_linear_edges": xt.Bend(length=2., angle=0.1, k0_from_h=True, k1=0.05, edge_entry_angle=0.02,
                                 edge_exit_angle=0.03, edge_entry_hgap=0.02, edge_entry_fint=0.5),
    "bend_bend_kick_bend": xt.Bend(length=2., angle=0.1, k0=0.04, model="bend-kick-bend", knl=[0, 0, 0.1]),
    "bend_expanded": xt.Bend(length=2., angle=0.1, k0_from_h=True, model="drift-kick-drift-expanded",
                             integrator="teapot", num_multipole_kicks=5),
    "magnet_mat": xt.Magnet(length=1., h=0.05, k0=0.05, k1=0.1, k2s=0.3, model="mat-kick-mat"),
    "rbend": xt.RBend(length=2., angle=0.1, k0_from_h=True, k1=0.02, edge_entry_angle=0.01),
    # exact misalignment patches (shift_s, rot_x/rot_y, shifts of curved magnets) are undone
    # by the inverse frame changes
    "quadrupole_patch": xt.Quadrupole(length=1., k1=0.5, k1s=-0.3, shift_x=1e-3, shift_y=2e-3,
                                      shift_s=1e-2, rot_s_rad=-0.4),
    "multipole_thin_patch": xt.Multipole(knl=[1e-3, 0.1, 1.], ksl=[2e-3], hxl=1e-3, length=0.5,
                                         shift_s=1e-2, rot_x_rad=2e-3, rot_s_rad=0.1),
    "bend_patch": xt.Bend(length=2., angle=0.1, k0_from_h=True, shift_x=1e-3, rot_x_rad=1e-3,
                          rot_y_rad=-2e-3, rot_shift_anchor=0.5),
    "rbend_patch": xt.RBend(length=2., angle=0.1, k0_from_h=True, shift_s=2e-3, rot_y_rad=1e-3),
    "rbend_straight": xt.RBend(length=2., angle=0.1, k0_from_h=True, rbend_model="straight-body",
                               edge_exit_angle=0.02),
    "cavity_thick": xt.Cavity(voltage=3e6, frequency=400e6, lag=30, length=1.2, num_kicks=3),
    "crab_cavity": xt.CrabCavity(crab_voltage=1e6, frequency=400e6, lag=10, length=0.5, num_kicks=2),
    "xy_shift": xt.XYShift(dx=1e-3, dy=-2e-3),
    "zeta_shift": xt.ZetaShift(dzeta=0.1),
    "s_rotation": xt.SRotation(angle=12.),
    "x_rotation": xt.XRotation(angle=0.3),
    "y_rotation": xt.YRotation(angle=-0.2),
    "translation": xt.Translation(shift_x=1e-3, shift_y=-2e-3, shift_s=0.05),
    "rotation": xt.Rotation(rot_x_rad=1e-3, rot_y_rad=-2e-3, rot_s_rad=0.3),
    "marker": xt.Marker(),
}


@pytest.mark.parametrize("name", list(ELEMENTS))
def test_forward_then_backward_is_identity(name):
    element = ELEMENTS[name].copy()
    assert type(element).has_backtrack is True
    line = _line([element])
    p0 = _particles()
    p = p0.copy()
    line.track(p)
    moved = max(np.max(np.abs(getattr(p, c) - getattr(p0, c))) for c in COORDS)
    line.track(p, backtrack=True)
    assert np.all(p.state == 1)
    for c in COORDS:
        np.testing.assert_allclose(getattr(p, c), getattr(p0, c), rtol=0, atol=5e-15, err_msg=c)
    if name != "marker":
        assert moved > 1e-6, "the element must act on the particles"


def test_backtrack_starts_from_an_element_tracked_alone():
    """As the established tests do: element.track forward, line.track(backtrack=True) back, s -> 0."""
    element = xt.Bend(length=1.5, angle=0.05, k0_from_h=True)
    p = _particles()
    element.track(p)
    np.testing.assert_allclose(p.s, 1.5, rtol=0, atol=1e-14)
    line = _line([element])
    line.track(p, backtrack=True)
    np.testing.assert_allclose(p.s, 0., rtol=0, atol=1e-14)


def test_backtrack_over_an_element_range_and_several_turns():
    cell = [xt.Drift(length=1.), xt.Quadrupole(length=0.5, k1=0.4), xt.Drift(length=1.),
            xt.Bend(length=2., angle=0.1, k0_from_h=True), xt.Quadrupole(length=0.5, k1=-0.4)]
    line = _line(cell)
    p0 = _particles()
    p = p0.copy()
    line.track(p, ele_start=1, ele_stop=4)
    assert np.all(p.at_element == 4)
    line.track(p, ele_start=1, ele_stop=4, backtrack=True)
    assert np.all(p.at_element == 1)
    for c in COORDS:
        np.testing.assert_allclose(getattr(p, c), getattr(p0, c), rtol=0, atol=1e-14, err_msg=c)

    p = p0.copy()
    line.track(p, num_turns=3)
    assert np.all(p.at_turn == 3)
    line.track(p, num_turns=3, backtrack=True)
    assert np.all(p.at_turn == 0) and np.all(p.at_element == 0)
    for c in COORDS:
        np.testing.assert_allclose(getattr(p, c), getattr(p0, c), rtol=0, atol=1e-13, err_msg=c)


def test_element_by_element_record_of_backtrack_equals_forward():
    cell = [xt.Drift(length=1.), xt.Quadrupole(length=0.5, k1=0.4), xt.Multipole(knl=[0, 0, 0.5]),
            xt.Bend(length=2., angle=0.1, k0_from_h=True), xt.Cavity(voltage=1e6, frequency=200e6, lag=170)]
    line = _line(cell)
    p = _particles()
    line.track(p, turn_by_turn_monitor="ONE_TURN_EBE")
    forward = line.record_last_track
    line.track(p, backtrack=True, turn_by_turn_monitor="ONE_TURN_EBE")
    backward = line.record_last_track
    assert forward.x.shape == (len(p.x), len(cell) + 1)
    for c in ("x", "px", "y", "py", "zeta", "delta"):
        np.testing.assert_allclose(getattr(backward, c), getattr(forward, c), rtol=0, atol=1e-14, err_msg=c)
    assert np.ptp(forward.x, axis=1).min() > 0


@pytest.mark.parametrize("lattice", ["fodo", "ps", "sps"])
def test_reference_lattice_one_turn_back_and_forth(reference_dir, lattice):
    line = xt.Line.from_json(reference_dir / "xtrack" / "lattices" / lattice / "line.json.gz")
    line.build_tracker()
    ref = line.particle_ref
    rng = np.random.default_rng(1)
    p0 = xt.Particles(mass0=ref.mass0, q0=ref.q0, p0c=ref.p0c[0], x=rng.normal(0, 1e-4, 5),
                      px=rng.normal(0, 1e-6, 5), y=rng.normal(0, 1e-4, 5), py=rng.normal(0, 1e-6, 5),
                      delta=rng.normal(0, 1e-4, 5))
    p = p0.copy()
    line.track(p)
    line.track(p, backtrack=True)
    assert np.all(p.state == 1) and np.all(p.at_turn == 0)
    for c in ("x", "px", "y", "py", "delta"):
        np.testing.assert_allclose(getattr(p, c), getattr(p0, c), rtol=0, atol=1e-13, err_msg=c)
    np.testing.assert_allclose(p.zeta, p0.zeta, rtol=0, atol=1e-11)


def test_element_without_inverse_is_refused_by_name():
    line = _line([xt.Drift(length=1.), xt.UniformSolenoid(length=1., ks=0.1), xt.Drift(length=1.)])
    p = _particles()
    with pytest.raises(NotImplementedError, match=r"'e1' \(UniformSolenoid\).*has_backtrack"):
        line.track(p, backtrack=True)
    line.track(p, ele_start=2, backtrack=True)  # a range without it is fine
    assert np.all(p.state == 1)


@pytest.mark.parametrize("element", [
    xt.Bend(length=2., angle=0.1, k0_from_h=True, edge_entry_model="full"),
    xt.Quadrupole(length=1., k1=0.1, edge_entry_active=1),
    xt.Quadrupole(length=1., k1=0.1, radiation_flag=1),
    xt.Bend(length=2., angle=0.1, k0_from_h=True, model="mat-kick-mat-exact"),
], ids=["full_edge", "quad_fringe", "radiation", "exact_drift_correction"])
def test_configuration_without_inverse_marks_particles(element):
    line = _line([element])
    p = _particles()
    line.track(p, backtrack=True)
    assert np.all(p.state == -32)
