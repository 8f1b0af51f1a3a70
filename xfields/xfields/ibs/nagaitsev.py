"""IBS growth rates in S. Nagaitsev's formalism, with Carlson's elliptic integral R_D.

S. Nagaitsev, "Intrabeam scattering formulas for fast numerical evaluation",
Phys. Rev. ST Accel. Beams 8, 064403 (2005). In the beam frame the momentum
distribution at each element is a Gaussian whose inverse covariance matrix
has the eigenvalues ``lambda_1 = beta_y / eps_y`` (vertical, uncoupled: the
vertical dispersion is neglected) and ``lambda_{2,3} = a1 +- sqrt(a2^2 + gamma^2 a_x^2 phi_x^2)``
(the horizontal-longitudinal block coupled by the dispersion). The diffusion
of the momentum variances is given by the symmetric integrals
``R_i = R_D(1/lambda_j, 1/lambda_k, 1/lambda_i) / lambda_i``, projected back
onto x and delta; the growth rates are their ring averages times
``N r0^2 c L_C / (12 pi beta^3 gamma^5 sigma_s)``.
"""

import numpy as np
from scipy.constants import c
from scipy.special import elliprd

__all__ = ["nagaitsev_growth_rates"]


def nagaitsev_local_integrands(optics, beam):
    """Local integrands ``(I_x, I_y, I_z)`` [per m^2], arrays over the elements.

    Their ring averages times the prefactor are the emittance growth rates
    (``I_z`` for ``sigma_delta^2``).
    """
    gamma = optics.gamma0
    ex, ey, sigd = beam.gemitt_x, beam.gemitt_y, beam.sigma_delta
    betx, bety, dx = optics.betx, optics.bety, optics.dx
    phix = optics.dpx + optics.alfx * dx / betx
    sigma_x = np.sqrt(ex * betx + (dx * sigd) ** 2)
    sigma_y = np.sqrt(ey * bety)
    a_x = betx / ex
    a_y = bety / ey
    h_over_beta = dx**2 / betx**2 + phix**2  # curly-H / beta
    a_s = a_x * h_over_beta + 1.0 / sigd**2
    a1 = 0.5 * (a_x + gamma**2 * a_s)
    a2 = 0.5 * (a_x - gamma**2 * a_s)
    root = np.sqrt(a2**2 + gamma**2 * a_x**2 * phix**2)
    lam1, lam2, lam3 = a_y, a1 + root, a1 - root
    r1 = elliprd(1.0 / lam2, 1.0 / lam3, 1.0 / lam1) / lam1
    r2 = elliprd(1.0 / lam3, 1.0 / lam1, 1.0 / lam2) / lam2
    # Carlson's identity R_D(x,y,z) + R_D(y,z,x) + R_D(z,x,y) = 3 / sqrt(xyz) gives the third.
    r3 = 3.0 * np.sqrt(lam1 * lam2 / lam3) - lam1 / lam3 * r1 - lam2 / lam3 * r2
    # Projections of the eigen-direction diffusion onto delta (s_p) and x (s_x), and the cross term.
    ratio = 3.0 * a2 / root
    s_p = 0.5 * gamma**2 * (2.0 * r1 - r2 * (1.0 - ratio) - r3 * (1.0 + ratio))
    s_x = 0.5 * (2.0 * r1 - r2 * (1.0 + ratio) - r3 * (1.0 - ratio))
    s_xp = 3.0 * gamma**2 * phix**2 * a_x / root * (r3 - r2)
    inv_area = 1.0 / (sigma_x * sigma_y)
    i_x = betx * inv_area * (s_x + s_p * h_over_beta + s_xp)
    i_y = bety * inv_area * (r2 + r3 - 2.0 * r1)
    i_z = s_p * inv_area
    return i_x, i_y, i_z


def nagaitsev_growth_rates(optics, beam, coulomb_log):
    """Emittance growth rates ``(1/eps_x deps_x/dt, 1/eps_y deps_y/dt, 1/sigma_d^2 dsigma_d^2/dt)`` [1/s]."""
    beta, gamma = optics.beta0, optics.gamma0
    prefactor = (beam.num_particles * optics.r0**2 * c * coulomb_log
                 / (12.0 * np.pi * beta**3 * gamma**5 * beam.bunch_length))
    i_x, i_y, i_z = (optics.ring_average(f) for f in nagaitsev_local_integrands(optics, beam))
    return (prefactor * i_x / beam.gemitt_x, prefactor * i_y / beam.gemitt_y,
            prefactor * i_z / beam.sigma_delta**2)
