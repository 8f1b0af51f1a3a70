"""BeamBeamBiGaussian3D with flag_bhabha: radiative Bhabha photons (_bb3d_bhabha.h)."""

import numpy as np
import pytest
import xtrack as xt

from xfields import BeamBeamBiGaussian3D, TempSlicer

ALPHA, R_E, M_E = 7.2973525693e-3, 2.8179403262e-15, 0.51099895e6
E0, N_BUNCH = 182.5e9, 2.3e11
SIGMA_X, SIGMA_Y, SIGMA_Z = np.sqrt(1.46e-9), np.sqrt(2.9e-12 * 0.0016), 2.54e-3


def _collide(beamsize_effect, n=5000, n_slices=10, seed=1, scale_strength=1.0, compt_scale=1.0):
    """FCC-ee-like flat e+e- beams, head-on; returns the record and the beam before/after."""
    rng = np.random.default_rng(seed)
    beam = xt.Particles(q0=-1, p0c=E0, mass0=M_E, x=SIGMA_X * rng.standard_normal(n),
                        y=SIGMA_Y * rng.standard_normal(n), zeta=SIGMA_Z * rng.standard_normal(n),
                        weight=N_BUNCH / n)
    slicer = TempSlicer(n_slices=n_slices, sigma_z=SIGMA_Z)
    element = BeamBeamBiGaussian3D(
        phi=0.0, alpha=0.0, other_beam_q0=1, scale_strength=scale_strength,
        slices_other_beam_num_particles=slicer.bin_weights * N_BUNCH,
        slices_other_beam_zeta_center=slicer.bin_centers,
        slices_other_beam_Sigma_11=SIGMA_X ** 2, slices_other_beam_Sigma_33=SIGMA_Y ** 2,
        compt_x_min=1e-2, compt_scale=compt_scale, flag_beamsize_effect=int(beamsize_effect),
        flag_luminosity=1)
    line = xt.Line(elements=[element], element_names=["ip"])
    line.build_tracker()
    line.configure_radiation(model_bhabha="quantum")
    assert element.flag_bhabha == 1 and line._needs_rng
    record = line.start_internal_logging_for_elements_of_type(
        BeamBeamBiGaussian3D, capacity={"beamstrahlungtable": 0, "bhabhatable": 200_000, "lumitable": 1})
    before = beam.copy()
    line.track(beam)
    line.stop_internal_logging_for_elements_of_type(BeamBeamBiGaussian3D)
    return record, before, beam


def _photons(record):
    table = record.bhabhatable
    return table.photon_energy[:table._index.num_recorded]


def _bfk_counts(luminosity, y_edges):
    # Baier-Fadin-Khoze: dsigma/dy = 4 alpha r_e^2 / y [(4/3)(1-y) + y^2] [ln(4 E1 E2 (1-y)/(m^2 y)) - 1/2]
    out = []
    for a, b in zip(y_edges[:-1], y_edges[1:]):
        y = np.geomspace(a, b, 2001)
        f = 4 * ALPHA * R_E ** 2 * ((4 / 3) * (1 - y) + y ** 2) * (np.log(4 * (E0 / M_E) ** 2 * (1 - y) / y) - 0.5)
        out.append(luminosity * np.trapezoid(f, np.log(y)))
    return np.array(out)


def test_spectrum_without_beamsize_effect_is_baier_fadin_khoze():
    record, _, _ = _collide(beamsize_effect=False)
    y_edges = np.array([0.1, 0.2, 0.4, 0.7, 0.95])  # above the cut of the virtual photons
    got = np.histogram(_photons(record) / E0, bins=y_edges)[0]
    expected = _bfk_counts(record.lumitable.luminosity[0], y_edges)
    assert np.all(got > 1000)  # a few % of statistics
    # the equivalent photon approximation sits a few % below the exact leading-log formula
    np.testing.assert_allclose(got, expected, rtol=0.08)


def test_beamsize_effect_halves_the_rate_and_softens_the_spectrum():
    with_effect, _, _ = _collide(beamsize_effect=True)
    without, _, _ = _collide(beamsize_effect=False)
    n_with, n_without = len(_photons(with_effect)), len(_photons(without))
    assert 0.4 < n_with / n_without < 0.65  # "about a factor 2" (Kotkin, Serbo, Schiller 1992)
    # the effect cuts large impact parameters, which matter most for soft photons
    soft = lambda r: np.mean(_photons(r) < 0.1 * E0)
    assert soft(with_effect) < soft(without)


def test_photons_carry_the_energy_the_beam_loses():
    # no beam-beam force (scale_strength = 0): the beam's energy change is the photons'
    record, before, after = _collide(beamsize_effect=True, scale_strength=0.0, compt_scale=3.0)
    photons = _photons(record)
    assert 10_000 < len(photons) < 200_000  # all recorded
    lost = np.sum(after.weight * (before.energy - after.energy))
    assert lost == pytest.approx(np.sum(photons), rel=1e-6)
    # each photon is a real one: weight x column density x cross section, scaled by compt_scale
    baseline, _, _ = _collide(beamsize_effect=True, scale_strength=0.0)
    assert len(photons) / len(_photons(baseline)) == pytest.approx(3.0, rel=0.05)
    # photons know their emitter, turn and order
    table = record.bhabhatable
    n = table._index.num_recorded
    assert np.all(table.at_turn[:n] == 0) and np.all(table.primary_energy[:n] > table.photon_energy[:n])
    assert set(table.particle_id[:n]) <= set(before.particle_id)


def test_standalone_track_draws_its_own_random_numbers():
    slicer = TempSlicer(n_slices=3, sigma_z=SIGMA_Z)
    element = BeamBeamBiGaussian3D(
        phi=0.0, alpha=0.0, other_beam_q0=1, slices_other_beam_num_particles=slicer.bin_weights * N_BUNCH,
        slices_other_beam_zeta_center=slicer.bin_centers, slices_other_beam_Sigma_11=SIGMA_X ** 2,
        slices_other_beam_Sigma_33=SIGMA_Y ** 2, scale_strength=0.0, flag_bhabha=1)
    beam = xt.Particles(q0=-1, p0c=E0, mass0=M_E, x=np.zeros(200), weight=N_BUNCH / 200)
    element.track(beam)  # generators initialised on the way: photons are drawn, energy drops
    assert np.any(beam.delta < 0) and np.all(beam.delta <= 0)
    line = xt.Line(elements=[element], element_names=["ip"])
    line.build_tracker()
    assert line._needs_rng  # a line with Bhabha on draws random numbers
