"""Strong-strong BeamBeamBiGaussian2D through xtrack's pipeline: each beam is kicked by the
other as it arrives at the meeting, which equals a weak-strong kick by the partner's moments."""

import numpy as np
import pytest
import xtrack as xt

import xfields as xf

P0C = 7e12
PROTON_MASS = 938272088.16


def _beam(name, rng, intensity, mean_y):
    p = xt.Particles(p0c=P0C, mass0=PROTON_MASS, x=rng.normal(0, 16e-6, 3000),
                     px=rng.normal(0, 16e-6, 3000), y=rng.normal(mean_y, 12e-6, 3000),
                     py=rng.normal(0, 12e-6, 3000), weight=intensity / 3000)
    p.init_pipeline(name)
    return p


def _pipeline(names=("IP1",)):
    manager = xt.PipelineManager()
    manager.add_particles("b1", 0)
    manager.add_particles("b2", 0)
    for name in names:
        manager.add_element(name)
    return manager


def _element(manager, name, partner, q0=1.0):
    config = xf.ConfigForUpdateBeamBeamBiGaussian2D(pipeline_manager=manager, element_name=name,
                                                    partner_particles_name=partner)
    return xf.BeamBeamBiGaussian2D(other_beam_q0=q0, config_for_update=config)


def _weak_strong_kick(element_ss, partner, weak):
    """The same kick from a weak-strong element with the partner's measured moments."""
    ws = xf.BeamBeamBiGaussian2D(other_beam_q0=1.0, other_beam_num_particles=np.sum(partner.weight),
                                 other_beam_Sigma_11=np.var(partner.x), other_beam_Sigma_33=np.var(partner.y),
                                 other_beam_shift_x=-np.mean(partner.x), other_beam_shift_y=np.mean(partner.y))
    p = weak.copy()
    ws.track(p)
    return np.array(p.px), np.array(p.py)


def test_strong_strong_kick_is_the_weak_strong_kick_of_the_partner_moments():
    rng = np.random.default_rng(7)
    b1, b2 = _beam("b1", rng, 2.3e11, 1e-6), _beam("b2", rng, 1.3e11, -2e-6)
    start1, start2 = b1.copy(), b2.copy()
    manager = _pipeline()
    lines = [xt.Line(elements=[_element(manager, "IP1", partner)], element_names=["IP1"])
             for partner in ("b2", "b1")]
    tracker = xt.PipelineMultiTracker(branches=[xt.PipelineBranch(lines[0], b1),
                                                xt.PipelineBranch(lines[1], b2)])
    tracker.track(num_turns=1)
    for line, beam, start, partner in ((lines[0], b1, start1, start2), (lines[1], b2, start2, start1)):
        element = line["IP1"]
        assert element.other_beam_num_particles == pytest.approx(np.sum(partner.weight), rel=1e-12)
        assert element.mean_x == pytest.approx(-np.mean(partner.x), rel=1e-12)
        assert element.sigma_y == pytest.approx(np.std(partner.y), rel=1e-12)
        px, py = _weak_strong_kick(element, partner, start)
        order = np.argsort(beam.particle_id)
        np.testing.assert_allclose(np.array(beam.px)[order], px, rtol=1e-12, atol=1e-20)
        np.testing.assert_allclose(np.array(beam.py)[order], py, rtol=1e-12, atol=1e-20)
        assert np.array(beam.at_turn)[0] == 1


def test_branches_must_meet_the_same_number_of_times():
    rng = np.random.default_rng(3)
    b1, b2 = _beam("b1", rng, 1e11, 0.0), _beam("b2", rng, 1e11, 0.0)
    manager = _pipeline(("IP1", "IP2"))
    line1 = xt.Line(elements=[_element(manager, "IP1", "b2"), _element(manager, "IP2", "b2")],
                    element_names=["IP1", "IP2"])
    line2 = xt.Line(elements=[_element(manager, "IP1", "b1")], element_names=["IP1"])
    with pytest.raises(ValueError, match=r"different numbers of collective elements per turn \(\[2, 1\]\)"):
        xt.PipelineMultiTracker(branches=[xt.PipelineBranch(line1, b1), xt.PipelineBranch(line2, b2)])


def test_unknown_partner_is_named():
    manager = _pipeline()
    with pytest.raises(KeyError, match="no particles named 'b3'"):
        manager.get_particles("b3")
