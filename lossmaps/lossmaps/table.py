"""The canonical losses table: column names, construction and validation.

One ``pandas.DataFrame`` per loss map, one row per loss location (and per
acquisition for measured data). Readers produce it; the ``.lossmap`` accessor,
the plots and the exports consume it. Columns:

============== ========================== =========================================
column         dtype                      meaning
============== ========================== =========================================
``s``          float64 [m]                position along the ring, B1 coordinate from
                                          IP1: collimator centre, aperture-bin
                                          centre, or BLM ``dcum``
``name``       object (str)               collimator / element / BLM name, as in the
                                          source file (aperture bins: element of the
                                          bin, or ``''``)
``length``     float64 [m]                collimator active length, aperture-bin width
                                          (``interpolation``); ``NaN`` for point
                                          monitors (BLMs), whose signal is not per metre
``losses_type`` object (:class:`Losses`)  ``COLL``, ``COLD``, ``WARM``, ``XRP`` or
                                          ``UNKNOWN``
``losses``     float64                    losses **per metre** for simulated maps
                                          ([1/m] counts, or [GeV/m] energy); dose rate
                                          [Gy/s] for BLM data
``time``       datetime64[ns, UTC]        optional: acquisition time stamp (measured);
                                          present => one row per (BLM, acquisition)
``background`` bool                       optional (measured): True for the rows of
                                          the background acquisitions
============== ========================== =========================================

Integrated losses are ``losses * length`` (counts or GeV), with a ``NaN`` length
counting as 1 (a monitor's signal is already integrated over its own extent).
"""

import numpy as np
import pandas as pd

from .enums import Losses

__all__ = [
    "S",
    "NAME",
    "LENGTH",
    "TYPE",
    "LOSSES",
    "TIME",
    "BACKGROUND",
    "REQUIRED_COLUMNS",
    "make_losses_table",
    "missing_columns",
    "integrated_losses",
    "has_time",
]

S = "s"
NAME = "name"
LENGTH = "length"
TYPE = "losses_type"
LOSSES = "losses"
TIME = "time"
BACKGROUND = "background"
REQUIRED_COLUMNS = (S, NAME, LENGTH, TYPE, LOSSES)


def make_losses_table(s, name, length, losses_type, losses, time=None):
    """Build a canonical losses table, sorted by ``s`` (then ``time``).

    Parameters
    ----------
    s : array_like, shape (n,) [m]
    name : array_like of str, shape (n,)
    length : array_like, shape (n,) [m]
    losses_type : Losses or array_like of Losses, shape (n,)
    losses : array_like, shape (n,) [per metre, or Gy/s]
    time : array_like of datetime, shape (n,), optional

    Returns
    -------
    pandas.DataFrame
        Columns as in the module docstring, with a fresh ``RangeIndex``.
    """
    s = np.asarray(s, dtype=float)
    n = s.size
    if isinstance(losses_type, Losses):
        losses_type = [losses_type] * n
    data = {
        S: s,
        NAME: np.asarray(name, dtype=object).reshape(n),
        LENGTH: np.asarray(length, dtype=float).reshape(n),
        TYPE: np.asarray([Losses(t) for t in losses_type], dtype=object).reshape(n),
        LOSSES: np.asarray(losses, dtype=float).reshape(n),
    }
    sort_by = [S]
    if time is not None:
        data[TIME] = pd.to_datetime(time, utc=True)
        sort_by = [S, TIME]
    table = pd.DataFrame(data)
    return table.sort_values(sort_by, kind="stable").reset_index(drop=True)


def missing_columns(frame):
    """Return the required canonical columns absent from ``frame`` (list of str)."""
    return [c for c in REQUIRED_COLUMNS if c not in frame.columns]


def has_time(frame):
    """True if ``frame`` carries per-acquisition rows (a ``time`` column)."""
    return TIME in frame.columns


def integrated_losses(frame):
    """Per-row integrated losses ``losses * length`` (NaN length counts as 1).

    Returns
    -------
    pandas.Series
        Counts / GeV for simulated rows, the signal itself for monitor rows.
    """
    return frame[LOSSES] * frame[LENGTH].fillna(1.0)
