"""CSV export and import of canonical losses tables (and accessor results).

Enum columns are written as their values (``coll``, ``cold``...) and read back
as :class:`~lossmaps.enums.Losses`; ``time`` is written in ISO format with its
time zone.
"""

import pandas as pd

from .enums import Losses
from .table import TIME, TYPE

__all__ = ["to_csv", "read_losses_csv"]


def to_csv(frame, path):
    """Write a losses table (or any accessor result frame) to ``path``; returns ``path``."""
    out = frame.copy()
    if TYPE in out.columns:
        out[TYPE] = out[TYPE].map(lambda t: Losses(t).value)
    out.to_csv(path, index=False)
    return path


def read_losses_csv(path):
    """Read a table written by :func:`to_csv`, restoring enum and time columns."""
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    if TYPE in frame.columns:
        frame[TYPE] = frame[TYPE].map(Losses).astype(object)
    if "name" in frame.columns:
        frame["name"] = frame["name"].fillna("").astype(object)
    if TIME in frame.columns:
        frame[TIME] = pd.to_datetime(frame[TIME], utc=True)
    return frame
