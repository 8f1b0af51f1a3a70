"""BLM names (vector order) and positions, resolved for the acquisition time.

The monitor list of the ring-wide BLM vector changes with hardware changes, so
names and positions are versioned in time (lossmaps-formats §5.1, §5.3):

* names: table ``index, name`` (vector element order), or ``name`` alone with
  the rows in vector order;
* positions: table ``name, dcum`` [m, B1 coordinate from IP1], optionally ``type``
  (``coll``/``cold``/``warm``/``xrp``/``other``; classified from the name when absent).

Either table may hold several versions in one file with a ``valid_from`` column
(UTC time from which that version applies), or be a folder of files named by
their start of validity (``2018_04_10_00_00_00+0200.csv``, pylossmap's
convention). The version used is the latest one starting at or before the
acquisition time. Tables are CSV or Parquet files, pandas frames or Spark
DataFrames.
"""

import csv
import dataclasses
import pathlib
import re

import numpy as np
import pandas as pd

from ..errors import BLMMetadataError, BLMMetadataFileError
from .classification import BLM_TYPES, classify_blms
from .metadata_checks import check_names, check_positions, metadata_error

__all__ = ["BLMMetadata", "resolve_blm_metadata", "read_table"]

VALID_FROM = "valid_from"
_VERSION_NAME = re.compile(r"(\d{4})_(\d{2})_(\d{2})_(\d{2})_(\d{2})_(\d{2})([+-]\d{4})?")


@dataclasses.dataclass(frozen=True)
class BLMMetadata:
    """Monitors of one vector version, in vector order.

    Attributes
    ----------
    names : ndarray of str, shape (n_blm,)
    dcum : ndarray of float, shape (n_blm,) [m]
    types : ndarray of str, shape (n_blm,)
        One of :data:`~lossmaps.measured.classification.BLM_TYPES` each.
    """

    names: np.ndarray
    dcum: np.ndarray
    types: np.ndarray

    def __len__(self):
        return len(self.names)


