"""Aperture-loss binning and cold/warm classification (formats doc §8)."""

import numpy as np
import pandas as pd

from ..enums import Losses
from ..errors import LossMapsError

__all__ = ["bin_aperture_losses", "classify_aperture"]


def bin_aperture_losses(s, counts, energies, names, interpolation):
    """Bin aperture losses in ``interpolation``-wide bins ``k = floor(s / interpolation)``.

    Parameters
    ----------
    s : ndarray, shape (n,) [m]
        Absolute loss positions in the plot coordinate, in ``[0, C)``.
    counts, energies : ndarray, shape (n,)
        Particle weights and energies [GeV] of each loss.
    names : ndarray of str, shape (n,)
        Element at which each loss was detected.
    interpolation : float [m]

    Returns
    -------
    pandas.DataFrame
        Non-empty bins only: ``idx``, ``s`` (bin centre ``(k + 1/2) * interpolation``),
        ``length`` (= interpolation), ``n`` (summed weights), ``e`` [GeV], ``name``
        (element of the first loss in the bin).
    """
    s = np.asarray(s, dtype=float)
    for what, values in (("position s", s), ("weight", counts), ("energy", energies)):
        bad = ~np.isfinite(np.asarray(values, dtype=float))
        if bad.any():  # the readers reject these; an int64 cast would turn NaN into -9.2e18
            raise LossMapsError(f"aperture-loss {what} must be finite; loss {int(np.argmax(bad))} "
                                f"has {np.asarray(values)[bad][0]!r}")
    idx = np.floor(s / interpolation).astype(np.int64)
    frame = pd.DataFrame({"idx": idx, "n": counts, "e": energies, "name": names})
    grouped = frame.groupby("idx", sort=True).agg(n=("n", "sum"), e=("e", "sum"), name=("name", "first"))
    grouped = grouped.reset_index()
    grouped.insert(1, "s", (grouped["idx"].to_numpy() + 0.5) * interpolation)
    grouped.insert(2, "length", float(interpolation))
    return grouped[["idx", "s", "length", "n", "e", "name"]]


def classify_aperture(s, warm_regions):
    """Loss type of aperture positions: WARM inside a warm region, else COLD.

    Parameters
    ----------
    s : ndarray, shape (n,) [m]
    warm_regions : sequence of (float, float) [m], or None
        None means the machine is unknown: every position is ``Losses.UNKNOWN``.

    Returns
    -------
    ndarray of Losses, shape (n,)
    """
    s = np.asarray(s, dtype=float)
    if warm_regions is None:
        return np.full(s.shape, Losses.UNKNOWN, dtype=object)
    warm = np.zeros(s.shape, dtype=bool)
    for lo, hi in warm_regions:
        warm |= (s >= lo) & (s <= hi)
    types = np.full(s.shape, Losses.COLD, dtype=object)
    types[warm] = Losses.WARM
    return types
