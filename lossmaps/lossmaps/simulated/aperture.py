"""SixTrack aperture losses of many runs -> absolute positions -> bins."""

import numpy as np
from ..readers.k2 import aperture_losses_frame, parse_aperture_losses
from .binning import bin_aperture_losses
from .positions import element_entry

__all__ = ["load_aperture_losses"]


def load_aperture_losses(aperfiles, lattice, circumference, options):
    """Read, merge, position and bin the ``aperture_losses.dat`` of all runs.

    Parameters
    ----------
    aperfiles : list of path
    lattice : pandas.DataFrame
        Cycled, unreflected twiss (tracking coordinate), see
        :func:`~lossmaps.simulated.positions.load_positions`.
    circumference : float [m]
    options : LoadOptions

    Returns
    -------
    losses : pandas.DataFrame
        One row per lost particle: ``run`` (index in ``aperfiles``), ``turn``,
        ``element``, ``slos`` [m], ``s`` [m] (absolute, plot coordinate), ``weight``,
        ``energy`` [GeV] (= momentum x weight).
    bins : pandas.DataFrame
        See :func:`~lossmaps.simulated.binning.bin_aperture_losses`.
    """
    s_ref = 0.0
    if options.cycle_aperture_from is not None:
        s_ref = element_entry(lattice, options.cycle_aperture_from, "cycle_aperture_from")
    columns, runs = {}, []
    for run, path in enumerate(aperfiles):
        parsed, _ = parse_aperture_losses(path)
        for name, values in parsed.items():
            columns.setdefault(name, []).extend(values)
        runs.extend([run] * len(parsed["line"]))
    if not aperfiles:
        columns = {name: [] for name in ("turn", "element", "slos", "weight", "momentum", "line")}
    losses = aperture_losses_frame(columns).drop(columns="line")
    losses.insert(0, "run", np.asarray(runs, dtype=int))
    s = np.mod(losses["slos"].to_numpy() + s_ref, circumference)
    if options.backwards:
        s = np.mod(circumference - s, circumference)
    losses["s"] = s
    losses["energy"] = losses["momentum"] * losses["weight"]
    losses = losses[["run", "turn", "element", "slos", "s", "weight", "energy"]]
    bins = bin_aperture_losses(s, losses["weight"].to_numpy(), losses["energy"].to_numpy(),
                               losses["element"].to_numpy(object), options.interpolation)
    return losses, bins
