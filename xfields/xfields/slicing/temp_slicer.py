"""TempSlicer: the fixed slices of equal charge of a Gaussian strong bunch."""

import numpy as np

from .constant_charge import (_CENTROIDS, MOMENT_NAMES, constant_charge_slicing_gaussian,
                              slice_moments_in_bins)

__all__ = ["TempSlicer"]

_MODES = ("unicharge",)


class TempSlicer:
    """Longitudinal slices of equal charge of a Gaussian bunch, head first.

    Parameters
    ----------
    n_slices : int, default 11
        Number of slices.
    sigma_z : float, default 0.08
        Rms bunch length [m].
    mode : {'unicharge'}, default 'unicharge'
        Slices of equal charge (cuts at the Gaussian quantiles).
    _context : xobjects context, optional
        Accepted for the established interface (the slicing is computed on the host).

    Attributes
    ----------
    bin_centers : ndarray
        Slice centroids [m], decreasing (head first, the order of
        BeamBeamBiGaussian3D slices).
    bin_edges : ndarray
        Slice boundaries [m], decreasing, from +inf to -inf (n_slices + 1 values).
    bin_weights : ndarray
        Fraction of the bunch in each slice (sums to 1).
    bin_widths_beamstrahlung : ndarray
        Slice lengths [m] for beamstrahlung (BeamBeamBiGaussian3D's
        ``slices_other_beam_zeta_bin_width_beamstrahlung``): between the cuts,
        and for the two outer slices, which reach to infinity, twice the
        distance from their cut to their centroid (0 for a single slice).
    """

    def __init__(self, _context=None, n_slices=11, sigma_z=0.08, mode="unicharge"):
        if mode not in _MODES:
            raise ValueError(f"TempSlicer: mode={mode!r} is not available; allowed: {list(_MODES)}.")
        centroids, cuts, weights = constant_charge_slicing_gaussian(1.0, sigma_z, n_slices)
        self.n_slices = int(n_slices)
        self.sigma_z = float(sigma_z)
        self.mode = mode
        self.bin_centers = centroids[::-1].copy()
        self.bin_edges = np.concatenate([[np.inf], cuts[::-1], [-np.inf]])
        self.bin_weights = weights[::-1].copy()
        self.bin_widths_beamstrahlung = outer_slice_widths(self.bin_edges, self.bin_centers)

    def slice_indices(self, zeta):
        """Slice index of each longitudinal position `zeta` [m] (0 = head)."""
        zeta = np.asarray(zeta, dtype=float)
        return np.searchsorted(-self.bin_edges[1:-1], -zeta, side="right")

    # ------------------------------------------------- macro-particle moments
    def assign_slices(self, particles):
        """Slice index of every particle (0 = head, -1 = lost), also kept as ``particles.slice``."""
        ctx = particles._context
        zeta = np.asarray(ctx.nparray_from_context_array(particles.zeta), dtype=float)
        state = np.asarray(ctx.nparray_from_context_array(particles.state))
        index = self.slice_indices(zeta).astype(np.int64)
        index[state <= 0] = -1
        particles.slice = index
        return index

    def compute_moments(self, particles, update_assigned_slices=True):
        """Charges, centroids and second moments of the slices, as one array (`moments_array`).

        Parameters
        ----------
        particles : xpart.Particles
        update_assigned_slices : bool, default True
            Assign the slices first; False uses those of the last `assign_slices`.
        """
        index = getattr(particles, "slice", None)
        if update_assigned_slices or index is None:
            index = self.assign_slices(particles)
        index = np.asarray(index)
        alive = index >= 0
        if index.shape != np.shape(particles.state):
            raise ValueError("TempSlicer.compute_moments: the particles' assigned slices do not "
                             "match them (call assign_slices(particles) again).")
        return moments_array(*slice_moments_in_bins(particles, lambda _zeta: index[alive],
                                                    self.n_slices))


#: Rows of `moments_array`, n_slices values each.
MOMENT_ROWS = (("num_particles",) + tuple(f"{c}_center" for c in _CENTROIDS)
               + tuple(f"Sigma_{ij}" for ij in MOMENT_NAMES))


def moments_array(num_particles, centroids, moments):
    """``(num_particles, centroids, moments)`` of the slices as one flat array.

    ``len(MOMENT_ROWS)`` (17) blocks of n_slices values: charges, the six
    centroids (x, px, y, py, zeta, pzeta) and the ten second moments
    Sigma_11 ... Sigma_44, in that order.
    """
    rows = [num_particles] + [centroids[c] for c in _CENTROIDS] + [moments[ij] for ij in MOMENT_NAMES]
    return np.concatenate([np.asarray(r, dtype=float) for r in rows])


def moments_from_array(array, num_slices):
    """Inverse of :func:`moments_array`."""
    rows = np.asarray(array, dtype=float).reshape(len(MOMENT_ROWS), num_slices)
    return (rows[0], {c: rows[1 + k] for k, c in enumerate(_CENTROIDS)},
            {ij: rows[7 + k] for k, ij in enumerate(MOMENT_NAMES)})


def outer_slice_widths(edges, centers):
    """Slice lengths from the cuts `edges` (n + 1, outer ones may be infinite) and the centroids.

    A slice unbounded on one side gets twice the distance from its cut to its
    centroid; one unbounded on both sides gets 0.
    """
    edges, centers = np.asarray(edges, dtype=float), np.asarray(centers, dtype=float)
    widths = np.abs(np.diff(edges))
    for k, inner in ((0, edges[1]), (len(widths) - 1, edges[-2])):
        if not np.isfinite(widths[k]):
            widths[k] = 2 * abs(inner - centers[k]) if np.isfinite(inner) else 0.0
    return widths
