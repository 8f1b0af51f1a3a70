"""Element positions from a twiss (TFS) file, in the plot coordinate.

The TFS ``S`` is the element exit. After ``cycle_positions_from`` the lattice
is re-based (``S_new = (S - S[name]) mod C``); after ``backwards`` reflected
(``s -> C - s``, so an element's exit becomes its upstream end). The returned
frame keeps the TFS columns (``S`` replaced by its cycled value) and adds
``s_start``, ``s_end``, ``s_centre`` [m] in the plot coordinate.
"""

import difflib
import warnings

import numpy as np

from ..errors import LossMapFormatError, LossMapsWarning
from ..readers import read_tfs

__all__ = ["load_positions", "find_element", "element_entry", "tfs_momentum"]


def find_element(positions, name, what):
    """Row index of ``name`` in ``positions`` (case-insensitive); KeyError with suggestions."""
    key = name.upper()
    matches = np.flatnonzero(positions["NAME"].str.upper().to_numpy() == key)
    if matches.size:
        return int(matches[0])
    close = difflib.get_close_matches(key, positions["NAME"].str.upper().tolist(), n=3)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    source = positions.attrs.get("path")
    where = f"the twiss file {source!r}" if source else "the twiss file"
    raise KeyError(f"{what}: no element named {name!r} in {where}{hint}")


def tfs_momentum(positions):
    """Reference momentum [GeV/c] of the TFS header ``PC``, or None if absent."""
    value = positions.attrs.get("headers", {}).get("PC")
    return float(value) if isinstance(value, (int, float)) and value > 0 else None


def element_entry(positions, name, what):
    """Upstream-face position ``S - L`` [m] of ``name`` in the cycled lattice coordinate."""
    row = find_element(positions, name, what)
    length = float(positions["L"].iat[row]) if "L" in positions.columns else 0.0
    return float(positions["S"].iat[row]) - length


def load_positions(posfile, cycle_positions_from=None, backwards=False, circumference=None):
    """Read ``posfile`` and return ``(positions, lattice, circumference)``.

    Parameters
    ----------
    posfile : path
        MAD-X TFS twiss with at least ``NAME`` and ``S`` (``L`` recommended).
    cycle_positions_from : str, optional
    backwards : bool
    circumference : float, optional [m]
        Used when the TFS lacks a ``LENGTH`` header; without both, the largest ``S``
        (a documented default: warned, and listed in ``positions.attrs['defaults_applied']``).

    Returns
    -------
    positions : pandas.DataFrame
        Plot coordinates (see module docstring).
    lattice : pandas.DataFrame
        The cycled but not reflected table (tracking coordinate), for
        ``cycle_aperture_from``.
    circumference : float [m]
    """
    tfs = read_tfs(posfile)
    if "L" not in tfs.columns:
        tfs["L"] = 0.0
    notes = []
    length = tfs.attrs["headers"].get("LENGTH", circumference)  # read_tfs checked LENGTH
    if length is None:
        length = float(tfs["S"].max()) if len(tfs) else 0.0
        if length > 0:
            notes.append(f"{posfile}: no LENGTH header and no machine circumference; the ring "
                         f"length is the largest S, {length} m")
            warnings.warn(notes[-1], LossMapsWarning, stacklevel=3)
    if not length > 0:
        raise LossMapFormatError(posfile, None, "a positive LENGTH header or positive S values")
    tfs.attrs["defaults_applied"] = notes
    lattice = tfs.copy()
    if cycle_positions_from is not None:
        s0 = float(tfs["S"].iat[find_element(tfs, cycle_positions_from, "cycle_positions_from")])
        lattice["S"] = np.mod(tfs["S"].to_numpy() - s0, length)
    exit_s = lattice["S"].to_numpy()
    entry_s = exit_s - lattice["L"].to_numpy()
    positions = lattice.copy()
    if backwards:
        positions["s_start"], positions["s_end"] = length - exit_s, length - entry_s
    else:
        positions["s_start"], positions["s_end"] = entry_s, exit_s
    positions["s_centre"] = 0.5 * (positions["s_start"] + positions["s_end"])
    return positions, lattice, float(length)
