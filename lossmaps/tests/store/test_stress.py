"""Store stress test (issue 17): 6 writers, 2 searchers and 1 deleter share one
store for 20 s while writers are killed mid-save. No search may fail, no entry
may be corrupt, and every completed save not deleted must be findable.

Workers are forked, not started as new interpreters: on a loaded machine
importing lossmaps takes seconds, and writers restarted after every kill would
then spend the whole run importing (no save, no kill mid-save to test)."""

import importlib.util
import multiprocessing
import pathlib
import random
import time

from lossmaps.store import LossMapStore

_SPEC = importlib.util.spec_from_file_location(
    "stress_worker", pathlib.Path(__file__).with_name("stress_worker.py"))
WORKER = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(WORKER)
DURATION = 20.0  # s
_FORK = multiprocessing.get_context("fork")


def _start(role, root, seed, log):
    process = _FORK.Process(target=WORKER.run, args=(role, str(root), seed, str(log)), daemon=True)
    process.start()
    return process


def _lines(path):
    return path.read_text().split("\n")[:-1] if path.exists() else []


def test_store_under_concurrent_writers_searchers_deleter_and_kills(tmp_path):
    root, rng = tmp_path / "store", random.Random(17)
    writers = [_start("writer", root, w, tmp_path / f"writer{w}.log") for w in range(6)]
    others = [_start("searcher", root, 100 + s, tmp_path / f"searcher{s}.log") for s in range(2)]
    others.append(_start("deleter", root, 200, tmp_path / "deleter.log"))
    kills, end = 0, time.monotonic() + DURATION
    try:
        while time.monotonic() < end:
            time.sleep(rng.uniform(0.3, 1.2))
            w = rng.randrange(len(writers))
            writers[w].kill()  # SIGKILL, mid-save most of the time
            writers[w].join()
            kills += 1
            writers[w] = _start("writer", root, 1000 + kills, tmp_path / f"writer{w}.log")
    finally:
        for process in writers + others:
            process.kill()
            process.join()
    searches = [line for s in range(2) for line in _lines(tmp_path / f"searcher{s}.log")]
    failures = [line for line in searches if not line.startswith("OK")]
    assert failures == [], failures[:5]
    assert sum(line.startswith("OK") for line in searches) > 20  # the searchers did work
    saved = {line for w in range(6) for line in _lines(tmp_path / f"writer{w}.log")}
    deleted = set(_lines(tmp_path / "deleter.log"))
    store = LossMapStore(root)
    assert kills >= 10 and len(saved) > 20 and deleted
    assert len(saved - deleted) > 20  # enough survivors for the findability check
    assert store.verify() == {}  # no corrupt entry: killed saves left nothing visible
    found = set(store.search()["id"])
    assert saved - deleted <= found, sorted(saved - deleted - found)[:5]
    assert not found & deleted
