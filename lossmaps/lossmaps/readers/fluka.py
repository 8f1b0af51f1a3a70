"""SixTrack-FLUKA coupling inputs: ``collgaps.dat`` and ``fort.208`` (formats doc §2.3-2.4)."""

import numpy as np
import pandas as pd

from ..errors import LossMapFormatError
from ._text import (angle, convert_row, count, integer, is_comment, non_negative, positive,
                    read_lines)

__all__ = ["read_collgaps", "read_fort208"]

_COLLGAPS_COLUMNS = ("id", "name", "angle", "betax", "betay", "halfgap", "material", "length",
                     "sigx", "sigy", "tilt1", "tilt2", "nsig")
# betas must be > 0; gaps, lengths, beam sizes and n-sigma >= 0; angles within 2 pi
_COLLGAPS_CONVERTERS = (integer, None, angle, positive, positive, non_negative, None,
                        non_negative, non_negative, non_negative, angle, angle, non_negative)
_COLLGAPS_EXPECTED = "ID name angle betax betay halfgap material length sigx sigy tilt1 tilt2 nsig"


def read_collgaps(path):
    """Read ``collgaps.dat`` (SixTrack 5 and the tab-separated variant).

    Returns
    -------
    pandas.DataFrame
        Columns ``id, name, angle [rad], betax [m], betay [m], halfgap [m], material,
        length [m], sigx [m], sigy [m], tilt1 [rad], tilt2 [rad], nsig`` and ``line``,
        in file (lattice) order.

    Raises
    ------
    LossMapFormatError
        On a malformed line or a collimator ID listed twice.
    """
    rows = []
    seen = {}
    for lineno, line in enumerate(read_lines(path), start=1):
        if is_comment(line):
            continue
        values = convert_row(path, lineno, line, line.split(), _COLLGAPS_CONVERTERS,
                             _COLLGAPS_EXPECTED)
        if values[0] in seen:
            raise LossMapFormatError(
                path, lineno, f"unique collimator IDs (ID {values[0]} already on line "
                f"{seen[values[0]]})", line.strip(),
            )
        seen[values[0]] = lineno
        rows.append(values + [lineno])
    return pd.DataFrame(rows, columns=_COLLGAPS_COLUMNS + ("line",)).astype(
        {c: float for c in ("angle", "betax", "betay", "halfgap", "length", "sigx", "sigy",
                            "tilt1", "tilt2", "nsig")} | {"id": int, "line": int}
    )


def read_fort208(path, known_ids=None):
    """Read one ``fort.208`` (``ID nucleons_lost energy_lost_GeV`` per line, no header).

    Parameters
    ----------
    path : str or pathlib.Path
    known_ids : collection of int, optional
        Collimator IDs of ``collgaps.dat``; an ID outside it is an error.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``nucleons``, ``energy`` [GeV], ``line``; one row per line.

    Raises
    ------
    LossMapFormatError
        On a malformed line or an unknown collimator ID.
    """
    ids, nucleons, energies, linenos = [], [], [], []
    converters = (integer, count, non_negative)
    for lineno, line in enumerate(read_lines(path), start=1):
        if is_comment(line):
            continue
        cid, nuc, energy = convert_row(path, lineno, line, line.split(), converters,
                                       "ID nucleons_lost energy_lost_GeV")
        if known_ids is not None and cid not in known_ids:
            raise LossMapFormatError(
                path, lineno, f"a collimator ID listed in collgaps.dat (known IDs "
                f"{min(known_ids)}..{max(known_ids)})" if known_ids else
                "a collimator ID listed in collgaps.dat (it lists none)", line.strip(),
            )
        ids.append(cid)
        nucleons.append(nuc)
        energies.append(energy)
        linenos.append(lineno)
    return pd.DataFrame({
        "id": np.asarray(ids, dtype=int),
        "nucleons": np.asarray(nucleons, dtype=int),
        "energy": np.asarray(energies, dtype=float),
        "line": np.asarray(linenos, dtype=int),
    })
