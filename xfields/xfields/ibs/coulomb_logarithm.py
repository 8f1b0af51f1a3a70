"""Coulomb logarithm of the IBS rates, from ring-averaged beam sizes and temperature.

``ln(r_max / r_min)`` with (MAD-X IBS module; F. Antoniou and F. Zimmermann,
"Revision of intrabeam scattering with non-ultrarelativistic corrections and
vertical dispersion for MAD-X", CERN-ATS-2012-066):

- the transverse temperature in the beam frame, ``T = m c^2 beta^2 gamma^2 eps_x / <beta_x>``
  [eV] (twice the kinetic energy of the horizontal betatron motion);
- ``r_max``: the smaller of the horizontal beam size and the Debye length
  ``sqrt(eps0 T / (n e)) / |Z|`` of the bunch density ``n = N / (8 pi^1.5 sigma_x sigma_y sigma_s)``;
- ``r_min``: the larger of the classical distance of closest approach
  ``Z^2 e / (4 pi eps0 T)`` and the quantum diffraction limit ``hbar c / (2 sqrt(m c^2 T))``.
"""

import numpy as np
from scipy.constants import c, e, epsilon_0, hbar

__all__ = ["coulomb_logarithm"]

# [eV m]
_HBAR_C = hbar * c / e


def coulomb_logarithm(optics, beam):
    """Coulomb logarithm for `beam` (IBSBeamParameters) in the ring `optics` (RingOptics)."""
    avg = optics.ring_average
    betx, bety, dx, dy = avg(optics.betx), avg(optics.bety), avg(optics.dx), avg(optics.dy)
    bg2 = optics.gamma0**2 - 1.0
    temperature = optics.mass0 * bg2 * beam.gemitt_x / betx  # [eV]
    sigma_x = np.sqrt(beam.gemitt_x * betx + (dx * beam.sigma_delta) ** 2)
    sigma_y = np.sqrt(beam.gemitt_y * bety + (dy * beam.sigma_delta) ** 2)
    volume = 8.0 * np.pi**1.5 * sigma_x * sigma_y * beam.bunch_length
    density = beam.num_particles / volume
    z = abs(optics.q0)
    debye_length = np.sqrt(epsilon_0 * temperature / (density * e)) / z
    r_max = min(sigma_x, debye_length)
    r_classical = z**2 * e / (4.0 * np.pi * epsilon_0 * temperature)
    r_quantum = _HBAR_C / (2.0 * np.sqrt(optics.mass0 * temperature))
    return float(np.log(r_max / max(r_classical, r_quantum)))
