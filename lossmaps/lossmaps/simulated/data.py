"""``SimulatedData``: the loaded losses of a simulated map before tabulation.

Keeping collimator totals and aperture bins (not the per-metre table) makes
``append`` exact: two loads are merged by summing counts per collimator and per
bin, then the canonical table is rebuilt.
"""

import dataclasses

import numpy as np
import pandas as pd

from ..enums import Losses
from ..errors import LossMapsError
from ..table import make_losses_table

__all__ = ["SimulatedData", "QUANTITIES"]

QUANTITIES = ("counts", "energy")


@dataclasses.dataclass(frozen=True)
class SimulatedData:
    """Collimator totals and aperture bins of one or more loads.

    Attributes
    ----------
    collimators : pandas.DataFrame
        ``name``, ``s`` [m] (centre, plot coordinate), ``length`` [m], ``n`` (absorbed
        particles), ``e`` [GeV] (NaN when unknown).
    aperture : pandas.DataFrame
        ``idx``, ``s`` [m], ``length`` [m], ``n``, ``e`` [GeV], ``name`` (see
        :func:`~lossmaps.simulated.binning.bin_aperture_losses`; ``idx`` -1 for
        unbinned element rows).
    interpolation : float [m]
    circumference : float [m]
    quantity : str
        ``'counts'`` or ``'energy'``: which of ``n``/``e`` becomes ``losses``.
    momentum : float or None [GeV/c]
        Reference momentum of the simulation (TFS ``PC``, JSON ``momentum``), if known.
    """

    collimators: pd.DataFrame
    aperture: pd.DataFrame
    interpolation: float
    circumference: float
    quantity: str
    momentum: float | None = None

    def merge(self, other):
        """Sum this and ``other`` per collimator and per bin (for ``append=True``).

        Raises
        ------
        LossMapsError
            If binning, circumference, reference momentum or quantity differ (the
            maps are not comparable).
        """
        for field, tol in (("interpolation", 1e-12), ("circumference", 1e-3)):
            a, b = getattr(self, field), getattr(other, field)
            if abs(a - b) > tol:
                raise LossMapsError(f"cannot append: {field} differs ({a} vs {b}); "
                                    "load both with the same value")
        a, b = self.momentum, other.momentum
        if a is not None and b is not None and abs(a - b) > 1e-6 * max(abs(a), abs(b)):
            raise LossMapsError(f"cannot append: the reference momentum differs ({a} vs {b} "
                                "GeV/c); loss maps of different energies do not add up")
        if self.quantity != other.quantity:
            raise LossMapsError(f"cannot append a loss map of {other.quantity} to one of "
                                f"{self.quantity}; pass the same quantity=")
        coll = pd.concat([self.collimators, other.collimators], ignore_index=True)
        key = coll["name"].str.lower()
        coll = coll.groupby([key, coll["s"].round(6)], sort=False).agg(
            name=("name", "first"), s=("s", "first"), length=("length", "first"),
            n=("n", "sum"), e=("e", "sum"))
        aper = pd.concat([self.aperture, other.aperture], ignore_index=True)
        aper = aper.groupby(["idx", aper["s"].round(6)], sort=True).agg(
            idx=("idx", "first"), s=("s", "first"), length=("length", "first"),
            n=("n", "sum"), e=("e", "sum"), name=("name", "first"))
        return dataclasses.replace(self, collimators=coll.reset_index(drop=True),
                                   aperture=aper.reset_index(drop=True),
                                   momentum=self.momentum if self.momentum is not None
                                   else other.momentum)

    def losses_table(self, aperture_types):
        """Canonical losses table: collimators per metre (COLL), aperture bins per metre.

        Parameters
        ----------
        aperture_types : ndarray of Losses, shape (len(self.aperture),)
            Type of each aperture bin (:func:`~lossmaps.simulated.binning.classify_aperture`).
        """
        column = "n" if self.quantity == "counts" else "e"
        coll, aper = self.collimators, self.aperture
        # zero-length elements (old crystal entries): spread over one bin width
        coll_length = np.where(coll["length"] > 0, coll["length"], self.interpolation)
        aper_length = np.where(aper["length"] > 0, aper["length"], self.interpolation)
        return make_losses_table(
            s=np.concatenate([coll["s"], aper["s"]]),
            name=np.concatenate([coll["name"].to_numpy(object), aper["name"].to_numpy(object)]),
            length=np.concatenate([coll_length, aper_length]),
            losses_type=np.concatenate([
                np.full(len(coll), Losses.COLL, dtype=object),
                aperture_types,
            ]),
            losses=np.concatenate([coll[column] / coll_length, aper[column] / aper_length]),
        )
