"""``plot_lossmap``: the publication figure of a loss map (matplotlib).

Panels: the full ring on a log scale (collimator / cold / warm losses in their
customary colours, IP labels, the zoom window shaded), a layout strip of the
machine from the twiss file, the zoom on the collimation insertion with the DS
region of interest and its inefficiency, and an automatic caption. The figure
is built without pyplot, so no global state or backend is touched.
"""

import dataclasses
import math

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure, FigureBase
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine

from ..enums import RFsweep
from ..lossmap import LossMap
from ..table import LOSSES, NAME, S, TIME, TYPE, has_time
from .caption import make_caption
from .layout_strip import draw_layout
from .ranges import Unwrap, resolve_range, select_acquisition
from .style import COLOURS, DRAW_ORDER, LABELS, y_label

__all__ = ["plot_lossmap", "PlotOptions"]


@dataclasses.dataclass(frozen=True)
class PlotOptions:
    """Options of :func:`plot_lossmap` (names and defaults of the user manual)."""

    norm: str = "coll_max"
    timestamp: object = None
    background_std: float = 0
    layout: object = None
    label_fake_spikes: bool = True
    font: str | None = None
    fig_size: tuple = (20, 12)
    zoom: bool = True
    plot_range: tuple = (None, None)
    zoom_range: tuple = (None, None)
    roi: tuple | None = None
    grid: bool = True
    caption: bool = True
    outfile: object = None


def _layout_table(layout, lossmap):
    """Twiss table for the layout strip.

    Explicit file/frame, else the map's positions, else the machine's default
    layout file (e.g. measured LHC maps), else None.
    """
    if layout is None:
        positions = getattr(lossmap, "positions", None)
        definition = lossmap.machine_definition if lossmap is not None else None
        if positions is not None or definition is None or definition.layout_file is None:
            return positions
        layout = definition.layout_file
    if isinstance(layout, (str, bytes)) or hasattr(layout, "__fspath__"):
        from ..simulated.positions import load_positions

        return load_positions(layout)[0]
    return layout


def _circumference(lossmap, losses):
    for candidate in (getattr(lossmap, "circumference", None),
                      getattr(lossmap.machine_definition, "circumference", None) if lossmap else None):
        if candidate:
            return float(candidate)
    return float(losses[S].max()) if len(losses) else 1.0


def _default_zoom(lossmap, definition):
    """The machine's collimation insertion for this map: momentum cleaning (IR3 on
    the LHC) for off-momentum maps, betatron cleaning otherwise."""
    if definition is None:
        return None
    if lossmap is not None and lossmap.rfsweep in (RFsweep.POS, RFsweep.NEG):
        return definition.zoom_ranges.get("momentum", definition.zoom_range)
    return definition.zoom_range


def _add_caption(fig, text):
    """Caption below the panels, inside the canvas (so ``fig.savefig`` keeps it).

    On a figure of its own with constrained layout, the panels are laid out
    above a band whose height is estimated from the wrapped caption (the
    figure's ``suptitle``); in a sub-figure it is the ``supxlabel``, for which
    the layout engine makes room.
    """
    engine = fig.get_layout_engine() if fig is fig.get_figure(root=True) else None
    if not isinstance(engine, ConstrainedLayoutEngine):
        fig.supxlabel(text, fontsize="medium", wrap=True).set_gid("caption")
        return
    width, height = fig.get_size_inches() * 72.0  # [pt]
    size = FontProperties(size="medium").get_size_in_points()
    chars_per_line = max(20, int(0.95 * width / (0.52 * size)))
    lines = math.ceil(len(text) / chars_per_line)
    band = min(0.4, (1.6 * size * lines + 0.6 * size) / height)  # mathtext needs the 1.6
    engine.set(rect=(0.0, band, 1.0, 1.0 - band))
    # an explicit y: the engine does not move it, nor reserve a margin at the top for it
    fig.suptitle(text, y=band - 0.3 * size / height, va="top", fontsize="medium",
                 wrap=True).set_gid("caption")


def _y_limits(data):
    positive = data.loc[data[LOSSES] > 0, LOSSES]
    if positive.empty:
        return 1e-7, 10.0
    low = 10.0 ** (np.floor(np.log10(positive.min())) - 1)
    high = 10.0 ** (np.floor(np.log10(positive.max())) + 1)
    return low, high


