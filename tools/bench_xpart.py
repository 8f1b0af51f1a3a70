#!/usr/bin/env python3
"""Benchmark: create N particles with xpart and move them between contexts.

Prints the best and the median wall time of each step over the repetitions
and the ratio of the best to a baseline measured in the same run:
allocating and filling the same per-particle numpy arrays (one float64/int64
array per stored field, uint32 for the random state), and copying them once
(the numpy cost of a context move). The machine may be shared: compare best
times, and look at the medians for the spread.

Usage: python tools/bench_xpart.py [--num-particles 10000000] [--repeat 3]
"""

import argparse
import statistics
import time

import numpy as np
from xpart.particles.fields import FIELDS

import xobjects as xo
import xpart as xp


class Timing:
    """Best and median of repeated wall times [s]."""

    def __init__(self, times):
        self.best = min(times)
        self.median = statistics.median(times)

    def __str__(self):
        return f"{self.best:8.3f} s (median {self.median:6.3f})"


def _time(func, repeat):
    times, out = [], None
    for _ in range(repeat):
        out = None  # release the previous result before making the next
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return Timing(times), out


def baseline_create(n):
    arrays = {}
    for f in FIELDS:
        if f.per_particle:
            arrays[f.name] = np.empty(n, dtype=f.dtype)
            arrays[f.name][:] = 1
    return arrays


def baseline_copy(arrays):
    return {k: v.copy() for k, v in arrays.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-particles", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.num_particles
    rng = np.random.default_rng(0)
    coords = {k: rng.normal(size=n) * 1e-3 for k in ("x", "px", "y", "py", "zeta", "delta")}

    t_base_create, arrays = _time(lambda: baseline_create(n), args.repeat)
    t_base_copy, _ = _time(lambda: baseline_copy(arrays), args.repeat)
    arrays = None  # release the baseline memory
    t_create, particles = _time(lambda: xp.Particles(p0c=7e12, **coords), args.repeat)
    other = xo.ContextCpu()
    t_move, moved = _time(lambda: particles.copy(_context=other), args.repeat)
    assert np.array_equal(moved.x, particles.x)
    del moved

    print(f"xpart benchmark, {n} particles ({len(FIELDS)} fields), best of {args.repeat}")
    print(f"  baseline numpy allocate+fill : {t_base_create}")
    print(f"  baseline numpy copy          : {t_base_copy}")
    print(f"  Particles(...) creation      : {t_create}   ratio {t_create.best / t_base_create.best:5.2f}")
    print(f"  copy to another ContextCpu   : {t_move}   ratio {t_move.best / t_base_copy.best:5.2f}")
    total, base = t_create.best + t_move.best, t_base_create.best + t_base_copy.best
    print(f"  create + move (CPU)          : {total:8.3f} s   ratio {total / base:5.2f}  "
          f"({'under' if total < 2 else 'OVER'} the 2 s target)")
    try:
        ocl = xo.ContextPyopencl()
    except Exception as err:  # noqa: BLE001 - optional backend
        print(f"  OpenCL: unavailable ({type(err).__name__})")
        return
    t_to, on_ocl = _time(lambda: particles.copy(_context=ocl), args.repeat)
    t_back, back = _time(lambda: on_ocl.copy(_context=other), args.repeat)
    assert np.array_equal(back.x, particles.x)
    print(f"  CPU -> OpenCL                : {t_to}   ratio {t_to.best / t_base_copy.best:5.2f}")
    print(f"  OpenCL -> CPU                : {t_back}   ratio {t_back.best / t_base_copy.best:5.2f}")


if __name__ == "__main__":
    main()
