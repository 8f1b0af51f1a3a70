"""The ``.lossmap`` pandas accessor on canonical losses tables.

``losses.lossmap.total_loss``, ``losses.lossmap.inefficiency(norm='coll_max')``
... work on any frame with the canonical columns of :mod:`lossmaps.table`.
Methods never modify the caller's frame; they return new frames or numbers.

Normalisations (``norm``), lossmaps-formats §8:

* ``'total'``: sum of the integrated losses (``losses * length``), i.e. the
  number (energy) of lost particles;
* ``'coll_max'``: largest collimator loss per metre;
* ``'max'``: largest loss per metre of any row;
* ``'none'`` (or None): no normalisation;
* ``'total_per_time'``, ``'coll_max_per_time'``, ``'max_per_time'``: the same
  computed per acquisition (measured tables only).

The per-time quantities are computed by the functions of the same names in
:mod:`lossmaps.measured.per_time`, called with the (background-subtracted)
frame; for a table without ``time`` column they raise
:class:`~lossmaps.errors.MeasuredOnlyError`.
"""

import importlib

import numpy as np
import pandas as pd

from .enums import Losses
from .errors import MeasuredOnlyError
from .table import (
    BACKGROUND,
    LOSSES,
    NAME,
    TIME,
    TYPE,
    S,
    has_time,
    integrated_losses,
    missing_columns,
)
from .timeconv import to_utc

__all__ = ["LossMapAccessor", "NORMS", "PER_TIME_NORMS"]

NORMS = ("total", "coll_max", "max", "none")
PER_TIME_NORMS = ("total_per_time", "coll_max_per_time", "max_per_time")


def _per_time(name):
    """Function ``name`` of :mod:`lossmaps.measured.per_time` (imported on use)."""
    module = importlib.import_module("lossmaps.measured.per_time")
    return getattr(module, name)


def _per_time_property(name, summary):
    """Read-only property returning :func:`lossmaps.measured.per_time.<name>` of the frame."""
    return property(lambda self: self._call_per_time(name), doc=f"{summary} (measured only).")


# default row types of the DS inefficiency (see LossMapAccessor.max_inefficiency)
_DS_TYPES_MEASURED = (Losses.COLD,)
_DS_TYPES_SIMULATED = (Losses.COLD, Losses.UNKNOWN)


def _in_range(s, lo, hi):
    """Mask of ``s`` inside ``[lo, hi]`` (inclusive); ``lo > hi`` wraps around 0."""
    if lo <= hi:
        return (s >= lo) & (s <= hi)
    return (s >= lo) | (s <= hi)


