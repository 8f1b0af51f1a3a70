"""xcoll loss-map JSON files -> :class:`SimulatedData`."""

import pandas as pd

from ..errors import LossMapsError
from ..readers import read_xcoll_json
from .data import SimulatedData
from .positions import load_positions

__all__ = ["load_json"]


def load_json(json_files, options, quantity="counts", posfile=None, machine_circumference=None):
    """Combine xcoll JSONs by summing per collimator and per aperture bin.

    Positions in the files are used as written (xcoll already reflects them when
    ``reversed``); ``posfile`` is optional and only provides ``positions`` (layout).
    Energies are converted from eV to GeV.

    Raises
    ------
    LossMapsError
        If the files differ in interpolation or machine length.
    """
    loaded = [(path, read_xcoll_json(path)) for path in json_files]
    first_path, first = loaded[0]
    for path, item in loaded[1:]:
        for key in ("interpolation", "machine_length"):
            a, b = first[key], item[key]
            if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-6):
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
    coll = pd.concat([item["collimators"] for _, item in loaded], ignore_index=True)
    coll["e"] = coll["e"] * 1e-9
    key = coll["name"].str.lower()
    coll = coll.groupby(key, sort=False).agg(
        name=("name", "first"), s=("s", "first"), length=("length", "first"),
        n=("n", "sum"), e=("e", "sum")).reset_index(drop=True)
    aper = pd.concat([item["aperture"] for _, item in loaded], ignore_index=True)
    aper["e"] = aper["e"] * 1e-9
    aper = aper.groupby(["idx", aper["s"].round(6)], sort=True).agg(
        idx=("idx", "first"), s=("s", "first"), length=("length", "first"),
        n=("n", "sum"), e=("e", "sum"), name=("name", "first")).reset_index(drop=True)
    if quantity == "energy" and (coll["e"].isna().any() or aper["e"].isna().any()):
        raise LossMapsError("quantity='energy' needs energies, but some JSON files (xcoll < 0.6) "
                            "have none; use quantity='counts'")
    data = SimulatedData(coll, aper, float(interpolation), float(circumference), quantity)
    return {
        "data": data,
        "positions": positions,
        "coll_summary": coll.rename(columns={"name": "collname", "n": "nabs", "e": "energy"}),
        "aperture_losses": None,
        "collgaps": None,
    }
