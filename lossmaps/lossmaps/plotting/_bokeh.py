"""The one place that imports bokeh (optional dependency, extra ``plot``)."""

__all__ = ["import_bokeh"]


def import_bokeh():
    """Return the bokeh modules used by the interactive plot, or raise with the fix."""
    try:
        from bokeh import embed, io, layouts, models, plotting, resources
    except ImportError as exc:
        raise ImportError(
            "plot_lossmap_interactive needs bokeh: pip install 'lossmaps[plot]' "
            "(or pip install bokeh)"
        ) from exc
    return {"embed": embed, "io": io, "layouts": layouts, "models": models,
            "plotting": plotting, "resources": resources}
