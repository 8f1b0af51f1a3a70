"""BeamBeamBiGaussian3D with config_for_update: slices from the other beam's particles."""

import numpy as np
import pytest
import xtrack as xt

from xfields.beam_elements.beambeam3d import (BeamBeamBiGaussian3D,
                                              ConfigForUpdateBeamBeamBiGaussian3D)
from xfields.slicing import TempSlicer, constant_charge_slicing_gaussian

P0C, SIGMA, SIGMA_Z, N_BUNCH, N_SLICES = 7e12, 1.7e-5, 0.08, 1.1e11, 5


def _gaussian_bunch(n, seed):
    rng = np.random.default_rng(seed)
    return xt.Particles(p0c=P0C, x=SIGMA * rng.standard_normal(n), y=SIGMA * rng.standard_normal(n),
                        px=1e-6 * rng.standard_normal(n), py=1e-6 * rng.standard_normal(n),
                        zeta=SIGMA_Z * rng.standard_normal(n), weight=N_BUNCH / n)


def _probe():
    return xt.Particles(p0c=P0C, x=[0.5 * SIGMA, -1.5 * SIGMA, 2 * SIGMA],
                        y=[0.3 * SIGMA, SIGMA, -0.2 * SIGMA], zeta=[0.0, 0.05, -0.03])


def test_strong_strong_slices_follow_the_partner_and_match_weak_strong():
    centroids, _, per_slice = constant_charge_slicing_gaussian(N_BUNCH, SIGMA_Z, N_SLICES)
    weak_strong = BeamBeamBiGaussian3D(
        phi=1e-4, alpha=0.0, other_beam_q0=1.0, slices_other_beam_num_particles=per_slice,
        slices_other_beam_zeta_center=centroids[::-1], slices_other_beam_Sigma_11=SIGMA ** 2,
        slices_other_beam_Sigma_33=SIGMA ** 2, slices_other_beam_Sigma_22=1e-12,
        slices_other_beam_Sigma_44=1e-12)
    config = ConfigForUpdateBeamBeamBiGaussian3D(partner_particles=_gaussian_bunch(400_000, 1),
                                                 update_every=2)
    strong_strong = BeamBeamBiGaussian3D(
        phi=1e-4, alpha=0.0, other_beam_q0=1.0, slices_other_beam_num_particles=[0.0] * N_SLICES,
        slices_other_beam_zeta_center=[0.0] * N_SLICES, slices_other_beam_Sigma_11=1.0,
        slices_other_beam_Sigma_33=1.0, config_for_update=config)
    assert strong_strong.iscollective and not weak_strong.iscollective
    line = xt.Line(elements=[strong_strong], element_names=["ip1"])
    line.particle_ref = xt.Particles(p0c=P0C)
    p_ss, p_ws = _probe(), _probe()
    line.track(p_ss)
    weak_strong.track(p_ws)
    assert np.sum(strong_strong.slices_other_beam_num_particles) == pytest.approx(N_BUNCH)
    np.testing.assert_allclose(strong_strong.slices_other_beam_zeta_center_star,
                               weak_strong.slices_other_beam_zeta_center_star, rtol=0, atol=0.02 * SIGMA_Z)
    np.testing.assert_allclose(p_ss.px, p_ws.px, rtol=0.03)
    np.testing.assert_allclose(p_ss.py, p_ws.py, rtol=0.03)
    # update_every=2: the second passage keeps the slices of the first
    before = strong_strong.slices_other_beam_Sigma_11_star.copy()
    config.partner_particles = _gaussian_bunch(1000, 2)
    strong_strong.track(_probe())
    assert np.array_equal(strong_strong.slices_other_beam_Sigma_11_star, before)
    strong_strong.track(_probe())
    assert not np.array_equal(strong_strong.slices_other_beam_Sigma_11_star, before)


def test_strong_strong_without_partner_is_explained():
    config = ConfigForUpdateBeamBeamBiGaussian3D()
    element = BeamBeamBiGaussian3D(phi=0.0, alpha=0.0, other_beam_q0=1.0,
                                   slices_other_beam_num_particles=[1e11],
                                   slices_other_beam_zeta_center=[0.0],
                                   slices_other_beam_Sigma_11=1e-10, slices_other_beam_Sigma_33=1e-10,
                                   config_for_update=config)
    with pytest.raises(RuntimeError, match="partner_particles is None"):
        element.track(_probe())
    with pytest.raises(ValueError, match="update_every=0 must be an integer >= 1"):
        ConfigForUpdateBeamBeamBiGaussian3D(update_every=0)


