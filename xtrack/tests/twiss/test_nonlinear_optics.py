"""Amplitude detuning, tune footprint and non-linear chromaticity against first-order
perturbation theory of a thin octupole and against the twiss chromaticities."""

import numpy as np
import pytest

import xtrack as xt
from xtrack.twiss.footprint import LinearRescale, get_footprint
from xtrack.twiss.nonlinear_optics import (get_amplitude_detuning_coefficients,
                                           get_non_linear_chromaticity)

K3L = 200.0


@pytest.fixture(scope="module")
def octupole_ring():
    """Thin-quadrupole ring with one thin octupole (knl[3] = vars['ko'])."""
    elements = []
    for _ in range(6):
        elements += [xt.Drift(length=1.0), xt.Multipole(knl=[0, 0.35]),
                     xt.Drift(length=1.0), xt.Multipole(knl=[0, -0.33])]
    elements.append(xt.Multipole(knl=[0, 0, 0, 0]))
    line = xt.Line(elements=elements)
    line.particle_ref = xt.Particles(p0c=1e9, mass0=xt.PROTON_MASS_EV)
    line.vars["ko"] = K3L
    line.element_refs[line.element_names[-1]].knl[3] = line.vars["ko"]
    line.build_tracker()
    return line


def _analytic_detuning(tw):
    """<H> of a thin octupole, H = k3l/24 (x^4 - 6 x^2 y^2 + y^4), over the betatron phases:
    dQx/dJx = k3l bx^2 / (16 pi), dQx/dJy = dQy/dJx = -k3l bx by / (8 pi), dQy/dJy alike."""
    bx, by = tw.betx[-1], tw.bety[-1]
    return {"det_xx": K3L * bx ** 2 / (16 * np.pi), "det_yy": K3L * by ** 2 / (16 * np.pi),
            "det_xy": -K3L * bx * by / (8 * np.pi), "det_yx": -K3L * bx * by / (8 * np.pi)}


def test_detuning_coefficients_match_perturbation_theory(octupole_ring):
    det = get_amplitude_detuning_coefficients(octupole_ring, nemitt_x=1e-6, nemitt_y=1e-6)
    expected = _analytic_detuning(octupole_ring.twiss4d(chrom=False))
    for name, value in expected.items():
        # second order in k3l and the a0 amplitude of the other plane: ~1e-4 here
        assert det[name] == pytest.approx(value, rel=1e-3), name
    with pytest.raises(ValueError, match="a2_sigmas"):
        get_amplitude_detuning_coefficients(octupole_ring, a1_sigmas=0.2, a2_sigmas=0.1)


def test_polar_footprint_follows_the_detuning(octupole_ring):
    tw = octupole_ring.twiss4d(chrom=False)
    fp = get_footprint(octupole_ring, nemitt_x=1e-6, nemitt_y=1e-6, n_r=3, n_theta=3,
                       r_range=(0.1, 3.0), freeze_longitudinal=True)
    assert fp.qx.shape == (3, 3) and fp.mode == "polar"
    np.testing.assert_allclose(fp.x_norm_2d ** 2 + fp.y_norm_2d ** 2,
                               np.repeat(fp.r_grid[:, None] ** 2, 3, axis=1), rtol=1e-14)
    det = _analytic_detuning(tw)
    beta_gamma = octupole_ring.particle_ref.beta0[0] * octupole_ring.particle_ref.gamma0[0]
    jx = fp.x_norm_2d ** 2 * 1e-6 / beta_gamma / 2
    jy = fp.y_norm_2d ** 2 * 1e-6 / beta_gamma / 2
    qx = tw.qx + det["det_xx"] * jx + det["det_xy"] * jy
    qy = tw.qy + det["det_yx"] * jx + det["det_yy"] * jy
    # FFT of 256 turns: peak bias ~1e-5; amplitude shifts up to 6e-3 here
    np.testing.assert_allclose(fp.qx, qx, rtol=0, atol=2e-5 + 0.02 * np.max(np.abs(qx - tw.qx)))
    np.testing.assert_allclose(fp.qy, qy, rtol=0, atol=2e-5 + 0.02 * np.max(np.abs(qy - tw.qy)))


