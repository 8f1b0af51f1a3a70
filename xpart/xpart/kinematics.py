"""Relations between the reference-energy and momentum-deviation variables.

Conventions (manual, "Particles class"):

- reference: energy0 = sqrt(p0c^2 + mass0^2), beta0 = p0c / energy0,
  gamma0 = energy0 / mass0 (all energies in eV);
- per particle, with m/m0 scaling so that the relations do not depend on
  the species: delta = (P m0/m - P0) / P0, ptau = (E m0/m - E0) / (P0 c),
  pzeta = ptau / beta0, rpp = 1 / (1 + delta), rvv = beta / beta0.

The arithmetic order of each formula is chosen so that the results agree to
the last bit with the reference data of the established implementation
(checked in tests/particles/test_reference_dicts.py); mathematically
equivalent forms differ by one or two units in the last place.
"""

import numpy as np

__all__ = [
    "reference_from_p0c", "reference_from_energy0", "reference_from_gamma0",
    "reference_from_beta0", "pzeta_from_delta", "delta_from_pzeta",
    "delta_from_ptau", "rvv_from_delta", "rpp_from_delta", "momentum_from_delta",
]


def reference_from_p0c(p0c, mass0):
    """Return (energy0 [eV], beta0, gamma0) from p0c [eV] and mass0 [eV]."""
    p0c = np.asarray(p0c, dtype=float)
    energy0 = np.sqrt(p0c * p0c + mass0 * mass0)
    return energy0, p0c / energy0, energy0 / mass0


def reference_from_energy0(energy0, mass0):
    """Return (p0c [eV], beta0, gamma0) from the total energy energy0 [eV]."""
    energy0 = np.asarray(energy0, dtype=float)
    p0c = np.sqrt(energy0 * energy0 - mass0 * mass0)
    return p0c, p0c / energy0, energy0 / mass0


def reference_from_gamma0(gamma0, mass0):
    """Return (p0c [eV], beta0, energy0 [eV]) from the Lorentz factor gamma0."""
    gamma0 = np.asarray(gamma0, dtype=float)
    beta0 = np.sqrt(1 - 1 / (gamma0 * gamma0))
    return mass0 * gamma0 * beta0, beta0, mass0 * gamma0


def reference_from_beta0(beta0, mass0):
    """Return (p0c [eV], gamma0, energy0 [eV]) from the velocity beta0."""
    beta0 = np.asarray(beta0, dtype=float)
    gamma0 = 1 / np.sqrt(1 - beta0 * beta0)
    return mass0 * gamma0 * beta0, gamma0, mass0 * gamma0


def pzeta_from_delta(delta, beta0):
    """Return pzeta = ptau / beta0, with ptau = sqrt(delta^2 + 2 delta + 1/beta0^2) - 1/beta0."""
    ptau = np.sqrt(delta * delta + 2 * delta + 1 / beta0**2) - 1 / beta0
    return ptau / beta0


def delta_from_ptau(ptau, beta0):
    """Return delta = sqrt(ptau^2 + 2 ptau / beta0 + 1) - 1."""
    return np.sqrt(ptau * ptau + 2 * ptau / beta0 + 1) - 1


def delta_from_pzeta(pzeta, beta0):
    """Return delta from pzeta, through ptau = pzeta beta0."""
    return delta_from_ptau(pzeta * beta0, beta0)


def rvv_from_delta(delta, beta0):
    """Return rvv = beta / beta0 = (1 + delta) / sqrt(1 + 2 delta beta0^2 + delta^2 beta0^2)."""
    delta_beta0 = delta * beta0
    return (1 + delta) / np.sqrt(delta_beta0 * delta_beta0 + 2 * delta_beta0 * beta0 + 1)


def rpp_from_delta(delta):
    """Return rpp = 1 / (1 + delta)."""
    return 1 / (1 + delta)


def momentum_from_delta(delta, beta0):
    """Return the stored momentum variables {delta, pzeta, rpp, rvv} for delta."""
    return {"delta": delta, "pzeta": pzeta_from_delta(delta, beta0),
            "rpp": rpp_from_delta(delta), "rvv": rvv_from_delta(delta, beta0)}
