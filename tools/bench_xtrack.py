"""Benchmark of the xtrack line tracker on the LHC beam-1 line (13,401 elements).

Figures (issue "xtrack: beam elements and the tracker"):
- JSON load time of `line.json.gz`;
- first `build_tracker()` with compilation (fresh kernel cache), and the
  cached one in a new process;
- tracking rate in element-passes per second, serial (1,000 particles x 20
  turns) and with 2 OpenMP threads (10,000 particles x 2 turns);
each rate also as a ratio to a plain-numpy drift loop (x += px*L, ... on the
same particle count) measured in the same run.

Optics figures (issue "xtrack: optics"): `line.twiss4d()` and
`line.twiss6d()` of the same line (after a warm-up call; best and median of
`--repeats` calls, the machine being shared), and the tune + chromaticity
match of `lhcb1/operations.json.gz` on a fresh copy of the line, with the
number of twiss calls it made and whether the targets were met.

Usage: ``python tools/bench_xtrack.py [--quick] [--section all|tracking|optics] [--repeats N]``
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
LINE = HERE.parent.parent / "shared" / "reference" / "xtrack" / "lattices" / "lhcb1" / "line.json.gz"


def numpy_drift_rate(n_particles, n_passes):
    """Particle-element passes per second of an expanded drift written with numpy arrays."""
    rng = np.random.default_rng(0)
    x, px, y, py = (rng.normal(0, 1e-4, n_particles) for _ in range(4))
    zeta = np.zeros(n_particles)
    rpp = np.ones(n_particles)
    rvv = np.ones(n_particles)
    length = 1.0
    t0 = time.perf_counter()
    for _ in range(n_passes):
        xp = px * rpp
        yp = py * rpp
        x += xp * length
        y += yp * length
        zeta += length * (1 - (1 + (xp * xp + yp * yp) / 2) / rvv)
    dt = time.perf_counter() - t0
    return n_particles * n_passes / dt


def _particles(line, n):
    import xtrack as xt

    rng = np.random.default_rng(1)
    ref = line.particle_ref
    return xt.Particles(mass0=ref.mass0, q0=ref.q0, p0c=ref.p0c[0],
                        x=rng.normal(0, 1e-4, n), px=rng.normal(0, 1e-6, n),
                        y=rng.normal(0, 1e-4, n), py=rng.normal(0, 1e-6, n),
                        delta=rng.normal(0, 1e-4, n))


def tracking_rate(line, n_particles, n_turns, context):
    line.discard_tracker()
    line.build_tracker(_context=context)
    p = _particles(line, n_particles)
    line.track(p.copy(), num_turns=1)  # warm-up
    t0 = time.perf_counter()
    line.track(p, num_turns=n_turns)
    dt = time.perf_counter() - t0
    return n_particles * n_turns * len(line.element_names) / dt


def _cached_build_in_new_process(cache_dir):
    code = (
        "import time, xtrack as xt\n"
        f"line = xt.Line.from_json({str(LINE)!r})\n"
        "t0 = time.perf_counter(); line.build_tracker(); print(time.perf_counter() - t0)\n"
    )
    env = dict(os.environ, XOBJECTS_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def twiss_timings(line, repeats):
    """Best and median wall time of line.twiss4d() and line.twiss6d() (warm: kernels compiled)."""
    line.twiss4d()
    line.twiss6d()
    out = {}
    for method in ("4d", "6d"):
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            line.twiss(method=method)
            times.append(time.perf_counter() - t0)
        out[f"twiss{method}_best_s"] = min(times)
        out[f"twiss{method}_median_s"] = float(np.median(times))
    return out


def match_timing():
    """The LHC tune + chromaticity match of operations.json.gz on a fresh line (tracker built)."""
    import gzip

    import xtrack as xt

    with gzip.open(LINE.parent / "operations.json.gz", "rt") as f:
        cfg = json.load(f)["match"]["config"]
    line = xt.Line.from_json(LINE)
    line.build_tracker()
    line.twiss4d()  # kernels compiled outside the timing
    calls = []
    twiss = line.twiss

    def counting_twiss(*args, **kwargs):
        calls.append(1)
        return twiss(*args, **kwargs)

    line.twiss = counting_twiss
    t0 = time.perf_counter()
    opt = line.match(method="4d",
                     vary=[xt.VaryList(cfg["tune_knobs"], step=cfg["tune_step"]),
                           xt.VaryList(cfg["chrom_knobs"], step=cfg["chrom_step"])],
                     targets=[xt.TargetSet(qx=cfg["qx"], qy=cfg["qy"], tol=cfg["tune_tol"]),
                              xt.TargetSet(dqx=cfg["dqx"], dqy=cfg["dqy"], tol=cfg["chrom_tol"])])
    dt = time.perf_counter() - t0
    del line.twiss
    tw = line.twiss4d()
    met = (abs(tw.qx - cfg["qx"]) <= cfg["tune_tol"] and abs(tw.qy - cfg["qy"]) <= cfg["tune_tol"]
           and abs(tw.dqx - cfg["dqx"]) <= cfg["chrom_tol"] and abs(tw.dqy - cfg["dqy"]) <= cfg["chrom_tol"])
    del opt
    return {"match_tune_chroma_s": dt, "match_twiss_calls": len(calls), "match_targets_met": bool(met)}


def optics_section(line, repeats):
    results = twiss_timings(line, repeats)
    results.update(match_timing())
    print(f"twiss4d {results['twiss4d_best_s']:.3f} s (median {results['twiss4d_median_s']:.3f}); "
          f"twiss6d {results['twiss6d_best_s']:.3f} s (median {results['twiss6d_median_s']:.3f}); "
          f"tune+chroma match {results['match_tune_chroma_s']:.2f} s "
          f"({results['match_twiss_calls']} twiss, targets met: {results['match_targets_met']})")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer particles and turns")
    parser.add_argument("--section", choices=("all", "tracking", "optics"), default="all")
    parser.add_argument("--repeats", type=int, default=5, help="twiss calls timed per method")
    args = parser.parse_args(argv)
    import xobjects as xo
    import xtrack as xt

    results = {}
    t0 = time.perf_counter()
    line = xt.Line.from_json(LINE)
    results["json_load_s"] = time.perf_counter() - t0
    if args.section == "optics":
        line.build_tracker()
        results.update(optics_section(line, args.repeats))
        print(json.dumps(results, indent=1))
        return

    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["XOBJECTS_CACHE_DIR"] = cache_dir
        t0 = time.perf_counter()
        line.build_tracker(_context=xo.ContextCpu())
        results["first_build_tracker_s"] = time.perf_counter() - t0
        results["cached_build_tracker_new_process_s"] = _cached_build_in_new_process(cache_dir)
        os.environ.pop("XOBJECTS_CACHE_DIR")

    n_serial, turns_serial = (200, 5) if args.quick else (1000, 20)
    n_omp, turns_omp = (2000, 1) if args.quick else (10000, 2)
    serial = tracking_rate(line, n_serial, turns_serial, xo.ContextCpu())
    omp = tracking_rate(line, n_omp, turns_omp, xo.ContextCpu(omp_num_threads=2))
    base_serial = numpy_drift_rate(n_serial, 2000)
    base_omp = numpy_drift_rate(n_omp, 500)
    results.update({
        "serial_element_passes_per_s": serial,
        "serial_ratio_to_numpy_drift": serial / base_serial,
        "omp2_element_passes_per_s": omp,
        "omp2_ratio_to_numpy_drift": omp / base_omp,
        "numpy_drift_passes_per_s_serial_case": base_serial,
        "numpy_drift_passes_per_s_omp_case": base_omp,
    })
    if args.section == "all":
        line.discard_tracker()
        line.build_tracker(_context=xo.ContextCpu())
        results.update(optics_section(line, args.repeats))
    print(json.dumps(results, indent=1))
    print(f"serial {serial / 1e6:.2f} M element-passes/s ({results['serial_ratio_to_numpy_drift']:.2f}x numpy drift); "
          f"2 threads {omp / 1e6:.2f} M/s ({results['omp2_ratio_to_numpy_drift']:.2f}x); "
          f"JSON load {results['json_load_s']:.2f} s; first build_tracker {results['first_build_tracker_s']:.1f} s; "
          f"cached {results['cached_build_tracker_new_process_s']:.2f} s")


if __name__ == "__main__":
    main()
