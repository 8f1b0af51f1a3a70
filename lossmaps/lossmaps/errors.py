"""Exceptions of the lossmaps package."""

__all__ = ["LossMapsError", "LossMapFormatError", "MeasuredOnlyError"]


class LossMapsError(Exception):
    """Base class of the errors raised by lossmaps."""


class LossMapFormatError(LossMapsError, ValueError):
    """An input file does not follow its format.

    Attributes
    ----------
    file : str
        Path of the offending file.
    line : int or None
        1-based line number (None when the problem concerns the whole file).
    expected : str
        What the reader expected at that place.
    got : str or None
        What it found (the offending line or token, shortened).
    """

    def __init__(self, file, line, expected, got=None):
        self.file = str(file)
        self.line = line
        self.expected = expected
        self.got = got
        where = f"{self.file}, line {line}" if line is not None else self.file
        message = f"{where}: expected {expected}"
        if got is not None:
            shown = got if len(got) <= 120 else got[:117] + "..."
            message += f"; got {shown!r}"
        super().__init__(message)


class MeasuredOnlyError(LossMapsError, TypeError):
    """A per-time quantity was asked of a losses table without a time column."""

    def __init__(self, what):
        super().__init__(
            f"{what} is available for measured loss maps only: the losses table has no "
            "'time' column (simulated loss maps have a single, time-less set of losses)"
        )
