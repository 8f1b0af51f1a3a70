"""Collimator settings tables: validation and normalisation to one row per collimator.

A settings table says, for each collimator (or name pattern), the half gap in
beam sigma, the angle of the jaw normal in the x-y plane and optionally an
offset and a length, as collimation teams write them (SixTrack
``collgaps.dat``: ``name``, ``angle``, ``nsig``, ``length``). It may be a
pandas DataFrame, a dict of columns or a list of dicts.
"""

import dataclasses
import difflib
import math
import numbers

__all__ = ["CollimatorSetting", "normalise_settings"]

REQUIRED = ("name", "nsigma", "angle")
OPTIONAL = ("offset", "length")
# a collgaps.dat table (lossmaps.readers.read_collgaps) carries these too;
# they describe another code's optics and are not used here
IGNORED = ("id", "betax", "betay", "halfgap", "material", "sigx", "sigy", "tilt1", "tilt2",
           "line")
ALIASES = {"nsig": "nsigma"}


@dataclasses.dataclass(frozen=True)
class CollimatorSetting:
    """One validated settings row.

    Attributes
    ----------
    name : str
        Element name or regular expression (matched against the whole name).
    nsigma : float
        Half gap in beam sigma (> 0).
    angle : float [rad]
        Angle of the jaw normal in the x-y plane (0: horizontal collimator).
    offset : float [m]
        Shift of the jaw centre along the jaw normal, added to the closed orbit.
    length : float or None [m]
        Collimator length; None for the length of the element in the line.
    row : int
        Index of the row in the given table (for error messages).
    """

    name: str
    nsigma: float
    angle: float
    offset: float = 0.0
    length: float | None = None
    row: int = 0


def _rows(settings):
    """The settings as a list of dicts (one per collimator)."""
    if hasattr(settings, "to_dict") and hasattr(settings, "columns"):  # a pandas DataFrame
        return settings.to_dict(orient="records")
    if isinstance(settings, dict):
        columns = {key: list(values) if not isinstance(values, str) else [values]
                   for key, values in settings.items()}
        sizes = {len(v) for v in columns.values()}
        if len(sizes) > 1:
            raise ValueError(f"settings: the columns have different lengths "
                             f"({ {k: len(v) for k, v in columns.items()} })")
        count = sizes.pop() if sizes else 0
        return [{key: values[i] for key, values in columns.items()} for i in range(count)]
    if isinstance(settings, (list, tuple)):
        for i, row in enumerate(settings):
            if not isinstance(row, dict):
                raise TypeError(f"settings: a list of settings must hold dicts; row {i} is "
                                f"{type(row).__name__}")
        return [dict(row) for row in settings]
    raise TypeError("settings must be a pandas DataFrame, a dict of columns or a list of dicts "
                    f"with columns {', '.join(REQUIRED + OPTIONAL)}; got {type(settings).__name__}")


def _canonical_keys(row, index):
    out = {}
    for key, value in row.items():
        key = ALIASES.get(key, key)
        if key in IGNORED:
            continue
        if key not in REQUIRED + OPTIONAL:
            close = difflib.get_close_matches(str(key), REQUIRED + OPTIONAL, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TypeError(f"settings row {index}: unknown column {key!r}{hint} (allowed: "
                            f"{', '.join(REQUIRED + OPTIONAL)})")
        if key in out:
            raise ValueError(f"settings row {index}: both 'nsigma' and its alias 'nsig' are given")
        out[key] = value
    missing = [key for key in REQUIRED if key not in out]
    if missing:
        raise ValueError(f"settings row {index}: missing column(s) {', '.join(missing)} "
                         f"(required: {', '.join(REQUIRED)})")
    return out


def _real(index, name, key, value, *, positive=False, non_negative=False, allow_none=False):
    """``value`` as a float; None (or NaN, a DataFrame's missing cell) gives None if allowed."""
    if allow_none and (value is None or (isinstance(value, float) and math.isnan(value))):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"settings row {index} ({name!r}): {key} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or (positive and not value > 0) or (non_negative and value < 0):
        allowed = ("a positive number" if positive else "a length >= 0 m" if non_negative
                   else "a finite number")
        raise ValueError(f"settings row {index} ({name!r}): {key} must be {allowed}, got {value!r}")
    return value


def normalise_settings(settings):
    """Validate ``settings`` and return one :class:`CollimatorSetting` per row.

    Parameters
    ----------
    settings : pandas.DataFrame, dict of columns or list of dicts
        Columns ``name``, ``nsigma`` (alias ``nsig``), ``angle`` [rad], optional
        ``offset`` [m] (default 0) and ``length`` [m] (default: the element's).
        The other columns of a ``collgaps.dat`` table are ignored.

    Raises
    ------
    TypeError
        For a table of the wrong kind, an unknown column or a non-numeric value.
    ValueError
        For a missing column, an empty table, ``nsigma <= 0``, a negative length
        or a non-finite value.
    """
    rows = _rows(settings)
    if not rows:
        raise ValueError("settings is empty: give at least one collimator")
    out = []
    for index, row in enumerate(rows):
        row = _canonical_keys(row, index)
        name = row["name"]
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"settings row {index}: name must be an element name or pattern "
                            f"(non-empty str), got {name!r}")
        out.append(CollimatorSetting(
            name=name,
            nsigma=_real(index, name, "nsigma", row["nsigma"], positive=True),
            angle=_real(index, name, "angle", row["angle"]),
            offset=_real(index, name, "offset", row.get("offset"), allow_none=True) or 0.0,
            length=_real(index, name, "length", row.get("length"), non_negative=True,
                         allow_none=True),
            row=index,
        ))
    return out
