"""The time windows of a measured loss map and the checks on the acquisitions in them.

Conventions (manual, "Constructing a MeasuredLossMap"; lossmaps-formats §5.4):

* ``timestamp`` is the START of the complete window; the loss-map data are the
  acquisitions in ``[timestamp, timestamp + duration]`` (both ends included);
* the background is the first ``bckgr_aq`` acquisitions at or after
  ``tback_start`` (default ``timestamp``), which may lie outside the data window
  (old-style loss maps, whose background was taken earlier);
* acquisitions come at about 1 Hz, not on whole seconds; a stretch longer than
  ``max_gap`` without acquisition means data are missing.

All times here are tz-aware UTC ``pandas.Timestamp`` or int64 ns since the epoch.
"""

import dataclasses

import numpy as np
import pandas as pd

from ..errors import EmptyWindowError, MissingAcquisitionsError
from ..timeconv import to_local

__all__ = ["AcquisitionWindow", "select_acquisitions"]


@dataclasses.dataclass(frozen=True)
class AcquisitionWindow:
    """Validated time windows of one measured loss map (UTC inside).

    Parameters
    ----------
    start : pandas.Timestamp (UTC)
        Start of the loss-map window (the user's ``timestamp``).
    duration : pandas.Timedelta
        Length of the loss-map window.
    tback_start : pandas.Timestamp (UTC)
        Start of the background acquisitions.
    bckgr_aq : int
        Number of background acquisitions.
    max_gap : pandas.Timedelta
        Longest allowed stretch without acquisition (default 2 s at 1 Hz logging).
    """

    start: pd.Timestamp
    duration: pd.Timedelta
    tback_start: pd.Timestamp
    bckgr_aq: int
    max_gap: pd.Timedelta = pd.Timedelta(seconds=2)

    @property
    def end(self):
        """End of the loss-map window (UTC)."""
        return self.start + self.duration

    @property
    def background_span_end(self):
        """Latest time the background acquisitions can reach without a gap (UTC)."""
        return self.tback_start + self.bckgr_aq * self.max_gap

    def query_ranges_ns(self):
        """Time ranges to read, as merged ``[(start_ns, end_ns), ...]`` (inclusive).

        The data window, plus the background span when it is not inside it, so
        that a query never reads more than these windows.
        """
        ranges = sorted([
            (self.start.value, self.end.value),
            (self.tback_start.value, self.background_span_end.value),
        ])
        merged = [list(ranges[0])]
        for lo, hi in ranges[1:]:
            if lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        return [tuple(r) for r in merged]


def _gaps(times_ns, lo_ns, hi_ns, max_gap_ns):
    """Intervals longer than ``max_gap_ns`` in ``[lo_ns, hi_ns]`` without acquisition."""
    edges = np.concatenate(([lo_ns], times_ns, [hi_ns]))
    steps = np.diff(edges)
    where = np.nonzero(steps > max_gap_ns)[0]
    return [(to_local(int(edges[i])), to_local(int(edges[i + 1]))) for i in where]


def select_acquisitions(times_ns, window, variable, source=None):
    """Rows of the loss-map window and of the background among sorted acquisitions.

    Parameters
    ----------
    times_ns : ndarray of int64, shape (n,)
        Sorted acquisition times [ns since the epoch, UTC].
    window : AcquisitionWindow
    variable : str
        Logged variable, for error messages.
    source : str, optional
        Where the acquisitions were read from (a file), named in the errors.

    Returns
    -------
    keep : ndarray of bool, shape (n,)
        Rows in the data window or among the background acquisitions.
    background : ndarray of bool, shape (n,)
        Rows of the background acquisitions.

    Raises
    ------
    EmptyWindowError
        If no acquisition lies in the data window.
    MissingAcquisitionsError
        If the data window has gaps longer than ``window.max_gap`` (including at
        its ends), or fewer than ``bckgr_aq`` background acquisitions follow
        ``tback_start`` without such a gap.
    """
    times_ns = np.asarray(times_ns, dtype=np.int64)
    origin = f" read from {source}" if source else ""
    start, end = window.start.value, window.end.value
    in_window = (times_ns >= start) & (times_ns <= end)
    if not in_window.any():
        raise EmptyWindowError(variable, to_local(window.start), to_local(window.end),
                               what=f"loss-map window{origin}" if origin else "loss-map window")
    max_gap = window.max_gap.value
    gaps = _gaps(times_ns[in_window], start, end, max_gap)
    if gaps:
        shown = ", ".join(f"[{a}, {b}]" for a, b in gaps[:5])
        raise MissingAcquisitionsError(
            f"acquisitions of {variable}{origin} are missing in the loss-map window "
            f"[{to_local(window.start)}, {to_local(window.end)}]: no data for more than "
            f"{window.max_gap.total_seconds()} s in {shown} (local CERN time); check the "
            "window (timestamp, duration) or allow longer gaps with max_gap",
            gaps=gaps,
        )
    after = np.nonzero(times_ns >= window.tback_start.value)[0][: window.bckgr_aq]
    chosen = times_ns[after]
    bg_gaps = _gaps(chosen, window.tback_start.value, chosen[-1] if chosen.size else
                    window.background_span_end.value, max_gap)
    if chosen.size < window.bckgr_aq or bg_gaps:
        raise MissingAcquisitionsError(
            f"the background needs bckgr_aq={window.bckgr_aq} consecutive acquisitions of "
            f"{variable}{origin} from tback_start={to_local(window.tback_start)}, found "
            f"{chosen.size} without a gap longer than {window.max_gap.total_seconds()} s; "
            "move tback_start or lower bckgr_aq",
            gaps=bg_gaps, found=int(chosen.size), needed=window.bckgr_aq,
        )
    background = np.zeros(times_ns.size, dtype=bool)
    background[after] = True
    return in_window | background, background
