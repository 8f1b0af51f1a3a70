"""Checks of the BLM names and positions tables, with errors that name the file and line.

A table read from a file carries its path in ``attrs['path']``; its pandas
index is the file's row (kept through version filtering), so row ``r`` of a
CSV file is line ``r + 2`` (the header is line 1) and a Parquet row is named
as ``row r``. Frames given directly have no file: their errors name the
parameter and the row.
"""

import numpy as np
import pandas as pd

from ..errors import BLMMetadataError, BLMMetadataFileError

__all__ = ["metadata_error", "place", "check_names", "check_positions"]


def metadata_error(table, parameter, expected, row=None, got=None):
    """The error for ``table``: a BLMMetadataFileError naming file and line if it has a file."""
    source = table.attrs.get("path")
    if source is None:
        place = f" in row {row}" if row is not None else ""
        shown = f"; got {got!r}" if got is not None else ""
        return BLMMetadataError(f"{parameter}: expected {expected}{place}{shown}")
    csv = not source.lower().endswith(".parquet")
    line = int(row) + 2 if row is not None and csv else None
    where = f"row {row}" if row is not None and not csv else None
    return BLMMetadataFileError(source, line, expected, got, where=where)


def place(table, row):
    """'line N' of a CSV file, 'row r' otherwise."""
    source = table.attrs.get("path")
    if source is not None and not source.lower().endswith(".parquet"):
        return f"line {int(row) + 2}"
    return f"row {row}"


def _shown(value):
    """repr of a cell as written (numpy scalars as Python numbers)."""
    return repr(value.item() if isinstance(value, np.generic) else value)[:60]


def _first(mask, table):
    return table.index[int(np.argmax(mask))]


def check_names(table):
    """Integer vector indices, each once, and a name on every row (else a located error)."""
    index = pd.to_numeric(table["index"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(index) | (index != np.round(index))
    if bad.any():
        row = _first(bad, table)
        raise metadata_error(table, "names", "an integer vector index in column index", row,
                             _shown(table["index"].loc[row]))
    indices = pd.Series(index, index=table.index)
    repeated = indices.duplicated().to_numpy()
    if repeated.any():
        row = _first(repeated, table)
        first = _first((indices == indices.loc[row]).to_numpy(), table)
        raise metadata_error(table, "names", f"each vector index once (index "
                             f"{int(indices.loc[row])} is also in {place(table, first)})", row)
    names = table["name"]
    bad = names.isna().to_numpy() | (names.astype(str).str.strip() == "").to_numpy()
    if bad.any():
        row = _first(bad, table)
        raise metadata_error(table, "names", "a monitor name in column name", row,
                             _shown(names.loc[row]))


def check_positions(table, ring_length=None):
    """Finite dcum within the ring, and monitors listed twice only with the same values."""
    values = pd.to_numeric(table["dcum"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    rule = "a finite dcum [m]"
    if ring_length is not None:
        # 1 mm of slack for rounding of positions at the ring's ends
        bad |= (values < -1e-3) | (values > ring_length + 1e-3)
        rule = f"a finite dcum [m] within the ring [0, {ring_length}]"
    if bad.any():
        row = _first(bad, table)
        raise metadata_error(table, "positions", f"{rule} for monitor {table['name'].loc[row]!r}",
                             row, _shown(table["dcum"].loc[row]))
    columns = [c for c in ("name", "dcum", "type") if c in table.columns]
    repeated = table["name"].duplicated(keep=False).to_numpy()
    if repeated.any():
        rows = table[repeated]
        differing = ~rows.duplicated(subset=columns, keep=False).to_numpy()
        if differing.any():
            # the later row of a monitor disagreeing with an earlier one is the suspect
            name = rows["name"].to_numpy()[differing][-1]
            same = rows.index[(rows["name"] == name).to_numpy()]
            row, first = same[-1], same[0]
            raise metadata_error(table, "positions", f"monitor {name!r} listed once, or again "
                                 f"with the same values (also in {place(table, first)})", row,
                                 ", ".join(str(table[c].loc[row]) for c in columns))
