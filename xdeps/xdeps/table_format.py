"""Text layout of tables: column widths, float formatting, row and width limits."""

import numpy as np


def _cell(value, digits, fixed, max_col_width):
    if isinstance(value, (float, np.floating)):
        # Float columns line up: digits + 7 characters hold any exponent and sign.
        text = f"{value:>{digits + 7}.{digits}{fixed}}"
    elif isinstance(value, np.ndarray):
        text = np.array2string(value, precision=digits, separator=",")
    else:
        text = str(value)
    if max_col_width is not None and len(text) > max_col_width:
        text = text[: max(max_col_width - 3, 1)] + "..."
    return text


def format_table(col_names, data, n_rows, maxrows=None, maxwidth=None, max_col_width=None,
                 digits=6, fixed="g", header=True):
    """Return the text of a table: one line per row, columns aligned.

    Rows beyond ``maxrows`` are elided in the middle (``...``); columns that
    would make lines longer than ``maxwidth`` are left out, the first
    (index) column always kept.
    """
    if maxrows is not None and n_rows > maxrows:
        half = max(maxrows // 2, 1)
        positions = list(range(half)) + [None] + list(range(n_rows - half, n_rows))
    else:
        positions = list(range(n_rows))
    columns = []
    width_used = 0
    for i, name in enumerate(col_names):
        cells = ["..." if p is None else _cell(data[name][p], digits, fixed, max_col_width) for p in positions]
        width = max([len(name) if header else 0] + [len(c) for c in cells])
        if maxwidth is not None and i > 0 and width_used + 1 + width > maxwidth:
            break
        width_used += width + (1 if i else 0)
        numeric = np.asarray(data[name]).dtype.kind in "iufc"
        columns.append((name, cells, width, numeric))
    lines = []
    if header:
        lines.append(" ".join(
            (name.rjust(w) if num else name.ljust(w)) for name, _, w, num in columns).rstrip())
    for r in range(len(positions)):
        lines.append(" ".join(
            (cells[r].rjust(w) if num else cells[r].ljust(w)) for _, cells, w, num in columns).rstrip())
    return "\n".join(lines)
