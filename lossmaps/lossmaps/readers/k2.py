"""SixTrack collimation outputs: ``coll_summary.dat`` and ``aperture_losses.dat``.

Formats in ``lossmaps-formats.md`` §2.1-2.2. Both are whitespace separated;
comment lines start with ``#`` (possibly after blanks).
"""

import numpy as np
import pandas as pd

from ..errors import LossMapFormatError
from ._text import (
    convert_row,
    count,
    finite,
    integer,
    is_comment,
    is_integer_literal,
    is_number,
    non_negative,
    read_lines,
)

__all__ = [
    "COLL_SUMMARY_EXPECTED",
    "read_coll_summary",
    "parse_coll_summary",
    "coll_summary_frame",
    "read_aperture_losses",
    "parse_aperture_losses",
    "aperture_losses_frame",
    "APERTURE_LAYOUTS",
]

_COLL_SUMMARY_COLUMNS = ("icoll", "collname", "nimp", "nabs", "imp_av", "imp_sig", "length")
# length >= 0: zero is an old crystal entry (spread over one bin, recorded as a default)
_COLL_SUMMARY_CONVERTERS = (integer, None, count, count, finite, finite, non_negative)
COLL_SUMMARY_EXPECTED = "icoll collname nimp nabs imp_av imp_sig length"


def parse_coll_summary(path):
    """Columns of one ``coll_summary.dat`` as lists (see :func:`read_coll_summary`).

    Plain lists keep loading thousands of small files fast: the loaders build
    one DataFrame at the end instead of one per file.

    Returns
    -------
    dict of str -> list
        Keys ``icoll, collname, nimp, nabs, imp_av, imp_sig, length, line``.
    """
    rows = []
    for lineno, line in enumerate(read_lines(path), start=1):
        if is_comment(line):
            continue
        values = convert_row(
            path, lineno, line, line.split(), _COLL_SUMMARY_CONVERTERS, COLL_SUMMARY_EXPECTED
        )
        values.append(lineno)
        rows.append(values)
    names = _COLL_SUMMARY_COLUMNS + ("line",)
    columns = list(zip(*rows)) if rows else [()] * len(names)
    return {name: list(col) for name, col in zip(names, columns)}


def coll_summary_frame(columns):
    """DataFrame of :func:`parse_coll_summary` columns (of one or several files)."""
    frame = pd.DataFrame(columns, columns=list(_COLL_SUMMARY_COLUMNS) + ["line"])
    return frame.astype({"icoll": int, "nimp": int, "nabs": int,
                         "imp_av": float, "imp_sig": float, "length": float, "line": int})


def read_coll_summary(path):
    """Read one ``coll_summary.dat`` (SixTrack 4.x and 5.x header variants).

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    pandas.DataFrame
        Columns ``icoll, collname, nimp, nabs, imp_av [m], imp_sig [m], length [m]``
        and ``line`` (1-based line number in the file), in file order.

    Raises
    ------
    LossMapFormatError
        On a line without 7 columns or with a non-numeric value.
    """
    return coll_summary_frame(parse_coll_summary(path))


# name -> (number of columns, index of the weight column or None, index of the momentum column)
APERTURE_LAYOUTS = {
    "sixtrack5.4": (17, None, 10),
    "sixtrack5.4-fluka": (19, 7, 12),
    "sixtrack5.0": (15, None, 10),
    "sixtrack5.0-fluka": (17, 7, 12),
}
_APERTURE_EXPECTED = {
    "sixtrack5.4": "turn block bezid bez slos partid x xp y yp P_tot dE dT A Z Q PDGid",
    "sixtrack5.4-fluka": "turn block bezid bez slos partID parentID partWeight x xp y yp P_tot "
    "dE dT A Z Q PDGid",
    "sixtrack5.0": "turn block bezid bez slos partid x xp y yp etot dE dT A_atom Z_atom",
    "sixtrack5.0-fluka": "turn block bezid bez slos fluka_uid fluka_gen fluka_weight x xp y yp "
    "etot dE dT A_atom Z_atom",
}


def _aperture_converters(layout):
    """Converters of every column of ``layout``: all numbers finite, the name as written.

    The turn is a count; the weight and the momentum (or total energy) are >= 0.
    """
    ncol, iweight, imomentum = APERTURE_LAYOUTS[layout]
    converters = [finite] * ncol
    converters[0], converters[3] = count, None
    converters[1] = converters[2] = integer
    for index in (iweight, imomentum):
        if index is not None:
            converters[index] = non_negative
    return tuple(converters)


