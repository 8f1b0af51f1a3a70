"""Collimator positions: match collimator names to the twiss file."""

import numpy as np

from ..errors import LossMapFormatError

__all__ = ["collimator_centres"]


def collimator_centres(positions, names, source_files, lines, posfile):
    """Centre positions [m] (plot coordinate) of ``names``, matched case-insensitively.

    Parameters
    ----------
    positions : pandas.DataFrame
        From :func:`~lossmaps.simulated.positions.load_positions`.
    names : sequence of str
    source_files : sequence of path
        File listing each collimator (for the error message).
    lines : sequence of int
        Line of each name in ``source_file``.
    posfile : path
        The twiss file (for the error message).

    Raises
    ------
    LossMapFormatError
        Naming the source file and line for the first collimator absent from the twiss.
    """
    upper = positions["NAME"].str.upper().to_numpy()
    centre = positions["s_centre"].to_numpy()
    # first occurrence wins for duplicated names
    order = np.argsort(upper, kind="stable")
    sorted_names = upper[order]
    out = np.empty(len(names))
    for i, (name, source, line) in enumerate(zip(names, source_files, lines)):
        key = name.upper()
        j = np.searchsorted(sorted_names, key)
        if j >= len(sorted_names) or sorted_names[j] != key:
            raise LossMapFormatError(
                source, int(line), f"a collimator present in the twiss file {str(posfile)!r}",
                name,
            )
        out[i] = centre[order[j]]
    return out
