"""BeamBeamBiGaussian3D with config_for_update: slices from the other beam's particles."""

import numpy as np
import pytest
import xtrack as xt

from xfields.beam_elements.beambeam3d import (BeamBeamBiGaussian3D,
                                              ConfigForUpdateBeamBeamBiGaussian3D)
from xfields.slicing import constant_charge_slicing_gaussian

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
