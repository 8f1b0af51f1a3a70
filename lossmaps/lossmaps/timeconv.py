"""Time conventions of measured loss maps: local CERN time out, UTC inside.

Used by the measured loss maps, the accessor, the captions and the store.

The logging service stores time stamps as integer nanoseconds since the epoch
in UTC. Users give and read times in local CERN time (``Europe/Zurich``, the
zone of the manual's examples), so:

* inputs without a zone are interpreted as ``Europe/Zurich`` wall-clock time;
  inputs with a zone (``'...+00:00'``, tz-aware objects) are converted;
* every computation and query uses UTC (``pandas.Timestamp`` in UTC, or int64
  ns since the epoch);
* every time handed back to the user is a tz-aware ``Europe/Zurich`` timestamp.

Wall-clock times that do not exist (spring forward) or exist twice (fall back)
around a daylight-saving change are refused with a message that says how to
write them unambiguously, instead of being shifted silently.
"""

import datetime

import numpy as np
import pandas as pd

__all__ = ["CERN_TZ", "to_utc", "to_local", "to_ns", "seconds_to_timedelta"]

CERN_TZ = "Europe/Zurich"

_TIME_TYPES = (str, datetime.datetime, pd.Timestamp, np.datetime64)


def to_utc(value, parameter):
    """Return ``value`` as a tz-aware UTC ``pandas.Timestamp``.

    Parameters
    ----------
    value : str, datetime.datetime, pandas.Timestamp or numpy.datetime64
        A time. Without a time zone it is local CERN time (``Europe/Zurich``).
    parameter : str
        Name of the user-facing parameter, for error messages.

    Returns
    -------
    pandas.Timestamp
        The same instant in UTC.

    Raises
    ------
    TypeError
        If ``value`` is not a time.
    ValueError
        If it cannot be parsed, or is a local wall-clock time that does not
        exist or is ambiguous because of a daylight-saving change.
    """
    if isinstance(value, bool) or not isinstance(value, _TIME_TYPES):
        raise TypeError(
            f"{parameter} must be a time (str, datetime, pandas.Timestamp), "
            f"got {type(value).__name__} {value!r}"
        )
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"{parameter} could not be read as a time, got {value!r} ({error}); "
            "write it like '2024-05-21 14:03:20' (local CERN time)"
        ) from None
    if stamp is pd.NaT:
        raise ValueError(f"{parameter} must be a time, got {value!r} (not a time)")
    if stamp.tzinfo is not None:
        return stamp.tz_convert("UTC")
    try:
        local = stamp.tz_localize(CERN_TZ, ambiguous="raise", nonexistent="raise")
    except Exception as error:  # pytz/zoneinfo raise different classes for the same two cases
        kind = "is ambiguous" if "ambiguous" in str(error).lower() else "does not exist"
        raise ValueError(
            f"{parameter}={value!r} {kind} in local CERN time ({CERN_TZ}) because of a "
            "daylight-saving change; give the UTC offset explicitly, e.g. "
            f"'{stamp.isoformat(sep=' ')}+02:00' (summer time) or '+01:00' (winter time)"
        ) from None
    return local.tz_convert("UTC")


def to_local(value):
    """Return a UTC time (Timestamp, int ns, or a datetime Series/Index) in CERN time.

    Parameters
    ----------
    value : pandas.Timestamp, int, pandas.Series or pandas.DatetimeIndex
        A tz-aware time, nanoseconds since the epoch (UTC), or datetime values.

    Returns
    -------
    Same kind as ``value``, in ``Europe/Zurich``.
    """
    if isinstance(value, pd.Series):
        return value.dt.tz_convert(CERN_TZ) if value.dt.tz else value.dt.tz_localize("UTC").dt.tz_convert(CERN_TZ)
    if isinstance(value, pd.DatetimeIndex):
        return value.tz_convert(CERN_TZ) if value.tz else value.tz_localize("UTC").tz_convert(CERN_TZ)
    if isinstance(value, (int, np.integer)):
        return pd.Timestamp(int(value), tz="UTC").tz_convert(CERN_TZ)
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(CERN_TZ)


def to_ns(stamp):
    """Integer nanoseconds since the epoch (UTC) of a tz-aware ``pandas.Timestamp``."""
    return int(stamp.value)


def seconds_to_timedelta(value, parameter, *, allow_zero=False):
    """Validate a duration in seconds and return it as a ``pandas.Timedelta``.

    Parameters
    ----------
    value : int or float [s]
        Duration.
    parameter : str
        Name of the user-facing parameter, for error messages.
    allow_zero : bool
        Whether 0 s is allowed (default False: strictly positive).

    Raises
    ------
    TypeError, ValueError
        If ``value`` is not a finite number of seconds in the allowed range.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{parameter} must be a number of seconds, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{parameter} must be a finite number of seconds {bound}, got {value!r}")
    return pd.Timedelta(seconds=float(value))
