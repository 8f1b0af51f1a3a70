"""The store survives damage (issue 17): a damaged entry is skipped and reported
by search, refused by load with a StoreFormatError, deletable, and quarantined
by repair(); stray files and concurrent deletes do not break a search."""

import threading

import pytest

import lossmaps as lm
from lossmaps.store import LossMapStore, StoreFormatError
from lossmaps.table import make_losses_table


def _small_map(k):
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, description=f"map {k}", betastar=30.0)
    lossmap._set_losses(make_losses_table(
        s=[1.0, 2.0, 3.0], name=["a", "b", "c"], length=[0.1] * 3,
        losses_type=lm.Losses.COLD, losses=[float(k)] * 3))
    return lossmap


@pytest.fixture
def store(tmp_path):
    store = LossMapStore(tmp_path / "store")
    ids = [store.save(_small_map(k)) for k in range(3)]
    return store, ids, tmp_path / "store" / "entries"


@pytest.mark.parametrize("damage", [
    lambda p: p.write_text('{"format_version": 1, "kind": "Simul'),  # cut mid-write
    lambda p: p.write_bytes(b"\xff\xfe\x00junk"),
    lambda p: p.write_text("[1, 2, 3]"),
    lambda p: p.write_text('{"format_version": 1}'),
    lambda p: p.unlink(),
])
def test_damaged_record_is_skipped_reported_and_deletable(store, damage):
    store, ids, entries = store
    damage(entries / ids[1] / "metadata.json")
    with pytest.warns(lm.LossMapsWarning, match=ids[1]):
        found = store.search()
    assert sorted(found["id"]) == sorted([ids[0], ids[2]])
    assert list(found.attrs["skipped"]) == [ids[1]]
    with pytest.raises(StoreFormatError, match=ids[1]):
        store.load(ids[1])
    assert list(store.verify()) == [ids[1]]
    store.delete(ids[1])
    assert ids[1] not in store.ids() and store.verify() == {}
    assert len(store.search()) == 2


def test_flipped_bytes_in_a_table_fail_the_checksum(store):
    store, ids, entries = store
    path = entries / ids[0] / "losses.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StoreFormatError, match="SHA-256"):
        store.load(ids[0])
    assert store.load(ids[2]).losses["losses"].iloc[0] == 2.0


def test_repair_quarantines_damage_and_stray_files(store):
    store, ids, entries = store
    (entries / ids[0] / "metadata.json").write_text("{")
    (entries / "stray.txt").write_text("left here by hand")
    with pytest.warns(lm.LossMapsWarning):
        assert sorted(store.search(betastar=30)["id"]) == sorted(ids[1:])
    problems = store.verify()
    assert set(problems) == {ids[0], "stray.txt"} and "stray file" in problems["stray.txt"]
    moved = store.repair()
    assert set(moved) == {ids[0], "stray.txt"}
    assert store.verify() == {} and sorted(store.ids()) == sorted(ids[1:])
    quarantined = sorted(p.name.split(".")[0] for p in (entries.parent / "quarantine").iterdir())
    assert quarantined == sorted([ids[0].split(".")[0], "stray"])


def test_stray_file_does_not_break_search(store):
    store, ids, entries = store
    (entries / "README").write_text("not an entry")
    assert sorted(store.search()["id"]) == sorted(ids)


def test_delete_of_unknown_id_suggests(store):
    store, ids, _ = store
    with pytest.raises(lm.store.EntryNotFoundError, match="close matches"):
        store.delete(ids[0][:-1] + "x")


def test_search_during_deletes_never_fails(tmp_path):
    store = LossMapStore(tmp_path / "store")
    ids = [store.save(_small_map(k)) for k in range(40)]
    errors = []

    def delete_all():
        for entry_id in ids:
            store.delete(entry_id)

    deleter = threading.Thread(target=delete_all)
    deleter.start()
    counts = []
    while deleter.is_alive():
        try:
            counts.append(len(store.search()))
        except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
            errors.append(error)
    deleter.join()
    assert errors == [] and counts == sorted(counts, reverse=True)
    assert len(store.search()) == 0
