"""Numerical Jacobian of a single-pass element map, for symplecticity tests."""

import numpy as np
import xtrack as xt

COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def track_coords(element, z, p0c=26e9):
    """Track particles with coordinates z (n, 6) once; return (n, 6) after."""
    z = np.atleast_2d(z)
    p = xt.Particles(p0c=p0c, x=z[:, 0], px=z[:, 1], y=z[:, 2], py=z[:, 3], zeta=z[:, 4],
                     pzeta=z[:, 5])
    element.track(p)
    order = np.argsort(p.particle_id)
    return np.array([np.asarray(getattr(p, c))[order] for c in COORDS]).T


def jacobian(element, z0, step=1e-6, p0c=26e9):
    """Central-difference Jacobian of the map at z0 (6,)."""
    z0 = np.asarray(z0, dtype=float)
    probes = []
    for j in range(6):
        for sign in (1, -1):
            z = z0.copy()
            z[j] += sign * step
            probes.append(z)
    out = track_coords(element, np.array(probes), p0c=p0c)
    return np.array([(out[2 * j] - out[2 * j + 1]) / (2 * step) for j in range(6)]).T


S = np.zeros((6, 6))
for _i in range(3):
    S[2 * _i, 2 * _i + 1] = 1.0
    S[2 * _i + 1, 2 * _i] = -1.0


def symplecticity_error(element, z0, p0c=26e9):
    """max |M^T S M - S| of the numerical Jacobian M at z0."""
    m = jacobian(element, z0, p0c=p0c)
    return np.max(np.abs(m.T @ S @ m - S))
