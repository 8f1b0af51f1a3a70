"""Plot ranges on a ring: defaults from the machine, wrap-around at s = 0."""

import numpy as np

from ..table import BACKGROUND, S, has_time

__all__ = ["resolve_range", "Unwrap", "select_acquisition"]


def resolve_range(name, given, default):
    """``given`` with ``None`` entries replaced by ``default`` (both ``(lo, hi)`` in m)."""
    if given is None:
        given = (None, None)
    try:
        lo, hi = given
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (s_min, s_max) in m, got {given!r}") from None
    if default is None and (lo is None or hi is None):
        return None
    lo = default[0] if lo is None else float(lo)
    hi = default[1] if hi is None else float(hi)
    return (lo, hi)


class Unwrap:
    """Map positions into a range that may wrap around s = 0 (``lo > hi``).

    For a wrapping range, positions up to ``hi`` are moved by one circumference
    so that the plotted interval ``[lo, hi + C]`` is continuous.
    """

    def __init__(self, xrange, circumference):
        self.lo, self.hi = xrange
        self.circumference = circumference
        self.wraps = self.lo > self.hi and circumference is not None

    @property
    def xlim(self):
        """Plotted x limits [m]."""
        return (self.lo, self.hi + self.circumference) if self.wraps else (self.lo, self.hi)

    def __call__(self, s):
        s = np.asarray(s, dtype=float)
        return np.where(s <= self.hi, s + self.circumference, s) if self.wraps else s

    def select(self, frame):
        """Rows of ``frame`` inside the range, with ``s`` unwrapped (new frame)."""
        s = self(frame[S].to_numpy(float))
        lo, hi = self.xlim
        mask = (s >= lo) & (s <= hi)
        return frame[mask].assign(**{S: s[mask]})


def select_acquisition(losses, timestamp, background_std, lossmap=None):
    """Background-subtracted rows of one acquisition of a measured table.

    The background is subtracted on the whole table first; the acquisition is
    ``timestamp`` (nearest) or the time of maximum loss (that of ``lossmap``,
    a ``MeasuredLossMap``, when given: it knows its window). The ``background``
    flag is dropped from the result, so that later accessor calls do not
    subtract again (a background acquisition would otherwise be zeroed).
    Tables without ``time`` are returned unchanged.
    """
    if not has_time(losses):
        return losses
    if hasattr(lossmap, "losses_at"):
        return lossmap.losses_at(timestamp, background_std)
    if timestamp is None:
        timestamp = losses.lossmap.t_max_loss
    subtracted = losses.lossmap.data_background_sub(background_std)
    return subtracted.drop(columns=[BACKGROUND], errors="ignore").lossmap.at_time(timestamp)