@pd.api.extensions.register_dataframe_accessor("lossmap")
class LossMapAccessor:
    """Loss-map quantities of a canonical losses table (see :mod:`lossmaps.accessor`)."""

    def __init__(self, frame):
        missing = missing_columns(frame)
        if missing:
            raise AttributeError(
                "the .lossmap accessor needs a canonical losses table; missing columns: "
                + ", ".join(missing)
            )
        self._frame = frame

    # -- plain quantities -------------------------------------------------------------
    @property
    def total_loss(self):
        """Sum of the integrated losses (counts, GeV, or summed BLM signal)."""
        return float(integrated_losses(self._frame).sum())

    @property
    def max_loss(self):
        """Largest value of ``losses`` over all rows, irrespective of type."""
        return float(self._frame[LOSSES].max()) if len(self._frame) else 0.0

    @property
    def max_loss_per_type(self):
        """Largest ``losses`` value per :class:`Losses` type (Series indexed by type)."""
        return self._frame.groupby(TYPE, sort=False)[LOSSES].max()

    @property
    def coll_max(self):
        """Largest collimator loss (``losses`` of the ``COLL`` rows); 0 if none."""
        coll = self._frame.loc[self._frame[TYPE] == Losses.COLL, LOSSES]
        return float(coll.max()) if len(coll) else 0.0

    @property
    def coll_max_name(self):
        """Name of the collimator with the largest loss (None if no collimator rows)."""
        coll = self._frame[self._frame[TYPE] == Losses.COLL]
        return None if coll.empty else coll.loc[coll[LOSSES].idxmax(), NAME]

    # -- background and normalisation ----------------------------------------------------
    def data_background_sub(self, background_std=0, ddof=0):
        """Losses after background subtraction (new frame).

        For each ``name``, ``b = mean + background_std * std`` over the rows flagged
        ``background`` is subtracted from all its rows. Tables without ``time`` or
        ``background`` column (simulations) have no background: a copy is returned.

        Parameters
        ----------
        background_std : float, default 0
            Number of standard deviations added to the background mean.
        ddof : int, default 0
            Delta degrees of freedom of the std (0: population, 1: sample).
        """
        if isinstance(background_std, bool) or not np.isscalar(background_std) or not background_std >= 0:
            raise ValueError(f"background_std must be a number >= 0 (in sigma), got {background_std!r}")
        frame = self._frame.copy()
        if not (has_time(frame) and BACKGROUND in frame.columns):
            return frame
        bg = frame[frame[BACKGROUND].astype(bool)].groupby(NAME)[LOSSES]
        level = bg.mean()
        if background_std:
            level = level + background_std * bg.std(ddof=ddof).fillna(0.0)
        frame[LOSSES] = frame[LOSSES] - frame[NAME].map(level).fillna(0.0).to_numpy()
        return frame

    def normalisation(self, norm="coll_max", background_std=0):
        """Normalisation value: a float, or a Series indexed by time for ``*_per_time``."""
        frame = self.data_background_sub(background_std)
        return frame.lossmap._norm_of(norm)

    def _norm_of(self, norm):
        if norm is None or norm == "none":
            return 1.0
        if norm == "total":
            return self.total_loss
        if norm == "coll_max":
            return self.coll_max
        if norm == "max":
            return self.max_loss
        if norm in PER_TIME_NORMS:
            return getattr(self, norm)()
        allowed = ", ".join(repr(n) for n in NORMS + PER_TIME_NORMS)
        raise ValueError(f"norm must be one of {allowed} or None, got {norm!r}")

    def inefficiency(self, norm="coll_max", background_std=0):
        """Losses after background subtraction divided by the normalisation (new frame).

        Units: 1/m for simulated losses with a normalisation other than ``'none'``
        (cleaning inefficiency), dimensionless for BLM signals.
        """
        frame = self.data_background_sub(background_std)
        value = frame.lossmap._norm_of(norm)
        if isinstance(value, pd.Series):
            divisor = frame[TIME].map(value).to_numpy(dtype=float)
        else:
            divisor = value
        with np.errstate(divide="ignore", invalid="ignore"):
            frame[LOSSES] = frame[LOSSES].to_numpy(dtype=float) / divisor
        return frame

    def inefficiency_by_type(self, norm="coll_max", background_std=0):
        """Inefficiency split by loss type: dict :class:`Losses` -> frame (present types only)."""
        frame = self.inefficiency(norm, background_std)
        return {Losses(t): group for t, group in frame.groupby(TYPE, sort=False)}

    def max_inefficiency_row(self, roi, norm="coll_max", background_std=0, types=None):
        """Row (Series) of the largest inefficiency in ``roi`` among ``types``; None if empty.

        See :meth:`max_inefficiency` for the parameters.
        """
        try:
            lo, hi = (float(v) for v in roi)
        except (TypeError, ValueError):
            raise ValueError(f"roi must be a pair (s_min, s_max) in m, got {roi!r}") from None
        if types is None:
            types = _DS_TYPES_MEASURED if has_time(self._frame) else _DS_TYPES_SIMULATED
        types = [Losses(t) for t in types]
        frame = self.inefficiency(norm, background_std)
        mask = _in_range(frame[S], lo, hi) & frame[TYPE].isin(types)
        selected = frame[mask & frame[LOSSES].notna()]
        if selected.empty:
            return None
        return selected.loc[selected[LOSSES].idxmax()]

    def max_inefficiency(self, roi, norm="coll_max", background_std=0, types=None):
        """Largest inefficiency of the aperture losses inside a region of interest.

        Parameters
        ----------
        roi : (float, float) [m]
            ``(s_min, s_max)``, inclusive; ``s_min > s_max`` wraps around s = 0.
        norm : str, default 'coll_max'
            See the module docstring.
        background_std : float, default 0
            Background level in sigma (measured data).
        types : sequence of Losses, optional
            Row types considered. The DS is superconducting, so by default only
            cold BLMs count for measured tables, and cold aperture bins plus bins of
            unknown type (no machine given, so no warm/cold split) for simulated
            ones; collimators are excluded unless listed.

        Returns
        -------
        float
            Max of ``losses / norm`` [1/m for simulations]; 0.0 if no row qualifies.
        """
        row = self.max_inefficiency_row(roi, norm, background_std, types)
        return 0.0 if row is None else float(row[LOSSES])

    def fake_spikes(self, norm="coll_max", background_std=0, threshold=1e-4, ratio=2, neighbours=2):
        """Suspected fake spikes: isolated monitor signals not supported by a shower.

        A monitor is flagged when its normalised loss exceeds ``threshold`` and exceeds
        every one of its ``neighbours`` nearest monitors on each side (in ``s``, within
        the same acquisition, the ring closing on itself) by more than a factor
        ``ratio``. A real loss showers over several metres and reaches more than one
        monitor on a side (a quadrupole carries up to three), so comparing with the
        nearest monitor only would flag genuine shower peaks. Collimator monitors are
        never flagged: collimators are where losses are meant to peak. Only monitor
        data (tables with a ``time`` column) can hold instrument spikes; for simulated
        tables the result is empty.

        Returns
        -------
        pandas.DataFrame
            The flagged rows of :meth:`inefficiency`, with the extra columns
            ``losses_prev``, ``losses_next`` (normalised losses of the nearest monitor
            on each side) and ``losses_neighbours`` (largest among all neighbours).
        """
        if not ratio > 0:
            raise ValueError(f"ratio must be > 0, got {ratio!r}")
        if isinstance(neighbours, bool) or not isinstance(neighbours, int) or neighbours < 1:
            raise ValueError(f"neighbours must be an integer >= 1, got {neighbours!r}")
        frame = self.inefficiency(norm, background_std)
        if not has_time(frame):
            return frame.iloc[0:0].assign(losses_prev=[], losses_next=[], losses_neighbours=[])
        frame = frame.sort_values([TIME, S], kind="stable")

        def largest_neighbour(values):
            v = values.to_numpy(dtype=float)
            shifts = [s for s in range(-neighbours, neighbours + 1) if s and abs(s) < len(v)]
            if not shifts:
                return np.full(len(v), -np.inf)
            return np.max([np.roll(v, shift) for shift in shifts], axis=0)

        by_time = frame.groupby(TIME, sort=False)[LOSSES]
        around = by_time.transform(largest_neighbour)
        prev = by_time.transform(lambda v: np.roll(v.to_numpy(dtype=float), 1))
        nxt = by_time.transform(lambda v: np.roll(v.to_numpy(dtype=float), -1))
        value = frame[LOSSES]
        flagged = (value > threshold) & (value > ratio * around) & (frame[TYPE] != Losses.COLL)
        out = frame.assign(losses_prev=prev, losses_next=nxt, losses_neighbours=around)[flagged]
        return out.reset_index(drop=True)

    # -- per-time (measured) quantities, computed in lossmaps.measured.per_time ----------
    # per_time validates the table (raises MeasuredOnlyError without a time column).
    def _call_per_time(self, name):
        return _per_time(name)(self._frame)

    timestamps = _per_time_property("timestamps", "Available acquisition time stamps")
    total_loss_per_time = _per_time_property("total_loss_per_time", "Total loss for each time stamp")
    max_loss_per_time = _per_time_property("max_loss_per_time", "Peak loss for each time stamp")
    t_max_loss = _per_time_property("t_max_loss", "Time stamp of the overall maximum collimator loss")
    max_loss_per_time_per_type = _per_time_property(
        "max_loss_per_time_per_type", "Peak loss for each time stamp and loss type")
    t_max_loss_per_type = _per_time_property(
        "t_max_loss_per_type", "Time stamp of the maximum loss of each loss type")

    def total_per_time(self):
        """Normalisation ``'total_per_time'``: Series indexed by time (measured only)."""
        return self._call_per_time("total_per_time")

    def coll_max_per_time(self):
        """Normalisation ``'coll_max_per_time'``: Series indexed by time (measured only)."""
        return self._call_per_time("coll_max_per_time")

    def max_per_time(self):
        """Normalisation ``'max_per_time'``: Series indexed by time (measured only)."""
        return self._call_per_time("max_per_time")

    def at_time(self, timestamp=None):
        """Rows of one acquisition (new frame, ``time`` column kept).

        Parameters
        ----------
        timestamp : str, datetime or pandas.Timestamp, optional
            Naive values are Europe/Zurich local time (CERN convention). The
            nearest acquisition is taken. Default: :attr:`t_max_loss`.
        """
        if not has_time(self._frame):
            raise MeasuredOnlyError("at_time")
        times = self._frame[TIME]
        if timestamp is None:
            target = pd.Timestamp(self.t_max_loss)
        else:
            # naive = local CERN time; a wall-clock time made ambiguous by a
            # daylight-saving change is refused with the fix, not guessed
            target = to_utc(timestamp, "timestamp")
        unique = pd.DatetimeIndex(times.unique())
        nearest = unique[np.abs((unique - target).asi8).argmin()]
        return self._frame[times == nearest].copy()
