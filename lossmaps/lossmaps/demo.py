"""Built-in demonstration: a simulated LHC B1H loss map from the packaged K2 runs.

The data in ``lossmaps/data`` are derived from the public reference fixture
(see ``data/README.md``). Used by ``lossmaps demo`` (the command line) and its tests.
"""

import pathlib

from .enums import LMType, Machine, Particle
from .machines import LHC_LAYOUT_FILE
from .plotting import plot_lossmap
from .simulated import SimulatedLossMap

__all__ = ["run_demo", "demo_lossmap", "DATA_DIR"]

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data"


def demo_lossmap():
    """Return the B1H loss map of the packaged K2 runs (6.8 TeV protons, LHC 2024)."""
    runs = sorted((DATA_DIR / "k2_b1h").glob("K2_B1H_s*"))
    lossmap = SimulatedLossMap(lmtype=LMType.B1H, machine=Machine.LHC, particle=Particle.PROTON,
                               energy=6800.0,
                               description="Built-in demo: 6 K2 runs, 6000 halo protons.")
    lossmap.load_data_K2(posfile=LHC_LAYOUT_FILE,
                         aperfiles=[r / "aperture_losses.dat" for r in runs],
                         collfiles=[r / "coll_summary.dat" for r in runs],
                         cycle_aperture_from="TCP.C6L7.B1")
    return lossmap


def run_demo(outdir):
    """Build the demo loss map and write its figure.

    Parameters
    ----------
    outdir : path
        Folder for the output (created if missing).

    Returns
    -------
    pathlib.Path
        The PNG written (``outdir / 'lossmap_demo_B1H.png'``).
    """
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    outfile = outdir / "lossmap_demo_B1H.png"
    plot_lossmap(demo_lossmap(), outfile=outfile, fig_size=(16, 10))
    return outfile