def _draw_losses(ax, data, unwrap, floor, linewidths):
    """One LineCollection per loss type (gid ``losses:<type>``); returns {type: collection}."""
    drawn = {}
    visible = unwrap.select(data[data[LOSSES] > 0])
    for kind in DRAW_ORDER:
        rows = visible[visible[TYPE] == kind]
        if rows.empty:
            continue
        collection = ax.vlines(rows[S].to_numpy(), floor, rows[LOSSES].to_numpy(),
                               colors=COLOURS[kind], linewidths=linewidths[kind == DRAW_ORDER[-1]],
                               label=LABELS[kind], zorder=3 if kind == DRAW_ORDER[-1] else 2)
        collection.set_gid(f"losses:{kind.value}")
        drawn[kind] = collection
    return drawn


def _style_axis(ax, ylim, xlim, ylabel, grid):
    ax.set_yscale("log")
    ax.set_ylim(*ylim)
    ax.set_xlim(*xlim)
    ax.set_ylabel(ylabel)
    if grid:
        ax.grid(True, which="major", color="0.85", lw=0.6)
        ax.grid(True, which="minor", axis="y", color="0.93", lw=0.4)
        ax.set_axisbelow(True)


def _label_ips(ax, lossmap, unwrap):
    definition = lossmap.machine_definition if lossmap is not None else None
    if definition is None:
        return
    names, positions = zip(*definition.ip_positions.items())
    s = unwrap(np.asarray(positions))
    lo, hi = unwrap.xlim
    keep = (s >= lo) & (s <= hi)
    top = ax.secondary_xaxis("top")
    top.set_xticks(s[keep], [n for n, k in zip(names, keep) if k])
    top.tick_params(length=0, labelsize="small")


def _mark_spikes(ax, spikes, unwrap):
    visible = unwrap.select(spikes)
    if visible.empty:
        return None
    marks = ax.scatter(visible[S], visible[LOSSES], marker="x", s=60, color="#c000c0", zorder=4,
                       label="Suspected fake spike")
    for s, value, name in zip(visible[S], visible[LOSSES], visible[NAME]):
        ax.annotate(name, (s, value), xytext=(4, 6), textcoords="offset points",
                    fontsize="x-small", color="#c000c0")
    return marks


def plot_lossmap(lm, norm=None, timestamp=None, background_std=0, layout=None,
                 label_fake_spikes=True, font=None, fig_size=(20, 12), zoom=True,
                 plot_range=(None, None), zoom_range=(None, None), roi=None, grid=True,
                 caption=True, outfile=None, fig=None):
    """Plot a loss map: full ring, layout strip, zoom on the collimation insertion, caption.

    Parameters
    ----------
    lm : LossMap or pandas.DataFrame
        A loaded loss map, or a canonical losses table (no machine facts then).
    norm : str, optional
        ``'coll_max'`` (default), ``'total'``, ``'max'``, ``'none'``; measured maps also
        ``'*_per_time'``.
    timestamp : optional
        Measured maps: acquisition to plot (nearest); default the time of maximum loss.
    background_std : float, default 0
        Background subtraction level in sigma (measured maps).
    layout : path or pandas.DataFrame, optional
        Twiss file for the layout strip; default the map's ``positions``.
    label_fake_spikes : bool, default True
        Mark suspected fake spikes (measured maps).
    font : str, optional
        Font family used for all text of the figure.
    fig_size : (float, float), default (20, 12) [inch]
    zoom : bool, default True
        Add the zoom panel.
    plot_range, zoom_range : (float or None, float or None) [m]
        None entries default to the machine's full range / collimation insertion
        (momentum cleaning for off-momentum maps, ``LMType.DPpos``/``DPneg``).
    roi : (float, float), optional [m]
        DS region; default ``lm.roi``.
    grid, caption : bool, default True
    outfile : path, optional
        Save the figure there (PNG, PDF, SVG... by extension; 200 dpi for rasters).
    fig : matplotlib.figure.Figure or SubFigure, optional
        Empty figure (or sub-figure, e.g. one cell of a larger figure) to draw
        into; ``fig_size`` is then ignored. Default: a new figure, created
        without pyplot.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of matplotlib.axes.Axes
        ``[full ring, layout strip, zoom]`` (without the entries not drawn).

    Notes
    -----
    The figure has three panels whose heights and shared s axis belong
    together (the layout strip follows the zoom), so the function lays them out
    itself and takes a ``fig`` rather than a single ``ax`` (STYLE §9): pass a
    ``SubFigure`` to place a loss map inside a larger figure.
    """
    if fig is not None and not isinstance(fig, FigureBase):
        raise TypeError(f"fig must be a matplotlib Figure or SubFigure, got {type(fig).__name__}; "
                        "axes cannot be passed: the loss map needs three panels (see Notes)")
    if fig is not None and fig.axes:
        raise ValueError(f"fig must be empty, it already holds {len(fig.axes)} axes; pass a new "
                         "Figure or a SubFigure (fig.subfigures())")
    options = PlotOptions(norm or "coll_max", timestamp, background_std, layout,
                          label_fake_spikes, font, tuple(fig_size), zoom, plot_range,
                          zoom_range, roi, grid, caption, outfile)
    lossmap = lm if isinstance(lm, LossMap) else None
    losses = lm.losses if lossmap is not None else lm
    if losses is None:
        raise ValueError("the loss map has no data: load it before plotting")
    losses = select_acquisition(losses, options.timestamp, options.background_std, lossmap)
    rc = {"font.family": options.font} if options.font else {}
    with rc_context(rc):
        return _build_figure(lossmap, losses, options, fig)


