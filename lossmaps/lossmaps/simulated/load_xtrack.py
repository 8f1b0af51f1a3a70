"""Losses of particles tracked with xtrack -> :class:`SimulatedData`.

The definitions are those of the other readers: a particle absorbed by a
collimator counts for that collimator (centre ``s``, its length); every other
lost particle is an aperture loss, binned at its ``s`` in ``interpolation``-wide
bins. Collimators are the black absorbers that
``xtrack.collimation.install_black_absorbers`` recorded in
``line.metadata['black_absorbers']``: a particle lost on ``<name>_entry`` or
``<name>_exit`` is absorbed by ``<name>``.

The line and particles are read through their public attributes only
(``element_names``, ``get_table``, ``metadata``, ``particle_ref``;
``to_pandas``), so xtrack is not imported here (lossmaps sits above it).
"""

import numpy as np
import pandas as pd

from ..errors import LossMapsError
from .binning import bin_aperture_losses
from .data import SimulatedData, length_defaults

__all__ = ["load_xtrack", "ABSORBERS_KEY", "UNALLOCATED_STATE"]

ABSORBERS_KEY = "black_absorbers"  # xtrack.collimation.METADATA_KEY
UNALLOCATED_STATE = -999999999  # xpart: particle slots that hold no particle
# element class -> TFS keyword, for the layout strip of the plots
_KEYWORDS = {"Bend": "SBEND", "RBend": "RBEND", "Quadrupole": "QUADRUPOLE"}


def _lost_particles(particles, n_elements):
    """Lost particles (state <= 0, allocated) as a frame: element index, s, turn, weight, energy."""
    if not hasattr(particles, "to_pandas"):
        raise TypeError(f"particles must be xtrack.Particles, got {type(particles).__name__}")
    frame = particles.to_pandas()
    missing = [c for c in ("state", "at_element", "at_turn", "s", "weight", "p0c", "delta",
                           "mass0", "charge_ratio", "chi") if c not in frame.columns]
    if missing:
        raise TypeError(f"particles lack the field(s) {', '.join(missing)}; pass xtrack.Particles")
    state = frame["state"].to_numpy()
    lost = frame[(state <= 0) & (state != UNALLOCATED_STATE)]
    at = lost["at_element"].to_numpy(np.int64)
    bad = (at < 0) | (at >= n_elements)
    if bad.any():
        raise LossMapsError(f"particle {int(lost['particle_id'].iloc[np.argmax(bad)])} was lost at "
                            f"element index {int(at[bad][0])}, outside the line (0..{n_elements - 1}); "
                            "pass the line the particles were tracked with")
    # total energy [eV] of each particle (xpart conventions: mass ratio = charge_ratio / chi,
    # momentum p0c (1 + delta) per unit of mass ratio)
    mass_ratio = lost["charge_ratio"] / lost["chi"]
    energy = mass_ratio * np.hypot(lost["p0c"] * (1.0 + lost["delta"]), lost["mass0"])
    return lost.assign(energy=energy)


def _positions(line, absorbers):
    """Layout of ``line`` in the tracking coordinate: NAME, KEYWORD, S (exit), L, s_start, s_end."""
    table = line.get_table()
    names = np.asarray(table.name, dtype=object)[:-1]  # the last row is the end point
    starts = np.asarray(table.s, dtype=float)
    types = np.asarray(table.element_type, dtype=object)[:-1]
    lengths = np.diff(starts)
    keywords = np.array([_KEYWORDS.get(t, str(t).upper()) for t in types], dtype=object)
    keywords[np.isin(names, list(absorbers))] = "COLLIMATOR"
    return pd.DataFrame({"NAME": names, "KEYWORD": keywords, "S": starts[1:], "L": lengths,
                         "s_start": starts[:-1], "s_end": starts[1:]})


def _plot_coordinate(s, s0, circumference, backwards):
    """Tracking positions -> plot coordinate: re-based on ``s0``, reflected if ``backwards``."""
    s = np.mod(np.asarray(s, dtype=float) - s0, circumference)
    return np.mod(circumference - s, circumference) if backwards else s


def _origin(positions, name):
    if name is None:
        return 0.0
    matches = np.flatnonzero(positions["NAME"].str.lower().to_numpy() == name.lower())
    if not matches.size:
        import difflib

        close = difflib.get_close_matches(name, positions["NAME"].tolist(), n=3)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise KeyError(f"cycle_positions_from: no element named {name!r} in the line{hint}")
    return float(positions["s_start"].iat[int(matches[0])])


