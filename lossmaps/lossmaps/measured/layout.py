"""The two logged layouts of BLM vector data and their conversion to arrays.

* NXCALS raw rows (lossmaps-formats §5.1): ``nxcals_variable_name`` (str),
  ``nxcals_timestamp`` (int64 ns since the epoch, UTC), ``nxcals_value``
  (struct with ``elements``: list of float [Gy/s], ``dimensions``);
* the BLM-getter layout: ``timestamp`` (UTC time, or int64 ns) and ``vals``
  (list of float [Gy/s]), one file or table per variable.

Both become ``(times_ns, values)``: sorted int64 ns (UTC) and a float array of
shape (n_acquisitions, n_blm).
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import BLMMetadataError, MeasuredFileError

__all__ = [
    "NXCALS_VARIABLE",
    "NXCALS_TIMESTAMP",
    "NXCALS_VALUE",
    "GETTER_TIMESTAMP",
    "GETTER_VALUES",
    "detect_layout",
    "time_column",
    "value_column",
    "acquisitions_from_arrow",
]

NXCALS_VARIABLE = "nxcals_variable_name"
NXCALS_TIMESTAMP = "nxcals_timestamp"
NXCALS_VALUE = "nxcals_value"
GETTER_TIMESTAMP = "timestamp"
GETTER_VALUES = "vals"
ELEMENTS = "elements"
# Far above any BLM reading (ionisation chambers saturate below 1e3 Gy/s) [Gy/s]
MAX_DOSE_RATE = 1e6


def detect_layout(columns, source):
    """``'nxcals'`` or ``'getter'`` from the column names; raises if neither fits."""
    columns = set(columns)
    if {NXCALS_TIMESTAMP, NXCALS_VALUE} <= columns:
        return "nxcals"
    if {GETTER_TIMESTAMP, GETTER_VALUES} <= columns:
        return "getter"
    raise MeasuredFileError(
        source, None, "a logged BLM layout: columns "
        f"({NXCALS_VARIABLE}, {NXCALS_TIMESTAMP}, {NXCALS_VALUE}) or "
        f"({GETTER_TIMESTAMP}, {GETTER_VALUES})", str(sorted(map(str, columns)))[:100]
    )


def time_column(layout):
    """Name of the time column of ``layout``."""
    return NXCALS_TIMESTAMP if layout == "nxcals" else GETTER_TIMESTAMP


def value_column(layout):
    """Name of the vector column of ``layout``."""
    return NXCALS_VALUE if layout == "nxcals" else GETTER_VALUES


def _times_ns(column):
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("ns", tz="UTC")).cast(pa.int64())
    return np.asarray(column.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def _value_lists(table, layout):
    column = table.column(value_column(layout)).combine_chunks()
    if pa.types.is_struct(column.type):
        column = column.field(ELEMENTS)
    return column


def acquisitions_from_arrow(table, source):
    """Sorted acquisition times and the stacked BLM vectors of an Arrow table.

    Parameters
    ----------
    table : pyarrow.Table
        Rows of one variable in either layout (already filtered to the windows).
    source : str
        Where the rows come from, for error messages.

    Returns
    -------
    times_ns : ndarray of int64, shape (n,)
        Acquisition times [ns since the epoch, UTC], increasing, duplicates dropped.
    values : ndarray of float64, shape (n, n_blm) [Gy/s]
        One row per acquisition; missing elements are NaN.

    Raises
    ------
    BLMMetadataError
        If the vector length changes between acquisitions (a hardware change
        inside the window: split the window at that time).
    """
    layout = detect_layout(table.column_names, source)
    times = _times_ns(table.column(time_column(layout)))
    lists = _value_lists(table, layout)
    if len(times) == 0:
        return times, np.zeros((0, 0))
    lengths = np.asarray(pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False))
    if lengths.min() != lengths.max():
        changed = np.nonzero(lengths != lengths[np.argsort(times, kind="stable")[0]])[0]
        raise BLMMetadataError(
            f"{source}: the BLM vector length changes inside the window "
            f"({sorted(set(lengths.tolist()))} elements; first odd acquisition at "
            f"{int(times[changed[0]])} ns UTC); the monitor list changed (hardware change): "
            "split the window at that time"
        )
    values = np.asarray(lists.flatten().to_numpy(zero_copy_only=False), dtype=float)
    values = values.reshape(len(times), int(lengths[0]))
    # NaN marks a missing element; a value beyond any BLM signal is damage (a flipped
    # byte in a file without page checksums can read as 8e302)
    absurd = np.isinf(values) | (np.abs(np.nan_to_num(values)) > MAX_DOSE_RATE)
    if absurd.any():
        row, element = (int(i[0]) for i in np.nonzero(absurd))
        raise MeasuredFileError(source, None, f"BLM dose rates below {MAX_DOSE_RATE:g} Gy/s "
                                f"(or NaN for a missing element)", repr(float(values[row, element])),
                                where=f"row {row}, vector element {element}")
    order = np.argsort(times, kind="stable")
    times, values = times[order], values[order]
    # The logging service can return one acquisition twice across storage
    # partitions; the copies are identical, so keep the first.
    unique = np.concatenate(([True], np.diff(times) > 0))
    return times[unique], values[unique]