def _build_figure(lossmap, losses, options, fig=None):
    data = losses.lossmap.inefficiency(options.norm, options.background_std)
    if has_time(data):
        data = data.drop(columns=[TIME])
    circumference = _circumference(lossmap, losses)
    definition = lossmap.machine_definition if lossmap is not None else None
    full = resolve_range("plot_range", options.plot_range,
                         definition.plot_range if definition else (0.0, circumference))
    zoom = None
    if options.zoom:
        zoom = resolve_range("zoom_range", options.zoom_range, _default_zoom(lossmap, definition))
    roi = options.roi if options.roi is not None else (lossmap.roi if lossmap else None)
    positions = _layout_table(options.layout, lossmap)

    if fig is None:
        fig = Figure(figsize=options.fig_size, layout="constrained")
    ratios = [3.0, 0.45] + ([3.0] if zoom else [])
    grid = fig.add_gridspec(len(ratios), 1, height_ratios=ratios)
    ax_full = fig.add_subplot(grid[0])
    ax_layout = fig.add_subplot(grid[1])
    axes = [ax_full, ax_layout]
    ylim = _y_limits(data)
    ylabel = y_label(options.norm, "time" in losses.columns, getattr(lossmap, "quantity", None))
    widths = {False: 0.9, True: 1.6}

    unwrap_full = Unwrap(full, circumference)
    drawn = _draw_losses(ax_full, data, unwrap_full, ylim[0], widths)
    _style_axis(ax_full, ylim, unwrap_full.xlim, ylabel, options.grid)
    _label_ips(ax_full, lossmap, unwrap_full)
    spikes = None
    if options.label_fake_spikes:
        spikes = losses.lossmap.fake_spikes(options.norm, options.background_std)
        _mark_spikes(ax_full, spikes, unwrap_full)

    strip_unwrap = unwrap_full
    if zoom:
        unwrap_zoom = Unwrap(zoom, circumference)
        ax_full.axvspan(*unwrap_full(np.asarray(zoom)), color="0.5", alpha=0.12, lw=0, zorder=0)
        ax_zoom = fig.add_subplot(grid[2])
        axes.append(ax_zoom)
        _draw_losses(ax_zoom, data, unwrap_zoom, ylim[0], {False: 1.2, True: 2.5})
        _style_axis(ax_zoom, ylim, unwrap_zoom.xlim, ylabel, options.grid)
        ax_zoom.set_xlabel("s [m]")
        if spikes is not None:
            _mark_spikes(ax_zoom, spikes, unwrap_zoom)
        strip_unwrap = unwrap_zoom
        ax_layout.sharex(ax_zoom)
    else:
        ax_layout.sharex(ax_full)
        ax_layout.set_xlabel("s [m]")
    draw_layout(ax_layout, positions, strip_unwrap.xlim, strip_unwrap)
    ax_full.set_xlabel("s [m]")

    ds_row = None
    if roi is not None:
        ds_row = losses.lossmap.max_inefficiency_row(roi, options.norm, options.background_std)
        target = axes[2] if zoom else ax_full
        unwrap = strip_unwrap if zoom else unwrap_full
        target.axvspan(*unwrap(np.asarray(roi)), color="#f2c14e", alpha=0.25, lw=0, zorder=0,
                       label="DS region")
        if ds_row is not None:
            target.plot(unwrap(np.asarray([ds_row[S]])), [ds_row[LOSSES]], marker="v", ms=9,
                        color="#e07000", ls="none", zorder=5, label=r"max $\eta_{DS}$")
    legend_ax = axes[2] if zoom else ax_full
    if drawn:
        ax_full.legend(loc="upper right", ncol=len(drawn), fontsize="small", frameon=True)
    if zoom and legend_ax.get_legend_handles_labels()[0]:
        legend_ax.legend(loc="upper right", fontsize="small", ncol=3)
    if options.caption:
        _add_caption(fig, make_caption(lossmap, options.norm, ds_row, roi, losses))
    if options.outfile is not None:
        fig.get_figure(root=True).savefig(options.outfile, dpi=200, bbox_inches="tight")
    return fig, axes
