"""Physical constants and particle species used by xpart.

Masses are rest energies in eV. Sources:

- CODATA 2022 recommended values (Mohr, Newell, Taylor, Tiesinga,
  https://physics.nist.gov/cuu/Constants/): proton, electron, muon, neutron,
  deuteron masses, atomic mass constant, elementary charge, vacuum
  permittivity, speed of light.
- Particle Data Group, Review of Particle Physics 2024 (S. Navas et al.,
  Phys. Rev. D 110, 030001): charged and neutral pion, charged kaon masses.
- AME2020 atomic mass evaluation (M. Wang et al., Chinese Phys. C 45,
  030003, 2021): atomic masses of the ion species, in atomic mass units.
- Total electron binding energy of a neutral atom, used to obtain nuclear
  masses from atomic masses: D. Lunney, J. M. Pearson, C. Thibault,
  Rev. Mod. Phys. 75, 1021 (2003), Eq. (A4).
"""

import math

__all__ = [
    "clight", "qe", "epsilon_0", "PROTON_MASS_EV", "ELECTRON_MASS_EV",
    "MUON_MASS_EV", "NEUTRON_MASS_EV", "DEUTERON_MASS_EV", "U_MASS_EV",
    "Pb208_MASS_EV",
]

clight = 299792458.0  # [m/s], exact
qe = 1.602176634e-19  # [C], exact
epsilon_0 = 8.8541878188e-12  # [F/m], CODATA 2022

PROTON_MASS_EV = 938272089.43  # CODATA 2022
ELECTRON_MASS_EV = 510998.95069  # CODATA 2022
MUON_MASS_EV = 105658375.5  # CODATA 2022
NEUTRON_MASS_EV = 939565421.94  # CODATA 2022
DEUTERON_MASS_EV = 1875612945.0  # CODATA 2022
U_MASS_EV = 931494103.72  # atomic mass constant, CODATA 2022
PION_CHARGED_MASS_EV = 139570390.0  # PDG 2024
PION_NEUTRAL_MASS_EV = 134976800.0  # PDG 2024
KAON_CHARGED_MASS_EV = 493677000.0  # PDG 2024


def electron_binding_energy_ev(z):
    """Total binding energy of the electrons of a neutral atom.

    Parameters
    ----------
    z : int
        Atomic number.

    Returns
    -------
    float
        Binding energy [eV], Lunney et al. (2003) Eq. (A4).
    """
    return 14.4381 * z**2.39 + 1.55468e-6 * z**5.35


def nuclear_mass_ev(atomic_mass_u, z):
    """Rest energy of the bare nucleus from the atomic mass.

    Parameters
    ----------
    atomic_mass_u : float
        Mass of the neutral atom [u].
    z : int
        Atomic number (number of electrons removed).

    Returns
    -------
    float
        Nuclear rest energy [eV]: M_atom c^2 - Z m_e c^2 + B_e(Z).
    """
    return (atomic_mass_u * U_MASS_EV - z * ELECTRON_MASS_EV
            + electron_binding_energy_ev(z))


# Fully stripped 208Pb: the value used by the LHC ion optics (MAD-X
# `mass=193.6872729` GeV) and in the reference data of this project; the
# AME2020 route above gives 0.42 MeV (2e-6 relative) more.
Pb208_MASS_EV = 193687272900.0


def classical_radius(q0, mass0):
    """Classical radius of a particle of charge q0 [e] and rest energy mass0 [eV].

    Returns
    -------
    float
        r0 = q0^2 e / (4 pi epsilon_0 mass0) [m].
    """
    return q0 * q0 * qe / (4 * math.pi * epsilon_0 * mass0)
