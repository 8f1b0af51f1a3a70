"""``plot_lossmap_interactive``: zoomable HTML loss map with a normalisation switch.

One bokeh figure (log y), one glyph per loss type in the colours of the static
plot, a hover showing element name, s and value, and a selector that switches
between the normalisations in the browser (all variants are embedded).
"""

import numpy as np

from ..lossmap import LossMap
from ..table import LOSSES, NAME, S, TYPE, has_time
from ._bokeh import import_bokeh
from .ranges import select_acquisition
from .style import COLOURS, DRAW_ORDER, LABELS, y_label

__all__ = ["plot_lossmap_interactive"]

_CALLBACK = """
const norm = cb_obj.value;
for (const source of sources) {
    source.data['y'] = source.data[norm];
    source.data['top'] = source.data[norm];
    source.change.emit();
}
axis.axis_label = labels[norm];
"""


def plot_lossmap_interactive(lm, norms=("coll_max", "total", "max", "none"), timestamp=None,
                             background_std=0, outfile=None, title=None):
    """Build (and optionally save) the interactive loss map.

    Parameters
    ----------
    lm : LossMap or pandas.DataFrame
    norms : sequence of str
        Normalisations offered by the selector; the first is shown initially.
    timestamp : optional
        Measured maps: acquisition shown (default: time of maximum loss).
    background_std : float, default 0
    outfile : path, optional
        Write a standalone HTML file (bokeh resources inlined, works offline).
    title : str, optional

    Returns
    -------
    bokeh.models.LayoutDOM
        Column of the selector and the figure.
    """
    bk = import_bokeh()
    models, plotting = bk["models"], bk["plotting"]
    losses = lm.losses if isinstance(lm, LossMap) else lm
    if losses is None:
        raise ValueError("the loss map has no data: load it before plotting")
    measured = has_time(losses)
    lossmap = lm if isinstance(lm, LossMap) else None
    losses = select_acquisition(losses, timestamp, background_std, lossmap)
    norms = list(norms)
    tables = {norm: losses.lossmap.inefficiency(norm, background_std) for norm in norms}
    first = tables[norms[0]]
    positive = first.loc[first[LOSSES] > 0, LOSSES]
    bottom = 10.0 ** (np.floor(np.log10(positive.min())) - 1) if len(positive) else 1e-7
    figure = plotting.figure(height=500, sizing_mode="stretch_width", y_axis_type="log",
                             tools="xpan,xwheel_zoom,box_zoom,reset,save",
                             active_scroll="xwheel_zoom", x_axis_label="s [m]",
                             y_axis_label=y_label(norms[0], measured), title=title or
                             (f"{lm.lmtype.value} loss map" if isinstance(lm, LossMap) else None))
    sources = []
    for kind in DRAW_ORDER:
        mask = (first[TYPE] == kind).to_numpy()
        if not mask.any():
            continue
        data = {"s": first.loc[mask, S].to_numpy(), "name": first.loc[mask, NAME].astype(str).to_numpy(),
                "type": np.full(mask.sum(), LABELS[kind])}
        for norm in norms:
            data[norm] = np.clip(tables[norm].loc[mask, LOSSES].to_numpy(float), bottom, None)
        data["y"] = data["top"] = data[norms[0]]
        source = models.ColumnDataSource(data, name=f"losses:{kind.value}")
        figure.segment(x0="s", y0=bottom, x1="s", y1="top", source=source, color=COLOURS[kind],
                       line_width=2 if kind.value == "coll" else 1.2, legend_label=LABELS[kind])
        figure.scatter(x="s", y="y", source=source, size=3, color=COLOURS[kind])
        sources.append(source)
    figure.add_tools(models.HoverTool(tooltips=[("element", "@name"), ("type", "@type"),
                                                ("s [m]", "@s{0.00}"), ("value", "@y{0.000e}")]))
    figure.legend.click_policy = "hide"
    selector = models.Select(title="Normalisation", value=norms[0], options=norms)
    labels = {norm: y_label(norm, measured) for norm in norms}
    selector.js_on_change("value", models.CustomJS(
        args={"sources": sources, "axis": figure.yaxis[0], "labels": labels}, code=_CALLBACK))
    layout = bk["layouts"].column(selector, figure, sizing_mode="stretch_width")
    if outfile is not None:
        html = bk["embed"].file_html(layout, bk["resources"].INLINE, title or "Loss map")
        with open(outfile, "w", encoding="utf-8") as handle:
            handle.write(html)
    return layout
