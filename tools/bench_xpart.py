#!/usr/bin/env python3
"""Benchmark: create N particles with xpart and move them between contexts.

Prints the wall time of each step and its ratio to a baseline measured in
the same run: allocating and filling the same per-particle numpy arrays
(one float64/int64 array per stored field, uint32 for the random state),
and copying them once (the numpy cost of a context move).

Usage: python tools/bench_xpart.py [--num-particles 10000000] [--repeat 3]
"""

import argparse
import time

import numpy as np

import xobjects as xo
import xpart as xp
from xpart.particles.fields import FIELDS


def _best(func, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


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

    t_base_create, arrays = _best(lambda: baseline_create(n), args.repeat)
    t_base_copy, _ = _best(lambda: baseline_copy(arrays), args.repeat)
    arrays = None  # release the baseline memory
    t_create, particles = _best(lambda: xp.Particles(p0c=7e12, **coords), args.repeat)
    other = xo.ContextCpu()
    t_move, moved = _best(lambda: particles.copy(_context=other), args.repeat)
    assert np.array_equal(moved.x, particles.x)
    del moved

    print(f"xpart benchmark, {n} particles ({len(FIELDS)} fields)")
    print(f"  baseline numpy allocate+fill : {t_base_create:8.3f} s")
    print(f"  baseline numpy copy          : {t_base_copy:8.3f} s")
    print(f"  Particles(...) creation      : {t_create:8.3f} s   ratio {t_create / t_base_create:5.2f}")
    print(f"  copy to another ContextCpu   : {t_move:8.3f} s   ratio {t_move / t_base_copy:5.2f}")
    total, base = t_create + t_move, t_base_create + t_base_copy
    print(f"  create + move (CPU)          : {total:8.3f} s   ratio {total / base:5.2f}  "
          f"({'under' if total < 2 else 'OVER'} the 2 s target)")
    try:
        ocl = xo.ContextPyopencl()
    except Exception as err:  # noqa: BLE001 - optional backend
        print(f"  OpenCL: unavailable ({type(err).__name__})")
        return
    t_to, on_ocl = _best(lambda: particles.copy(_context=ocl), args.repeat)
    t_back, back = _best(lambda: on_ocl.copy(_context=other), args.repeat)
    assert np.array_equal(back.x, particles.x)
    print(f"  CPU -> OpenCL ({type(ocl).__name__}) : {t_to:8.3f} s   ratio {t_to / t_base_copy:5.2f}")
    print(f"  OpenCL -> CPU                : {t_back:8.3f} s   ratio {t_back / t_base_copy:5.2f}")


if __name__ == "__main__":
    main()
