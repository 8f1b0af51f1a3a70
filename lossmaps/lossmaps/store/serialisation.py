"""A loss map as Parquet tables plus a JSON metadata record, and back.

Record (``metadata.json``) fields: ``format_version``, ``kind`` (class name),
the :class:`~lossmaps.LossMap` fields (enum values as strings), ``date`` (ISO,
the measurement's window start for measured maps, else when it was saved),
``measurement`` (measured maps: timestamps with offset, duration, background),
``info`` (read-only facts such as ``interpolation``), ``source``, ``n_runs``,
``tables`` (which Parquet files the entry holds) and ``enum_columns`` (columns
of enum members, stored as their values). The ``losses`` Parquet file also
carries the record in its schema metadata (key ``lossmaps``), so one file is
self-describing.
"""

import enum
import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import enums
from ..errors import StoreFormatError
from ..lossmap import LossMap
from ..timeconv import to_utc

__all__ = ["FORMAT_VERSION", "lossmap_record", "lossmap_tables", "table_to_parquet",
           "parquet_to_frame", "restore_lossmap"]

FORMAT_VERSION = 1
ENUM_FIELDS = {
    "lmtype": enums.LMType, "machine": enums.Machine, "particle": enums.Particle,
    "beam_process": enums.BeamProcess, "beam": enums.Beam, "plane": enums.Plane,
    "rfsweep": enums.RFsweep,
}
NUMBER_FIELDS = ("energy", "betastar")
# DataFrame attributes of simulated maps (manual, "Data fields") saved with the losses.
EXTRA_TABLES = ("positions", "collgaps", "coll_summary", "aperture_losses", "aperture_binned")
INFO_FIELDS = ("interpolation", "circumference", "quantity", "defaults_applied")
METADATA_KEY = b"lossmaps"


def _value(member):
    return None if member is None else member.value


def lossmap_record(lossmap, saved_at, date=None):
    """JSON-able metadata record of ``lossmap`` (see module docstring)."""
    if not isinstance(lossmap, LossMap):
        raise TypeError(f"lossmap must be a LossMap (simulated or measured), got {type(lossmap).__name__}")
    record = {"format_version": FORMAT_VERSION, "kind": type(lossmap).__name__}
    for field in ENUM_FIELDS:
        record[field] = _value(getattr(lossmap, field))
    for field in NUMBER_FIELDS:
        record[field] = getattr(lossmap, field)
    record["description"] = lossmap.description
    record["roi"] = list(lossmap._roi) if lossmap._roi is not None else None  # only if set by hand
    measurement = lossmap.measurement_fields() if hasattr(lossmap, "measurement_fields") else None
    record["measurement"] = measurement
    if date is not None:
        when = to_utc(date, "date")  # naive = local CERN time, as everywhere
    else:
        when = pd.Timestamp(measurement["timestamp"] if measurement else saved_at)
    record["date"] = when.isoformat()
    record["saved_at"] = pd.Timestamp(saved_at).isoformat()
    record["source"] = getattr(lossmap, "source", None)
    record["n_runs"] = getattr(lossmap, "n_runs", None)
    record["info"] = {f: getattr(lossmap, f) for f in INFO_FIELDS if getattr(lossmap, f, None) is not None}
    return json.loads(json.dumps(record, default=str))


def _enum_columns(frame):
    """Columns of ``frame`` holding enum members: {column: enum class name}."""
    found = {}
    for column in frame.columns:
        if frame[column].dtype == object and len(frame):
            first = frame[column].dropna()
            if len(first) and isinstance(first.iloc[0], enum.Enum):
                found[column] = type(first.iloc[0]).__name__
    return found


def lossmap_tables(lossmap):
    """``{name: DataFrame}`` to store: ``losses`` and the simulated maps' extra tables."""
    if lossmap.losses is None:
        raise ValueError("the loss map has no data (losses is None): load data before saving it")
    tables = {"losses": lossmap.losses}
    for name in EXTRA_TABLES:
        value = getattr(lossmap, name, None)
        if isinstance(value, pd.DataFrame):
            tables[name] = value
    return tables


def table_to_parquet(frame, record=None):
    """Parquet bytes of ``frame`` (enum members written as values) and its enum columns."""
    columns = _enum_columns(frame)
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(lambda m: None if m is None else m.value)
    table = pa.Table.from_pandas(out, preserve_index=False)
    if record is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               METADATA_KEY: json.dumps(record).encode()})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue(), columns


def parquet_to_frame(data, enum_columns):
    """Inverse of :func:`table_to_parquet`."""
    frame = pq.read_table(io.BytesIO(data)).to_pandas()
    for column, class_name in enum_columns.items():
        cls = getattr(enums, class_name)
        frame[column] = pd.Series([None if v is None else cls(v) for v in frame[column]],
                                  index=frame.index, dtype=object)
    return frame


def _lossmap_classes():
    import lossmaps  # noqa: F401  (imports every LossMap subclass of the package)

    found, todo = {}, [LossMap]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def restore_lossmap(record, tables):
    """Rebuild the loss map of ``record`` with its stored ``tables`` ({name: DataFrame})."""
    version = record.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise StoreFormatError(
            f"entry written with format_version={version!r}; this lossmaps reads versions "
            f"<= {FORMAT_VERSION}: upgrade lossmaps to load it"
        )
    classes = _lossmap_classes()
    cls = classes.get(record["kind"])
    if cls is None:
        raise StoreFormatError(f"entry of unknown kind {record['kind']!r}; known: {sorted(classes)}")
    kwargs = {f: record[f] for f in ("machine", "particle", "beam_process", "energy", "betastar",
                                     "description")}
    if record["lmtype"] == enums.LMType.OTHER.value:
        kwargs.update({f: record[f] for f in ("beam", "plane", "rfsweep")})
    if record.get("roi") is not None:
        kwargs["roi"] = tuple(record["roi"])
    measurement = record.get("measurement")
    if measurement is not None:
        kwargs.update(timestamp=measurement["timestamp"], duration=measurement["duration"],
                      bckgr_aq=measurement["bckgr_aq"],
                      tback_start=measurement["tback_start"] if measurement["tback_start_given"] else None)
    lossmap = cls(lmtype=record["lmtype"], **kwargs)
    for name, frame in tables.items():
        if name != "losses":
            setattr(lossmap, name, frame)
    if measurement is not None and hasattr(lossmap, "_restore_measurement"):
        lossmap._restore_measurement(measurement, tables["losses"])
    else:
        lossmap._set_losses(tables["losses"])
        for field in ("source", "n_runs"):
            if record.get(field) is not None and hasattr(lossmap, field):
                setattr(lossmap, field, record[field])
    return lossmap
