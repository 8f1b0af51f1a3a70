"""IBS growth rates in the Bjorken-Mtingwa formalism, vertical dispersion included.

J. D. Bjorken and S. K. Mtingwa, "Intrabeam scattering", Part. Accel. 13, 115
(1983), in the matrix form of F. Antoniou and F. Zimmermann (CERN-ATS-2012-066)
used by the MAD-X IBS module:

    1/T_i = 4 pi A L_C < int_0^inf dl l^(1/2) / det(L + l)^(1/2)
                          [Tr L_i Tr (L + l)^-1 - 3 Tr L_i (L + l)^-1] >,
    A = r0^2 c N / (64 pi^2 beta^3 gamma^4 eps_x eps_y sigma_s sigma_delta),

with, in the (x, s, y) momentum space of the beam frame,
``L_p = gamma^2 / sigma_delta^2 e_s e_s``,
``L_x = beta_x / eps_x [[1, -gamma phi_x, 0], [-gamma phi_x, gamma^2 H_x / beta_x, 0], [0, 0, 0]]``
and ``L_y`` alike in (s, y); ``L = L_p + L_x + L_y``; ``1/T_i`` are the
amplitude growth rates (``1/sigma_delta dsigma_delta/dt`` for i = p).

The integral over l is done exactly rather than on a grid: in the eigenbasis
of ``L`` (eigenvalues ``lambda_k``) each term is
``int_0^inf l^(1/2) dl / (prod_j (l + lambda_j)^(1/2) (l + lambda_k))``,
which the substitution ``l = 1/t`` turns into
``2/3 R_D(1/lambda_j, 1/lambda_m, 1/lambda_k) / (lambda_k sqrt(lambda_1 lambda_2 lambda_3))``
(Carlson's symmetric integral, B. C. Carlson, Numer. Algorithms 10, 13 (1995)).
"""

import numpy as np
from scipy.constants import c
from scipy.special import elliprd

__all__ = ["bjorken_mtingwa_growth_rates"]


def _lattice_matrices(optics, beam):
    """``L_x, L_y, L_p``, arrays of shape (n_elements, 3, 3), in (x, s, y) order."""
    gamma = optics.gamma0
    n = len(optics.betx)
    phix = optics.dpx + optics.alfx * optics.dx / optics.betx
    phiy = optics.dpy + optics.alfy * optics.dy / optics.bety
    h_over_beta_x = optics.dx**2 / optics.betx**2 + phix**2
    h_over_beta_y = optics.dy**2 / optics.bety**2 + phiy**2
    a_x = optics.betx / beam.gemitt_x
    a_y = optics.bety / beam.gemitt_y
    l_x = np.zeros((n, 3, 3))
    l_x[:, 0, 0] = a_x
    l_x[:, 0, 1] = l_x[:, 1, 0] = -gamma * phix * a_x
    l_x[:, 1, 1] = gamma**2 * h_over_beta_x * a_x
    l_y = np.zeros((n, 3, 3))
    l_y[:, 2, 2] = a_y
    l_y[:, 1, 2] = l_y[:, 2, 1] = -gamma * phiy * a_y
    l_y[:, 1, 1] = gamma**2 * h_over_beta_y * a_y
    l_p = np.zeros((n, 3, 3))
    l_p[:, 1, 1] = gamma**2 / beam.sigma_delta**2
    return l_x, l_y, l_p


def bjorken_mtingwa_local_parts(optics, beam):
    """Diffusion and friction parts of the l-integrals, ``(diffusion, friction)``.

    Each is a tuple ``(x, y, delta)`` of arrays over the elements. The bracket
    splits as in Landau's collision integral for a Gaussian beam: the
    diffusion tensor ``Tr(A) 1 - A`` and the dynamical friction ``2 A`` (with
    ``A = (L + l)^-1``), so ``[Tr L_i Tr A - Tr L_i A] - 2 Tr L_i A`` is the
    full bracket. Both parts are non-negative; their difference is the rate.
    """
    l_x, l_y, l_p = _lattice_matrices(optics, beam)
    eigenvalues, vectors = np.linalg.eigh(l_x + l_y + l_p)
    inverse = 1.0 / eigenvalues
    sqrt_det = np.sqrt(np.prod(eigenvalues, axis=1))
    integrals = np.empty_like(eigenvalues)
    for k in range(3):
        j, m = (i for i in range(3) if i != k)
        integrals[:, k] = (2.0 / 3.0 * elliprd(inverse[:, j], inverse[:, m], inverse[:, k])
                           / (eigenvalues[:, k] * sqrt_det))
    diffusion, friction = [], []
    for l_i in (l_x, l_y, l_p):
        trace = np.trace(l_i, axis1=1, axis2=2)
        # Diagonal of V^T L_i V: L_i seen in the eigenbasis of L.
        projected = np.einsum("nik,nij,njk->nk", vectors, l_i, vectors)
        diffusion.append(np.sum((trace[:, None] - projected) * integrals, axis=1))
        friction.append(np.sum(2.0 * projected * integrals, axis=1))
    return tuple(diffusion), tuple(friction)


def bjorken_mtingwa_local_integrands(optics, beam):
    """The l-integrals of the bracket for x, y and delta, arrays over the elements."""
    diffusion, friction = bjorken_mtingwa_local_parts(optics, beam)
    return tuple(d - f for d, f in zip(diffusion, friction))


def bjorken_mtingwa_rate_factor(optics, beam, coulomb_log):
    """``2 x 4 pi A L_C`` [1/s]: ring-averaged l-integrals times this are emittance growth rates."""
    beta, gamma = optics.beta0, optics.gamma0
    a = (optics.r0**2 * c * beam.num_particles
         / (64.0 * np.pi**2 * beta**3 * gamma**4 * beam.gemitt_x * beam.gemitt_y
            * beam.bunch_length * beam.sigma_delta))
    return 2.0 * 4.0 * np.pi * a * coulomb_log


def bjorken_mtingwa_growth_rates(optics, beam, coulomb_log):
    """Emittance growth rates ``(x, y, sigma_delta^2)`` [1/s] (twice the amplitude rates)."""
    factor = bjorken_mtingwa_rate_factor(optics, beam, coulomb_log)
    return tuple(factor * optics.ring_average(f) for f in bjorken_mtingwa_local_integrands(optics, beam))
