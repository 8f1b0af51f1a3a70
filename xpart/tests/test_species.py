"""Species table: names, aliases, PDG ids, masses (CODATA 2022 / PDG 2024)."""

import pytest

import xpart as xp
from xpart.species import get_species, pdg_id_for_ion, species_from_pdg_id


def test_aliases_and_antiparticles():
    assert get_species("e+") == get_species("positron")
    assert get_species("mu-").q0 == -1 and get_species("mu+").q0 == 1
    assert get_species("antiproton").mass0 == xp.PROTON_MASS_EV
    assert get_species("antiproton").pdg_id == -2212


def test_pdg_ids_round_trip():
    for name in ("proton", "electron", "positron", "muon", "Pb208", "O16", "pi+"):
        sp = get_species(name)
        assert species_from_pdg_id(sp.pdg_id) == sp
    assert pdg_id_for_ion(82, 208) == 1000822080
    with pytest.raises(KeyError, match="no particle species with pdg_id 42"):
        species_from_pdg_id(42)


def test_light_ion_masses_from_atomic_masses():
    # O16: 15.99491461926 u - 8 m_e + 2.0 keV binding = 14.8951 GeV (AME2020)
    assert abs(get_species("O16").mass0 / 14.895081e9 - 1) < 1e-6
    # He4 nucleus (alpha particle), CODATA 2022: 3727.3794118 MeV
    assert abs(get_species("He4").mass0 / 3727.3794118e6 - 1) < 1e-9


def test_unknown_species():
    with pytest.raises(KeyError, match="close matches: 'electron'"):
        get_species("electorn")
    with pytest.raises(TypeError, match="must be a str"):
        get_species(11)


def test_update_chi_charge_ratio_keeps_the_ratio_not_given():
    import numpy as np

    p = xp.Particles(p0c=1e9, mass0=xp.PROTON_MASS_EV, x=[0.0, 1e-3])
    for kwargs, (chi, charge, mass) in ((dict(chi=0.8), (0.8, 1.0, 1.25)),
                                        (dict(charge_ratio=0.8), (0.8, 0.8, 1.0)),
                                        (dict(mass_ratio=1.25), (0.8, 1.0, 1.25)),
                                        (dict(charge_ratio=0.5, mass_ratio=2.0), (0.25, 0.5, 2.0))):
        q = p.copy()
        q._update_chi_charge_ratio(**kwargs)
        np.testing.assert_allclose(q.chi, chi, rtol=1e-15)
        np.testing.assert_allclose(q.charge_ratio, charge, rtol=1e-15)
        np.testing.assert_allclose(q.mass_ratio, mass, rtol=1e-15)
    assert p.chi[0] == 1.0
    with pytest.raises(ValueError, match="one or two"):
        p.copy()._update_chi_charge_ratio()
    with pytest.raises(ValueError, match="mass_ratio must be > 0"):
        p.copy()._update_chi_charge_ratio(mass_ratio=0.0)
