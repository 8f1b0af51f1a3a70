"""Command-line entry point ``lossmaps`` (console script).

Examples
--------
``lossmaps plot --k2 Results/K2_B1H_s* --posfile MADX/all_optics_B1.tfs
--cycle-aperture-from TCP.C6L7.B1 -o map.png``

``lossmaps plot --fluka Results/FLUKA_B1H_s* --collgaps Input/collgaps.dat --posfile ... -o map.png``

``lossmaps export --json xcoll/*.json --norm coll_max -o ineff.csv``

A run folder given to ``--k2`` holds ``aperture_losses.dat`` and ``coll_summary.dat``;
one given to ``--fluka`` holds ``aperture_losses.dat`` and ``fort.208``.
"""

import argparse
import pathlib
import sys

from .enums import LMType, Machine
from .errors import LossMapsError
from .simulated import SimulatedLossMap

__all__ = ["main", "build_parser"]


def _add_input_arguments(parser):
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--k2", nargs="+", metavar="RUNDIR", help="K2 run folders")
    source.add_argument("--fluka", nargs="+", metavar="RUNDIR", help="SixTrack-FLUKA run folders")
    source.add_argument("--json", nargs="+", metavar="FILE", help="xcoll loss-map JSON files")
    parser.add_argument("--posfile", help="MAD-X TFS twiss with the element positions")
    parser.add_argument("--collgaps", help="collgaps.dat (FLUKA runs)")
    parser.add_argument("--lmtype", default="B1H", choices=[t.value for t in LMType])
    parser.add_argument("--machine", default="LHC", choices=[m.value for m in Machine])
    parser.add_argument("--energy", type=float, help="beam energy [GeV] (caption)")
    parser.add_argument("--cycle-aperture-from", metavar="ELEMENT")
    parser.add_argument("--cycle-positions-from", metavar="ELEMENT")
    parser.add_argument("--backwards", action="store_true", help="reflect positions (beam 2)")
    parser.add_argument("--interpolation", type=float, default=0.1, help="bin width [m]")
    parser.add_argument("--norm", default="coll_max", choices=["coll_max", "total", "max", "none"])


def build_parser():
    """The argument parser of the ``lossmaps`` command."""
    parser = argparse.ArgumentParser(prog="lossmaps", description="Plot and export loss maps.")
    commands = parser.add_subparsers(dest="command", required=True)
    plot = commands.add_parser("plot", help="write the loss-map figure")
    _add_input_arguments(plot)
    plot.add_argument("-o", "--output", required=True, help="image file (png, pdf, svg)")
    plot.add_argument("--no-zoom", action="store_true")
    plot.add_argument("--no-caption", action="store_true")
    plot.add_argument("--html", help="also write the interactive HTML figure (needs bokeh)")
    export = commands.add_parser("export", help="write the (normalised) losses as CSV")
    _add_input_arguments(export)
    export.add_argument("-o", "--output", required=True, help="CSV file")
    demo = commands.add_parser("demo", help="plot the built-in demo loss map")
    demo.add_argument("outdir")
    return parser


def _runs(folders, filename):
    return [pathlib.Path(folder) / filename for folder in folders]


def _load(args):
    lossmap = SimulatedLossMap(lmtype=args.lmtype, machine=args.machine, energy=args.energy)
    common = dict(cycle_positions_from=args.cycle_positions_from, backwards=args.backwards)
    if args.json:
        lossmap.load_data_json(json_files=args.json, posfile=args.posfile, **common)
        return lossmap
    if not args.posfile:
        raise LossMapsError("--posfile is required for --k2 and --fluka")
    common.update(cycle_aperture_from=args.cycle_aperture_from, interpolation=args.interpolation)
    if args.k2:
        lossmap.load_data_K2(posfile=args.posfile, aperfiles=_runs(args.k2, "aperture_losses.dat"),
                             collfiles=_runs(args.k2, "coll_summary.dat"), **common)
    else:
        if not args.collgaps:
            raise LossMapsError("--collgaps is required for --fluka")
        lossmap.load_data_FLUKA(collgaps=args.collgaps, posfile=args.posfile,
                                aperfiles=_runs(args.fluka, "aperture_losses.dat"),
                                fort208files=_runs(args.fluka, "fort.208"), **common)
    return lossmap


def _run(args):
    if args.command == "demo":
        from .demo import run_demo

        return str(run_demo(args.outdir))
    lossmap = _load(args)
    if args.command == "export":
        from .export import to_csv

        to_csv(lossmap.losses.lossmap.inefficiency(args.norm), args.output)
        return args.output
    from .plotting import plot_lossmap

    plot_lossmap(lossmap, norm=args.norm, zoom=not args.no_zoom, caption=not args.no_caption,
                 outfile=args.output)
    if args.html:
        from .plotting import plot_lossmap_interactive

        plot_lossmap_interactive(lossmap, outfile=args.html)
    return args.output


def main(argv=None):
    """Run the command line; returns the exit status (0 on success, 1 on bad input)."""
    args = build_parser().parse_args(argv)
    try:
        written = _run(args)
    except (LossMapsError, ValueError, KeyError, TypeError, FileNotFoundError, ImportError) as exc:
        print(f"lossmaps: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
