"""MAD-X TFS tables (twiss output), read through ``tfs-pandas``.

Format: ``lossmaps-formats.md`` §3. Parsing is left to ``tfs-pandas`` (the
reader maintained by the accelerator community, pylhc/tfs); this module keeps
the mapping to our table (upper-case column names, plain object/float
columns, headers in ``attrs``) and the checks a loss map needs: finite
numbers, non-negative lengths, positions that increase along the sequence,
unique column names, numeric ``S``/``L``. Every error is a
:class:`~lossmaps.errors.LossMapFormatError` naming the file and, where one
exists, the line.
"""

import math
import numbers
import re

import numpy as np
import pandas as pd
import tfs

from ..errors import LossMapFormatError
from ._text import read_lines

__all__ = ["read_tfs"]

_TOKEN = re.compile(r'"[^"]*"|\S+')
_TAGS = "@*$#"
_NUMERIC = ("S", "L")  # columns positions are computed from: must be typed %le/%d


def _layout(lines):
    """Line numbers of the '*' and '$' lines and of the data rows (1-based)."""
    names_line = types_line = None
    rows = []
    for lineno, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if not stripped:
            continue
        tag = stripped[0]
        if tag == "*":
            names_line = lineno
        elif tag == "$":
            types_line = lineno
        elif tag not in _TAGS:
            rows.append(lineno)
    return names_line, types_line, rows


def _locate(path, lines, layout, error):
    """A located error for a file tfs-pandas refused (diagnosis only, on failure)."""
    names_line, types_line, rows = layout
    if names_line is None:
        return LossMapFormatError(path, None, "a TFS table with a '*' line of column names")
    names = lines[names_line - 1].split()[1:]
    types = lines[types_line - 1].split()[1:] if types_line else []
    if types_line is None or len(types) != len(names):
        return LossMapFormatError(path, types_line or names_line,
                                  f"a '$' line with one type per column ({len(names)} columns: "
                                  f"{' '.join(names)})", lines[(types_line or names_line) - 1])
    if len(set(names)) != len(names):
        duplicated = sorted({n for n in names if names.count(n) > 1})
        return LossMapFormatError(path, names_line, "unique column names (duplicated: "
                                  f"{', '.join(duplicated)})", lines[names_line - 1])
    for lineno in rows:
        tokens = _TOKEN.findall(lines[lineno - 1])
        if len(tokens) != len(names):
            return LossMapFormatError(path, lineno, f"{len(names)} columns ({' '.join(names)}), "
                                      f"found {len(tokens)}", lines[lineno - 1].strip())
        for name, fmt, token in zip(names, types, tokens):
            if not fmt.endswith("s") and not _is_float(token):
                return LossMapFormatError(path, lineno, f"a number in column {name} (typed {fmt})",
                                          token)
    for lineno, line in enumerate(lines, start=1):
        if line.lstrip().startswith("@"):
            tokens = _TOKEN.findall(line)
            if len(tokens) < 4 or (not tokens[2].endswith("s") and not _is_float(tokens[3])):
                return LossMapFormatError(path, lineno, "a header '@ NAME %type value' whose "
                                          "value matches its type", line.strip())
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return LossMapFormatError(path, None, f"a TFS file tfs-pandas can read ({first[:200]})")


def _is_float(token):
    try:
        float(token.strip('"'))
    except ValueError:
        return False
    return True


