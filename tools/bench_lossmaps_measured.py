#!/usr/bin/env python3
"""Benchmark: load and analyse a 30 s measured loss map (3,600 BLMs at 1 Hz).

Synthetic logged data (NXCALS layout, one Parquet row group per 30 acquisitions)
covering ``--minutes`` of logging are written to a temporary folder; a 30 s
window in the middle is then loaded and analysed (t_max_loss, max_loss, DS
inefficiency, total loss per time):

* from local Parquet without Spark (pyarrow, filters pushed down), target < 1 s;
* through a local Spark session (filters pushed down to the Parquet scan),
  target < 5 s; the session start (with its one-row warm-up query, see
  ``local_spark_session``) is reported separately, and the first loss map of
  the session apart from later ones (warm).

Baselines measured in the same run: reading the whole logged stretch and then
selecting the window in pandas (no pushdown), and the same through Spark
(collect everything). Ratios baseline / ours are printed.

Usage: ``python tools/bench_lossmaps_measured.py [--minutes 10] [--repeat 5] [--no-spark]``
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import lossmaps as lm
from lossmaps.measured import per_time

N_BLM = 3600
VARIABLE = "LHC.BLMI:LOSS_RS09"
START_UTC = pd.Timestamp("2024-05-21 12:00:00", tz="UTC")


def write_fixture(folder, minutes, seed=1):
    """Synthetic NXCALS-layout data, names and positions; returns the three paths."""
    rng = np.random.default_rng(seed)
    n_t = minutes * 60
    times = START_UTC.value + np.arange(n_t, dtype=np.int64) * 10**9 + rng.integers(0, 10**8, n_t)
    kinds = np.array(["_MQ", "_MB", "_TCP.X", "_MQWA", "_XRP"])[rng.integers(0, 5, N_BLM)]
    names = [f"BLMQI.{i:05d}.B1E10{kind}" for i, kind in enumerate(kinds)]
    dcum = np.sort(rng.uniform(0, 26658.8832, N_BLM))
    values = rng.lognormal(np.log(4e-7), 0.1, (n_t, N_BLM))
    values[n_t // 2 + 15] *= 100.0  # a loss spike inside the window
    table = pa.table({
        "nxcals_variable_name": pa.array([VARIABLE] * n_t),
        "nxcals_timestamp": pa.array(times, type=pa.int64()),
        "nxcals_value": pa.StructArray.from_arrays(
            [pa.array(list(values), type=pa.list_(pa.float64())),
             pa.array([[N_BLM]] * n_t, type=pa.list_(pa.int32()))],
            names=["elements", "dimensions"]),
    })
    data = folder / "blm.nxcals.parquet"
    pq.write_table(table, data, row_group_size=30)
    names_path, positions_path = folder / "names.csv", folder / "positions.csv"
    pd.DataFrame({"index": range(N_BLM), "name": names}).to_csv(names_path, index=False)
    pd.DataFrame({"name": names, "dcum": dcum}).to_csv(positions_path, index=False)
    return data, names_path, positions_path


def window_start(minutes):
    return (START_UTC + pd.Timedelta(minutes=minutes / 2)).tz_convert("Europe/Zurich")


def analyse(lossmap):
    """The quantities a user looks at first; returns them to keep the work honest."""
    losses = lossmap.losses
    return (lossmap.t_max_loss, lossmap.max_loss, lossmap.DS_inefficiency,
            per_time.total_loss_per_time(losses).max())


def timed(function, repeat):
    durations, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return durations, result


def ours_local(paths, minutes):
    lossmap = lm.MeasuredLossMap(timestamp=window_start(minutes), lmtype=lm.LMType.B1H)
    lossmap.load_data_files(paths[0], names=paths[1], positions=paths[2])
    return analyse(lossmap)


def baseline_local(paths, minutes):
    """Read the whole logged stretch, select the window in pandas, then analyse."""
    frame = pd.read_parquet(paths[0])
    frame = pd.DataFrame({"timestamp": frame["nxcals_timestamp"],
                          "vals": frame["nxcals_value"].map(lambda v: v["elements"])})
    lossmap = lm.MeasuredLossMap(timestamp=window_start(minutes), lmtype=lm.LMType.B1H)
    lossmap.load_data_files(frame, names=paths[1], positions=paths[2])
    return analyse(lossmap)


def ours_spark(spark, paths, minutes):
    lossmap = lm.MeasuredLossMap(timestamp=window_start(minutes), lmtype=lm.LMType.B1H)
    lossmap.load_data(spark, source=paths[0], names=paths[1], positions=paths[2])
    return analyse(lossmap)


def baseline_spark(spark, paths, minutes):
    """Collect the whole logged stretch through Spark, then select locally."""
    table = spark.read.parquet(str(paths[0])).toArrow()
    frame = pd.DataFrame({"timestamp": table.column("nxcals_timestamp").to_numpy(),
                          "vals": [v["elements"] for v in table.column("nxcals_value").to_pylist()]})
    lossmap = lm.MeasuredLossMap(timestamp=window_start(minutes), lmtype=lm.LMType.B1H)
    lossmap.load_data_files(frame, names=paths[1], positions=paths[2])
    return analyse(lossmap)


def report(label, durations, target=None):
    best, median = min(durations), statistics.median(durations)
    verdict = "" if target is None else ("  OK" if median < target else f"  ABOVE TARGET {target} s")
    print(f"  {label:<46s} median {median:7.3f} s  best {best:7.3f} s{verdict}")
    return median


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10, help="logged stretch written (default 10)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_fixture(Path(tmp), args.minutes)
        size = paths[0].stat().st_size / 1e6
        print(f"{N_BLM} BLMs, {args.minutes * 60} acquisitions logged ({size:.0f} MB Parquet); "
              f"30 s window at {window_start(args.minutes)}")
        print("local Parquet, no Spark:")
        ours, result = timed(lambda: ours_local(paths, args.minutes), args.repeat)
        base, base_result = timed(lambda: baseline_local(paths, args.minutes), max(2, args.repeat // 2))
        assert result == base_result, "baseline and pushdown paths disagree"
        ours_median = report("load + analyse (filters pushed down)", ours, target=1.0)
        base_median = report("baseline: read all, select in pandas", base)
        print(f"  ratio baseline / ours: {base_median / ours_median:.1f}x   (t_max_loss {result[0]})")
        if args.no_spark:
            return
        from lossmaps.measured.logging_service import local_spark_session

        print("local Spark (local[2]):")
        start = time.perf_counter()
        spark = local_spark_session(cores=2, app_name="bench-lossmaps")
        report("session start incl. one-row warm-up query", [time.perf_counter() - start])
        cold, cold_result = timed(lambda: ours_spark(spark, paths, args.minutes), 1)
        assert cold_result == result, "Spark and local paths disagree"
        report("load + analyse, first loss map of the session", cold, target=5.0)
        warm, _ = timed(lambda: ours_spark(spark, paths, args.minutes), args.repeat)
        warm_median = report("load + analyse, later queries (warm)", warm, target=5.0)
        base, _ = timed(lambda: baseline_spark(spark, paths, args.minutes), max(2, args.repeat // 2))
        base_median = report("baseline: collect all through Spark", base)
        print(f"  ratio baseline / ours (warm): {base_median / warm_median:.1f}x")
        spark.stop()


if __name__ == "__main__":
    main()
