"""Main job of the suite: ``python -m xsuite [OUTDIR] [options]``.

Runs the collimation study of :mod:`xsuite.study` on the built-in HL-LHC
beam-1 line: twiss, tune match, IR7 black absorbers, pencil beam on the
primary collimator, tracking, loss-location refinement and the loss map
(PNG, HTML, CSV in OUTDIR, default ``xsuite_output``).
"""

import argparse
import sys

from .study import StudyConfig, run_study


def _parser():
    defaults = StudyConfig()
    parser = argparse.ArgumentParser(
        prog="python -m xsuite",
        description="HL-LHC B1 collimation loss map from xtrack tracking, on built-in data.")
    parser.add_argument("outdir", nargs="?", default="xsuite_output",
                        help="folder for the figures and tables (default: %(default)s)")
    parser.add_argument("--particles", type=int, default=defaults.num_particles,
                        help="protons in the pencil beam (default: %(default)s)")
    parser.add_argument("--turns", type=int, default=defaults.max_turns,
                        help="turn limit; tracking stops earlier when all are lost (default: %(default)s)")
    parser.add_argument("--qx", type=float, default=defaults.qx, help="matched horizontal tune")
    parser.add_argument("--qy", type=float, default=defaults.qy, help="matched vertical tune")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed of the pencil")
    parser.add_argument("--threads", default=defaults.threads,
                        help="OpenMP threads ('auto': all cores; 0: serial)")
    return parser


def main(argv=None):
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    threads = args.threads if args.threads == "auto" else int(args.threads)
    try:
        config = StudyConfig(num_particles=args.particles, max_turns=args.turns, qx=args.qx,
                             qy=args.qy, seed=args.seed, threads=threads)
    except ValueError as err:
        _parser().error(str(err))
    summary = run_study(args.outdir, config)
    return 0 if summary["tracking"]["lost"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