_APERTURE_CONVERTERS = {name: _aperture_converters(name) for name in APERTURE_LAYOUTS}


def _layout_from_header(tokens):
    names = [t.lower().split("[")[0] for t in tokens if t != "#"]
    names = [n.lstrip("#") for n in names if n.lstrip("#")]
    if "slos" not in names:
        return None
    fluka = "partweight" in names or "fluka_weight" in names
    new = "p_tot" in names or "pdgid" in names
    return ("sixtrack5.4" if new else "sixtrack5.0") + ("-fluka" if fluka else "")


def _layout_from_row(tokens):
    n = len(tokens)
    if n == 19:
        return "sixtrack5.4-fluka"
    if n == 15:
        return "sixtrack5.0"
    if n == 17:
        # 5.4 default has x [m] (a float) in column 7, the 5.0 FLUKA build the integer fluka_gen
        return "sixtrack5.0-fluka" if is_integer_literal(tokens[6]) else "sixtrack5.4"
    return None


def parse_aperture_losses(path):
    """Columns of one ``aperture_losses.dat`` as lists, and its layout name.

    Returns
    -------
    columns : dict of str -> list
        Keys ``turn, element, slos, weight, momentum, line`` (see
        :func:`read_aperture_losses`).
    layout : str
        Key of :data:`APERTURE_LAYOUTS`, or ``'empty'``.
    """
    layout = None
    turns, elements, slos, weights, momenta, linenos = [], [], [], [], [], []
    first_content = True
    for lineno, line in enumerate(read_lines(path), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        tokens = stripped.split()
        if stripped[0] == "#":
            first_content = False
            layout = layout or _layout_from_header(tokens)
            continue
        if first_content and not is_number(tokens[0]):
            # old SixTrack releases wrote the header without '#'; anything else here
            # is a damaged first row, which must not be skipped as a header
            first_content = False
            layout = layout or _layout_from_header(tokens)
            if layout is None:
                raise LossMapFormatError(
                    path, lineno, "a header naming the columns (turn block bezid bez slos ...) "
                    "or a data row starting with the turn number", stripped)
            continue
        first_content = False
        if layout is None:
            layout = _layout_from_row(tokens)
            if layout is None:
                raise LossMapFormatError(
                    path, lineno, "15, 17 or 19 columns (a SixTrack aperture_losses layout)",
                    stripped,
                )
        ncol, iweight, imomentum = APERTURE_LAYOUTS[layout]
        if len(tokens) != ncol:
            raise LossMapFormatError(
                path, lineno, f"{ncol} columns ({_APERTURE_EXPECTED[layout]}), found "
                f"{len(tokens)}", stripped,
            )
        values = convert_row(path, lineno, line, tokens, _APERTURE_CONVERTERS[layout],
                             _APERTURE_EXPECTED[layout])
        turns.append(values[0])
        slos.append(values[4])
        weights.append(values[iweight] if iweight is not None else 1.0)
        momenta.append(values[imomentum])
        elements.append(tokens[3])
        linenos.append(lineno)
    columns = {"turn": turns, "element": elements, "slos": slos, "weight": weights,
               "momentum": momenta, "line": linenos}
    return columns, layout or "empty"


def aperture_losses_frame(columns):
    """DataFrame of :func:`parse_aperture_losses` columns (of one or several files)."""
    return pd.DataFrame({
        "turn": np.asarray(columns["turn"], dtype=int),
        "element": np.asarray(columns["element"], dtype=object),
        "slos": np.asarray(columns["slos"], dtype=float),
        "weight": np.asarray(columns["weight"], dtype=float),
        "momentum": np.asarray(columns["momentum"], dtype=float),
        "line": np.asarray(columns["line"], dtype=int),
    })


def read_aperture_losses(path):
    """Read one ``aperture_losses.dat`` in any SixTrack layout (§2.2 of the formats doc).

    The layout is taken from the header when present (with or without ``#``),
    otherwise from the column count of the first data line.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    pandas.DataFrame
        One row per lost particle: ``turn``, ``element`` (name of the element),
        ``slos`` [m] (from the tracking start), ``weight`` (1 unless the layout has
        a particle weight), ``momentum`` [GeV/c] and ``line``. The layout name is
        in ``frame.attrs['layout']``.

    Raises
    ------
    LossMapFormatError
        On a line whose column count differs from the layout, or a bad value.
    """
    columns, layout = parse_aperture_losses(path)
    frame = aperture_losses_frame(columns)
    frame.attrs["layout"] = layout
    return frame
