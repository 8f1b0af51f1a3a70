"""Exceptions of the lossmaps package: one hierarchy under :class:`LossMapsError`.

Domain errors carry their diagnostics as attributes, so code can react to them.
"""

__all__ = [
    "LossMapsError",
    "LossMapsWarning",
    "LossMapFormatError",
    "MeasuredOnlyError",
    "StoreError",
    "EntryNotFoundError",
    "StoreFormatError",
    "MeasuredDataError",
    "EmptyWindowError",
    "MissingAcquisitionsError",
    "BLMMetadataError",
    "MeasuredFileError",
    "BLMMetadataFileError",
    "LoggingServiceUnavailableError",
]


class LossMapsError(Exception):
    """Base class of the errors raised by lossmaps."""


class LossMapsWarning(UserWarning):
    """A documented default was applied to an input (also recorded in the loss map's
    ``defaults_applied``), e.g. a zero collimator length spread over one bin."""


class LossMapFormatError(LossMapsError, ValueError):
    """An input file does not follow its format.

    Attributes
    ----------
    file : str
        Path of the offending file.
    line : int or None
        1-based line number (None when the problem concerns the whole file, or
        when ``where`` locates it otherwise).
    expected : str
        What the reader expected at that place.
    got : str or None
        What it found (the offending line or token, shortened).
    where : str or None
        Location in files without lines: ``"JSON path collimator.n[3]"``,
        ``"row group 2"``, ``"row 17"``.
    """

    def __init__(self, file, line, expected, got=None, *, where=None):
        self.file = str(file)
        self.line = line
        self.expected = expected
        self.got = got
        self.where = where
        place = self.file
        if line is not None:
            place += f", line {line}"
        if where is not None:
            place += f", {where}"
        message = f"{place}: expected {expected}"
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


# -- loss-map store ----------------------------------------------------------------
class StoreError(LossMapsError):
    """The loss-map store cannot complete an operation."""


class EntryNotFoundError(StoreError, KeyError):
    """No entry with this id in the store.

    Attributes
    ----------
    entry_id : str
    close_matches : list of str
    """

    def __init__(self, entry_id, root, close_matches=()):
        self.entry_id, self.close_matches = entry_id, list(close_matches)
        hint = f"; close matches: {', '.join(self.close_matches)}" if self.close_matches else ""
        super().__init__(f"no loss map with id {entry_id!r} in the store {root}{hint}")

    def __str__(self):  # KeyError would show the message quoted
        return self.args[0]


class StoreFormatError(StoreError, ValueError):
    """A stored entry was written by an incompatible format version or is damaged."""


# -- measured BLM data ---------------------------------------------------------------
class MeasuredDataError(LossMapsError):
    """Base class: the BLM data cannot give the requested measured loss map."""


class EmptyWindowError(MeasuredDataError, LookupError):
    """No acquisition of ``variable`` lies in the requested window.

    Attributes
    ----------
    variable : str
        Logged variable, e.g. ``'LHC.BLMI:LOSS_RS09'``.
    start, end : pandas.Timestamp
        Window asked for, in local CERN time.
    """

    def __init__(self, variable, start, end, what="loss-map window"):
        self.variable, self.start, self.end = variable, start, end
        super().__init__(
            f"no acquisition of {variable} in the {what} [{start}, {end}] (local CERN time); "
            "check timestamp/duration (timestamp is the START of the window), "
            "the variable (blm_integration_time) and the data source"
        )


class MissingAcquisitionsError(MeasuredDataError):
    """The window has acquisitions, but some are missing (gaps, too few for the background).

    Attributes
    ----------
    gaps : list of (pandas.Timestamp, pandas.Timestamp)
        Intervals without acquisition longer than the allowed gap, local time.
    found, needed : int or None
        For the background: acquisitions found and needed.
    """

    def __init__(self, message, *, gaps=(), found=None, needed=None):
        self.gaps, self.found, self.needed = list(gaps), found, needed
        super().__init__(message)


class BLMMetadataError(MeasuredDataError):
    """BLM names or positions are missing or inconsistent with the data vectors."""


class MeasuredFileError(MeasuredDataError, LossMapFormatError):
    """A logged-data file (CSV or Parquet) is unreadable or damaged; names file and place."""


class BLMMetadataFileError(BLMMetadataError, LossMapFormatError):
    """A BLM names/positions file is unreadable or holds a bad value; names file and place."""


class LoggingServiceUnavailableError(MeasuredDataError, RuntimeError):
    """The logging-service (NXCALS) client cannot be imported in this environment."""
