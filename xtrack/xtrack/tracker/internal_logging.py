"""Internal logging: attach a record (records.py) to the elements of one type of a line."""

import numpy as np
import xobjects as xo

from ..beam_elements.records import RecordIndex

__all__ = ["start_internal_logging", "stop_internal_logging"]


def _record_kwargs(record_cls, capacity, where):
    """Constructor values of `record_cls` with tables of `capacity` rows (int, or dict by table)."""
    out = {}
    for field in record_cls._XoStruct._fields:
        ftype = field.ftype
        if ftype is RecordIndex:
            if not isinstance(capacity, (int, np.integer)) or isinstance(capacity, bool) or capacity < 0:
                raise ValueError(f"{where}: capacity must be an integer >= 0 (rows of the table), "
                                 f"got {capacity!r}.")
            out[field.name] = {"capacity": int(capacity)}
        elif getattr(ftype, "_DressingClass", None) is not None:  # a table of a multi-table record
            if not isinstance(capacity, dict) or field.name not in capacity:
                tables = [f.name for f in record_cls._XoStruct._fields
                          if getattr(f.ftype, "_DressingClass", None) is not None]
                raise ValueError(f"{where}: the record has the tables {tables}; give capacity as a "
                                 f"dict of rows per table, e.g. {{{tables[0]!r}: 1000}}, got {capacity!r}.")
            out[field.name] = _record_kwargs(ftype._DressingClass, capacity[field.name],
                                             f"{where} (table {field.name})")
        elif hasattr(ftype, "_itemtype"):  # a column
            out[field.name] = int(capacity)
    return out


def _elements_of_type(line, element_type):
    if isinstance(element_type, str):
        return [e for e in {id(e): e for e in line.elements}.values()
                if type(e).__name__ == element_type]
    return [e for e in {id(e): e for e in line.elements}.values() if isinstance(e, element_type)]


def start_internal_logging(line, element_type, capacity):
    """Allocate one record for the elements of `element_type` in `line` and attach it.

    Returns the record (an instance of the class's ``_internal_record_class``).
    """
    where = "start_internal_logging_for_elements_of_type"
    name = element_type if isinstance(element_type, str) else getattr(element_type, "__name__", element_type)
    elements = _elements_of_type(line, element_type)
    if not elements:
        raise ValueError(f"{where}: the line has no element of type {name!r}.")
    record_cls = getattr(type(elements[0]), "_internal_record_class", None)
    if record_cls is None:
        raise ValueError(f"{where}: {name} has no internal record (no _internal_record_class).")
    if line.tracker is None:
        line.build_tracker()
    buffer = line.tracker.io_buffer
    record = record_cls(_buffer=buffer, **_record_kwargs(record_cls, capacity, where))
    for element in elements:
        if element._buffer is not buffer:
            raise ValueError(f"{where}: an element of type {name} is not in the line's tracker "
                             f"buffer (rebuild the tracker first).")
        element._internal_record_offset = record._offset - element._offset
    if not hasattr(line.tracker, "_internal_records"):
        line.tracker._init_io_buffer()
    line.tracker._internal_records[name] = record
    return record


def stop_internal_logging(line, element_type):
    """Detach the record of the elements of `element_type`; the record keeps its data."""
    for element in _elements_of_type(line, element_type):
        if getattr(element, "_internal_record_offset", 0):
            element._internal_record_offset = 0
