"""Internal records: an element that logs rows while it tracks (records.py, internal_logging.py)."""

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt


class _CountRecord(xo.HybridClass):
    _xofields = {"_index": xt.RecordIndex, "value": xo.Int64[:], "at_element": xo.Int64[:],
                 "particle_id": xo.Int64[:]}


class _Counter(xt.BeamElement):
    """Writes one row (its `value`, where, who) per particle and passage while logging."""

    _xofields = {"value": xo.Int64}
    _internal_record_class = _CountRecord
    _extra_c_sources = [r'''
#include "xtrack/headers/track.h"
GPUFUN void _Counter_track_local_particle(_CounterData el, LocalParticle* part0){
    _CountRecordData record = _CounterData_getp_internal_record(el, part0);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (record){
            int64_t const row = RecordIndex_get_slot(_CountRecordData_getp__index(record));
            if (row >= 0){
                _CountRecordData_set_value(record, row, _CounterData_get_value(el));
                _CountRecordData_set_at_element(record, row, LocalParticle_get_at_element(part));
                _CountRecordData_set_particle_id(record, row, LocalParticle_get_particle_id(part));
            }
        }
    END_PER_PARTICLE_BLOCK;
}
''']


def _line():
    line = xt.Line(elements=[_Counter(value=3), xt.Drift(length=1.0), _Counter(value=4)],
                   element_names=["c3", "d", "c4"])
    line.build_tracker()
    return line


def test_rows_are_written_once_per_particle_and_passage():
    line = _line()
    record = line.start_internal_logging_for_elements_of_type(_Counter, capacity=1000)
    p = xt.Particles(x=[0.0, 1e-3, 2e-3, 3e-3, 4e-3])
    line.track(p, num_turns=10)
    n = record._index.num_recorded
    assert n == 2 * 5 * 10
    values, where = record.value[:n], record.at_element[:n]
    assert np.all(values[where == 0] == 3) and np.all(values[where == 2] == 4)
    assert np.sum(values == 3) == np.sum(values == 4) == 50
    assert np.all(np.bincount(record.particle_id[:n]) == 20)  # every particle, both elements, 10 turns
    assert np.all(record.value[n:] == 0)


def test_full_table_keeps_its_capacity_and_stop_detaches():
    line = _line()
    record = line.start_internal_logging_for_elements_of_type("_Counter", capacity=7)
    line.track(xt.Particles(x=np.zeros(5)), num_turns=3)  # 30 rows wanted
    assert record._index.num_recorded == 7 and record._index.capacity == 7
    line.stop_internal_logging_for_elements_of_type(_Counter)
    line.track(xt.Particles(x=np.zeros(5)), num_turns=3)
    assert record._index.num_recorded == 7
    # the offset to the record is not part of the element's dict
    assert "_internal_record_offset" not in line["c3"].to_dict()
    # a copy in another buffer does not point into this one
    assert line["c3"].copy()._internal_record_offset == 0


def test_bad_capacity_and_types_are_explained():
    line = _line()
    with pytest.raises(ValueError, match="capacity must be an integer >= 0"):
        line.start_internal_logging_for_elements_of_type(_Counter, capacity=-1)
    with pytest.raises(ValueError, match="no element of type 'Marker'"):
        line.start_internal_logging_for_elements_of_type(xt.Marker, capacity=10)
    with pytest.raises(ValueError, match="Drift has no internal record"):
        line.start_internal_logging_for_elements_of_type(xt.Drift, capacity=10)


def test_needs_rng_follows_the_radiation_models():
    line = _line()
    assert line._needs_rng is False
    with pytest.raises(ValueError, match="model_bhabha must be one of"):
        line.configure_radiation(model_bhabha="mean")
    line.configure_radiation(model="quantum")
    assert line._needs_rng is True
