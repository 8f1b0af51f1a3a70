"""Main job of the suite on built-in data.

Until xtrack can run a full study (lattice, tracking, loss map), the job
demonstrates the layers that exist: it compiles and runs a kernel on the
default xobjects context and checks the result, then builds a simulated LHC
B1H loss map from the data shipped with ``lossmaps`` and writes its figure.

Usage: ``python -m xsuite [OUTDIR]`` (default ``xsuite_output``).
"""

import sys
import time
from pathlib import Path

import numpy as np


def run_xobjects_demo(n=1_000_000):
    """Compile and run y = a*x + b on the default context; return a report."""
    import xobjects as xo

    ctx = xo.context_default
    src = r"""
    /*gpukern*/ void axpb(const int64_t n, const double a, const double b,
                          /*gpuglmem*/ const double* x, /*gpuglmem*/ double* y) {
        for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
            y[ii] = a * x[ii] + b;
        }//end_vectorize
    }
    """
    kernels = {
        "axpb": xo.Kernel(
            args=[
                xo.Arg(xo.Int64, name="n"),
                xo.Arg(xo.Float64, name="a"),
                xo.Arg(xo.Float64, name="b"),
                xo.Arg(xo.Float64, pointer=True, const=True, name="x"),
                xo.Arg(xo.Float64, pointer=True, name="y"),
            ],
            n_threads="n",
        )
    }
    t0 = time.perf_counter()
    ctx.add_kernels(sources=[src], kernels=kernels)
    t_compile = time.perf_counter() - t0
    x_host = np.linspace(0.0, 1.0, n)
    x = ctx.nparray_to_context_array(x_host)
    y = ctx.zeros(n, dtype=np.float64)
    t0 = time.perf_counter()
    ctx.kernels.axpb(n=n, a=2.0, b=1.0, x=x, y=y)
    ctx.synchronize()
    t_run = time.perf_counter() - t0
    y_host = ctx.nparray_from_context_array(y)
    max_err = float(np.max(np.abs(y_host - (2.0 * x_host + 1.0))))
    return {
        "context": type(ctx).__name__,
        "n": n,
        "compile_or_load_s": t_compile,
        "run_s": t_run,
        "max_abs_error": max_err,
    }


def run_lossmap_demo(outdir):
    """Write the loss-map figure of the built-in simulated B1H loss map."""
    from lossmaps.demo import run_demo

    return run_demo(outdir)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    outdir = Path(argv[0]) if argv else Path("xsuite_output")
    report = run_xobjects_demo()
    print(f"xobjects demo on {report['context']}:")
    print(f"  kernel y = 2*x + 1 compiled/loaded in {report['compile_or_load_s']:.3f} s")
    print(f"  ran over {report['n']:,} doubles in {report['run_s'] * 1e3:.2f} ms")
    print(f"  max |y - (2x+1)| = {report['max_abs_error']:.3e}")
    ok = report["max_abs_error"] < 1e-12
    print("  result: " + ("correct" if ok else "WRONG"))
    t0 = time.perf_counter()
    png = run_lossmap_demo(outdir)
    print(f"lossmaps demo: simulated LHC B1H loss map written to {png}"
          f" ({time.perf_counter() - t0:.1f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
