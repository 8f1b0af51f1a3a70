"""Construction of Particles from consistent subsets; errors for bad input."""

import numpy as np
import pytest

import xpart as xp
from xpart.constants import ELECTRON_MASS_EV, MUON_MASS_EV, PROTON_MASS_EV

SPECIES = ["proton", "electron", "positron", "muon", "antimuon", "Pb208", "O16", "deuteron"]
DELTA = np.array([-0.2, -1e-3, 0.0, 1e-6, 2e-3, 0.5])


def _rel(a, b):
    return np.max(np.abs(np.asarray(a) - np.asarray(b)) / np.maximum(np.abs(b), 1e-300))


@pytest.mark.parametrize("species", SPECIES)
@pytest.mark.parametrize("p0c", [1e6, 2e9, 7e12])
def test_momentum_relations_hold_for_all_species(species, p0c):
    p = xp.Particles(species, p0c=p0c, delta=DELTA)
    mass0 = p.mass0
    energy0 = np.sqrt(p0c**2 + mass0**2)
    # reference quantities to round-off (a few ulp)
    assert _rel(p.energy0, energy0) < 1e-15
    assert _rel(p.gamma0, energy0 / mass0) < 1e-15
    assert _rel(p.beta0, p0c / energy0) < 1e-15
    # per-particle energy and velocity from first principles (m/m0 = 1 here)
    pc = p0c * (1 + DELTA)
    energy = np.sqrt(pc**2 + mass0**2)
    # oracle free of cancellation: E - E0 = (pc^2 - p0c^2) / (E + E0). The
    # stored formula, sqrt(delta^2 + 2 delta + 1/beta0^2) - 1/beta0 (the one
    # of the reference data, bit for bit), cancels at low beta0: absolute
    # error of a few ulp of 1/beta0
    exact = p0c * DELTA * (2 + DELTA) / (energy + energy0)
    eps = np.finfo(float).eps
    np.testing.assert_allclose(p.ptau, exact, rtol=1e-12, atol=4 * eps / p.beta0[0])
    np.testing.assert_allclose(p.pzeta, p.ptau / p.beta0, rtol=1e-15)
    np.testing.assert_allclose(p.rpp, 1 / (1 + DELTA), rtol=1e-15)
    np.testing.assert_allclose(p.rvv, (pc / energy) / p.beta0, rtol=1e-14)
    np.testing.assert_allclose(p.energy, energy, rtol=1e-14)


@pytest.mark.parametrize("species", SPECIES)
def test_every_momentum_variable_gives_the_same_particles(species):
    ref = xp.Particles(species, p0c=3e9, delta=DELTA)
    for name in ("ptau", "pzeta", "rpp"):
        other = xp.Particles(species, p0c=3e9, **{name: getattr(ref, name)})
        # ptau carries an absolute round-off of ~eps/beta0 (see above) and
        # d(delta)/d(ptau) ~ 1/beta0: absolute error ~ eps/beta0^2 (Pb at 3 GeV/c: 1e-12)
        atol = 8 * np.finfo(float).eps / ref.beta0[0] ** 2
        np.testing.assert_allclose(other.delta, DELTA, rtol=1e-12, atol=atol)
        np.testing.assert_allclose(other.rvv, ref.rvv, rtol=1e-14, atol=atol)


@pytest.mark.parametrize("name", ["energy0", "gamma0", "beta0"])
def test_reference_energy_from_any_variable(name):
    ref = xp.Particles("proton", p0c=[5e8, 26e9])
    other = xp.Particles("proton", **{name: getattr(ref, name)})
    # beta0 -> p0c loses precision as 1/(1 - beta0^2) ~ gamma0^2 amplifies round-off
    rtol = 1e-15 * ref.gamma0.max() ** 2 * 10 if name == "beta0" else 1e-14
    np.testing.assert_allclose(other.p0c, ref.p0c, rtol=rtol)
    np.testing.assert_allclose(other.gamma0, ref.gamma0, rtol=rtol)


def test_defaults_and_broadcasting():
    p = xp.Particles(x=[1.0, 2.0, 3.0], y=0.5)
    assert p._capacity == 3
    assert p.mass0 == PROTON_MASS_EV and p.q0 == 1.0
    np.testing.assert_array_equal(p.p0c, [1e9] * 3)
    np.testing.assert_array_equal(p.y, [0.5] * 3)
    np.testing.assert_array_equal(p.particle_id, [0, 1, 2])
    np.testing.assert_array_equal(p.parent_particle_id, [0, 1, 2])
    np.testing.assert_array_equal(p.state, [1, 1, 1])
    np.testing.assert_array_equal(p.weight, [1.0] * 3)
    np.testing.assert_array_equal(p.chi, [1.0] * 3)
    assert p.start_tracking_at_element == -1


