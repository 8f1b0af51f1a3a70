"""xcoll loss-map JSON files -> :class:`SimulatedData`."""

import numpy as np
import pandas as pd

from ..errors import LossMapsError
from ..readers import read_xcoll_json
from .data import SimulatedData, length_defaults
from .positions import load_positions

__all__ = ["load_json"]


def _reflected(item, circumference, interpolation):
    """``item`` of :func:`read_xcoll_json` with positions ``s -> C - s`` (aperture re-binned).

    Files written with ``reversed: true`` are already in the B1 coordinate and
    are returned unchanged.
    """
    if item["reversed"]:
        return item
    coll = item["collimators"].assign(s=np.mod(circumference - item["collimators"]["s"],
                                               circumference))
    aper = item["aperture"]
    s = np.mod(circumference - aper["s"].to_numpy(dtype=float), circumference)
    binned = aper["idx"].to_numpy() >= 0
    idx = np.where(binned, np.floor(s / interpolation).astype(np.int64), aper["idx"].to_numpy())
    s = np.where(binned, (idx + 0.5) * interpolation, s)
    return {**item, "collimators": coll, "aperture": aper.assign(idx=idx, s=s)}


def load_json(json_files, options, quantity="counts", posfile=None, machine_circumference=None):
    """Combine xcoll JSONs by summing per collimator and per aperture bin.

    Positions in the files are used as written when they are in the B1
    coordinate: without ``backwards``, or when the file says ``reversed`` (xcoll
    has reflected them already). With ``backwards=True`` the positions of the
    other files are reflected, ``s -> C - s``, and the aperture bins re-binned
    (``k = floor(s / interpolation)``), as for SixTrack outputs. ``posfile`` is
    optional and only provides ``positions`` (layout). Energies are converted
    from eV to GeV.

    Raises
    ------
    LossMapsError
        If the files differ in interpolation, machine length or reference momentum.
    """
    loaded = [(path, read_xcoll_json(path)) for path in json_files]
    first_path, first = loaded[0]
    for path, item in loaded[1:]:
        for key, rtol in (("interpolation", 0.0), ("machine_length", 0.0), ("momentum", 1e-6)):
            a, b = first[key], item[key]
            if key == "momentum" and (a is None or b is None):
                continue  # old files without momentum: nothing to compare
            if (a is None) != (b is None) or (a is not None and
                                              abs(a - b) > 1e-6 + rtol * max(abs(a), abs(b))):
                raise LossMapsError(f"cannot combine {first_path} and {path}: {key} differs "
                                    f"({a} vs {b})")
    interpolation = first["interpolation"] or options.interpolation
    circumference = first["machine_length"] or machine_circumference
    positions = None
    if posfile is not None:
        positions, _, tfs_length = load_positions(posfile, options.cycle_positions_from,
                                                  options.backwards, machine_circumference)
        circumference = circumference or tfs_length
    if circumference is None:
        raise LossMapsError("the JSON files have no machine_length: set machine= or give posfile=")
    if options.backwards:
        loaded = [(path, _reflected(item, float(circumference), float(interpolation)))
                  for path, item in loaded]
    coll = pd.concat([item["collimators"] for _, item in loaded], ignore_index=True)
    aper = pd.concat([item["aperture"] for _, item in loaded], ignore_index=True)
    # checked before summing: a groupby sum turns missing energies into 0
    if quantity == "energy" and (coll["e"].isna().any() or aper["e"].isna().any()):
        raise LossMapsError("quantity='energy' needs energies, but some JSON files (xcoll < 0.6) "
                            "have none; use quantity='counts'")
    coll["e"] = coll["e"] * 1e-9
    key = coll["name"].str.lower()
    coll = coll.groupby(key, sort=False).agg(
        name=("name", "first"), s=("s", "first"), length=("length", "first"),
        n=("n", "sum"), e=("e", "sum")).reset_index(drop=True)
    aper["e"] = aper["e"] * 1e-9
    aper = aper.groupby(["idx", aper["s"].round(6)], sort=True).agg(
        idx=("idx", "first"), s=("s", "first"), length=("length", "first"),
        n=("n", "sum"), e=("e", "sum"), name=("name", "first")).reset_index(drop=True)
    momentum = first["momentum"]
    notes = (tuple([] if positions is None else positions.attrs.get("defaults_applied", ()))
             + length_defaults(coll, interpolation, "collimator")
             + length_defaults(aper, interpolation, "aperture element"))
    data = SimulatedData(coll, aper, float(interpolation), float(circumference), quantity,
                         None if momentum is None else float(momentum) * 1e-9, notes)
    return {
        "data": data,
        "positions": positions,
        "coll_summary": coll.rename(columns={"name": "collname", "n": "nabs", "e": "energy"}),
        "aperture_losses": None,
        "collgaps": None,
    }
