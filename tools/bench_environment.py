#!/usr/bin/env python3
"""Benchmark of the Environment: building a long line and propagating a knob.

Figures printed (seconds, best of several repeats):

1. ``new_line``: ``env.new_line`` of 10,000 components (5,000 quadrupoles
   and 5,000 drifts, given as element names) in an environment where the
   elements already exist. Target: < 1 s. Baseline: creating 10,000 plain
   ``xt.Drift`` objects in the same run.
2. ``knob``: ``line.vars['k'] = v`` on a knob that drives the ``k1`` of
   1,000 quadrupoles through expressions (``k1 = k * f_i``); time of one
   assignment, values checked afterwards. Target: < 5 ms. Baseline: the same
   1,000 ``k1`` set by a plain Python loop of attribute assignments.

Usage: ``python3 tools/bench_environment.py [--repeat N]``.
"""

import argparse
import sys
import time

import numpy as np
import xtrack as xt

N_LINE = 10_000
N_KNOB = 1_000
TARGET_LINE_S = 1.0
TARGET_KNOB_S = 5e-3


def _best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_new_line(repeat):
    env = xt.Environment()
    names = []
    for ii in range(N_LINE // 2):
        env.new(f"q{ii}", xt.Quadrupole, length=0.5, k1=0.01)
        env.new(f"d{ii}", xt.Drift, length=1.0)
        names += [f"q{ii}", f"d{ii}"]

    def build():
        line = env.new_line(components=names)
        assert len(line.element_names) == N_LINE

    t_line = _best(build, repeat)
    t_base = _best(lambda: [xt.Drift(length=1.0) for _ in range(N_LINE)], repeat)
    return t_line, t_base


def bench_knob(repeat):
    env = xt.Environment()
    env["k"] = 0.0
    factors = np.linspace(0.5, 1.5, N_KNOB)
    names = []
    for ii, ff in enumerate(factors):
        env[f"f{ii}"] = float(ff)
        env.new(f"q{ii}", xt.Quadrupole, length=0.5, k1=f"k * f{ii}")
        names.append(f"q{ii}")
    line = env.new_line(components=names)
    line.vars["k"] = 0.1  # the first assignment may cache the update order
    values = iter(np.linspace(0.2, 0.3, 10 * repeat))
    last = []

    def assign():
        vv = float(next(values))
        line.vars["k"] = vv
        last[:] = [vv]

    t_knob = _best(assign, repeat)
    k1 = np.array([line[nn].k1 for nn in names])
    np.testing.assert_allclose(k1, last[0] * factors, rtol=1e-15)
    elements = [line.element_dict[nn] for nn in names]  # the elements themselves, no views

    def by_hand():
        for el, ff in zip(elements, factors):
            el.k1 = 0.25 * ff

    t_base = _best(by_hand, repeat)
    return t_knob, t_base


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    t_line, b_line = bench_new_line(args.repeat)
    t_knob, b_knob = bench_knob(args.repeat)
    ok = t_line < TARGET_LINE_S and t_knob < TARGET_KNOB_S
    print(f"new_line {N_LINE} elements: {t_line:.3f} s (target < {TARGET_LINE_S} s); "
          f"baseline {N_LINE} xt.Drift(): {b_line:.3f} s; ratio {t_line / b_line:.1f}")
    print(f"knob -> {N_KNOB} element fields: {t_knob * 1e3:.2f} ms (target < {TARGET_KNOB_S * 1e3:g} ms); "
          f"baseline plain loop: {b_knob * 1e3:.2f} ms; ratio {t_knob / b_knob:.1f}")
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
