"""Linear normal form of a one-turn matrix: R = W Rot(mu) W^-1 with W symplectic.

Conventions (Courant-Snyder, Wolski "Beam dynamics in high energy
particle accelerators", ch. 7): for each mode the eigenvector v with
eigenvalue exp(i mu) is normalised so that v^H S v = 2i, its phase is chosen
so that the position component of its own plane is real and positive
(W[2k, 2k+1] = 0), and W[:, 2k] = Re v, W[:, 2k+1] = Im v. In one plane this
gives W = [[sqrt(beta), 0], [-alpha/sqrt(beta), 1/sqrt(beta)]]. Modes are
assigned to the plane (x, y, zeta) where their eigenvector is largest.
"""

import numpy as np

__all__ = ["symplectic_form", "linear_normal_form", "normal_form_4d_with_dispersion",
           "UnstableMatrixError"]


class UnstableMatrixError(ValueError):
    """The one-turn matrix has eigenvalues off the unit circle (no closed optics)."""


def symplectic_form(dim):
    S = np.zeros((dim, dim))
    for k in range(dim // 2):
        S[2 * k, 2 * k + 1], S[2 * k + 1, 2 * k] = 1.0, -1.0
    return S


def symplectify(R):
    """Nearest symplectic matrix through the Cayley transform (Healy's method)."""
    dim = R.shape[0]
    S = symplectic_form(dim)
    eye = np.eye(dim)
    V = S @ (eye - R) @ np.linalg.inv(eye + R)
    W = (V + V.T) / 2
    return (eye + S @ W) @ np.linalg.inv(eye - S @ W)


def linear_normal_form(R, stability_tol=1e-3):
    """(W, eigenvalues of the modes) of a stable 4x4 or 6x6 matrix.

    Returns
    -------
    W : ndarray (d, d)
    mus : ndarray (d/2,) [rad]
        Phase advance of each mode (x, y[, zeta]) in [0, 2 pi).
    """
    R = np.asarray(R, dtype=float)
    dim = R.shape[0]
    S = symplectic_form(dim)
    vals, vecs = np.linalg.eig(R)
    bad = np.abs(np.abs(vals) - 1) > stability_tol
    if np.any(bad) or np.any(np.abs(vals.imag) < 1e-14):
        raise UnstableMatrixError(
            "the one-turn matrix is not stable (eigenvalues "
            f"{np.array2string(vals, precision=6)}); the optics have no periodic solution. "
            "Check the tunes, the RF (6d) or give an initial condition (init=...).")
    W = np.zeros((dim, dim))
    mus = np.zeros(dim // 2)
    used = []
    order = sorted(range(dim), key=lambda i: -np.max(np.abs(vecs[:, i])))
    taken = []
    for i in order:
        if any(abs(vals[i] - np.conj(vals[j])) < 1e-12 and np.allclose(vecs[:, i], np.conj(vecs[:, j]))
               for j in taken):
            continue  # conjugate of a mode already taken
        v = vecs[:, i]
        weights = [np.sum(np.abs(v[2 * k:2 * k + 2]) ** 2) for k in range(dim // 2)]
        plane = next(int(p) for p in np.argsort(weights)[::-1] if int(p) not in used)
        norm = (np.conj(v) @ S @ v).imag
        if norm <= 0:
            continue
        taken.append(i)
        used.append(plane)
        v = v / np.sqrt(abs(norm) / 2)
        v = v * np.exp(-1j * np.angle(v[2 * plane]))
        W[:, 2 * plane], W[:, 2 * plane + 1] = v.real, v.imag
        mus[plane] = np.angle(vals[i]) % (2 * np.pi)
    if len(used) != dim // 2:
        raise UnstableMatrixError("could not assign the eigenmodes of the one-turn matrix to planes.")
    return W, mus


def normal_form_4d_with_dispersion(W4, dispersion):
    """6x6 W of a 4d optics: transverse W4 and the dispersion vector in the pzeta column.

    `dispersion` is d(x, px, y, py)/d pzeta at the point. The zeta row gets
    -(S4 d)^T so that the matrix stays symplectic; a particle built with
    pzeta_norm = pzeta then sits on the off-momentum orbit.
    """
    W = np.eye(6)
    d = np.asarray(dispersion, dtype=float)
    W[:4, :4] = W4
    W[:4, 5] = d
    W[4, :4] = -(symplectic_form(4) @ d) @ W4
    return W
