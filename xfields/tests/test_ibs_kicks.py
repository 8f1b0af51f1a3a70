"""IBS kick elements: emittances tracked through a model ring grow at the analytical rates.

The ring is two linear maps: from the kick (no dispersion) to a point with
1.5 m of dispersion and back, the RF (synchrotron rotation) in the second
half, where the dispersion returns to zero. Growth through 150 turns of a
dense 2 GeV proton bunch is compared with the Nagaitsev rates integrated
along the way (the rates change as the beam grows).
"""

import numpy as np
import pytest
import xtrack as xt
from scipy.constants import c

import xfields as xf
from xfields.ibs.beam_from_particles import beam_sizes_from_particles
from xfields.ibs.kinetic_kick import kinetic_rates

P0C = 2e9
BETX, BETY, DX = 12.0, 15.0, 1.5
INTENSITY = 5e11
GEMITT, SIGMA_DELTA, SIGMA_Z = 1e-7, 1e-3, 0.1


def _ring(kick, momentum_compaction):
    gamma = np.hypot(P0C, xt.PROTON_MASS_EV) / xt.PROTON_MASS_EV
    eta = momentum_compaction - 1 / gamma**2
    half = dict(length=1e4, qx=3.14, qy=3.155, betx=BETX, bety=BETY)
    to_arc = xt.LineSegmentMap(dx=(0.0, DX), longitudinal_mode="frozen", **half)
    back = xt.LineSegmentMap(dx=(DX, 0.0), qs=0.017, bets=np.sign(eta) * SIGMA_Z / SIGMA_DELTA,
                             momentum_compaction_factor=momentum_compaction, **half)
    line = xt.Line(elements=[to_arc, back, kick], element_names=["to_arc", "back", "ibs"])
    line.particle_ref = xt.Particles(p0c=P0C, mass0=xt.PROTON_MASS_EV)
    return line


def _matched_bunch(line, n=30_000, seed=1):
    # Coordinates standardised to exact moments: the bunch starts matched, so the
    # sizes only change through the kicks.
    rng = np.random.default_rng(seed)
    u, pu, v, pv, w, d = ((q - q.mean()) / q.std() for q in rng.standard_normal((6, n)))
    return line.build_particles(
        x=np.sqrt(GEMITT * BETX) * u, px=np.sqrt(GEMITT / BETX) * pu,
        y=np.sqrt(GEMITT * BETY) * v, py=np.sqrt(GEMITT / BETY) * pv,
        zeta=SIGMA_Z * w, delta=SIGMA_DELTA * d, weight=INTENSITY / n)


def _track_and_predict(line, twiss, particles, turns=150):
    """Relative changes (eps_x, eps_y, sigma_delta sigma_z): tracked, and from the analytical rates."""
    t_rev = twiss.circumference / (twiss.beta0 * c)
    start = np.array(beam_sizes_from_particles(twiss, particles))
    state = start.copy()
    for _ in range(turns):
        rates = twiss.get_ibs_growth_rates(
            formalism="nagaitsev", total_beam_intensity=INTENSITY, gemitt_x=state[0], gemitt_y=state[1],
            sigma_delta=state[2], bunch_length=state[3]).to_emittance_growth_rates()
        state = state * (1 + np.array([rates.Kx, rates.Ky, rates.Kz / 2, rates.Kz / 2]) * t_rev)
    line.track(particles, num_turns=turns)
    end = np.array(beam_sizes_from_particles(twiss, particles))

    def changes(s):
        return np.array([s[0] / start[0], s[1] / start[1], s[2] * s[3] / (start[2] * start[3])]) - 1

    return changes(end), changes(state)


