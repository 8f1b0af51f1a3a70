"""xtrack.particles: the module path existing scripts use for xpart's particle tools."""

import xpart
import xpart.pdg

import xtrack as xt


def test_pdg_and_masses_are_xparts_modules():
    import xtrack.particles.pdg as xt_pdg

    assert xt_pdg is xpart.pdg
    assert xt.particles.masses.PROTON_MASS_EV == xpart.PROTON_MASS_EV
    assert xt.particles.pdg.get_pdg_id_from_name("proton") == 2212
