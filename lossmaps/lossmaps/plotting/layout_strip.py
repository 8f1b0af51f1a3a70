"""Layout strip: dipoles, quadrupoles and collimators of a twiss table over an s range."""

import numpy as np

__all__ = ["draw_layout", "LAYOUT_CLASSES"]

# keyword -> (label, colour, y offset, height) in strip units [-1, 1]
LAYOUT_CLASSES = {
    "dipole": (("SBEND", "RBEND"), "#4a78d0", -0.35, 0.7),
    "quadrupole": (("QUADRUPOLE",), "#d0463c", -0.8, 1.6),
    "collimator": (("COLLIMATOR", "RCOLLIMATOR", "ECOLLIMATOR"), "#000000", -1.0, 2.0),
}


def draw_layout(ax, positions, xlim, shift):
    """Draw the elements of ``positions`` inside ``xlim`` on ``ax`` and style it as a strip.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    positions : pandas.DataFrame
        ``KEYWORD``, ``s_start``, ``s_end`` [m] (see ``SimulatedLossMap.positions``).
    xlim : (float, float) [m]
        Plotted range, already unwrapped.
    shift : callable
        Maps positions to the plotted (unwrapped) coordinate.

    Returns
    -------
    dict
        Class name -> the ``BrokenBarHCollection`` drawn (absent when no element).
    """
    ax.axhline(0.0, color="0.4", lw=0.6, zorder=0)
    ax.set_xlim(*xlim)
    ax.set_ylim(-1.1, 1.1)
    ax.set_yticks([])
    ax.set_ylabel("Layout", rotation=0, ha="right", va="center")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    drawn = {}
    if positions is None or "KEYWORD" not in positions.columns:
        return drawn
    keywords = positions["KEYWORD"].astype(str).str.upper().to_numpy()
    start = shift(positions["s_start"].to_numpy(float))
    end = start + (positions["s_end"] - positions["s_start"]).to_numpy(float)
    visible = (end >= xlim[0]) & (start <= xlim[1]) & (end > start)
    for label, (kinds, colour, y, height) in LAYOUT_CLASSES.items():
        mask = visible & np.isin(keywords, kinds)
        if not mask.any():
            continue
        # a minimum width keeps short elements visible on the full-ring strip
        width = np.maximum(end[mask] - start[mask], (xlim[1] - xlim[0]) * 4e-4)
        drawn[label] = ax.broken_barh(list(zip(start[mask], width)), (y, height),
                                      facecolors=colour, edgecolors="none", label=label)
    return drawn
