"""Loss-map figures: static (matplotlib) and interactive (bokeh, extra ``plot``)."""

from .static import plot_lossmap

__all__ = ["plot_lossmap", "plot_lossmap_interactive"]


def plot_lossmap_interactive(*args, **kwargs):
    """Interactive HTML loss map; see :func:`lossmaps.plotting.interactive.plot_lossmap_interactive`."""
    from .interactive import plot_lossmap_interactive as implementation

    return implementation(*args, **kwargs)
