"""TempSlicer: the fixed slices of equal charge of a Gaussian strong bunch."""

import numpy as np

from .constant_charge import constant_charge_slicing_gaussian

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

    def slice_indices(self, zeta):
        """Slice index of each longitudinal position `zeta` [m] (0 = head)."""
        zeta = np.asarray(zeta, dtype=float)
        return np.searchsorted(-self.bin_edges[1:-1], -zeta, side="right")
