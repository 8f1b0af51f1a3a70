"""Exceptions for measured BLM data; each carries its diagnostics as attributes."""

__all__ = [
    "MeasuredDataError",
    "EmptyWindowError",
    "MissingAcquisitionsError",
    "BLMMetadataError",
    "LoggingServiceUnavailableError",
]


class MeasuredDataError(Exception):
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


class LoggingServiceUnavailableError(MeasuredDataError, RuntimeError):
    """The logging-service (NXCALS) client cannot be imported in this environment."""
