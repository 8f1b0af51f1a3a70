"""BeamBeamBiGaussian3D with flag_luminosity: the luminosity per crossing in the internal record."""

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt

from xfields import BeamBeamBiGaussian3D, TempSlicer

P0C, N_BUNCH = 7e12, 1.15e11


def _weak_bunch(n, sigma_x, sigma_y, sigma_z, seed):
    rng = np.random.default_rng(seed)
    return xt.Particles(p0c=P0C, x=sigma_x * rng.standard_normal(n), y=sigma_y * rng.standard_normal(n),
                        zeta=sigma_z * rng.standard_normal(n), weight=N_BUNCH / n)


def _strong(sigma_x, sigma_y, sigma_z, phi, n_slices, **kwargs):
    # no hourglass (Sigma_22 = Sigma_44 = 0: the strong beam's size does not change along s)
    slicer = TempSlicer(n_slices=n_slices, sigma_z=sigma_z)
    return BeamBeamBiGaussian3D(phi=phi, alpha=0.0, other_beam_q0=1.0,
                                slices_other_beam_num_particles=slicer.bin_weights * N_BUNCH,
                                slices_other_beam_zeta_center=slicer.bin_centers,
                                slices_other_beam_Sigma_11=sigma_x ** 2,
                                slices_other_beam_Sigma_33=sigma_y ** 2, **kwargs)


def _logged_line(element, lumi_rows):
    line = xt.Line(elements=[element], element_names=["ip"])
    line.build_tracker()
    record = line.start_internal_logging_for_elements_of_type(
        BeamBeamBiGaussian3D,
        capacity={"beamstrahlungtable": 0, "bhabhatable": 0, "lumitable": lumi_rows})
    return line, record


@pytest.mark.parametrize("sigma_x, sigma_y", [(16.7e-6, 16.7e-6), (30e-6, 8e-6)])
def test_head_on_luminosity_is_the_gaussian_overlap(sigma_x, sigma_y):
    # two equal Gaussian bunches head-on: L = N1 N2 / (4 pi sigma_x sigma_y) per crossing
    # (e.g. W. Herr, B. Muratori, CERN-2006-002, p. 361); protons at 7 TeV: no disruption
    element = _strong(sigma_x, sigma_y, 0.08, 0.0, 5, flag_luminosity=1)
    line, record = _logged_line(element, 1)
    line.track(_weak_bunch(200_000, sigma_x, sigma_y, 0.08, 1))
    expected = N_BUNCH ** 2 / (4 * np.pi * sigma_x * sigma_y)
    assert record.lumitable.luminosity[0] == pytest.approx(expected, rel=0.01)
    assert record.lumitable._index.num_recorded == 1
    assert record.lumitable.num_macroparticles[0] == 200_000


def test_crossing_angle_reduces_luminosity_by_the_piwinski_factor():
    # L = N1 N2 / (4 pi sigma_x sigma_y sqrt(1 + (sigma_z phi / sigma_x)^2)) (Herr, Muratori)
    sigma, sigma_z, phi = 16.7e-6, 0.08, 150e-6
    element = _strong(sigma, sigma, sigma_z, phi, 60, flag_luminosity=1)
    line, record = _logged_line(element, 1)
    line.track(_weak_bunch(200_000, sigma, sigma, sigma_z, 2))
    piwinski = sigma_z * phi / sigma
    assert piwinski > 0.5
    expected = N_BUNCH ** 2 / (4 * np.pi * sigma ** 2 * np.sqrt(1 + piwinski ** 2))
    assert record.lumitable.luminosity[0] == pytest.approx(expected, rel=0.02)


def test_one_row_per_turn_up_to_the_capacity():
    sigma = 16.7e-6
    element = _strong(sigma, sigma, 0.08, 0.0, 3, flag_luminosity=1)
    line, record = _logged_line(element, 2)
    line.track(_weak_bunch(20_000, sigma, sigma, 0.08, 3), num_turns=3)
    table = record.lumitable
    assert table._index.num_recorded == 2
    assert list(table.at_turn) == [0, 1]
    assert table.luminosity[1] == pytest.approx(table.luminosity[0], rel=1e-3)  # no arcs: same beams
    # stopped: the record keeps what it has, the element tracks on without writing
    line.stop_internal_logging_for_elements_of_type(BeamBeamBiGaussian3D)
    before = table.luminosity.copy()
    line.track(_weak_bunch(1000, sigma, sigma, 0.08, 4))
    np.testing.assert_array_equal(table.luminosity, before)
    record.move(_context=xo.context_default)
    np.testing.assert_array_equal(record.lumitable.luminosity, before)


def test_without_the_flag_nothing_is_recorded_and_kicks_are_unchanged():
    sigma = 16.7e-6
    plain, flagged = (_strong(sigma, sigma, 0.08, 1e-4, 4, flag_luminosity=f) for f in (0, 1))
    line_plain, record_plain = _logged_line(plain, 1)
    line_flagged, record_flagged = _logged_line(flagged, 1)
    p_plain, p_flagged = _weak_bunch(500, sigma, sigma, 0.08, 5), _weak_bunch(500, sigma, sigma, 0.08, 5)
    line_plain.track(p_plain)
    line_flagged.track(p_flagged)
    assert record_plain.lumitable._index.num_recorded == 0
    assert record_flagged.lumitable.luminosity[0] > 0
    for name in ("x", "px", "y", "py", "zeta", "delta"):
        np.testing.assert_array_equal(getattr(p_plain, name), getattr(p_flagged, name))


def test_unavailable_radiation_models_are_explained():
    element = _strong(16.7e-6, 16.7e-6, 0.08, 0.0, 2)
    line = xt.Line(elements=[element], element_names=["ip"])
    line.build_tracker()
    assert line._needs_rng is False
    with pytest.raises(ValueError, match="model_beamstrahlung must be one of"):
        line.configure_radiation(model_beamstrahlung="classical")
    with pytest.raises(NotImplementedError, match="flag_luminosity=2 .* allowed: 0, 1"):
        _strong(16.7e-6, 16.7e-6, 0.08, 0.0, 2, flag_luminosity=2)
