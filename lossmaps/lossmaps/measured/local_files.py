"""Reading logged BLM data from local Parquet or CSV files (no Spark needed).

Parquet files (or folders of them) are read through ``pyarrow.dataset`` with the
time (and variable) filter pushed down, so only the row groups of the requested
windows are decoded. CSV files have no index and are read whole, then filtered;
their vector column holds ``[v0, v1, ...]`` lists.
"""

import pathlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from ..errors import MeasuredDataError
from .layout import (
    NXCALS_VARIABLE,
    acquisitions_from_arrow,
    detect_layout,
    time_column,
    value_column,
)

__all__ = ["read_local_acquisitions"]


def _bound(value_ns, field_type):
    """Scalar comparable with a time column of type ``field_type``."""
    if pa.types.is_timestamp(field_type):
        return pa.scalar(pd.Timestamp(value_ns, tz="UTC")).cast(field_type)
    return pa.scalar(int(value_ns), type=pa.int64())


def _window_filter(schema, layout, variable, ranges_ns):
    name = time_column(layout)
    field = ds.field(name)
    field_type = schema.field(name).type
    expression = None
    for lo, hi in ranges_ns:
        part = (field >= _bound(lo, field_type)) & (field <= _bound(hi, field_type))
        expression = part if expression is None else expression | part
    if layout == "nxcals" and NXCALS_VARIABLE in schema.names:
        expression = expression & (ds.field(NXCALS_VARIABLE) == variable)
    return expression


def _read_parquet(path, variable, ranges_ns):
    dataset = ds.dataset(str(path), format="parquet")
    layout = detect_layout(dataset.schema.names, path)
    table = dataset.to_table(
        columns=[time_column(layout), value_column(layout)],
        filter=_window_filter(dataset.schema, layout, variable, ranges_ns),
    )
    return acquisitions_from_arrow(table, str(path))


def _parse_vector(text, path, lineno):
    try:
        return np.array(str(text).strip().strip("[]").split(","), dtype=float)
    except ValueError:
        shown = str(text)[:60]
        raise MeasuredDataError(
            f"{path}, line {lineno}: a vector cell must read '[v0, v1, ...]' (numbers), "
            f"got {shown!r}"
        ) from None


def _read_csv(path, variable, ranges_ns):
    frame = pd.read_csv(path)
    layout = detect_layout(frame.columns, path)
    if layout == "nxcals" and NXCALS_VARIABLE in frame.columns:
        frame = frame[frame[NXCALS_VARIABLE] == variable]
    times = frame[time_column(layout)]
    times_ns = (times.to_numpy(dtype=np.int64) if pd.api.types.is_integer_dtype(times)
                else pd.to_datetime(times, utc=True).to_numpy(dtype="datetime64[ns]").astype(np.int64))
    keep = np.zeros(len(frame), dtype=bool)
    for lo, hi in ranges_ns:
        keep |= (times_ns >= lo) & (times_ns <= hi)
    vectors = frame[value_column(layout)][keep]
    table = pa.table({
        "timestamp": pa.array(times_ns[keep], type=pa.int64()),
        # line numbers in the file: the header is line 1, data row i is line i + 2
        "vals": pa.array([_parse_vector(v, path, row + 2) for row, v in
                          zip(vectors.index, vectors)], type=pa.list_(pa.float64())),
    })
    return acquisitions_from_arrow(table, str(path))


def read_local_acquisitions(data, variable, ranges_ns):
    """Acquisitions of ``variable`` in the given time ranges from a file or frame.

    Parameters
    ----------
    data : str, pathlib.Path or pandas.DataFrame
        Parquet file or folder, CSV file, or a frame in one of the logged layouts.
    variable : str
        Logged variable (used to filter NXCALS-layout rows).
    ranges_ns : list of (int, int)
        Inclusive time ranges [ns since the epoch, UTC].

    Returns
    -------
    (times_ns, values)
        See :func:`lossmaps.measured.layout.acquisitions_from_arrow`.
    """
    if isinstance(data, pd.DataFrame):
        table = pa.Table.from_pandas(data, preserve_index=False)
        layout = detect_layout(table.column_names, "data")
        filtered = table.filter(_window_filter(table.schema, layout, variable, ranges_ns))
        return acquisitions_from_arrow(filtered, "data")
    if not isinstance(data, (str, pathlib.Path)):
        raise TypeError(
            "data must be a Parquet/CSV path or a pandas DataFrame in a logged layout, "
            f"got {type(data).__name__}"
        )
    path = pathlib.Path(data)
    if not path.exists():
        raise FileNotFoundError(f"data: no such file or folder: {path}")
    if path.is_file() and path.suffix.lower() == ".csv":
        return _read_csv(path, variable, ranges_ns)
    return _read_parquet(path, variable, ranges_ns)
