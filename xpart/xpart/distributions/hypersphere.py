"""Points uniformly distributed on the surface of a hypersphere in normalised coordinates.

A direction drawn from an isotropic Gaussian (independent standard normal
components) and divided by its norm is uniform on the unit sphere in any
dimension (M. E. Muller, Commun. ACM 2 (1959) 19). Random numbers come from
numpy's global generator, so `numpy.random.seed` reproduces them.
"""

import numpy as np

__all__ = ["generate_hypersphere_2D", "generate_hypersphere_4D", "generate_hypersphere_6D"]


def _sphere(num_particles, dim, r):
    num_particles = int(num_particles)
    if num_particles < 0:
        raise ValueError(f"num_particles must be a non-negative integer, got {num_particles!r}")
    if not np.all(np.asarray(r) >= 0):
        raise ValueError(f"the radius r must be non-negative [sigmas], got {r!r}")
    v = np.random.normal(size=(dim, num_particles))
    norm = np.sqrt(np.sum(v * v, axis=0))
    return tuple(r * v / norm)


def generate_hypersphere_2D(num_particles, r=1.0):
    """Generate points uniformly distributed on a circle (2D hypersphere surface).

    Parameters
    ----------
    num_particles : int
        Number of points.
    r : float or array, default 1
        Radius [beam sigmas, normalised coordinates].

    Returns
    -------
    x_norm, px_norm : ndarray
    """
    return _sphere(num_particles, 2, r)


def generate_hypersphere_4D(num_particles, r=1.0):
    """Generate points uniformly distributed on the surface of a 4D hypersphere.

    Parameters
    ----------
    num_particles : int
        Number of points.
    r : float or array, default 1
        Radius [beam sigmas, normalised coordinates].

    Returns
    -------
    x_norm, px_norm, y_norm, py_norm : ndarray
    """
    return _sphere(num_particles, 4, r)


def generate_hypersphere_6D(num_particles, r=1.0):
    """Generate points uniformly distributed on the surface of a 6D hypersphere.

    Parameters
    ----------
    num_particles : int
        Number of points.
    r : float or array, default 1
        Radius [beam sigmas, normalised coordinates].

    Returns
    -------
    x_norm, px_norm, y_norm, py_norm, zeta_norm, pzeta_norm : ndarray
    """
    return _sphere(num_particles, 6, r)
