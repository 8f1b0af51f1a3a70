"""Per-acquisition quantities of a measured losses table (one row per BLM and time).

The ``.lossmap`` accessor's per-time properties call the functions here by the
same names. Conventions:

* the input is a canonical losses table with a ``time`` column (UTC inside);
* quantities of the losses (``total_loss_per_time``, ``max_loss_per_time``,
  ``t_max_loss``...) are taken after background subtraction
  (``background_std=0``: the background mean; ``None``: raw signals), since a
  measured loss is the signal above the monitor's offset;
* time stamps handed back (index values, ``t_max_loss``) are in local CERN time;
* the normalisations ``total_per_time``, ``coll_max_per_time``, ``max_per_time``
  are computed on the frame as given (the accessor passes it already
  background-subtracted) and are indexed by the frame's own time values, so that
  ``frame['time'].map(norm)`` aligns.
"""

import numpy as np
import pandas as pd

from ..enums import Losses
from ..errors import MeasuredOnlyError
from ..table import BACKGROUND, LOSSES, TIME, TYPE, integrated_losses
from ..timeconv import to_local

__all__ = [
    "timestamps",
    "total_loss_per_time",
    "max_loss_per_time",
    "t_max_loss",
    "max_loss_per_time_per_type",
    "t_max_loss_per_type",
    "total_per_time",
    "coll_max_per_time",
    "max_per_time",
]


def _checked(losses, what):
    if not isinstance(losses, pd.DataFrame):
        raise TypeError(f"{what} needs a losses DataFrame, got {type(losses).__name__}")
    if TIME not in losses.columns:
        raise MeasuredOnlyError(what)
    return losses


def _subtracted(losses, background_std, what):
    """Background-subtracted copy (``background_std=None``: the frame as given)."""
    _checked(losses, what)
    if background_std is None or BACKGROUND not in losses.columns:
        return losses
    return losses.lossmap.data_background_sub(background_std)


def _local_index(series):
    series.index = to_local(pd.DatetimeIndex(series.index))
    series.index.name = TIME
    return series


def timestamps(losses):
    """Acquisition time stamps of the table, sorted, in local CERN time.

    Returns
    -------
    pandas.DatetimeIndex (Europe/Zurich)
    """
    times = pd.DatetimeIndex(_checked(losses, "timestamps")[TIME].unique()).sort_values()
    return to_local(times)


def total_loss_per_time(losses, background_std=0):
    """Sum of the (background-subtracted) signals of all monitors per acquisition.

    Parameters
    ----------
    losses : pandas.DataFrame
        Canonical table with ``time``.
    background_std : float or None, default 0
        Background level in sigma; None for raw signals.

    Returns
    -------
    pandas.Series [Gy/s]
        Indexed by local time.
    """
    frame = _subtracted(losses, background_std, "total_loss_per_time")
    return _local_index(integrated_losses(frame).groupby(frame[TIME]).sum())


def _of_types(frame, types, what):
    if types is None:
        return frame
    types = [Losses(t) for t in types]
    # Identity comparison per member: much faster than isin's hashing of ~10^5 enums.
    column = frame[TYPE].to_numpy()
    mask = np.zeros(len(frame), dtype=bool)
    for member in types:
        mask |= column == member
    if not mask.any():
        raise ValueError(
            f"{what}: no rows of losses type {[t.name for t in types]} in the table; "
            "pass types=None to use all monitors"
        )
    return frame[mask]


def max_loss_per_time(losses, background_std=0, types=None):
    """Largest (background-subtracted) signal per acquisition.

    Parameters
    ----------
    types : sequence of Losses, optional
        Only rows of these types (default: all).

    Returns
    -------
    pandas.Series [Gy/s], indexed by local time.
    """
    return _max_per_time(losses, background_std, types, "max_loss_per_time")


def _max_per_time(losses, background_std, types, what):
    frame = _of_types(_subtracted(losses, background_std, what), types, what)
    return _local_index(frame.groupby(TIME)[LOSSES].max())


def t_max_loss(losses, background_std=0, types=(Losses.COLL,)):
    """Time stamp of the largest collimator loss (local CERN time).

    Parameters
    ----------
    background_std : float or None, default 0
        Background level in sigma; None for raw signals.
    types : sequence of Losses or None, default (Losses.COLL,)
        Rows considered (the manual's "maximum loss on the collimators");
        None for all monitors.

    Returns
    -------
    pandas.Timestamp (Europe/Zurich)
    """
    return _max_per_time(losses, background_std, types, "t_max_loss").idxmax()


def max_loss_per_time_per_type(losses, background_std=0):
    """Largest (background-subtracted) signal per acquisition and losses type.

    Returns
    -------
    pandas.DataFrame [Gy/s]
        Index: local time; columns: the :class:`Losses` types present.
    """
    frame = _subtracted(losses, background_std, "max_loss_per_time_per_type")
    table = frame.groupby([TIME, TYPE])[LOSSES].max().unstack(TYPE)
    table.columns = [Losses(c) for c in table.columns]
    return _local_index(table)


def t_max_loss_per_type(losses, background_std=0):
    """Time stamp of the largest signal of each losses type (local CERN time).

    Returns
    -------
    pandas.Series of pandas.Timestamp, indexed by :class:`Losses`.
    """
    return max_loss_per_time_per_type(losses, background_std).idxmax()


def total_per_time(losses):
    """Normalisation ``'total_per_time'``: sum of the signals of each acquisition.

    Returns
    -------
    pandas.Series, indexed by the frame's time values.
    """
    frame = _checked(losses, "total_per_time")
    return integrated_losses(frame).groupby(frame[TIME]).sum()


def coll_max_per_time(losses):
    """Normalisation ``'coll_max_per_time'``: largest collimator signal of each acquisition."""
    frame = _of_types(_checked(losses, "coll_max_per_time"), (Losses.COLL,), "coll_max_per_time")
    return frame.groupby(TIME)[LOSSES].max()


def max_per_time(losses):
    """Normalisation ``'max_per_time'``: largest signal of each acquisition."""
    frame = _checked(losses, "max_per_time")
    return frame.groupby(TIME)[LOSSES].max()
