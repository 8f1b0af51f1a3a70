"""Benchmark: the HL-LHC v1.5 thick sequence with its optics, native reader vs cpymad.

Figures (issue 13, "MAD-X in and out"): the files of the established
suite's test data ``hllhc15_thick/`` (``lhc.seq``, ``hllhc_sequence.madx``
with its seqedit/macro toolkit, the round optics ``opt_round_150_1500.madx``),
loaded
- natively: ``xt.load([...], reverse_lines=['lhcb2'])``, both beams, every
  knob live, lhcb2 built in its own direction (as the established build
  scripts do); and
- through cpymad: MAD-X reads the same files (``beam``, ``use``), then
  ``Line.from_madx_sequence(..., deferred_expressions=True)`` per beam.

Each route runs ``--repeat`` times in fresh environments; the best wall time
is printed with the element counts of both routes and the largest relative
difference of a few knob-driven strengths between them. The target is < 3 s
for the native route; say in the note how loaded the machine was (`uptime`
is printed).

Usage: ``python tools/bench_madx_load.py [--repeat N] [--no-cpymad]``
"""

import argparse
import gc
import os
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "upstream" / "tree" / "xtrack" / "test_data" / "hllhc15_thick"
FILES = ["lhc.seq", "hllhc_sequence.madx", "opt_round_150_1500.madx"]
PROBES = ["mqxfa.a1r5", "mqy.4r1.b1", "mcbxfah.3r1", "ms.11r1.b1"]


def _native():
    import xtrack as xt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xt.load([str(DATA / f) for f in FILES], reverse_lines=["lhcb2"])


def _cpymad():
    from cpymad.madx import Madx

    import xtrack as xt

    mad = Madx(stdout=False)
    for f in FILES[:2]:
        mad.call(str(DATA / f))
    mad.input("beam, sequence=lhcb1, particle=proton, pc=7000;"
              "beam, sequence=lhcb2, particle=proton, pc=7000, bv=-1;")
    mad.call(str(DATA / FILES[2]))
    lines = {}
    for name in ("lhcb1", "lhcb2"):
        mad.use(name)
        lines[name] = xt.Line.from_madx_sequence(mad.sequence[name], deferred_expressions=True)
    mad.exit()
    return lines


def _best(func, repeat):
    """Best wall time and best CPU time of this process (the machine may be loaded)."""
    best, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        out = None  # the previous result is freed (and collected) outside the timing
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        out = func()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best, best_cpu, out


def _strength(element):
    for attr in ("k1", "k2", "k0"):
        value = getattr(element, attr, 0.0)
        if value:
            return attr, float(value)
    return "knl", float(abs(element.knl).max()) if hasattr(element, "knl") else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cpymad", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"test data not found: {DATA}")
    print("uptime:", os.popen("uptime").read().strip())
    t_native, cpu_native, env = _best(_native, args.repeat)
    counts = {n: len(env[n].element_names) for n in ("lhcb1", "lhcb2")}
    print(f"native  : {t_native:7.2f} s wall, {cpu_native:6.2f} s CPU  (best of {args.repeat}; "
          f"target < 3 s)  elements {counts}")
    if args.no_cpymad:
        return
    try:
        import cpymad  # noqa: F401
    except ImportError:
        print("cpymad : not installed (pip install xtrack[madx])")
        return
    t_cpymad, cpu_cpymad, lines = _best(_cpymad, args.repeat)
    counts = {n: len(line.element_names) for n, line in lines.items()}
    print(f"cpymad  : {t_cpymad:7.2f} s wall, {cpu_cpymad:6.2f} s CPU of this process (MAD-X runs in "
          f"its own)  "
          f"(best of {args.repeat})  elements {counts}")
    worst, found = 0.0, 0
    for name in PROBES:
        if name in env["lhcb1"].element_names and name in lines["lhcb1"].element_names:
            found += 1
            attr, ref = _strength(lines["lhcb1"][name])
            value = float(getattr(env["lhcb1"][name], attr)) if attr != "knl" else _strength(
                env["lhcb1"][name])[1]
            worst = max(worst, abs(value - ref) / max(abs(ref), 1e-30))
    print(f"probe strengths (lhcb1, {found} of {len(PROBES)} magnets found): "
          f"max relative difference {worst:.2e}")


if __name__ == "__main__":
    main()
