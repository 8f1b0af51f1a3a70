"""Particle species by name or PDG id: rest mass, charge and PDG code.

Names accepted: 'proton', 'antiproton', 'electron', 'positron', 'muon'
('mu-'), 'antimuon' ('mu+'), 'neutron', 'deuteron', 'pi+', 'pi-', 'pi0',
'K+', 'K-', and fully stripped ions written as element symbol and mass
number ('Pb208', 'O16', 'Xe129', ...). Ion PDG codes follow the PDG
Monte-Carlo numbering scheme 10LZZZAAAI (L = I = 0 here); see Review of
Particle Physics 2024, section "Monte Carlo particle numbering scheme".
"""

import difflib
import re
from dataclasses import dataclass

from . import constants as c

__all__ = ["Species", "get_species", "species_from_pdg_id", "pdg_id_for_ion"]


@dataclass(frozen=True)
class Species:
    """Rest mass [eV], charge [e] and PDG id of a particle species."""

    name: str
    mass0: float
    q0: float
    pdg_id: int


_ELEMENTARY = {
    "proton": (c.PROTON_MASS_EV, 1.0, 2212),
    "antiproton": (c.PROTON_MASS_EV, -1.0, -2212),
    "electron": (c.ELECTRON_MASS_EV, -1.0, 11),
    "positron": (c.ELECTRON_MASS_EV, 1.0, -11),
    "muon": (c.MUON_MASS_EV, -1.0, 13),
    "antimuon": (c.MUON_MASS_EV, 1.0, -13),
    "neutron": (c.NEUTRON_MASS_EV, 0.0, 2112),
    "deuteron": (c.DEUTERON_MASS_EV, 1.0, 1000010020),
    "pi+": (c.PION_CHARGED_MASS_EV, 1.0, 211),
    "pi-": (c.PION_CHARGED_MASS_EV, -1.0, -211),
    "pi0": (c.PION_NEUTRAL_MASS_EV, 0.0, 111),
    "K+": (c.KAON_CHARGED_MASS_EV, 1.0, 321),
    "K-": (c.KAON_CHARGED_MASS_EV, -1.0, -321),
}
_ALIASES = {
    "p": "proton", "p+": "proton", "e-": "electron", "e+": "positron",
    "mu-": "muon", "mu+": "antimuon", "muon-": "muon", "muon+": "antimuon",
    "n": "neutron", "d": "deuteron", "H1": "proton", "H2": "deuteron",
    "pbar": "antiproton",
}

# AME2020 atomic masses [u] (Wang et al., Chinese Phys. C 45, 030003) and
# atomic numbers of the ions commonly accelerated.
_ATOMIC_MASS_U = {
    "He3": (2, 3.01602932197), "He4": (2, 4.00260325413),
    "C12": (6, 12.0), "N14": (7, 14.00307400425), "O16": (8, 15.99491461926),
    "Ne20": (10, 19.9924401753), "Mg24": (12, 23.985041689),
    "Ar40": (18, 39.9623831237), "Ca40": (20, 39.962590850),
    "Kr84": (36, 83.9114977282), "Xe129": (54, 128.9047808611),
    "Xe132": (54, 131.9041550856), "Au197": (79, 196.96656879),
    "Pb208": (82, 207.9766525), "U238": (92, 238.0507884),
}


def pdg_id_for_ion(z, a):
    """PDG code 10LZZZAAAI of a nucleus with atomic number z, mass number a."""
    return 1000000000 + 10000 * int(z) + 10 * int(a)


def _ion_species(name):
    z, mass_u = _ATOMIC_MASS_U[name]
    a = int(re.sub(r"^[A-Za-z]+", "", name))
    if name == "Pb208":
        mass0 = c.Pb208_MASS_EV
    else:
        mass0 = c.nuclear_mass_ev(mass_u, z)
    return Species(name, mass0, float(z), pdg_id_for_ion(z, a))


def known_species_names():
    """All names accepted by `get_species`."""
    return sorted([*_ELEMENTARY, *_ALIASES, *_ATOMIC_MASS_U])


def get_species(name):
    """Return the `Species` for a particle name.

    Parameters
    ----------
    name : str
        Species name, e.g. 'proton', 'electron', 'positron', 'muon', 'Pb208'.

    Returns
    -------
    Species

    Raises
    ------
    KeyError
        If the name is unknown; the message lists close matches.
    """
    if not isinstance(name, str):
        raise TypeError(f"particle species name must be a str, got {name!r}")
    key = _ALIASES.get(name, name)
    if key in _ELEMENTARY:
        mass0, q0, pdg = _ELEMENTARY[key]
        return Species(key, mass0, q0, pdg)
    if key in _ATOMIC_MASS_U:
        return _ion_species(key)
    close = difflib.get_close_matches(name, known_species_names(), n=3)
    hint = f"; close matches: {', '.join(repr(x) for x in close)}" if close else ""
    raise KeyError(f"unknown particle species {name!r}{hint}")


def species_from_pdg_id(pdg_id):
    """Return the `Species` with the given PDG id.

    Raises
    ------
    KeyError
        If no species of the table has this PDG id.
    """
    for key, (mass0, q0, pdg) in _ELEMENTARY.items():
        if pdg == pdg_id:
            return Species(key, mass0, q0, pdg)
    for key in _ATOMIC_MASS_U:
        sp = _ion_species(key)
        if sp.pdg_id == pdg_id:
            return sp
    raise KeyError(f"no particle species with pdg_id {pdg_id!r} in the table")