def load_xtrack(line, particles, options, quantity="counts"):
    """Collimator totals and aperture bins of tracked ``particles``.

    Returns a dict of the fields of ``SimulatedLossMap`` like the other loaders:
    ``data``, ``positions`` (the line's layout in the plot coordinate),
    ``coll_summary`` (``collname, nabs, energy, length``), ``aperture_losses``
    (one row per aperture loss: ``particle_id, turn, element, s, weight, energy``)
    and ``collgaps`` (the installed settings: ``name, angle, nsigma, halfgap,
    sigma, length``).
    """
    if not hasattr(line, "element_names") or not hasattr(line, "get_table"):
        raise TypeError(f"line must be an xtrack.Line, got {type(line).__name__}")
    absorbers = dict((getattr(line, "metadata", None) or {}).get(ABSORBERS_KEY) or {})
    if not absorbers:
        raise LossMapsError("the line has no black-absorber collimators (line.metadata"
                            f"[{ABSORBERS_KEY!r}] is empty); install them with "
                            "xtrack.collimation.install_black_absorbers before tracking")
    names = np.asarray(line.element_names, dtype=object)
    circumference = float(line.get_length())
    positions = _positions(line, absorbers)
    s0 = _origin(positions, options.cycle_positions_from)
    lost = _lost_particles(particles, len(names))
    element = names[lost["at_element"].to_numpy(np.int64)]
    weight = lost["weight"].to_numpy(float)
    energy = lost["energy"].to_numpy(float) * weight * 1e-9  # eV -> GeV
    owner = {aperture: name for name, record in absorbers.items()
             for aperture in record["apertures"]}
    collimator = np.array([owner.get(e) for e in element], dtype=object)
    on_collimator = collimator != None  # noqa: E711 - elementwise on an object array

    coll_names = list(absorbers)
    absorbed = pd.DataFrame({"name": collimator[on_collimator], "n": weight[on_collimator],
                             "e": energy[on_collimator]}).groupby("name").sum()
    collimators = pd.DataFrame({
        "name": coll_names,
        "s": _plot_coordinate([absorbers[n]["s"] for n in coll_names], s0, circumference,
                              options.backwards),
        "length": [float(absorbers[n]["length"]) for n in coll_names],
        "n": absorbed["n"].reindex(coll_names, fill_value=0.0).to_numpy(float),
        "e": absorbed["e"].reindex(coll_names, fill_value=0.0).to_numpy(float),
    })
    aperture = ~on_collimator
    s_aperture = _plot_coordinate(lost["s"].to_numpy(float)[aperture], s0, circumference,
                                  options.backwards)
    aperture_losses = pd.DataFrame({
        "particle_id": lost["particle_id"].to_numpy(np.int64)[aperture],
        "turn": lost["at_turn"].to_numpy(np.int64)[aperture],
        "element": element[aperture], "s": s_aperture, "weight": weight[aperture],
        "energy": energy[aperture]})
    bins = bin_aperture_losses(s_aperture, weight[aperture], energy[aperture],
                               element[aperture], options.interpolation)
    layout = positions.copy()
    layout["S"] = np.mod(layout["S"] - s0, circumference)
    start = _plot_coordinate(layout["s_start"], s0, circumference, False)
    end = start + layout["L"].to_numpy(float)
    if options.backwards:
        start, end = circumference - end, circumference - start
    layout["s_start"], layout["s_end"] = start, end
    layout["s_centre"] = 0.5 * (start + end)
    momentum = None if getattr(line, "particle_ref", None) is None else \
        float(np.atleast_1d(line.particle_ref.p0c)[0]) * 1e-9
    data = SimulatedData(collimators, bins, float(options.interpolation), circumference,
                         quantity, momentum,
                         length_defaults(collimators, options.interpolation, "collimator"))
    settings = pd.DataFrame({
        "name": coll_names,
        "angle": [absorbers[n]["angle"] for n in coll_names],
        "nsigma": [absorbers[n]["nsigma"] for n in coll_names],
        "halfgap": [absorbers[n]["half_gap"] for n in coll_names],
        "sigma": [absorbers[n]["sigma"] for n in coll_names],
        "length": collimators["length"].to_numpy()})
    return {
        "data": data,
        "positions": layout,
        "coll_summary": collimators.rename(columns={"name": "collname", "n": "nabs",
                                                    "e": "energy"})[
            ["collname", "nabs", "energy", "length"]],
        "aperture_losses": aperture_losses,
        "collgaps": settings,
    }
