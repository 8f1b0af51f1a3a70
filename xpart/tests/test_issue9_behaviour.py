"""Line-bound API, new generators, build_particles, linked arrays and reference checks."""

import numpy as np
import pytest

import xpart as xp
from xpart.build_particles import linear_normal_form
from xpart.line_tools import XpartLineAPI


class _Recorder:
    particle_ref = None

    def __init__(self):
        self.calls = []

    def build_particles(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        return "built"


def test_line_api_hands_the_owning_line_to_optics_generators(monkeypatch):
    line = _Recorder()
    seen = []
    monkeypatch.setattr(xp, "generate_matched_gaussian_bunch",
                        lambda *a, **k: seen.append((a, k)) or "ok")
    assert XpartLineAPI(line).generate_matched_gaussian_bunch(10, nemitt_x=1) == "ok"
    assert seen == [((10,), {"nemitt_x": 1, "line": line})]
    assert XpartLineAPI(line).build_particles(x=1) == "built"
    assert line.calls == [((), {"x": 1})]


def test_line_api_docs_speak_of_the_bound_call():
    doc = XpartLineAPI.generate_hypersphere_4D.__doc__
    assert "line.xpart.generate_hypersphere_4D(" in doc
    doc = XpartLineAPI.generate_longitudinal_coordinates.__doc__
    assert "owning this ``xpart`` container" in doc


@pytest.mark.parametrize("dim,func", [(2, xp.generate_hypersphere_2D),
                                      (4, xp.generate_hypersphere_4D),
                                      (6, xp.generate_hypersphere_6D)])
def test_hypersphere_points_lie_on_the_sphere(dim, func):
    np.random.seed(3)
    coords = func(500, r=2.5)
    assert len(coords) == dim
    radius = np.sqrt(sum(c * c for c in coords))
    np.testing.assert_allclose(radius, 2.5, rtol=1e-12)
    assert abs(np.mean(coords[0])) < 0.3  # isotropic: no preferred direction


def test_build_particles_from_normal_form_matrix():
    # uncoupled ring, beta 10 m / 4 m, alpha 0: x = sqrt(beta gemitt) x_norm
    mu = 2 * np.pi * np.array([0.31, 0.32])
    R = np.eye(6)
    for k, (bet, m) in enumerate(zip((10.0, 4.0), mu)):
        R[2 * k:2 * k + 2, 2 * k:2 * k + 2] = [[np.cos(m), bet * np.sin(m)],
                                               [-np.sin(m) / bet, np.cos(m)]]
    R[4:6, 4:6] = [[np.cos(0.01), 3 * np.sin(0.01)], [-np.sin(0.01) / 3, np.cos(0.01)]]
    W = linear_normal_form(R)
    np.testing.assert_allclose(W[0, 0], np.sqrt(10.0), rtol=1e-10)
    ref = xp.Particles(p0c=7e12)
    co = xp.Particles(p0c=7e12, x=1e-3)
    p = xp.build_particles(particle_ref=ref, x_norm=[1.0, 0.0], px_norm=[0.0, 1.0],
                           nemitt_x=2e-6, nemitt_y=2e-6, W_matrix=W, particle_on_co=co,
                           delta=1e-4)
    gemitt = 2e-6 / (ref.beta0[0] * ref.gamma0[0])
    np.testing.assert_allclose(p.x, [1e-3 + np.sqrt(10 * gemitt), 1e-3], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(p.px[1], np.sqrt(gemitt / 10), rtol=1e-9)
    np.testing.assert_allclose(p.delta, 1e-4, rtol=1e-12)


def test_build_particles_shift_mode_and_set_mode():
    ref = xp.Particles(p0c=1e10, x=2e-3, delta=1e-3)
    p = xp.build_particles(particle_ref=ref, x=[0, 1e-3], mode="shift")
    np.testing.assert_allclose(p.x, [2e-3, 3e-3])
    np.testing.assert_allclose(p.delta, 1e-3)
    p = xp.build_particles(particle_ref=ref, x=[0, 1e-3])
    np.testing.assert_allclose(p.delta, 0)
    assert p.p0c[0] == 1e10


def test_multibunch_slots_are_spaced(monkeypatch):
    line = _Recorder()
    monkeypatch.setattr("xpart.distributions.gaussian.generate_longitudinal_coordinates",
                        lambda **k: (np.zeros(k["num_particles"]), np.zeros(k["num_particles"])))
    xp.generate_matched_gaussian_multibunch_beam(
        filling_scheme=[1, 0, 1, 1], bunch_num_particles=2, bunch_intensity_particles=1e11,
        nemitt_x=1e-6, nemitt_y=1e-6, sigma_z=0.1, line=line, bucket_length=2.5,
        bunch_selection=[0, 3])
    kwargs = line.calls[0][1]
    np.testing.assert_allclose(kwargs["zeta"], [0, 0, -7.5, -7.5])
    assert kwargs["weight"] == 5e10
    with pytest.raises(ValueError, match="not filled"):
        xp.generate_matched_gaussian_multibunch_beam(
            filling_scheme=[1, 0], bunch_num_particles=2, nemitt_x=1e-6, nemitt_y=1e-6,
            sigma_z=0.1, line=line, bucket_length=2.5, bunch_selection=[1])


def test_binomial_and_qgaussian_matching_give_the_bunch_length():
    m = xp.SingleRFHarmonicMatcher(q0=1, beta0=0.9999, gamma0=70.0, p0c=6.5e10,
                                   circumference=6911.5, momentum_compaction_factor=1.9e-3,
                                   rf_harmonic=4620, rf_voltage=4.5e6, rf_phase=np.pi)
    np.random.seed(1)
    for kwargs in (dict(distribution="binomial", m=2.0), dict(distribution="qgaussian", q=1.2),
                   dict(distribution="qgaussian", q=0.8)):
        m.match(sigma_z=0.08, **kwargs)
        zeta, delta = m.generate(40000)
        assert abs(np.std(zeta) / 0.08 - 1) < 0.03
        assert np.all(np.isfinite(delta))
    with pytest.raises(ValueError, match="m >= 0.5"):
        m.match("binomial", 0.15, m=0.1)


@pytest.mark.parametrize("kwargs,name", [(dict(p0c=-1e9), "p0c"), (dict(p0c=0), "p0c"),
                                         (dict(beta0=1.5), "beta0"), (dict(gamma0=0.5), "gamma0")])
def test_unphysical_reference_is_rejected(kwargs, name):
    with pytest.raises(ValueError, match=rf"{name}=.*must be"):
        xp.Particles(**kwargs)


def test_item_assignment_keeps_variables_consistent():
    p = xp.Particles(p0c=26e9, delta=[1.0, 2.0, 3.0], state=[1, 1, 0])
    p.delta[0] = 2.0
    assert p.rpp[0] == p.rpp[1] and p.ptau[0] == p.ptau[1]
    p.delta[2] = 5.0  # lost: unchanged
    assert p.delta[2] == 3.0
    p.ptau[1] = p.ptau[0] * 0.5
    np.testing.assert_allclose(p.pzeta[1], p.ptau[1] / p.beta0[1])
    q = xp.Particles("electron", beta0=[0.6, 0.7])
    q.energy0[0] = q.energy0[1]
    np.testing.assert_allclose(q.beta0, 0.7, rtol=1e-14)
    q.p0c = 1e9
    np.testing.assert_allclose(q.gamma0, q.energy0 / q.mass0)


def test_rigidity_and_kinetic_energy_inputs():
    p = xp.Particles("proton", p0c=7e12)
    ion = xp.Particles("Pb208", rigidity0=p.rigidity0)
    np.testing.assert_allclose(ion.p0c / 82, p.p0c)
    k = xp.Particles(kinetic_energy0=50e6)
    np.testing.assert_allclose(k.kinetic_energy0, 50e6)
    k.kinetic_energy0 = 60e6
    np.testing.assert_allclose(k.energy0, 60e6 + k.mass0)


def test_update_p0c_and_energy_deviations_keeps_momentum_of_active_only():
    p = xp.Particles(p0c=[1e12, 3e12, 2e12], delta=[0, 0.1, 0], state=[1, 0, 1])
    p.update_p0c_and_energy_deviations(p0c=2e12)
    p.sort(interleave_lost_particles=True)
    np.testing.assert_allclose(p.p0c, [2e12, 3e12, 2e12])
    np.testing.assert_allclose(p.delta, [-0.5, 0.1, 0], atol=1e-14)


def test_per_particle_vars_lists_every_per_particle_field_with_its_type():
    import xobjects as xo
    import xpart as xp
    from xpart.particles.fields import PER_PARTICLE

    p = xp.Particles(p0c=1e9, x=[1e-3])
    pairs = p.per_particle_vars
    assert [name for _, name in pairs] == list(PER_PARTICLE)
    kinds = dict((name, t) for t, name in pairs)
    assert kinds["x"] is xo.Float64 and kinds["state"] is xo.Int64
    assert all(name in p.to_dict() for _, name in pairs if not name.startswith("_"))