def read_table(source, parameter):
    """Read a metadata table (CSV/Parquet path, pandas or Spark DataFrame) into pandas."""
    if isinstance(source, pd.DataFrame):
        return source
    if hasattr(source, "toArrow") or hasattr(source, "toPandas"):  # Spark DataFrame
        return source.toArrow().to_pandas() if hasattr(source, "toArrow") else source.toPandas()
    if not isinstance(source, (str, pathlib.Path)):
        raise TypeError(
            f"{parameter} must be a CSV/Parquet path, a folder of versions, or a DataFrame, "
            f"got {type(source).__name__}"
        )
    path = pathlib.Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{parameter}: no such file or folder: {path}")
    try:
        if path.suffix.lower() == ".parquet":
            table = pd.read_parquet(path)
        else:
            raw = path.read_bytes()
            if raw and not raw.endswith(b"\n"):
                raise BLMMetadataFileError(path, None, "a complete last line ending with a "
                                           "newline (the file ends mid-line: truncated?)")
            if b"\x00" in raw:  # UTF-16/32 without BOM decodes as UTF-8 text with NULs
                raise BLMMetadataFileError(path, raw.count(b"\n", 0, raw.index(b"\x00")) + 1,
                                           "UTF-8 text without NUL bytes (a binary, UTF-16 or "
                                           "UTF-32 file?)")
            _check_first_row(path, raw)
            table = pd.read_csv(path)
    except BLMMetadataFileError:
        raise
    except pd.errors.EmptyDataError:
        raise BLMMetadataFileError(path, None, f"a {parameter} table with a header and rows "
                                   "(the file is empty)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as error:
        reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        raise BLMMetadataFileError(path, None, f"a readable {parameter} table ({reason})") from None
    table.attrs["path"] = str(path)
    return table


def _check_first_row(path, raw):
    """More cells on the first row than header names would become a pandas index column
    (the cells shifted by one, silently): refuse it."""
    try:
        head = [line.decode("utf-8") for line in raw.split(b"\n", 2)[:2]]
    except UnicodeDecodeError:
        return  # pandas refuses the file below, naming it
    rows = list(csv.reader(head))
    if len(rows) == 2 and len(rows[1]) > len(rows[0]):
        raise BLMMetadataFileError(path, 2, f"as many cells as header names "
                                   f"({', '.join(rows[0])})", head[1])


def _version_start(path):
    match = _VERSION_NAME.search(path.stem)
    if match is None:
        return None
    stamp = "{}-{}-{} {}:{}:{}".format(*match.groups()[:6]) + (match.group(7) or "+0000")
    return pd.Timestamp(stamp).tz_convert("UTC")


def _pick_version(source, at, parameter):
    """The table (pandas) of the version valid at ``at`` (UTC Timestamp)."""
    if isinstance(source, (str, pathlib.Path)) and pathlib.Path(source).is_dir():
        versions = sorted(
            (start, path) for path in pathlib.Path(source).iterdir()
            if (start := _version_start(path)) is not None
        )
        valid = [path for start, path in versions if start <= at]
        if not valid:
            raise BLMMetadataError(
                f"{parameter}: no version in {source} starts at or before {at} "
                f"(versions: {[str(s) for s, _ in versions[:5]]})"
            )
        return read_table(valid[-1], parameter)
    table = read_table(source, parameter)
    if VALID_FROM not in table.columns:
        return table
    starts = pd.to_datetime(table[VALID_FROM], utc=True)
    eligible = starts[starts <= at]
    if eligible.empty:
        raise BLMMetadataError(
            f"{parameter}: no version starts at or before {at}; first version starts "
            f"{starts.min()}"
        )
    return table[starts == eligible.max()]


def _require(table, columns, parameter):
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise metadata_error(table, parameter, f"the columns {list(columns)} in the header "
                             f"(missing: {missing})", got=", ".join(map(str, table.columns)))


def resolve_blm_metadata(names, positions, at, n_elements, ring_length=None):
    """Names, positions and types of the monitors of the vector logged at ``at``.

    Parameters
    ----------
    names, positions : path, folder or DataFrame
        See the module docstring.
    at : pandas.Timestamp (UTC)
        Acquisition time (the first acquisition of the window).
    n_elements : int
        Length of the logged vectors.
    ring_length : float, optional
        Circumference [m]: every dcum must lie in [0, ring_length].

    Returns
    -------
    BLMMetadata

    Raises
    ------
    BLMMetadataError
        If the versions do not cover ``at``, the name list does not match the
        vector length, or monitors lack a position; a BLMMetadataFileError
        naming the file and line when the table came from a file (also for a
        bad index, name, dcum or type, and a monitor listed twice with
        different values).
    """
    name_table = _pick_version(names, at, "names")
    _require(name_table, ("name",), "names")
    if "index" not in name_table.columns:  # a bare list of names: the rows are in vector order
        name_table = name_table.assign(index=np.arange(len(name_table)))
    check_names(name_table)
    name_table = name_table.sort_values("index")
    index = name_table["index"].to_numpy()
    if len(index) != n_elements or not np.array_equal(index, np.arange(n_elements)):
        raise metadata_error(
            name_table, "names",
            f"one name per element of the logged vectors: the version valid at {at} lists "
            f"{len(index)} monitors (indices {index[:1].tolist()}..{index[-1:].tolist()}), but "
            f"the logged vectors have {n_elements} elements; use the name list of the "
            "acquisition time")
    blm_names = name_table["name"].astype(str).to_numpy()
    position_table = _pick_version(positions, at, "positions")
    _require(position_table, ("name", "dcum"), "positions")
    check_positions(position_table, ring_length)
    unique = position_table.drop_duplicates("name").set_index("name")  # repeats are equal
    dcum = unique["dcum"].reindex(blm_names).to_numpy(dtype=float)
    unknown = blm_names[np.isnan(dcum)]
    if unknown.size:
        listed = name_table.attrs.get("path")
        raise metadata_error(
            position_table, "positions",
            f"a dcum for every monitor of the names list{' ' + listed if listed else ''}: "
            f"{unknown.size} monitors of the vector have no dcum, e.g. {unknown[:3].tolist()}; "
            f"use a positions version valid at {at}")
    if "type" in unique.columns:
        types = (unique["type"].reindex(blm_names).fillna("").astype(str)
                 .str.strip().str.lower().to_numpy(dtype=object))
        bad = sorted(set(types) - set(BLM_TYPES) - {""})
        if bad:
            written = position_table["type"].fillna("").astype(str).str.strip().str.lower()
            row = position_table.index[int(np.argmax((written == bad[0]).to_numpy()))]
            raise metadata_error(position_table, "positions",
                                 f"type must be one of {BLM_TYPES}",
                                 row, repr(position_table["type"].loc[row]))
        unset = types == ""
        types[unset] = classify_blms(blm_names[unset])
    else:
        types = classify_blms(blm_names)
    return BLMMetadata(names=blm_names, dcum=dcum, types=np.asarray(types, dtype=object))
