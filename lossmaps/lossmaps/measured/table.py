"""Canonical losses table (see :mod:`lossmaps.table`) from stacked BLM acquisitions.

One row per (monitor, acquisition): ``s`` = BLM ``dcum`` [m], ``name``,
``length`` = NaN (point monitors), ``losses_type`` from the BLM type,
``losses`` = dose rate [Gy/s], ``time`` (UTC) and ``background`` (True for the
background acquisitions). Rows are ordered by ``s`` then ``time``, like every
canonical table; the frame is built from whole columns (no per-row Python work)
because a loss map holds ~10^5 rows.
"""

import numpy as np
import pandas as pd

from ..table import BACKGROUND, LENGTH, LOSSES, NAME, S, TIME, TYPE
from .classification import blm_type_to_losses

__all__ = ["blm_losses_table"]


def blm_losses_table(times_ns, values, background, metadata):
    """Build the long canonical table from acquisitions and monitor metadata.

    Parameters
    ----------
    times_ns : ndarray of int64, shape (n_t,)
        Acquisition times [ns since the epoch, UTC], sorted.
    values : ndarray of float, shape (n_t, n_blm) [Gy/s]
    background : ndarray of bool, shape (n_t,)
        Background acquisitions.
    metadata : BLMMetadata
        Names, positions and types in vector order.

    Returns
    -------
    pandas.DataFrame
    """
    n_t, n_blm = values.shape
    order = np.argsort(metadata.dcum, kind="stable")
    losses_type = np.empty(n_blm, dtype=object)
    losses_type[:] = blm_type_to_losses(metadata.types[order])
    times = pd.DatetimeIndex(np.tile(times_ns, n_blm).view("datetime64[ns]")).tz_localize("UTC")
    return pd.DataFrame({
        S: np.repeat(metadata.dcum[order], n_t),
        NAME: np.repeat(metadata.names[order].astype(object), n_t),
        LENGTH: np.full(n_t * n_blm, np.nan),
        TYPE: np.repeat(losses_type, n_t),
        LOSSES: values[:, order].T.reshape(-1),
        TIME: times,
        BACKGROUND: np.tile(np.asarray(background, dtype=bool), n_blm),
    })
