"""Benchmark: load 1,000 SixTrack K2 run folders of the fixture size into a loss map.

Generates the run folders in a temporary directory by cycling through the six
packaged K2 runs (``lossmaps/data/k2_b1h``: ~46-line ``coll_summary.dat`` and
0-2 aperture losses per run, the reference-fixture size), then times

* ``SimulatedLossMap.load_data_K2`` on all of them (the figure of merit;
  acceptance: < 10 s), and
* a baseline measured in the same run: the same folders read with one
  ``pandas.read_csv(sep=r'\\s+')`` per file and a pandas group-by (what a
  one-off analysis script typically does, without validation).

Usage: ``python tools/bench_lossmaps_load.py [--runs 1000] [--repeat 3]``
"""

import argparse
import pathlib
import shutil
import tempfile
import time

import pandas as pd

import lossmaps as lm
from lossmaps.demo import DATA_DIR


def make_runs(root, n_runs):
    sources = sorted((DATA_DIR / "k2_b1h").glob("K2_B1H_s*"))
    runs = []
    for i in range(n_runs):
        target = root / f"K2_B1H_s{i + 1:04d}"
        target.mkdir()
        for name in ("aperture_losses.dat", "coll_summary.dat"):
            shutil.copyfile(sources[i % len(sources)] / name, target / name)
        runs.append(target)
    return runs


def load_lossmaps(runs):
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(posfile=DATA_DIR / "lhc_b1_layout.tfs",
                         aperfiles=[r / "aperture_losses.dat" for r in runs],
                         collfiles=[r / "coll_summary.dat" for r in runs],
                         cycle_aperture_from="TCP.C6L7.B1")
    return lossmap.losses.lossmap.total_loss


def _read_or_empty(path):
    # header-only files (runs without aperture losses) make read_csv raise
    try:
        return pd.read_csv(path, sep=r"\s+", comment="#", header=None)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def load_baseline(runs):
    names = ["icoll", "collname", "nimp", "nabs", "imp_av", "imp_sig", "length"]
    coll = pd.concat([pd.read_csv(r / "coll_summary.dat", sep=r"\s+", comment="#", names=names)
                      for r in runs])
    n_aper = sum(len(_read_or_empty(r / "aperture_losses.dat")) for r in runs)
    return float(coll.groupby("collname")["nabs"].sum().sum() + n_aper)


def best_of(function, runs, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(runs)
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        runs = make_runs(pathlib.Path(tmp), args.runs)
        generate = time.perf_counter() - start
        t_lm, total_lm = best_of(load_lossmaps, runs, args.repeat)
        t_base, total_base = best_of(load_baseline, runs, args.repeat)
    print(f"generated {args.runs} K2 run folders in {generate:.2f} s")
    print(f"lossmaps load_data_K2 : {t_lm:7.3f} s  ({1e3 * t_lm / args.runs:.3f} ms/run), "
          f"total losses {total_lm:.0f}")
    print(f"baseline pandas script: {t_base:7.3f} s  ({1e3 * t_base / args.runs:.3f} ms/run), "
          f"total losses {total_base:.0f}")
    print(f"ratio baseline / lossmaps: {t_base / t_lm:.2f}x   "
          f"acceptance (< 10 s for 1000 runs): {'PASS' if t_lm * 1000 / args.runs < 10 else 'FAIL'}")


if __name__ == "__main__":
    main()
