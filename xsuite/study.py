"""The suite's main job: an LHC collimation loss map from our own tracking.

One machine-protection study on built-in data (``xsuite/data``), end to end:

1. load the HL-LHC beam-1 line and twiss it (tunes, chromaticities);
2. match the tunes to a new working point with the trim quadrupoles;
3. install the IR7 collimators as black absorbers at the Run-3 settings
   (half-gaps in sigma of the shipped ``collgaps.dat``, gaps in metres from
   our twiss, normalised emittance 3.5 um);
4. generate a pencil beam just beyond the jaws of the horizontal primary
   collimator TCP.C6L7.B1 and track it turn by turn (progress bar) until it
   is lost or the turn limit is reached;
5. refine the loss locations (``xt.LossLocationRefinement``) and build the
   loss map (``lossmaps.SimulatedLossMap.load_data_xtrack``);
6. write the loss-map figure (PNG and interactive HTML), the binned loss map
   and the lost particles (CSV).

Black absorbers do not scatter: a particle ends on the first jaw it reaches,
so the map shows which collimators intercept the primary halo, not the
showers of secondary particles downstream (those need a scattering code).
"""

import dataclasses
import json
import re
import time
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
LINE_FILE = DATA_DIR / "hllhc15_b1_line.json.gz"
COLLGAPS_FILE = DATA_DIR / "collgaps_lhc2024_b1.dat"

# Collimators of the betatron-cleaning insertion IR7 of beam 1 (tcp.c6l7.b1, tcsg.a4r7.b1, ...)
IR7_PATTERN = re.compile(r"^[a-z]+\.[a-z0-9]*[lr]7\.b1$")

__all__ = ["StudyConfig", "run_study", "load_line", "match_tunes", "ir7_settings",
           "install_ir7_absorbers", "pencil_beam", "prepare_study", "track_until_lost",
           "refine_jaw_losses", "DATA_DIR", "LINE_FILE", "COLLGAPS_FILE"]


@dataclasses.dataclass(frozen=True)
class StudyConfig:
    """Parameters of the main job (defaults: the built-in study)."""

    num_particles: int = 5000
    max_turns: int = 200
    qx: float = 62.313  # new working point (the line comes at 62.31 / 60.32)
    qy: float = 60.318
    nemitt: float = 3.5e-6  # [m] normalised emittance of the collimator settings, both planes
    primary: str = "tcp.c6l7.b1"
    impact_parameter: float = 1e-6  # [m] depth of the pencil beyond the jaw
    refine_ds: float = 0.01  # [m] longitudinal step of the loss-location refinement
    # [m] radial resolution of the measured jaw shapes: halo particles graze the jaws, moving
    # across them by microns over the jaw length, so the default 50 um would place every
    # crossing at the first step (bisection: the cost grows only as log2(r_max / dr))
    refine_dr: float = 1e-8
    seed: int = 1
    threads: object = "auto"  # OpenMP threads of the CPU context ('auto': all cores)

    def __post_init__(self):
        for name in ("num_particles", "max_turns"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"StudyConfig: {name} must be a positive integer, got {value!r}")
        for name in ("nemitt", "impact_parameter", "refine_ds", "refine_dr"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and np.isfinite(value) and value > 0):
                raise ValueError(f"StudyConfig: {name} must be a positive number, got {value!r}")


def _say(text=""):
    print(text, flush=True)


def load_line(threads="auto"):
    """The built-in HL-LHC B1 line, its tracker on a CPU context with ``threads`` OpenMP threads."""
    import xobjects as xo
    import xtrack as xt

    line = xt.Line.from_json(LINE_FILE)
    line.build_tracker(_context=xo.ContextCpu(omp_num_threads=threads))
    return line


def match_tunes(line, qx, qy):
    """Match the tunes (4d) with the arc trim quadrupoles; return the knob values."""
    import xtrack as xt

    knobs = ["kqtf.b1", "kqtd.b1"]
    line.match(method="4d", vary=xt.VaryList(knobs, step=1e-8),
               targets=[xt.TargetSet(qx=qx, qy=qy, tol=1e-6)])
    return {knob: float(line.vars[knob]._value) for knob in knobs}


def ir7_settings(line):
    """Rows of the shipped ``collgaps.dat`` for the IR7 collimators that ``line`` has."""
    from lossmaps.readers import read_collgaps

    gaps = read_collgaps(COLLGAPS_FILE)
    keep = gaps["name"].map(lambda name: bool(IR7_PATTERN.match(name)) and name in line.element_dict)
    return gaps[keep].reset_index(drop=True)


def install_ir7_absorbers(line, config, twiss, settings=None):
    """Install the IR7 collimators (default: ``ir7_settings``) as black absorbers at the
    emittance of ``config``, gaps from ``twiss``; return their records."""
    settings = ir7_settings(line) if settings is None else settings
    line.install_black_absorbers(settings, nemitt_x=config.nemitt, nemitt_y=config.nemitt, twiss=twiss)
    return line.metadata["black_absorbers"]