def test_strong_strong_with_a_slicer_uses_its_slices():
    from xfields.slicing import TempSlicer

    slicer = TempSlicer(n_slices=N_SLICES, sigma_z=SIGMA_Z)
    partner = _gaussian_bunch(200_000, 4)
    config = ConfigForUpdateBeamBeamBiGaussian3D(partner_particles=partner, slicer=slicer)
    element = BeamBeamBiGaussian3D(phi=0.0, alpha=0.0, other_beam_q0=1.0,
                                   slices_other_beam_num_particles=[0.0] * N_SLICES,
                                   slices_other_beam_zeta_center=[0.0] * N_SLICES,
                                   slices_other_beam_Sigma_11=1.0, slices_other_beam_Sigma_33=1.0,
                                   config_for_update=config)
    element.track(_probe())
    np.testing.assert_allclose(element.slices_other_beam_num_particles, N_BUNCH / N_SLICES, rtol=0.02)
    np.testing.assert_allclose(element.slices_other_beam_zeta_center_star, slicer.bin_centers,
                               rtol=0, atol=0.02 * SIGMA_Z)
    wrong = ConfigForUpdateBeamBeamBiGaussian3D(partner_particles=partner,
                                                slicer=TempSlicer(n_slices=3, sigma_z=SIGMA_Z))
    element.config_for_update = wrong
    with pytest.raises(ValueError, match="the slicer has 3 slices and the element 5"):
        element.track(_probe())


# ---------------------------------------------------------------- pipelines
# Two beams tracked together by a PipelineMultiTracker, each element reading the
# other beam (in that beam's own frame: x axis reversed, y shared) from the manager.

E_P0C, E_MASS = 100e9, 0.511e6


def _pipeline_pair(beam1, beam2, phi, alpha, n_slices=1, sigma_z=1e-3):
    """Track `beam1` (e-) and `beam2` (e+) once through a strong-strong IP; returns the elements."""
    manager = xt.PipelineManager()
    for beam in (beam1, beam2):
        manager.add_particles(beam.name, 0)
    manager.add_element("IP1")
    slicer = TempSlicer(n_slices=n_slices, sigma_z=sigma_z)
    # beam 2's x axis is reversed: a horizontal crossing angle has the opposite sign for it
    phi2 = -phi if alpha == 0 else phi
    elements = [BeamBeamBiGaussian3D(
        phi=ph, alpha=alpha, other_beam_q0=other.q0,
        config_for_update=ConfigForUpdateBeamBeamBiGaussian3D(
            pipeline_manager=manager, element_name="IP1", partner_particles_name=other.name,
            slicer=slicer, update_every=1))
        for ph, other in ((phi, beam2), (phi2, beam1))]
    branches = []
    for element, beam in zip(elements, (beam1, beam2)):
        line = xt.Line(elements=[element], element_names=["IP1"])
        line.build_tracker()
        branches.append(xt.PipelineBranch(line, beam))
    xt.PipelineMultiTracker(branches=branches).track(num_turns=1)
    return elements


def _flat_beams(slope_name, slope1, slope2, seed, tag):
    rng = np.random.default_rng(seed)
    n, sigma_x, sigma_y = 2000, 1e-6, 1e-9
    beams = []
    for q0, zeta, slope, name in ((-1, 0.0, slope1, "e1"), (1, 1e-3, slope2, "e2")):
        beam = xt.Particles(q0=q0, p0c=E_P0C, mass0=E_MASS, x=sigma_x * rng.standard_normal(n),
                            y=sigma_y * rng.standard_normal(n), zeta=zeta, weight=1e11 / n,
                            **{slope_name: slope})
        beam.init_pipeline(name + tag)
        beams.append(beam)
    return beams


@pytest.mark.parametrize("phi", [1e-2, 1e-4])
@pytest.mark.parametrize("plane", ["x", "y"])
def test_crossing_angle_equals_tilted_head_on_collision(phi, plane):
    # A crossing at half angle phi is the head-on collision of beams that carry the
    # slopes of the crossing: +phi for beam 1 and, in beam 2's own frame, -phi
    # horizontally (its x axis is reversed) or +phi vertically. The bunches are
    # displaced (zeta) so that they meet away from the IP, where the angle matters.
    alpha = 0.0 if plane == "x" else np.pi / 2
    slope = "p" + plane
    slope2 = -phi if plane == "x" else phi
    crossing = _flat_beams(slope, 0.0, 0.0, 11, "c")
    tilted = _flat_beams(slope, phi, slope2, 11, "t")
    _pipeline_pair(*crossing, phi=phi, alpha=alpha)
    _pipeline_pair(*tilted, phi=0.0, alpha=alpha)
    kick = np.max(np.abs(getattr(tilted[0], slope) - phi))
    assert kick > 1e-4  # a strong collision
    for beam_c, beam_t, s in zip(crossing, tilted, (phi, slope2)):
        diff = getattr(beam_c, slope) + s - getattr(beam_t, slope)
        assert np.max(np.abs(diff)) < 1e-5 * phi


