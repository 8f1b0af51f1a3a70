"""PDG ids: names both ways, antiparticles, nuclei, charges and masses."""

import numpy as np
import pytest

import xpart as xp
from xpart import pdg


@pytest.mark.parametrize("name, pdg_id", [
    ("electron", 11), ("E-", 11), ("e⁻", 11), ("positron", -11), ("antielectron", -11),
    ("anti-proton", -2212), ("antiproton", -2212), ("p", 2212), ("π⁺", 211), ("pi-", -211),
    ("Σ⁻", 3112), ("antiΣ⁻", -3222), ("deuteron", 1000010020), ("²H", 1000010020),
    ("Pb208", 1000822080), ("208Pb", 1000822080), ("Lead-208", 1000822080), ("lead 208", 1000822080),
    ("²⁰⁸Pb", 1000822080), ("Antimony-121", 1000511210), ("O16", 1000080160),
])
def test_names_give_ids(name, pdg_id):
    assert pdg.get_pdg_id_from_name(name) == pdg_id


def test_names_round_trip_over_the_table_and_the_nuclei():
    for pdg_id, (_, *names) in pdg.pdg_table.items():
        for long_name in (False, True):
            assert pdg.get_pdg_id_from_name(pdg.get_name_from_pdg_id(pdg_id, long_name=long_name)) == pdg_id
        assert np.all(pdg.get_pdg_id_from_name(names) == pdg_id)
    for Z in (2, 8, 26, 54, 82, 92):
        for A in (Z + 1, 2 * Z, 3 * Z):
            pdg_id = pdg.get_pdg_id_ion(A, Z)
            assert pdg.is_ion(pdg_id)
            assert pdg.get_name_from_pdg_id(pdg_id, long_name=True) == f"{pdg.elements_long[Z]}-{A}"
            assert pdg.get_pdg_id_from_name(pdg.get_name_from_pdg_id(pdg_id, long_name=False)) == pdg_id


def test_charges_masses_and_classification():
    assert pdg.get_properties_from_pdg_id(1000822080) == (82.0, 208, 82, "²⁰⁸Pb")
    assert pdg.get_properties_from_pdg_id(1000822080, subscripts=False)[3] == "208Pb"
    assert pdg.get_properties_from_pdg_id(-2212)[0] == -1.0
    assert pdg.get_properties_from_pdg_id(-12)[0] == 0.0  # an antineutrino: not tabulated itself
    assert pdg.get_mass_from_pdg_id(2212) == xp.PROTON_MASS_EV
    assert pdg.get_mass_from_pdg_id(1000822080) == xp.Pb208_MASS_EV  # tabulated nucleus
    np.testing.assert_allclose(pdg.get_mass_from_pdg_id(1000541290), 129 * xp.U_MASS_EV)
    assert pdg.get_pdg_id_from_mass_charge(0.0, 0) == 22
    assert pdg.get_pdg_id_from_mass_charge(497.6e6, 0) == 311  # K0 before K_L and K_S
    assert pdg.get_pdg_id_from_mass_charge(xp.Pb208_MASS_EV, 82) == 1000822080
    assert pdg.is_proton(2212) and not pdg.is_proton(1000010010)
    assert pdg.is_lepton(-13) and not pdg.is_lepton(211)
    assert not pdg.is_ion(1000010010)  # A = Z = 1 is the proton's business
    assert pdg.get_Z_from_element_name("lead") == pdg.get_Z_from_element_name("Pb") == 82


@pytest.mark.parametrize("call", [
    lambda: pdg.get_pdg_id_from_name("protonn"), lambda: pdg.get_pdg_id_from_name("Xx208"),
    lambda: pdg.get_properties_from_pdg_id(999999), lambda: pdg.get_Z_from_element_name("Unobtainium"),
    lambda: pdg.get_element_name_from_Z(119), lambda: pdg.get_pdg_id_from_mass_charge(1e3, 5),
])
def test_bad_input_is_a_clear_value_error(call):
    with pytest.raises(ValueError):
        call()