def test_kinetic_coefficients_split_the_nagaitsev_rates():
    kick = xf.IBSKineticKick(num_slices=40)
    line = _ring(kick, momentum_compaction=0.01)
    line.configure_intrabeam_scattering(update_every=5)
    tw = kick._twiss
    diffusion, friction = kinetic_rates(tw, GEMITT, GEMITT, SIGMA_DELTA, SIGMA_Z, INTENSITY)
    rates = tw.get_ibs_growth_rates(formalism="nagaitsev", total_beam_intensity=INTENSITY, gemitt_x=GEMITT,
                                    gemitt_y=GEMITT, sigma_delta=SIGMA_DELTA,
                                    bunch_length=SIGMA_Z).to_emittance_growth_rates()
    # Diffusion heats, friction cools; what is left is the growth rate.
    assert min(diffusion) > 0 and min(friction) > 0
    np.testing.assert_allclose(np.subtract(diffusion, friction), rates.as_tuple(), rtol=1e-9)
    assert rates.Kz < 0  # this beam cools longitudinally: the kinetic kick can follow it

    particles = _matched_bunch(line)
    d, f = kick.compute_kinetic_coefficients(particles)
    assert isinstance(d, xf.DiffusionCoefficients) and isinstance(f, xf.FrictionCoefficients)
    assert (kick.diffusion_coefficients, kick.friction_coefficients) == (d, f)
    np.testing.assert_allclose((f.Fx, f.Fy, f.Fz), friction, rtol=1e-3)  # sizes from the particles
    # Half the variance rate of the momenta: the emittance diffusion rate times eps/beta (sigma_delta^2).
    np.testing.assert_allclose((d.Dx, d.Dy, d.Dz), np.multiply(
        diffusion, (GEMITT / BETX, GEMITT / BETY, SIGMA_DELTA**2)), rtol=2e-3)


def test_kinetic_kick_follows_the_analytical_rates_below_transition():
    kick = xf.IBSKineticKick(num_slices=40)
    line = _ring(kick, momentum_compaction=0.01)
    line.configure_intrabeam_scattering(update_every=5)
    assert kick._twiss.slip_factor < 0
    tracked, analytical = _track_and_predict(line, kick._twiss, _matched_bunch(line))
    # +10% (x), +17% (y), -1.1% (longitudinal emittance): each within 10% of the change.
    assert analytical[2] < 0 < analytical[0] < analytical[1]
    np.testing.assert_allclose(tracked, analytical, rtol=0.1)


def test_analytical_kick_heats_at_the_analytical_rates_above_transition():
    kick = xf.IBSAnalyticalKick(formalism="Nagaitsev", num_slices=40)
    line = _ring(kick, momentum_compaction=0.5)
    line.configure_intrabeam_scattering(update_every=5)
    tracked, analytical = _track_and_predict(line, kick._twiss, _matched_bunch(line))
    np.testing.assert_allclose(tracked[:2], analytical[:2], rtol=0.1)
    # The negative longitudinal rate is set to zero: no cooling, only noise.
    assert analytical[2] < 0 and abs(tracked[2]) < abs(analytical[2]) / 2


def test_kicks_are_off_until_configured_and_check_their_inputs():
    kick = xf.IBSKineticKick(num_slices=40)
    line = _ring(kick, momentum_compaction=0.01)
    particles = _matched_bunch(line, n=1000)
    x0 = particles.x.copy()
    line.track(particles)
    rotated = particles.x.copy()
    assert not np.allclose(rotated, x0)  # the maps act, the kick does not
    with pytest.raises(RuntimeError, match="configure_intrabeam_scattering"):
        kick.compute_kinetic_coefficients(particles)
    with pytest.raises(ValueError, match="num_slices"):
        xf.IBSKineticKick(num_slices=0)
    with pytest.raises(AssertionError, match="below transition"):
        _ring(xf.IBSAnalyticalKick(formalism="B&M", num_slices=10),
              momentum_compaction=0.01).configure_intrabeam_scattering(update_every=1)
    with pytest.raises(AssertionError, match="update_every"):
        line.configure_intrabeam_scattering(update_every=0)


def test_kinetic_kick_dict_round_trip():
    kick = xf.IBSKineticKick(num_slices=25)
    again = xf.IBSKineticKick.from_dict(kick.to_dict())
    assert again.num_slices == 25 and not again.is_configured
