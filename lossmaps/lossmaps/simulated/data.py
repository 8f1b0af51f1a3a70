"""``SimulatedData``: the loaded losses of a simulated map before tabulation.

Keeping collimator totals and aperture bins (not the per-metre table) makes
``append`` exact: two loads are merged by summing counts per collimator and per
bin, then the canonical table is rebuilt.
"""

import dataclasses
import warnings

import numpy as np
import pandas as pd

from ..enums import Losses
from ..errors import LossMapsError, LossMapsWarning
from ..table import make_losses_table

__all__ = ["SimulatedData", "QUANTITIES", "length_defaults"]

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
    defaults_applied : tuple of str
        Documented defaults the loaders applied (see :func:`length_defaults`), one
        sentence each; empty when every value came from the files.
    """

    collimators: pd.DataFrame
    aperture: pd.DataFrame
    interpolation: float
    circumference: float
    quantity: str
    momentum: float | None = None
    defaults_applied: tuple = ()

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
        notes = self.defaults_applied + tuple(n for n in other.defaults_applied
                                              if n not in self.defaults_applied)
        return dataclasses.replace(self, collimators=coll.reset_index(drop=True),
                                   aperture=aper.reset_index(drop=True), defaults_applied=notes,
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
        for what, frame in (("collimator", coll), ("aperture", aper)):
            bad = ~(np.isfinite(frame["length"].to_numpy(float)) & (frame["length"] >= 0))
            if bad.any():  # the readers reject these; never let one become a default
                raise LossMapsError(f"{what} length must be finite and >= 0 m, got "
                                    f"{frame['length'][bad].iloc[0]!r} for {frame['name'][bad].iloc[0]!r}")
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


def length_defaults(frame, interpolation, what):
    """Notes (and warnings) for zero lengths in ``frame``, spread over one bin width.

    Old SixTrack files list crystals with length 0.00 (formats doc §2.1); their
    losses per metre use the bin width ``interpolation`` instead, the documented
    default. Each application is announced by a :class:`~lossmaps.errors.LossMapsWarning`
    and returned, to be kept in ``SimulatedLossMap.defaults_applied``.

    Parameters
    ----------
    frame : pandas.DataFrame
        With ``name`` and ``length`` [m] columns.
    interpolation : float [m]
    what : str
        Where the rows come from (``'collimator'``, ``'aperture element'``).

    Returns
    -------
    tuple of str
    """
    zero = frame["length"].to_numpy(float) == 0
    if not zero.any():
        return ()
    names = frame["name"][zero].astype(str).tolist()
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    note = (f"{len(names)} {what}(s) of length 0 m ({shown}): losses per metre computed over "
            f"one bin width, {interpolation} m")
    warnings.warn(note, LossMapsWarning, stacklevel=3)
    return (note,)
