"""Benchmark of `xt.distributed.track` against one serial process, in the same run.

Figures (issue 16, "tracking on a Dask cluster"): the LHC beam-1 line
(13,401 elements), 10,000 particles x 20 turns, tracked
- serially by `line.track` in this process, and
- by `xt.distributed.track` on a `LocalCluster` of 2 worker processes
  (one thread each), the cluster started before the clock runs;
printed: both wall times, the speed-up, the overhead per chunk (worker time
not spent inside `line.track`: transfers, line build on each worker, merge),
and whether the final coordinates are bit-identical.

The speed-up can reach the number of workers only on that many free cores;
say in the note how loaded the machine was (`uptime` is printed).

Usage: ``python tools/bench_distributed.py [--particles N] [--turns N] [--workers N] [--chunks N]``
"""

import argparse
import os
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LINE = HERE.parent.parent / "shared" / "reference" / "xtrack" / "lattices" / "lhcb1" / "line.json.gz"


def _particles(line, n):
    rng = np.random.default_rng(1)
    return line.build_particles(x=rng.normal(0, 1e-4, n), px=rng.normal(0, 1e-6, n),
                                y=rng.normal(0, 1e-4, n), py=rng.normal(0, 1e-6, n),
                                delta=rng.normal(0, 1e-4, n))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunks", type=int, default=None, help="default: 4 per worker")
    args = parser.parse_args()

    import xtrack as xt
    from distributed import Client, LocalCluster
    from xpart.particles.fields import PER_PARTICLE

    print(f"load average before: {os.getloadavg()}, cores: {os.cpu_count()}")
    line = xt.Line.from_json(LINE)
    line.build_tracker()  # compiles or loads the kernel: the workers then find it in the disk cache
    passes = args.particles * args.turns * len(line.element_names)
    p0 = _particles(line, args.particles)
    p_serial, p_dist = p0.copy(), p0.copy()

    t0 = time.perf_counter()
    line.track(p_serial, num_turns=args.turns)
    serial = time.perf_counter() - t0
    print(f"serial: {serial:.1f} s, {passes / serial:.3g} element-passes/s")

    cluster = LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                           dashboard_address=":0")
    with Client(cluster) as client:
        report = xt.distributed.track(line, p_dist, num_turns=args.turns, client=client,
                                      num_chunks=args.chunks, with_progress=False)
    cluster.close()
    identical = all(np.array_equal(p_serial._host(k), p_dist._host(k)) for k in PER_PARTICLE)
    print(f"distributed ({report.num_workers} workers, {report.num_chunks} chunks of "
          f"{min(report.particles_per_chunk)}-{max(report.particles_per_chunk)} particles): "
          f"{report.wall_seconds:.1f} s, {passes / report.wall_seconds:.3g} element-passes/s")
    print(f"speed-up: {serial / report.wall_seconds:.2f} (ideal {report.num_workers})")
    print(f"overhead per chunk: {report.overhead_per_chunk:.2f} s "
          f"(tracking inside chunks: {sum(report.chunk_track_seconds):.1f} worker-s, "
          f"chunk wall on workers: {sum(report.chunk_seconds):.1f} worker-s)")
    print(f"bit-identical to serial: {identical}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
