"""Benchmark of `xt.distributed.track` against one serial process, in the same run.

Figures (issue 16, "tracking on a Dask cluster"): the LHC beam-1 line
(13,401 elements), 10,000 particles x 20 turns, tracked
- serially by `line.track` in this process, and
- by `xt.distributed.track` on a `LocalCluster` of 2 worker processes
  (one thread each), the cluster started before the clock runs;
printed: both wall times, the speed-up, the overhead per chunk (worker time
not spent inside `line.track`: transfers, line build on each worker, merge),
and whether the final coordinates are bit-identical.

The speed-up can reach the number of workers only on that many free cores.
On a shared machine the CPU times say what the run costs whatever the load:
the serial process's CPU time, the workers' CPU time inside and outside
`line.track`, the caller's, and the speed-up these give on free cores
(serial CPU time over the calling thread's plus the busiest worker's). The load
average is sampled every 2 s while each part runs.
`--again` tracks a second time with the unchanged line (already built on
the workers: no scatter, no rebuild).

Usage: ``python tools/bench_distributed.py [--particles N] [--turns N] [--workers N] [--chunks N] [--again]``
"""

import argparse
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LINE = HERE.parent.parent / "shared" / "reference" / "xtrack" / "lattices" / "lhcb1" / "line.json.gz"


def _particles(line, n):
    rng = np.random.default_rng(1)
    return line.build_particles(x=rng.normal(0, 1e-4, n), px=rng.normal(0, 1e-6, n),
                                y=rng.normal(0, 1e-4, n), py=rng.normal(0, 1e-6, n),
                                delta=rng.normal(0, 1e-4, n))


@contextmanager
def load_sampled(label, period=2.0):
    """Print the 1-minute load average (mean and max of samples) over the block."""
    samples, stop = [os.getloadavg()[0]], threading.Event()

    def sample():
        while not stop.wait(period):
            samples.append(os.getloadavg()[0])

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        samples.append(os.getloadavg()[0])
        print(f"  load average (1 min) during {label}: mean {sum(samples) / len(samples):.2f}, "
              f"max {max(samples):.2f} on {os.cpu_count()} cores")


def _print_distributed(report, passes, serial, serial_cpu):
    print(f"distributed ({report.num_workers} workers, {report.num_chunks} chunks of "
          f"{min(report.particles_per_chunk)}-{max(report.particles_per_chunk)} particles, "
          f"line built {report.line_builds} times): "
          f"{report.wall_seconds:.1f} s, {passes / report.wall_seconds:.3g} element-passes/s")
    print(f"  speed-up: {serial / report.wall_seconds:.2f} (ideal {report.num_workers})")
    print(f"  overhead per chunk: {report.overhead_per_chunk:.2f} s "
          f"(tracking inside chunks: {sum(report.chunk_track_seconds):.1f} worker-s, "
          f"chunk wall on workers: {sum(report.chunk_seconds):.1f} worker-s)")
    track_cpu = sum(report.chunk_track_cpu_seconds)
    print(f"  CPU: tracking {track_cpu:.1f} s ({track_cpu / serial_cpu:.3f} x serial), "
          f"rest on workers {sum(report.chunk_cpu_seconds) - track_cpu:.1f} s, "
          f"caller {report.caller_cpu_seconds:.1f} s (its thread {report.caller_thread_cpu_seconds:.1f} s, "
          f"the rest mostly the LocalCluster scheduler); "
          f"CPU overhead per chunk {report.cpu_overhead_per_chunk:.2f} s")
    print(f"  speed-up on free cores from CPU times: {serial_cpu / report.cpu_bound_wall_seconds:.2f} "
          f"(serial CPU {serial_cpu:.1f} s / calling thread + busiest worker "
          f"{report.cpu_bound_wall_seconds:.1f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunks", type=int, default=None, help="default: 4 per worker")
    parser.add_argument("--again", action="store_true", help="a second distributed run, same line")
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

    with load_sampled("the serial run"):
        t0, c0 = time.perf_counter(), time.process_time()
        line.track(p_serial, num_turns=args.turns)
        serial, serial_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"serial: {serial:.1f} s ({serial_cpu:.1f} s CPU), {passes / serial:.3g} element-passes/s")

    cluster = LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                           dashboard_address=":0")
    with Client(cluster) as client:
        for run in range(2 if args.again else 1):
            p_run = p0.copy() if run else p_dist
            with load_sampled("the distributed run"):
                report = xt.distributed.track(line, p_run, num_turns=args.turns, client=client,
                                              num_chunks=args.chunks, with_progress=False)
            print("second run, same line:" if run else "first run:")
            _print_distributed(report, passes, serial, serial_cpu)
    cluster.close()
    identical = all(np.array_equal(p_serial._host(k), p_dist._host(k)) for k in PER_PARTICLE)
    print(f"bit-identical to serial: {identical}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
