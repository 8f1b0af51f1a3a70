"""Matching stored loss-map records against search criteria.

Criteria (all optional, combined with AND):

* enum fields ``kind``, ``lmtype``, ``machine``, ``particle``, ``beam_process``,
  ``beam``, ``plane``, ``rfsweep``: a member, its value or name, or a list of them;
* numbers ``energy`` [GeV], ``betastar`` [cm]: a value (matched to 1e-9
  relative) or a ``(min, max)`` range, either end None;
* ``year``: int (year of ``date`` in local CERN time); ``after``/``before``:
  times (naive = local CERN time), on ``date``;
* ``description``: case-insensitive substring.
"""

import difflib
import math

import pandas as pd

from ..timeconv import to_local, to_utc
from .serialisation import ENUM_FIELDS

__all__ = ["CRITERIA", "validate_criteria", "matches", "records_table"]

NUMBER_CRITERIA = ("energy", "betastar")
CRITERIA = ("kind",) + tuple(ENUM_FIELDS) + NUMBER_CRITERIA + ("year", "after", "before", "description")
COLUMNS = ("id", "kind", "lmtype", "machine", "particle", "energy", "betastar", "beam_process",
           "date", "description", "beam", "plane", "rfsweep", "source", "saved_at")


def _enum_values(field, value):
    values = value if isinstance(value, (list, tuple, set)) else [value]
    if field == "kind":
        return {str(v) for v in values}
    cls = ENUM_FIELDS[field]
    out = set()
    for item in values:
        if isinstance(item, cls):
            out.add(item.value)
        elif isinstance(item, str) and item in cls.__members__:
            out.add(cls[item].value)
        else:
            try:
                out.add(cls(item).value)
            except ValueError:
                allowed = ", ".join(m.name for m in cls)
                raise ValueError(f"{field} must be one of {allowed}, got {item!r}") from None
    return out


def _number_range(field, value):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{field} range must be (min, max), got {value!r}")
        return tuple(None if v is None else float(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{field} must be a number or a (min, max) range, got {value!r}")
    return float(value), float(value)


def validate_criteria(criteria):
    """Check and normalise search criteria (see module docstring) before any I/O."""
    unknown = [k for k in criteria if k not in CRITERIA]
    if unknown:
        close = difflib.get_close_matches(unknown[0], CRITERIA, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(CRITERIA)}"
        raise TypeError(f"search() got an unexpected criterion {unknown[0]!r}{hint}")
    normal = {}
    for field, value in criteria.items():
        if value is None:
            continue
        if field == "kind" or field in ENUM_FIELDS:
            normal[field] = _enum_values(field, value)
        elif field in NUMBER_CRITERIA:
            normal[field] = _number_range(field, value)
        elif field == "year":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"year must be an int, got {value!r}")
            normal[field] = value
        elif field in ("after", "before"):
            normal[field] = to_utc(value, field)
        else:
            if not isinstance(value, str):
                raise TypeError(f"description must be a str, got {type(value).__name__}")
            normal[field] = value.lower()
    return normal


def _number_matches(stored, bounds):
    if stored is None:
        return False
    lo, hi = bounds
    if lo is not None and hi is not None and lo == hi:
        return math.isclose(stored, lo, rel_tol=1e-9)
    return (lo is None or stored >= lo) and (hi is None or stored <= hi)


def matches(record, criteria):
    """True if ``record`` meets all normalised ``criteria``."""
    date = pd.Timestamp(record["date"])
    for field, wanted in criteria.items():
        if field == "kind" or field in ENUM_FIELDS:
            if record.get(field) not in wanted:
                return False
        elif field in NUMBER_CRITERIA:
            if not _number_matches(record.get(field), wanted):
                return False
        elif field == "year":
            if to_local(date).year != wanted:
                return False
        elif field == "after":
            if date < wanted:
                return False
        elif field == "before":
            if date > wanted:
                return False
        elif wanted not in (record.get("description") or "").lower():
            return False
    return True


def records_table(records):
    """Table of matches: one row per entry, sorted by date (local CERN time)."""
    rows = [{column: record.get(column) for column in COLUMNS} for record in records]
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table["date"] = to_local(pd.to_datetime(table["date"], utc=True))
    return table.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
