"""Internal records: tables that elements fill while they track.

An element class that logs what happens inside it (emitted photons,
luminosity per crossing, ...) names a record class in
``_internal_record_class``: an ``xo.HybridClass`` whose fields are either
tables (an ``_index`` of type :class:`RecordIndex` plus one array per
column) or, for several tables, such table classes. The base class then
gives the element an ``_internal_record_offset`` field and its C source a
getter ``<Element>Data_getp_internal_record(el, part0)``: NULL while no
logging runs, else the record. ``Line.start_internal_logging_for_elements_of_type``
allocates the record in the tracker's buffer (the offset is relative to the
element, like the tracker's own element offsets) and
``stop_internal_logging_for_elements_of_type`` detaches it. Stop the logging
before moving the record (``record.move(_context=...)``): the elements write
to where it was.
"""

from pathlib import Path

import xobjects as xo

__all__ = ["RecordIndex"]

RECORDS_HEADER = Path(__file__).resolve().parent / "records.h"


class RecordIndex(xo.Struct):
    """Fill state of one table of an internal record.

    ``capacity`` rows exist; ``num_recorded`` are used (C:
    ``RecordIndex_get_slot(index)`` claims the next row, -1 when full).
    """

    capacity = xo.Int64
    num_recorded = xo.Int64
    _dummy = xo.Int64  # keeps the layout of the established struct (three 8-byte fields)


def getter_source(element_cls):
    """C source of ``<Element>Data_getp_internal_record`` for `element_cls`."""
    el = element_cls._XoStruct._c_type
    rec = element_cls._internal_record_class._XoStruct._c_type
    return f"""
#ifndef XTRACK_INTERNAL_RECORD_{el}
#define XTRACK_INTERNAL_RECORD_{el}
// the record of this element, or NULL while no internal logging runs
GPUFUN {rec} {el}_getp_internal_record({el} el, LocalParticle* part0){{
    int64_t const offset = {el}_get__internal_record_offset(el);
    (void) part0;
    if (offset == 0) return 0;  // NULL (spelled 0: OpenCL C need not define NULL)
    return ({rec}) (((GPUGLMEM int8_t*) el) + offset);
}}
#endif
"""
