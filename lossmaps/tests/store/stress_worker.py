"""One process of the store stress test: ``run(ROLE, ROOT, SEED, LOG)``.

ROLE ``writer`` saves loss maps and logs each completed save's id; ``searcher``
searches and loads what it finds, logging any failure; ``deleter`` deletes
random entries and logs their ids. Each runs until it is killed or terminated.
The test forks these from its own process (lossmaps already imported), so a
restarted writer is saving again within milliseconds even on a loaded machine;
``python stress_worker.py ROLE ROOT SEED LOG`` runs one by hand.
"""

import random
import sys
import warnings

import lossmaps as lm
from lossmaps.store import EntryNotFoundError, LossMapStore
from lossmaps.table import make_losses_table


def _log(handle, text):
    handle.write(text + "\n")
    handle.flush()


def writer(store, rng, log):
    k = 0
    while True:
        n = rng.randrange(2000, 40000)  # large enough for kills to land mid-save
        lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, description=f"{rng.random()} {k} {n}")
        lossmap._set_losses(make_losses_table(
            s=[0.1 * i for i in range(n)], name=["e"] * n, length=[0.1] * n,
            losses_type=lm.Losses.COLD, losses=[float(k)] * n))
        _log(log, store.save(lossmap))
        k += 1


def searcher(store, rng, log):
    while True:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                found = store.search()
            for warning in caught:  # a damaged entry would be reported here
                _log(log, f"WARNING {warning.message}")
            if len(found):
                row = found.iloc[rng.randrange(len(found))]
                try:
                    lossmap = store.load(row["id"])
                    _, k, n = row["description"].split()
                    if len(lossmap.losses) != int(n) or (lossmap.losses["losses"] != float(k)).any():
                        _log(log, f"FAIL wrong content in {row['id']}")
                except EntryNotFoundError:
                    pass  # deleted between search and load: allowed
            _log(log, f"OK {len(found)}")
        except Exception as error:  # noqa: BLE001 - every failure is logged for the test
            _log(log, f"FAIL {type(error).__name__}: {error}")


def deleter(store, rng, log):
    import time

    while True:
        ids = store.ids()
        if len(ids) > 3:
            victim = rng.choice(ids)
            try:
                store.delete(victim)
                _log(log, victim)
            except EntryNotFoundError:
                pass
        time.sleep(0.25)  # slower than the writers: most saves stay to be found at the end


def run(role, root, seed, log_path):
    with open(log_path, "a") as handle:
        {"writer": writer, "searcher": searcher, "deleter": deleter}[role](
            LossMapStore(root), random.Random(int(seed)), handle)


if __name__ == "__main__":
    run(*sys.argv[1:5])