def pencil_beam(line, config):
    """The pencil of ``config`` on its primary collimator (twiss of the line with its absorbers)."""
    import xtrack as xt

    return xt.collimation.generate_pencil_on_collimator(
        line, config.primary, num_particles=config.num_particles, nemitt_x=config.nemitt,
        nemitt_y=config.nemitt, impact_parameter=config.impact_parameter,
        twiss=line.twiss(method="4d"), rng=np.random.default_rng(config.seed))


def prepare_study(config):
    """The study's line (tunes matched, IR7 absorbers installed) and its pencil, silently."""
    line = load_line(config.threads)
    match_tunes(line, config.qx, config.qy)
    install_ir7_absorbers(line, config, line.twiss(method="4d"))
    return line, pencil_beam(line, config)


def track_until_lost(line, particles, max_turns):
    """Track turn by turn until every particle is lost or ``max_turns``; return the turns done."""
    from tqdm.auto import tqdm

    with tqdm(total=max_turns, desc="Tracking", unit="turn") as bar:
        for turn in range(max_turns):
            line.track(particles, num_turns=1)
            state = particles._host("state")
            alive = int(np.count_nonzero(state > 0))
            bar.update(1)
            bar.set_postfix(alive=alive)
            if alive == 0:
                return turn + 1
    return max_turns


def refine_jaw_losses(line, particles, ds, dr):
    """Move the losses inside each jaw to where the particle crossed it.

    A particle stopped at a collimator's exit face crossed the jaw somewhere
    between its two faces: that is refined, between the entry and exit apertures.
    One stopped at an entry face hit the jaw's front, where it is; the region
    between two collimators has no aperture to interpolate, so entry faces are
    not refined. Other apertures of the line are refined as usual.
    """
    import xtrack as xt

    installed = line.metadata["black_absorbers"]
    entries = {record["apertures"][0] for record in installed.values()}
    refinement = xt.LossLocationRefinement(line, ds=ds, dr=dr)
    names = line.element_names
    targets = [ii for ii in refinement.i_apertures if names[ii] not in entries]
    refinement.refine_loss_location(particles, i_apertures=targets)


def _lost_particles_table(line, particles):
    import pandas as pd

    host = {name: particles._host(name) for name in
            ("particle_id", "state", "at_turn", "at_element", "s", "x", "px", "y", "py")}
    lost = host["state"] <= 0
    names = np.asarray(line.element_names, dtype=object)
    return pd.DataFrame({
        "particle_id": host["particle_id"][lost], "turn": host["at_turn"][lost],
        "element": names[host["at_element"][lost]], "s": host["s"][lost],
        "x": host["x"][lost], "px": host["px"][lost], "y": host["y"][lost],
        "py": host["py"][lost], "state": host["state"][lost],
    }).sort_values(["turn", "s"], kind="stable").reset_index(drop=True)


def _label_collimators(ax, losses, count=3):
    """Name the ``count`` collimators with the highest losses in the zoom panel."""
    from lossmaps.enums import Losses
    from lossmaps.table import LOSSES, NAME, S, TYPE

    coll = losses[(losses[TYPE] == Losses.COLL) & (losses[LOSSES] > 0)]
    top = coll.sort_values(LOSSES, ascending=False).head(count)
    peak = float(top[LOSSES].max()) if len(top) else 1.0
    for rank, (_, row) in enumerate(top.iterrows()):
        ax.annotate(str(row[NAME]).upper(), xy=(row[S], row[LOSSES] / peak),
                    xytext=(12, -14 - 16 * rank), textcoords="offset points", fontsize=9,
                    arrowprops=dict(arrowstyle="-", lw=0.6, color="0.3"))


def _collimator_of(element, installed):
    for suffix in ("_entry", "_exit"):
        if element.endswith(suffix) and element[: -len(suffix)] in installed:
            return element[: -len(suffix)]
    return None