def _header_value(value):
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def _check_values(path, lines, frame, rows, types):
    """Finite numbers, named rows, lengths >= 0 and increasing S (else a located error)."""
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            values = column.to_numpy(dtype=float)
            bad = ~np.isfinite(values)
            if name == "L":
                bad |= values < 0
            if bad.any():
                i = int(np.argmax(bad))
                rule = "finite, >= 0" if name == "L" else "finite"
                raise LossMapFormatError(path, rows[i], f"a number in column {name} ({rule})",
                                         lines[rows[i] - 1].strip())
        elif name in ("NAME", "KEYWORD"):
            bad = column.isna().to_numpy()
            if bad.any():
                i = int(np.argmax(bad))
                raise LossMapFormatError(path, rows[i], f"a string in column {name}",
                                         lines[rows[i] - 1].strip())
    for name in _NUMERIC:
        if name in frame.columns and not pd.api.types.is_numeric_dtype(frame[name]):
            raise LossMapFormatError(path, types[0], f"column {name} typed %le (a number), "
                                     f"found {types[1].get(name)}", lines[types[0] - 1].strip())
    s = frame["S"].to_numpy(dtype=float)
    # MAD-X writes S along the sequence; a cycled table wraps around once (back to
    # about 0). Any other step back is a damaged row.
    steps = np.flatnonzero(np.diff(s) < -1e-9 * max(1.0, float(np.abs(s).max(initial=0))))
    span = float(s.max(initial=0) - s.min(initial=0))
    wraps = steps[s[steps] - s[steps + 1] > 0.5 * span]
    odd = np.setdiff1d(steps, wraps[:1])
    if odd.size:
        i = int(odd[0]) + 1
        raise LossMapFormatError(path, rows[i], f"S increasing along the sequence, wrapping "
                                 f"around at most once (previous row: S = {float(s[i - 1])!r})",
                                 lines[rows[i] - 1].strip())


def read_tfs(path, required=("NAME", "S")):
    """Read a TFS file.

    Parameters
    ----------
    path : str or pathlib.Path
    required : sequence of str, default ('NAME', 'S')
        Columns that must be present.

    Returns
    -------
    pandas.DataFrame
        One column per TFS column (upper-case names; ``%le``/``%d`` columns
        numeric, ``%s`` columns str objects), headers (``LENGTH``...) in
        ``frame.attrs['headers']``, the file in ``frame.attrs['path']``.

    Raises
    ------
    LossMapFormatError
        Not UTF-8, truncated last line, missing ``*``/``$`` line, duplicated column
        names, wrong column count on a row, non-numeric or non-finite value in a
        numeric column, negative ``L``, decreasing ``S``, ``S``/``L`` typed ``%s``,
        a bad ``LENGTH`` header, or a missing required column.
    """
    lines = read_lines(path)  # encoding and complete last line, before tfs-pandas
    layout = _layout(lines)
    try:
        table = tfs.read_tfs(path, non_unique_behavior="raise")
    except Exception as error:  # tfs-pandas raises ValueError, ParserError, TfsFormatError...
        raise _locate(path, lines, layout, error) from None
    names_line, types_line, rows = layout
    frame = pd.DataFrame(table, copy=True)
    frame.columns = [str(c).upper() for c in frame.columns]
    if frame.columns.duplicated().any():
        duplicated = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise LossMapFormatError(path, names_line, "unique column names, case-insensitively "
                                 f"(duplicated: {', '.join(duplicated)})", lines[names_line - 1])
    if len(rows) != len(frame):  # never expected: tfs-pandas and the line scan disagree
        raise LossMapFormatError(path, None, f"{len(rows)} data rows (tfs-pandas read {len(frame)})")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise LossMapFormatError(path, names_line, f"TFS columns {', '.join(required)}; missing "
                                 f"{', '.join(missing)}", " ".join(frame.columns))
    for name in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            frame[name] = np.asarray(frame[name].astype(object), dtype=object)
    types = dict(zip(frame.columns, lines[types_line - 1].split()[1:]))
    _check_values(path, lines, frame, rows, (types_line, types))
    headers = {str(k): _header_value(v) for k, v in table.headers.items()}
    length = headers.get("LENGTH")
    if length is not None and not (isinstance(length, numbers.Real) and math.isfinite(length)
                                   and length > 0):
        lineno = next(i for i, line in enumerate(lines, 1)
                      if line.lstrip().startswith("@") and "LENGTH" in line.split()[:2])
        raise LossMapFormatError(path, lineno, "a positive, finite ring length [m] in the "
                                 "LENGTH header", lines[lineno - 1].strip())
    if length is not None and len(frame):
        s = frame["S"].to_numpy(dtype=float)
        outside = (s < -1e-6) | (s > length * (1 + 1e-9) + 1e-6)
        if outside.any():
            i = int(np.argmax(outside))
            raise LossMapFormatError(path, rows[i], f"S within [0, LENGTH = {length}] m",
                                     lines[rows[i] - 1].strip())
    frame.attrs["headers"] = headers
    frame.attrs["path"] = str(path)
    return frame
