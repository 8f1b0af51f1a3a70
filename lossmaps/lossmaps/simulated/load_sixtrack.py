"""SixTrack K2 and SixTrack-FLUKA runs -> :class:`SimulatedData` and the file tables."""

import numpy as np
import pandas as pd

from ..errors import LossMapFormatError
from ..readers import read_collgaps, read_fort208
from ..readers.k2 import COLL_SUMMARY_EXPECTED, coll_summary_frame, parse_coll_summary
from .aperture import load_aperture_losses
from .collimators import collimator_centres
from .data import SimulatedData, length_defaults
from .positions import load_positions, tfs_momentum

__all__ = ["load_k2", "load_fluka"]


def _merge_coll_summaries(collfiles):
    columns = {}
    files = []
    for path in collfiles:
        parsed = parse_coll_summary(path)
        for name, values in parsed.items():
            columns.setdefault(name, []).extend(values)
        files.extend([str(path)] * len(parsed["line"]))
    if not columns.get("line"):
        raise LossMapFormatError(
            collfiles[0], None, f"one line per collimator ({COLL_SUMMARY_EXPECTED}); none of "
            f"the {len(collfiles)} coll_summary files lists a collimator")
    merged = coll_summary_frame(columns)
    merged["file"] = files
    key = merged["collname"].str.lower()
    summary = merged.groupby(key, sort=False).agg(
        icoll=("icoll", "first"), collname=("collname", "first"), nimp=("nimp", "sum"),
        nabs=("nabs", "sum"), length=("length", "first"), file=("file", "first"),
        line=("line", "first"),
    )
    return summary.reset_index(drop=True)


def load_k2(posfile, aperfiles, collfiles, options, machine_circumference=None):
    """Load K2 runs; returns a dict of the fields of ``SimulatedLossMap``.

    Keys: ``data`` (:class:`SimulatedData`, counts), ``positions``,
    ``coll_summary`` (merged: ``icoll, collname, nimp, nabs, length``),
    ``aperture_losses``, ``aperture_binned`` (without types), ``collgaps`` (None).
    """
    positions, lattice, circumference = load_positions(
        posfile, options.cycle_positions_from, options.backwards, machine_circumference)
    summary = _merge_coll_summaries(collfiles)
    s = collimator_centres(positions, summary["collname"], summary["file"], summary["line"], posfile)
    collimators = pd.DataFrame({
        "name": summary["collname"], "s": s, "length": summary["length"],
        "n": summary["nabs"].astype(float), "e": np.nan,
    })
    aperture_losses, bins = load_aperture_losses(aperfiles, lattice, circumference, options)
    data = SimulatedData(collimators, bins, float(options.interpolation), circumference, "counts",
                         tfs_momentum(positions),
                         tuple(positions.attrs.get("defaults_applied", ()))
                         + length_defaults(collimators, options.interpolation, "collimator"))
    return {
        "data": data,
        "positions": positions,
        "coll_summary": summary.drop(columns=["file", "line"]),
        "aperture_losses": aperture_losses,
        "collgaps": None,
    }


def load_fluka(collgaps, posfile, aperfiles, fort208files, options, quantity="energy",
               machine_circumference=None):
    """Load SixTrack-FLUKA runs; returns a dict like :func:`load_k2`.

    ``coll_summary`` is derived from ``fort.208``: ``icoll, collname, nabs``
    (summed nucleons), ``energy`` [GeV] (summed), ``length`` [m] (from collgaps).
    Collimators of ``collgaps.dat`` without ``fort.208`` entries have zero losses.
    """
    gaps = read_collgaps(collgaps)
    if gaps.empty:
        raise LossMapFormatError(collgaps, None, "one line per collimator (ID name angle ... "
                                 "nsig); the file lists none")
    positions, lattice, circumference = load_positions(
        posfile, options.cycle_positions_from, options.backwards, machine_circumference)
    s = collimator_centres(positions, gaps["name"], [collgaps] * len(gaps), gaps["line"], posfile)
    known = set(gaps["id"].tolist())
    frames = [read_fort208(path, known) for path in fort208files]
    lines = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {"id": [], "nucleons": [], "energy": []})
    sums = lines.groupby("id").agg(nucleons=("nucleons", "sum"), energy=("energy", "sum"))
    nucleons = gaps["id"].map(sums["nucleons"]).fillna(0).astype(int)
    energy = gaps["id"].map(sums["energy"]).fillna(0.0).astype(float)
    summary = pd.DataFrame({"icoll": gaps["id"], "collname": gaps["name"], "nabs": nucleons,
                            "energy": energy, "length": gaps["length"]})
    collimators = pd.DataFrame({"name": gaps["name"], "s": s, "length": gaps["length"],
                                "n": nucleons.astype(float), "e": energy})
    aperture_losses, bins = load_aperture_losses(aperfiles, lattice, circumference, options)
    data = SimulatedData(collimators, bins, float(options.interpolation), circumference, quantity,
                         tfs_momentum(positions),
                         tuple(positions.attrs.get("defaults_applied", ()))
                         + length_defaults(collimators, options.interpolation, "collimator"))
    return {
        "data": data,
        "positions": positions,
        "coll_summary": summary,
        "aperture_losses": aperture_losses,
        "collgaps": gaps.drop(columns="line"),
        "fort208_lines": len(lines),
    }