def test_species_charge_and_mass():
    assert xp.Particles("electron").q0 == -1 and xp.Particles("electron").mass0 == ELECTRON_MASS_EV
    assert xp.Particles("positron").q0 == 1
    assert xp.Particles("muon").mass0 == MUON_MASS_EV
    pb = xp.Particles("Pb208", p0c=6.8e12 * 82)
    assert pb.q0 == 82 and pb.pdg_id[0] == 1000822080
    # AME2020 atomic mass minus the electrons; the electron binding energy
    # (0.76 MeV, 4e-6 relative) and the LHC convention stay below 1e-5
    assert abs(pb.mass0 / (207.9766525 * xp.U_MASS_EV - 82 * ELECTRON_MASS_EV) - 1) < 1e-5
    assert xp.Particles(pdg_id="proton").pdg_id[0] == 2212
    assert xp.reference_from_pdg_id(11, p0c=1e9).mass0 == ELECTRON_MASS_EV
    r0 = xp.Particles("proton").get_classical_particle_radius0()
    # CODATA 2022 classical electron radius scaled by m_e / m_p; the CODATA
    # values agree with each other to their 5e-10 relative uncertainty
    assert abs(r0 / (2.8179403205e-15 * ELECTRON_MASS_EV / PROTON_MASS_EV) - 1) < 2e-9


def test_ion_charge_states():
    m0 = xp.Pb208_MASS_EV
    mass = m0 + np.array([0, 1, 28]) * ELECTRON_MASS_EV
    q = (82 - np.array([0, 1, 28])) / 82
    p = xp.Particles(mass0=m0, q0=82, p0c=7e12 * 82, charge_ratio=q, mass_ratio=mass / m0)
    np.testing.assert_allclose(p.chi, q / (mass / m0), rtol=1e-15)
    np.testing.assert_allclose(p.mass, mass, rtol=1e-15)
    same = xp.Particles(mass0=m0, q0=82, p0c=7e12 * 82, chi=p.chi, mass_ratio=mass / m0)
    np.testing.assert_allclose(same.charge_ratio, q, rtol=1e-15)


def test_zeta_and_tau():
    p = xp.Particles(p0c=1e8, tau=[0.1, -0.2])
    np.testing.assert_allclose(p.zeta, np.array([0.1, -0.2]) * p.beta0, rtol=1e-15)
    np.testing.assert_allclose(p.tau, [0.1, -0.2], rtol=1e-15)


def test_unknown_keyword_suggests_close_match():
    with pytest.raises(TypeError, match="'dleta'.*'delta'"):
        xp.Particles(dleta=1e-3)


def test_inconsistent_input_is_rejected():
    with pytest.raises(ValueError, match="pzeta does not match"):
        xp.Particles(p0c=1e9, delta=1e-3, pzeta=2e-3)
    with pytest.raises(ValueError, match="gamma0 does not match"):
        xp.Particles(p0c=1e9, gamma0=3.0)
    with pytest.raises(ValueError, match="mass_ratio"):
        xp.Particles(charge_ratio=1.0, chi=1.0, mass_ratio=2.0)
    with pytest.raises(ValueError, match="contradicts the species"):
        xp.Particles("electron", mass0=PROTON_MASS_EV)


def test_consistent_redundant_input_is_accepted_and_kept():
    ref = xp.Particles(p0c=1e9, delta=[1e-3, 2e-3])
    p = xp.Particles(p0c=1e9, gamma0=ref.gamma0, delta=ref.delta, pzeta=ref.pzeta, rvv=ref.rvv)
    np.testing.assert_array_equal(p.pzeta, ref.pzeta)


def test_one_value_arrays_broadcast_like_numpy():
    # zeta=[0] with n positions: one value for all, in either order
    for kwargs in (dict(x=[1e-3, 2e-3, 3e-3], zeta=[0.1]), dict(zeta=[0.1], x=[1e-3, 2e-3, 3e-3])):
        p = xp.Particles(p0c=1e9, **kwargs)
        assert p._capacity == 3
        np.testing.assert_array_equal(p.zeta, [0.1, 0.1, 0.1])
        np.testing.assert_array_equal(p.x, [1e-3, 2e-3, 3e-3])


def test_array_length_and_capacity_errors():
    with pytest.raises(ValueError, match="y has 3 values but x has 2"):
        xp.Particles(x=[0, 1], y=[0, 1, 2])
    with pytest.raises(ValueError, match="_capacity"):
        xp.Particles(x=[0, 1], _capacity=1)
    with pytest.raises(KeyError, match="unknown particle species 'protn'.*'proton'"):
        xp.Particles("protn")
    with pytest.raises(ValueError, match="mass0"):
        xp.Particles(mass0=[1.0, 2.0], x=[0, 0])


def test_capacity_leaves_unallocated_slots_at_the_end():
    p = xp.Particles(x=[1.0, 2.0], _capacity=5)
    assert p._capacity == 5
    np.testing.assert_array_equal(p.state, [1, 1, -999999999, -999999999, -999999999])
    assert p._num_active_particles == 2
    np.testing.assert_array_equal(p.to_dict(remove_unused_space=True)["x"], [1.0, 2.0])


def test_zero_particles():
    p = xp.Particles(x=[], p0c=1e9)
    assert p._capacity == 0
    assert p.to_dict()["x"].shape == (0,)