def test_pipeline_partner_is_mirrored_and_its_moments_kept():
    rng = np.random.default_rng(5)
    n, x0, y0, py0 = 20_000, 3e-6, -2e-6, 4e-7
    beams = []
    for q0, name, sign in ((1, "b1", 1), (1, "b2", -1)):
        beam = xt.Particles(p0c=P0C, q0=q0, x=sign * x0 + SIGMA * rng.standard_normal(n),
                            y=y0 + SIGMA * rng.standard_normal(n), py=sign * py0,
                            zeta=SIGMA_Z * rng.standard_normal(n), weight=N_BUNCH / n)
        beam.init_pipeline(name)
        beams.append(beam)
    slicer = TempSlicer(n_slices=N_SLICES, sigma_z=SIGMA_Z)
    before = [slicer.compute_moments(b) for b in beams]  # as each beam arrives at the IP
    elements = _pipeline_pair(*beams, phi=0.0, alpha=0.0, n_slices=N_SLICES, sigma_z=SIGMA_Z)
    assert elements[0].slices_other_beam_num_particles.shape == (N_SLICES,)  # the slicer's count
    np.testing.assert_array_equal(elements[0].partner_moments, before[1])
    np.testing.assert_array_equal(elements[1].partner_moments, before[0])
    # beam 2 at x = -x0 in its frame is at +x0 in beam 1's; y shared; py reversed
    np.testing.assert_allclose(elements[0].slices_other_beam_x_center_star, x0, atol=0.1 * SIGMA)
    np.testing.assert_allclose(elements[0].slices_other_beam_y_center_star, y0, atol=0.1 * SIGMA)
    np.testing.assert_allclose(elements[0].slices_other_beam_py_center_star, py0, rtol=1e-12)


def test_weak_strong_config_never_updates_and_empty_slices_do_not_kick():
    slicer = TempSlicer(n_slices=N_SLICES, sigma_z=SIGMA_Z)
    # update_every=None: the slices it is built with stay (weak-strong through the same config)
    kept = BeamBeamBiGaussian3D(
        phi=0.0, alpha=0.0, other_beam_q0=1.0, slices_other_beam_num_particles=slicer.bin_weights * N_BUNCH,
        slices_other_beam_zeta_center=slicer.bin_centers, slices_other_beam_Sigma_11=SIGMA ** 2,
        slices_other_beam_Sigma_33=SIGMA ** 2,
        config_for_update=ConfigForUpdateBeamBeamBiGaussian3D(slicer=slicer, update_every=None))
    before = kept.slices_other_beam_num_particles.copy()
    kept.track(_probe())
    np.testing.assert_array_equal(kept.slices_other_beam_num_particles, before)
    # built without slices: the slicer's number, empty, and an empty slice gives no kick (no NaN)
    empty = BeamBeamBiGaussian3D(
        phi=0.0, alpha=0.0, other_beam_q0=1.0,
        config_for_update=ConfigForUpdateBeamBeamBiGaussian3D(slicer=slicer, update_every=None))
    assert int(empty.num_slices_other_beam) == N_SLICES
    p = _probe()
    empty.track(p)
    assert np.all(p.px == 0) and np.all(p.py == 0)
    with pytest.raises(ValueError, match="or a config_for_update with a slicer"):
        BeamBeamBiGaussian3D(phi=0.0, alpha=0.0, other_beam_q0=1.0,
                             config_for_update=ConfigForUpdateBeamBeamBiGaussian3D())


def test_strong_strong_beamstrahlung_gets_slice_lengths_from_the_slicer():
    slicer = TempSlicer(n_slices=N_SLICES, sigma_z=SIGMA_Z)
    element = BeamBeamBiGaussian3D(
        phi=1e-3, alpha=0.0, other_beam_q0=1.0, flag_beamstrahlung=1,
        config_for_update=ConfigForUpdateBeamBeamBiGaussian3D(
            partner_particles=_gaussian_bunch(50_000, 7), slicer=slicer))
    element.track(_probe())
    widths = element.slices_other_beam_zeta_bin_width_beamstrahlung
    inner = -np.diff(slicer.bin_edges[1:-1])  # the cuts between the inner slices
    np.testing.assert_allclose(widths[1:-1], inner, rtol=1e-12)
    centers = element.slices_other_beam_zeta_center_star * np.cos(1e-3)  # near the centroids
    assert widths[0] == pytest.approx(2 * (centers[0] - slicer.bin_edges[1]), rel=0.05)
    np.testing.assert_allclose(element.slices_other_beam_zeta_bin_width_star_beamstrahlung,
                               widths / np.cos(1e-3), rtol=1e-12)
    np.testing.assert_allclose(element.slices_other_beam_sqrtSigma_11_beamstrahlung, SIGMA, rtol=0.05)
