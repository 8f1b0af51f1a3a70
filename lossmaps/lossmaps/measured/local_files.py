"""Reading logged BLM data from local Parquet or CSV files (no Spark needed).

Parquet files (or folders of them) are read through ``pyarrow.dataset`` with the
time (and variable) filter pushed down, so only the row groups of the requested
windows are decoded. CSV files have no index and are read whole, then filtered;
their vector column holds ``[v0, v1, ...]`` lists.
"""

import pathlib
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from ..errors import MeasuredDataError, MeasuredFileError
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
    try:
        dataset = ds.dataset(str(path), format="parquet")
        layout = detect_layout(dataset.schema.names, path)
        table = dataset.to_table(
            columns=[time_column(layout), value_column(layout)],
            filter=_window_filter(dataset.schema, layout, variable, ranges_ns),
        )
    except (pa.ArrowException, OSError, ValueError) as error:  # ArrowInvalid is a ValueError
        if isinstance(error, MeasuredDataError):
            raise
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise MeasuredFileError(path, None, f"a readable Parquet file in a logged layout "
                                f"(pyarrow: {reason})") from None
    return acquisitions_from_arrow(table, str(path))


def _parse_vector(text, path, lineno):
    cell = str(text).strip()
    try:
        # both brackets: a cell cut short ('[..., 2.3' of '[..., 2.345]') is refused
        if not (cell.startswith("[") and cell.endswith("]")):
            raise ValueError(cell)
        return np.array(cell[1:-1].split(","), dtype=float)
    except ValueError:
        raise MeasuredFileError(path, lineno, "a vector cell '[v0, v1, ...]' (numbers)",
                                cell[:60]) from None


def _csv_frame(path):
    """The CSV as a frame; a located :class:`MeasuredFileError` if it is not a CSV table."""
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw and not raw.endswith(b"\n"):
        raise MeasuredFileError(path, raw.count(b"\n") + 1, "a complete last line ending with "
                                "a newline (the file ends mid-line: truncated?)",
                                raw[raw.rfind(b"\n") + 1:][-60:].decode("utf-8", "replace"))
    try:
        raw.decode("utf-8")
        return pd.read_csv(path)
    except UnicodeDecodeError as error:
        raise MeasuredFileError(path, raw.count(b"\n", 0, error.start) + 1,
                                "UTF-8 or ASCII text") from None
    except pd.errors.EmptyDataError:
        raise MeasuredFileError(path, None, "a CSV header and rows (the file is empty)") from None
    except (pd.errors.ParserError, ValueError) as error:
        match = re.search(r"line (\d+)", str(error))
        raise MeasuredFileError(path, int(match.group(1)) if match else None,
                                f"a CSV table ({str(error).strip()[:160]})") from None


def _csv_times_ns(path, times):
    """Acquisition times [ns, UTC] of the CSV time column; the bad cell located if any."""
    if pd.api.types.is_integer_dtype(times):
        return times.to_numpy(dtype=np.int64)
    parsed = pd.to_datetime(times, utc=True, errors="coerce", format="mixed")
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise MeasuredFileError(path, row + 2, "a time (ISO date, UTC offset) or int64 ns "
                                "since the epoch in the time column", str(times.iloc[row])[:60])
    return parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _read_csv(path, variable, ranges_ns):
    frame = _csv_frame(path)
    layout = detect_layout(frame.columns, path)
    if layout == "nxcals" and NXCALS_VARIABLE in frame.columns:
        frame = frame[frame[NXCALS_VARIABLE] == variable]
    times_ns = _csv_times_ns(path, frame[time_column(layout)])
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
