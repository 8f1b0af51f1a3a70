"""Loss-map store: round trips, searches, atomic and concurrent writes."""

import copy
import json
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.store import EntryNotFoundError, LossMapStore, StoreError, StoreFormatError
from lossmaps.store.filesystems import ArrowStoreFileSystem


def _with(lossmap, **fields):
    """Shallow copy of a loaded loss map with other metadata (the table is shared, read-only)."""
    other = copy.copy(lossmap)
    for name, value in fields.items():
        setattr(other, name, value)
    return other


def test_measured_round_trip_keeps_data_and_metadata(measured_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    loaded = store.load(store.save(measured_map))
    assert type(loaded) is lm.MeasuredLossMap
    pd.testing.assert_frame_equal(loaded.losses, measured_map.losses)
    for field in ("lmtype", "machine", "particle", "energy", "betastar", "beam_process", "description",
                  "timestamp", "duration", "tback_start", "bckgr_aq", "BLM_integration_time", "source"):
        assert getattr(loaded, field) == getattr(measured_map, field), field
    assert loaded.t_max_loss == measured_map.t_max_loss
    assert loaded.DS_inefficiency == measured_map.DS_inefficiency


def test_simulated_round_trip_keeps_tables(k2_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    original = _with(k2_map, betastar=30.0, beam_process=lm.BeamProcess.FLAT_TOP)
    loaded = store.load(store.save(original, date="2023-06-01 12:00"))
    assert type(loaded) is type(k2_map)
    pd.testing.assert_frame_equal(loaded.losses, k2_map.losses)
    pd.testing.assert_frame_equal(loaded.aperture_binned, k2_map.aperture_binned)
    pd.testing.assert_frame_equal(loaded.coll_summary, k2_map.coll_summary)
    assert (loaded.energy, loaded.betastar, loaded.source) == (k2_map.energy, 30.0, k2_map.source)
    assert loaded.DS_inefficiency == pytest.approx(k2_map.DS_inefficiency, rel=1e-15)
    # The losses file is self-describing: the record travels in its schema.
    import pyarrow.parquet as pq

    entry = store.ids()[0]
    schema = pq.read_schema(tmp_path / "store" / "entries" / entry / "losses.parquet")
    assert json.loads(schema.metadata[b"lossmaps"])["betastar"] == 30.0


def test_other_type_keeps_hand_set_fields(k2_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    other = lm.SimulatedLossMap(lmtype=lm.LMType.OTHER, beam=lm.Beam.BOTH, plane=lm.Plane.VERTICAL,
                                rfsweep=lm.RFsweep.NONE, roi=(100.0, 200.0))
    other._set_losses(k2_map.losses)
    loaded = store.load(store.save(other))
    assert (loaded.beam, loaded.plane, loaded.rfsweep, loaded.roi) == (
        lm.Beam.BOTH, lm.Plane.VERTICAL, lm.RFsweep.NONE, (100.0, 200.0))


@pytest.fixture()
def filled_store(k2_map, measured_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    flat, inj = lm.BeamProcess.FLAT_TOP, lm.BeamProcess.INJECTION
    cases = {
        "wanted": (k2_map, dict(betastar=30.0, beam_process=flat), "2023-05-02 10:00"),
        "other year": (k2_map, dict(betastar=30.0, beam_process=flat), "2022-05-02 10:00"),
        "other beta": (k2_map, dict(betastar=60.0, beam_process=flat), "2023-05-02 10:00"),
        "injection": (k2_map, dict(betastar=30.0, beam_process=inj), "2023-05-02 10:00"),
        "b2v": (k2_map, dict(lmtype=lm.LMType.B2V, betastar=30.0, beam_process=flat), "2023-07-02 10:00"),
        "measured": (measured_map, {}, None),
    }
    ids = {}
    for label, (lossmap, fields, date) in cases.items():
        ids[label] = store.save(_with(lossmap, description=f"case {label}", **fields), date=date)
    return store, ids


def test_search_finds_flat_top_b1h_beta30_in_2023(filled_store):
    store, ids = filled_store
    found = store.search(lmtype=lm.LMType.B1H, beam_process="FLAT_TOP", betastar=30, year=2023)
    assert list(found["id"]) == [ids["wanted"]]
    assert found.loc[0, "description"] == "case wanted"
    assert isinstance(store.load(found.loc[0]), lm.SimulatedLossMap)


def test_search_criteria_combine(filled_store):
    store, ids = filled_store
    assert set(store.search()["id"]) == set(ids.values())
    assert set(store.search(kind="MeasuredLossMap")["id"]) == {ids["measured"]}
    assert set(store.search(betastar=(50, None))["id"]) == {ids["other beta"]}
    assert set(store.search(lmtype=["B2V", "B1V"])["id"]) == {ids["b2v"]}
    assert set(store.search(after="2023-06-01", before="2023-12-31")["id"]) == {ids["b2v"]}
    assert set(store.search(description="INJ")["id"]) == {ids["injection"]}
    assert set(store.search(year=2024, energy=6800)["id"]) == {ids["measured"]}
    dates = store.search()["date"]
    assert dates.is_monotonic_increasing and str(dates.dt.tz) == "Europe/Zurich"


def test_bad_search_and_load_arguments(filled_store):
    store, ids = filled_store
    with pytest.raises(TypeError, match="unexpected criterion 'betastr'; did you mean 'betastar'"):
        store.search(betastr=30)
    with pytest.raises(ValueError, match="beam_process must be one of.*'FLATTOP'"):
        store.search(beam_process="FLATTOP")
    with pytest.raises(EntryNotFoundError, match="close matches") as info:
        store.load(ids["wanted"][:-1] + "x")
    assert info.value.close_matches[0] == ids["wanted"]


def test_future_format_version_is_refused(filled_store, tmp_path):
    store, ids = filled_store
    record_path = tmp_path / "store" / "entries" / ids["measured"] / "metadata.json"
    record = json.loads(record_path.read_text())
    record_path.write_text(json.dumps({**record, "format_version": 99}))
    with pytest.raises(StoreFormatError, match="format_version=99"):
        store.load(ids["measured"])


def test_saving_needs_loaded_data(tmp_path):
    with pytest.raises(ValueError, match="has no data"):
        LossMapStore(tmp_path).save(lm.SimulatedLossMap(lmtype=lm.LMType.B1H))
    with pytest.raises(TypeError, match="must be a LossMap"):
        LossMapStore(tmp_path).save("not a loss map")


def test_failed_write_leaves_no_entry(k2_map, tmp_path, monkeypatch):
    store = LossMapStore(tmp_path / "store")
    calls = []
    original = ArrowStoreFileSystem.write_bytes

    def failing(self, path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full (simulated)")
        original(self, path, data)

    monkeypatch.setattr(ArrowStoreFileSystem, "write_bytes", failing)
    with pytest.raises(OSError, match="disk full"):
        store.save(k2_map)
    assert store.ids() == [] and store.search().empty
    assert list((tmp_path / "store" / "_tmp").iterdir()) == []


def test_dead_writer_leftovers_are_invisible_and_cleaned(k2_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    kept = store.save(k2_map)
    leftover = tmp_path / "store" / "_tmp" / "B1H-dead.0123"
    leftover.mkdir(parents=True)
    (leftover / "losses.parquet").write_bytes(b"PAR1 half written")
    assert store.ids() == [kept]
    assert store.clean_temporary(older_than=0) == 1
    assert not leftover.exists() and store.ids() == [kept]


def test_delete_removes_entry(k2_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    entry = store.save(k2_map)
    store.delete(entry)
    assert store.ids() == []
    with pytest.raises(EntryNotFoundError):
        store.delete(entry)


WRITER = textwrap.dedent("""
    import sys
    import lossmaps as lm
    from lossmaps.table import make_losses_table
    from lossmaps.store import LossMapStore

    root, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = LossMapStore(root)
    for k in range(count):
        lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, description=f"writer {writer} map {k}",
                                      betastar=float(writer + 1))
        n = 20000
        lossmap._set_losses(make_losses_table(
            s=[float(i) for i in range(n)], name=[f"e{i}" for i in range(n)], length=[0.1] * n,
            losses_type=lm.Losses.COLD, losses=[float(writer * 1000 + k)] * n))
        store.save(lossmap)
""")


def test_concurrent_writers_from_several_processes(tmp_path):
    root = tmp_path / "store"
    writers, per_writer = 4, 5
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), str(w), str(per_writer)])
                 for w in range(writers)]
    assert [p.wait(timeout=120) for p in processes] == [0] * writers
    store = LossMapStore(root)
    found = store.search()
    assert len(found) == writers * per_writer and found["id"].is_unique
    for _, row in found.iterrows():
        writer, k = (int(x) for x in row["description"].split()[1::2])
        losses = store.load(row).losses
        # Every entry holds exactly the table its writer made: nothing mixed or truncated.
        assert len(losses) == 20000 and (losses["losses"] == writer * 1000 + k).all()
        assert row["betastar"] == writer + 1
    assert list((root / "_tmp").iterdir()) == []


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_store_through_spark_hadoop_filesystem(spark, measured_map, tmp_path):
    """The path used on SWAN for HDFS, exercised on Spark's local (file:) Hadoop FS."""
    store = LossMapStore(f"file://{tmp_path}/spark-store", spark=spark)
    entry = store.save(measured_map)
    assert list(store.search(kind="MeasuredLossMap")["id"]) == [entry]
    loaded = store.load(entry)
    pd.testing.assert_frame_equal(loaded.losses, measured_map.losses)
    assert LossMapStore(tmp_path / "spark-store").ids() == [entry]  # same files as pyarrow sees


def test_unconfigured_hdfs_says_what_to_configure(monkeypatch):
    from lossmaps.store import filesystems

    def no_libhdfs(uri):
        raise OSError("Unable to load libjvm\ndlopen(/usr/lib/jvm/...) failed")

    monkeypatch.setattr(filesystems, "_arrow_from_uri", no_libhdfs)
    with pytest.raises(StoreError, match=r"hdfs://nn:8020/lm.*Unable to load libjvm\); for HDFS "
                                         r"configure the Hadoop client.*spark=<SparkSession>"):
        LossMapStore("hdfs://nn:8020/lm")