def run_study(outdir="xsuite_output", config=StudyConfig()):
    """Run the study; write its files in ``outdir`` and return a summary dict."""
    import lossmaps as lm
    from lossmaps.export import to_csv
    from lossmaps.plotting import plot_lossmap_interactive

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    summary = {"config": dataclasses.asdict(config)}

    _say(f"[1/6] Loading the HL-LHC beam-1 line ({LINE_FILE.name})")
    line = load_line(config.threads)
    tw = line.twiss(method="4d")
    summary["initial"] = {"qx": tw.qx, "qy": tw.qy, "dqx": tw.dqx, "dqy": tw.dqy}
    _say(f"      {len(line.element_names):,} elements, length {line.get_length():.4f} m, "
         f"p0c = {line.particle_ref.p0c[0] / 1e12:.1f} TeV")
    _say(f"      twiss 4d: Qx = {tw.qx:.6f}  Qy = {tw.qy:.6f}  Q'x = {tw.dqx:.3f}  Q'y = {tw.dqy:.3f}")

    _say(f"[2/6] Matching the tunes to Qx = {config.qx}, Qy = {config.qy} (kqtf.b1, kqtd.b1)")
    knobs = match_tunes(line, config.qx, config.qy)
    tw = line.twiss(method="4d")
    summary["matched"] = {"qx": tw.qx, "qy": tw.qy, "dqx": tw.dqx, "dqy": tw.dqy, "knobs": knobs}
    _say("      " + "  ".join(f"{k} = {v:.6e}" for k, v in knobs.items()))
    _say(f"      twiss 4d: Qx = {tw.qx:.6f}  Qy = {tw.qy:.6f}  Q'x = {tw.dqx:.3f}  Q'y = {tw.dqy:.3f}")

    settings = ir7_settings(line)
    _say(f"[3/6] Installing {len(settings)} IR7 collimators as black absorbers "
         f"(Run-3 settings, eps_n = {config.nemitt * 1e6:.1f} um)")
    installed = install_ir7_absorbers(line, config, tw, settings)
    for name in sorted(installed, key=lambda n: installed[n]["s"]):
        record = installed[name]
        _say(f"      {name:<15} s = {record['s']:10.3f} m  {record['nsigma']:5.1f} sigma  "
             f"half gap {record['half_gap'] * 1e3:6.3f} mm  angle {np.degrees(record['angle']):6.1f} deg")

    _say(f"[4/6] Pencil beam of {config.num_particles:,} protons on {config.primary} "
         f"(impact parameter {config.impact_parameter * 1e6:g} um); tracking up to {config.max_turns} turns")
    particles = pencil_beam(line, config)
    t0 = time.perf_counter()
    turns = track_until_lost(line, particles, config.max_turns)
    t_track = time.perf_counter() - t0
    n_lost = int(np.count_nonzero(particles._host("state") <= 0))
    summary["tracking"] = {"turns": turns, "seconds": t_track, "lost": n_lost,
                           "alive": config.num_particles - n_lost}
    _say(f"      {turns} turns in {t_track:.1f} s: {n_lost:,} of {config.num_particles:,} lost")

    _say(f"[5/6] Refining the loss locations (ds = {config.refine_ds * 100:g} cm) and building the loss map")
    s_before = particles._host("s").copy()
    refine_jaw_losses(line, particles, config.refine_ds, config.refine_dr)
    moved = np.abs(particles._host("s") - s_before)
    summary["refinement"] = {"moved": int(np.count_nonzero(moved > 0)), "max_shift_m": float(moved.max())}
    lossmap = lm.SimulatedLossMap(
        lmtype=lm.LMType.B1H, machine=lm.Machine.LHC, particle=lm.Particle.PROTON,
        energy=float(line.particle_ref.p0c[0]) / 1e9,
        description=f"python -m xsuite: HL-LHC v1.5 B1, {config.num_particles} protons on "
                    f"{config.primary.upper()}, IR7 black absorbers")
    lossmap.load_data_xtrack(line=line, particles=particles, cycle_positions_from="ip1")

    _say("[6/6] Writing the figures and tables")
    files = {
        "figure_png": outdir / "lossmap_B1H_tracked.png",
        "figure_html": outdir / "lossmap_B1H_tracked.html",
        "lossmap_csv": outdir / "lossmap_B1H_tracked.csv",
        "lost_particles_csv": outdir / "lost_particles.csv",
        "summary_json": outdir / "summary.json",
    }
    fig, axes = lm.plot_lossmap(lossmap, fig_size=(16, 10))
    _label_collimators(axes[2], lossmap.losses)
    fig.savefig(files["figure_png"], dpi=200, bbox_inches="tight")
    plot_lossmap_interactive(lossmap, outfile=files["figure_html"],
                             title="HL-LHC B1H loss map from xtrack tracking")
    to_csv(lossmap.losses, files["lossmap_csv"])
    lost = _lost_particles_table(line, particles)
    lost.to_csv(files["lost_particles_csv"], index=False)

    by_collimator = lost["element"].map(lambda e: _collimator_of(e, installed))
    on_collimators = int(by_collimator.notna().sum())
    counts = by_collimator.value_counts()
    summary["losses"] = {
        "on_collimators": on_collimators, "on_aperture": len(lost) - on_collimators,
        "per_collimator": {str(k): int(v) for k, v in counts.items()},
        "max_loss_location": str(counts.index[0]) if len(counts) else None,
    }
    summary["files"] = {key: str(path) for key, path in files.items()}
    summary["seconds"] = time.perf_counter() - t_start
    files["summary_json"].write_text(json.dumps(summary, indent=2, default=float))

    _say()
    _say(f"Lost {len(lost):,} of {config.num_particles:,} protons in {turns} turns: "
         f"{on_collimators:,} on collimators ({100 * on_collimators / max(len(lost), 1):.2f} %), "
         f"{len(lost) - on_collimators:,} on the machine aperture.")
    for name, count in counts.head(5).items():
        _say(f"      {name:<15} {count:7,d}  ({100 * count / len(lost):5.1f} %)")
    _say("Files:")
    for path in files.values():
        _say(f"      {path}")
    _say(f"Done in {summary['seconds']:.0f} s.")
    return summary
