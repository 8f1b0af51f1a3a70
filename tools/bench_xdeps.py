#!/usr/bin/env python3
"""Benchmark of xdeps: knob propagation and loading the LHC variable section.

Figures printed (seconds, best of several repeats unless stated):

1. ``knob update``: one knob drives 100 level-1 variables, 1,000 level-2
   variables and 10,000 element attributes (three levels of expressions);
   time to set the knob and update all 11,100 targets. Target: < 50 ms,
   both for the first update after the graph changed (which also computes
   and caches the update order: right after building, then after each
   re-assignment of one level-1 expression) and for the steady update.
   Baseline: the same 11,100 values recomputed and assigned by hand-written
   Python in the same run.
2. ``LHC load``: ``VarManagement.from_dict`` on the ``_var_management_data``
   and ``_var_manager`` sections of ``reference/xtrack/lattices/lhcb1``
   (34,079 expressions), all targets re-evaluated. Target: < 2 s. Baseline:
   ``json.load`` of the same gzip file.

Usage: ``python3 tools/bench_xdeps.py [--shared PATH]``.
"""

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

import xdeps as xd

N_LEVEL1, N_LEVEL2, N_TARGETS = 100, 1_000, 10_000


class _Element:
    """Stand-in for a beam element: plain attributes."""

    def __init__(self):
        self.k1 = 0.0
        self.length = 1.0


def build_knob_problem():
    elements = {f"q{i}": _Element() for i in range(N_TARGETS)}
    vm = xd.VarManagement(element_container=elements)
    vm["knob"] = 1.0
    v, e = vm.vref, vm.element_refs
    for i in range(N_LEVEL1):
        v[f"a{i}"] = v["knob"] * (1 + i * 1e-3)
    for j in range(N_LEVEL2):
        v[f"b{j}"] = v[f"a{j % N_LEVEL1}"] * 2.0 + v["knob"]
    for n in range(N_TARGETS):
        e[f"q{n}"].k1 = v[f"b{n % N_LEVEL2}"] * 1.01 / e[f"q{n}"].length
    return vm, elements


def baseline_update(values, elements, knob):
    values["knob"] = knob
    for i in range(N_LEVEL1):
        values[f"a{i}"] = knob * (1 + i * 1e-3)
    for j in range(N_LEVEL2):
        values[f"b{j}"] = values[f"a{j % N_LEVEL1}"] * 2.0 + knob
    for n in range(N_TARGETS):
        el = elements[f"q{n}"]
        el.k1 = values[f"b{n % N_LEVEL2}"] * 1.01 / el.length


def bench_knob(repeats=7):
    t0 = time.perf_counter()
    vm, elements = build_knob_problem()
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    vm["knob"] = 2.0
    first = [time.perf_counter() - t0]
    v = vm.vref
    for r in range(repeats - 1):
        v["a0"] = v["knob"] * (1.0 + r * 1e-3)  # the graph changes: the cached order is dropped
        t0 = time.perf_counter()
        vm["knob"] = 2.0 + r
        first.append(time.perf_counter() - t0)
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        vm["knob"] = 3.0 + r
        times.append(time.perf_counter() - t0)
    expected = (vm["a7"] * 2.0 + vm["knob"]) * 1.01
    assert abs(elements["q1007"].k1 - expected) < 1e-12 * abs(expected), "propagation is wrong"
    base = []
    for r in range(repeats):
        t0 = time.perf_counter()
        baseline_update(vm.var_values, elements, 3.0 + r)
        base.append(time.perf_counter() - t0)
    return t_build, first, times, min(base)


def bench_lhc(shared, repeats=5):
    path = Path(shared) / "reference" / "xtrack" / "lattices" / "lhcb1" / "line.json.gz"
    base, times = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        with gzip.open(path, "rt") as fh:
            data = json.load(fh)
        base.append(time.perf_counter() - t0)
    n_expr = len(data["_var_manager"])

    class Element:
        # Attributes absent from the JSON take the default 0, as in xtrack.
        def __init__(self, fields):
            self.__dict__.update(fields)

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            if name in ("knl", "ksl"):
                self.__dict__[name] = [0.0] * 12
                return self.__dict__[name]
            return 0.0

    for _ in range(repeats):
        elements = {}
        for name, fields in data["elements"].items():
            fields = dict(fields)
            for key in ("knl", "ksl"):
                if key in fields:
                    fields[key] = list(fields[key]) + [0.0] * (12 - len(fields[key]))
            elements[name] = Element(fields)
        sections = {
            "_var_management_data": json.loads(json.dumps(data["_var_management_data"])),
            "_var_manager": data["_var_manager"],
        }
        t0 = time.perf_counter()
        xd.VarManagement.from_dict(sections, element_container=elements)
        times.append(time.perf_counter() - t0)
    return n_expr, min(times), min(base)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = os.environ.get("XSUITE_SHARED_DIR") or str(Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--shared", default=default_shared, help="folder holding reference/")
    args = parser.parse_args(argv)

    t_build, first, times, t_base = bench_knob()
    n_targets = N_LEVEL1 + N_LEVEL2 + N_TARGETS
    print(f"knob update: {n_targets} targets, 3 levels of expressions")
    print(f"  build expressions          {t_build * 1e3:6.1f} ms")
    print(f"  first update after build   {first[0] * 1e3:6.1f} ms   (computes and caches the update order)")
    for label, values in (("first update", first), ("update", times)):
        best, median = min(values), statistics.median(values)
        print(f"  {label + ' (best/median)':26} {best * 1e3:6.1f} / {median * 1e3:.1f} ms   target < 50 ms: "
              f"{'PASS' if median < 0.05 and values[0] < 0.05 else 'FAIL'}")
    print(f"  baseline hand-written      {t_base * 1e3:6.1f} ms   ratio xdeps/baseline = {min(times) / t_base:.2f}")

    n_expr, t_load, t_json = bench_lhc(args.shared)
    print(f"LHC variable section: {n_expr} expressions")
    print(f"  load + evaluate        {t_load:9.3f} s    target < 2 s: {'PASS' if t_load < 2 else 'FAIL'}")
    print(f"  baseline json.load     {t_json:9.3f} s    ratio load/json = {t_load / t_json:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
