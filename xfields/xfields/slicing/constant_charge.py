"""Slices of equal charge: of a Gaussian bunch (analytic) and of macro-particles.

For a Gaussian line density of rms length sigma_z, the cuts of N slices of
equal charge are the quantiles z_k = sigma_z Phi^-1(k / N), k = 1..N-1, and
the centroid of the slice between a and b is
sigma_z (phi(a / sigma_z) - phi(b / sigma_z)) / (Phi(b / sigma_z) - Phi(a / sigma_z)),
phi and Phi the standard normal density and distribution.
"""

import numpy as np
from scipy.special import ndtr, ndtri

__all__ = ["constant_charge_slicing_gaussian", "slice_moments_equal_charge", "slice_moments_in_bins"]

_CENTROIDS = ("x", "px", "y", "py", "zeta", "pzeta")
_MOMENT_COORDS = {"1": "x", "2": "px", "3": "y", "4": "py"}
MOMENT_NAMES = ("11", "12", "13", "14", "22", "23", "24", "33", "34", "44")


def constant_charge_slicing_gaussian(N_part_tot, sigmaz, N_slices):
    """Slices of equal charge of a Gaussian bunch.

    Parameters
    ----------
    N_part_tot : float
        Number of particles of the bunch.
    sigmaz : float
        Rms bunch length [m], > 0.
    N_slices : int
        Number of slices, >= 1.

    Returns
    -------
    z_centroids : ndarray, shape (N_slices,)
        Centroid of each slice [m], increasing.
    z_cuts : ndarray, shape (N_slices - 1,)
        Boundaries between consecutive slices [m], increasing.
    N_part_per_slice : ndarray, shape (N_slices,)
        Particles per slice (N_part_tot / N_slices each).
    """
    if not (np.isfinite(sigmaz) and sigmaz > 0):
        raise ValueError(f"constant_charge_slicing_gaussian: sigmaz={sigmaz} must be > 0 [m].")
    if int(N_slices) != N_slices or N_slices < 1:
        raise ValueError(f"constant_charge_slicing_gaussian: N_slices={N_slices} must be an "
                         f"integer >= 1.")
    n = int(N_slices)
    if n == 1:
        return np.array([0.0]), np.array([]), np.array([float(N_part_tot)])
    u_cuts = ndtri(np.arange(1, n) / n)
    u_edges = np.concatenate([[-np.inf], u_cuts, [np.inf]])
    density = np.exp(-0.5 * u_edges ** 2) / np.sqrt(2 * np.pi)
    mass = np.diff(ndtr(u_edges))
    centroids = sigmaz * (density[:-1] - density[1:]) / mass
    return centroids, sigmaz * u_cuts, np.full(n, N_part_tot / n)


def _alive_coordinates(particles):
    ctx = particles._context
    get = lambda name: np.asarray(ctx.nparray_from_context_array(getattr(particles, name)))
    alive = get("state") > 0
    return {name: get(name)[alive].astype(float) for name in _CENTROIDS + ("weight",)}


def _group_moments(data, groups):
    """Charges, weighted centroids and central second moments of each group of indices."""
    weights = [data["weight"][g] for g in groups]
    num_particles = np.array([w.sum() for w in weights])
    centroids = {name: np.array([np.average(data[name][g], weights=w) if w.sum() > 0 else 0.0
                                 for g, w in zip(groups, weights)]) for name in _CENTROIDS}
    moments = {}
    for ij in MOMENT_NAMES:
        a, b = _MOMENT_COORDS[ij[0]], _MOMENT_COORDS[ij[1]]
        moments[ij] = np.array([
            np.average((data[a][g] - centroids[a][k]) * (data[b][g] - centroids[b][k]), weights=w)
            if w.sum() > 0 else 0.0 for k, (g, w) in enumerate(zip(groups, weights))])
    return num_particles, centroids, moments


def slice_moments_equal_charge(particles, num_slices):
    """Cut the alive macro-particles into `num_slices` slices of equal count.

    Slices are ordered head first (decreasing zeta), as the slices of
    BeamBeamBiGaussian3D. Returns ``(num_particles, centroids, moments)``:
    charges per slice (sum of the weights), ``{'x', 'px', ..., 'pzeta'}``
    means and ``{'11', '12', ..., '44'}`` central second moments of (x, px, y, py).
    """
    data = _alive_coordinates(particles)
    if data["zeta"].size < num_slices:
        raise ValueError(f"slice_moments_equal_charge: {data['zeta'].size} alive particles "
                         f"cannot fill num_slices={num_slices} slices.")
    order = np.argsort(-data["zeta"], kind="stable")
    return _group_moments(data, np.array_split(order, num_slices))


def slice_moments_in_bins(particles, slice_indices, num_slices):
    """Like :func:`slice_moments_equal_charge`, for given slices.

    `slice_indices` maps the alive particles' zeta [m] to a slice number in
    ``0 .. num_slices - 1`` (e.g. ``TempSlicer.slice_indices``); empty slices
    get zero charge and moments.
    """
    data = _alive_coordinates(particles)
    index = np.asarray(slice_indices(data["zeta"]))
    return _group_moments(data, [np.flatnonzero(index == k) for k in range(num_slices)])