def test_uniform_action_grid_and_linear_rescale(octupole_ring):
    kwargs = dict(nemitt_x=1e-6, nemitt_y=1e-6, mode="uniform_action_grid", n_x_norm=3, n_y_norm=2,
                  x_norm_range=(0.5, 3.0), y_norm_range=(0.5, 2.0), freeze_longitudinal=True)
    direct = get_footprint(octupole_ring, **kwargs)
    np.testing.assert_allclose(np.diff(direct.x_norm_grid ** 2), (9 - 0.25) / 2, rtol=1e-12)
    # detuning linear in the octupole strength: measured at 10 % and scaled to the full knob
    rescaled = get_footprint(octupole_ring, linear_rescale_on_knobs=[
        LinearRescale(knob_name="ko", v0=0.0, dv=0.1 * K3L)], **kwargs)
    assert octupole_ring.vars["ko"]._value == K3L  # restored
    np.testing.assert_allclose(rescaled.qx, direct.qx, rtol=0, atol=5e-5)
    np.testing.assert_allclose(rescaled.qy, direct.qy, rtol=0, atol=5e-5)


def test_footprint_arguments_are_checked(octupole_ring):
    with pytest.raises(ValueError, match="nemitt_x"):
        get_footprint(octupole_ring)
    with pytest.raises(ValueError, match="mode"):
        get_footprint(octupole_ring, nemitt_x=1e-6, nemitt_y=1e-6, mode="square")
    with pytest.raises(ValueError, match="uniform_action_grid"):
        get_footprint(octupole_ring, nemitt_x=1e-6, nemitt_y=1e-6, n_x_norm=3)
    with pytest.raises(ValueError, match="dv"):
        LinearRescale(knob_name="ko", v0=0, dv=0)


def test_non_linear_chromaticity_agrees_with_twiss(fodo):
    tw = fodo.twiss4d()
    nl = get_non_linear_chromaticity(fodo, delta0_range=(-1e-3, 1e-3), num_delta=7, fit_order=3)
    np.testing.assert_allclose(nl.delta0, np.linspace(-1e-3, 1e-3, 7), rtol=0, atol=1e-18)
    assert nl.dnqx[0] == pytest.approx(tw.qx, abs=1e-9)
    assert nl.dnqx[1] == pytest.approx(tw.dqx, abs=1e-3)
    assert nl.dnqy[1] == pytest.approx(tw.dqy, abs=1e-3)
    assert nl.dnqx[2] == pytest.approx(tw.ddqx, rel=0.02)
    with pytest.raises(ValueError, match="num_delta"):
        get_non_linear_chromaticity(fodo, num_delta=3, fit_order=3)


def test_line_methods_are_the_documented_entry_points(octupole_ring):
    # line.get_amplitude_detuning_coefficients / get_footprint / get_non_linear_chromaticity
    # are what scripts call; they give exactly the backends' numbers
    det = octupole_ring.get_amplitude_detuning_coefficients(nemitt_x=1e-6, nemitt_y=1e-6)
    assert det == get_amplitude_detuning_coefficients(octupole_ring, nemitt_x=1e-6, nemitt_y=1e-6)
    kwargs = dict(nemitt_x=1e-6, nemitt_y=1e-6, n_r=2, n_theta=2, r_range=(0.1, 2.0),
                  freeze_longitudinal=True)
    np.testing.assert_array_equal(octupole_ring.get_footprint(**kwargs).qx,
                                  get_footprint(octupole_ring, **kwargs).qx)
    nlc = octupole_ring.get_non_linear_chromaticity(delta0_range=(-1e-4, 1e-4), num_delta=3,
                                                    fit_order=1)
    ref = get_non_linear_chromaticity(octupole_ring, (-1e-4, 1e-4), 3, 1)
    np.testing.assert_array_equal(np.asarray(nlc.qx), np.asarray(ref.qx))
    for name in ("compute_T_matrix", "get_line_with_second_order_maps",
                 "get_local_momentum_acceptance"):
        assert callable(getattr(octupole_ring, name))
