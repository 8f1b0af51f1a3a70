"""GPU benchmark and agreement check of the xtrack tracker on the LHC beam-1 line.

Figures (issue "Beyond one machine": GPU):
- tracking rate in element-passes per second on ``xo.ContextCupy()`` with
  10^6 particles (2 turns after a warm-up turn);
- the CPU rate on the same machine (all cores via OpenMP, 2 x 10^4 particles,
  1 turn), measured in the same run, and the ratio GPU / CPU;
- agreement: 2,000 particles tracked 3 turns on both contexts, largest
  absolute difference per coordinate (fused multiply-add is off on every
  context, so round-off level is expected).

Usage: ``python tools/bench_gpu.py [--line PATH] [--particles N]``
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LINE = HERE.parent.parent / "shared" / "reference" / "xtrack" / "lattices" / "lhcb1" / "line.json.gz"
COORDS = ("x", "px", "y", "py", "zeta", "delta")


def _particles(line, n, context):
    import xtrack as xt

    rng = np.random.default_rng(1)
    ref = line.particle_ref
    return xt.Particles(_context=context, mass0=ref.mass0, q0=ref.q0, p0c=ref.p0c[0],
                        x=rng.normal(0, 1e-4, n), px=rng.normal(0, 1e-6, n),
                        y=rng.normal(0, 1e-4, n), py=rng.normal(0, 1e-6, n),
                        delta=rng.normal(0, 1e-4, n))


def _rate(line, context, n, turns):
    line.discard_tracker()
    line.build_tracker(_context=context)
    line.track(_particles(line, min(n, 1000), context), num_turns=1)  # compile, warm up
    p = _particles(line, n, context)
    context.synchronize()
    t0 = time.perf_counter()
    line.track(p, num_turns=turns)
    context.synchronize()
    return n * turns * len(line.element_names) / (time.perf_counter() - t0)


def _final(line, context, n, turns):
    line.discard_tracker()
    line.build_tracker(_context=context)
    p = _particles(line, n, context)
    line.track(p, num_turns=turns)
    p.move(_context=__import__("xobjects").context_default)
    order = np.argsort(p.particle_id)
    out = {c: np.asarray(getattr(p, c))[order] for c in COORDS}
    out["state"] = np.asarray(p.state)[order]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--line", default=str(LINE))
    parser.add_argument("--particles", type=int, default=1_000_000)
    parser.add_argument("--context", default="ContextCupy", help="the context under test (ContextCpu for a dry run)")
    args = parser.parse_args(argv)
    import xobjects as xo
    import xtrack as xt

    line = xt.Line.from_json(args.line)
    gpu = getattr(xo, args.context)()
    cpu = xo.ContextCpu(omp_num_threads=os.cpu_count())
    results = {"elements": len(line.element_names), "cpu_threads": os.cpu_count()}

    ref = _final(line, xo.ContextCpu(), 2000, 3)
    got = _final(line, gpu, 2000, 3)
    results["states_equal"] = bool(np.array_equal(ref["state"], got["state"]))
    results["max_abs_diff"] = {c: float(np.max(np.abs(ref[c] - got[c]))) for c in COORDS}

    results["gpu_element_passes_per_s"] = _rate(line, gpu, args.particles, 2)
    results["cpu_element_passes_per_s"] = _rate(line, cpu, 20_000, 1)
    results["gpu_over_cpu"] = results["gpu_element_passes_per_s"] / results["cpu_element_passes_per_s"]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
