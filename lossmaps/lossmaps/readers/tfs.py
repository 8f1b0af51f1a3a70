"""MAD-X TFS tables (twiss output): ``@`` headers, ``*`` names, ``$`` types, rows.

Format: ``lossmaps-formats.md`` §3. Fields are split on whitespace, respecting
double quotes; string values are returned without quotes.
"""

import re

import numpy as np
import pandas as pd

from ..errors import LossMapFormatError
from ._text import read_lines

__all__ = ["read_tfs"]

_TOKEN = re.compile(r'"[^"]*"|\S+')


def _unquote(token):
    return token[1:-1] if len(token) >= 2 and token[0] == '"' and token[-1] == '"' else token


def _header_value(fmt, raw):
    value = _unquote(raw)
    if fmt.endswith("s"):
        return value
    try:
        return int(value) if fmt.endswith("d") else float(value)
    except ValueError:
        return value


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
        numeric), headers (``LENGTH``...) in ``frame.attrs['headers']``, the file
        in ``frame.attrs['path']``.

    Raises
    ------
    LossMapFormatError
        Missing ``*`` line, wrong column count on a row, non-numeric value in a
        numeric column, or a missing required column.
    """
    headers = {}
    names = types = None
    rows, linenos = [], []
    for lineno, line in enumerate(read_lines(path), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        tag = stripped[0]
        if tag == "@":
            tokens = _TOKEN.findall(stripped)
            if len(tokens) >= 4:
                headers[tokens[1]] = _header_value(tokens[2], " ".join(tokens[3:]))
            continue
        if tag == "*":
            names = [n.upper() for n in stripped[1:].split()]
            continue
        if tag == "$":
            types = stripped[1:].split()
            continue
        if tag == "#":
            continue
        if names is None:
            raise LossMapFormatError(path, lineno, "the '*' line with the column names "
                                     "before the first data row", stripped)
        tokens = _TOKEN.findall(stripped)
        if len(tokens) != len(names):
            raise LossMapFormatError(path, lineno, f"{len(names)} columns ({' '.join(names)}), "
                                     f"found {len(tokens)}", stripped)
        rows.append(tokens)
        linenos.append(lineno)
    if names is None:
        raise LossMapFormatError(path, None, "a TFS table with a '*' line of column names")
    missing = [c for c in required if c not in names]
    if missing:
        raise LossMapFormatError(path, None, f"TFS columns {', '.join(required)}; missing "
                                 f"{', '.join(missing)}", " ".join(names))
    if types is None or len(types) != len(names):
        types = ["%s" if n in ("NAME", "KEYWORD") else "%le" for n in names]
    columns = list(zip(*rows)) if rows else [()] * len(names)
    data = {}
    for index, (name, fmt, values) in enumerate(zip(names, types, columns)):
        if fmt.endswith("s"):
            data[name] = np.array([_unquote(v) for v in values], dtype=object)
            continue
        try:
            data[name] = np.array(values, dtype=float)
        except ValueError:
            bad = next(i for i, v in enumerate(values) if not _is_float(v))
            raise LossMapFormatError(path, linenos[bad], f"a number in column {name}",
                                     values[bad]) from None
    frame = pd.DataFrame(data)
    frame.attrs["headers"] = headers
    frame.attrs["path"] = str(path)
    return frame


def _is_float(token):
    try:
        float(token)
    except ValueError:
        return False
    return True
