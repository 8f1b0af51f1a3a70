"""Colours, labels and drawing order of the loss types (shared by both plot kinds).

Customary loss-map colours: collimators black, cold (superconducting) aperture
blue, warm aperture red.
"""

from ..enums import Losses

__all__ = ["COLOURS", "LABELS", "DRAW_ORDER", "y_label"]

COLOURS = {
    Losses.COLL: "#000000",
    Losses.COLD: "#1f4fd8",
    Losses.WARM: "#d62728",
    Losses.XRP: "#2ca02c",
    Losses.UNKNOWN: "#8c8c8c",
}
LABELS = {
    Losses.COLL: "Collimator",
    Losses.COLD: "Cold",
    Losses.WARM: "Warm",
    Losses.XRP: "Roman pot",
    Losses.UNKNOWN: "Unclassified",
}
# collimators last, so that they are drawn on top of aperture losses
DRAW_ORDER = (Losses.UNKNOWN, Losses.WARM, Losses.XRP, Losses.COLD, Losses.COLL)


def y_label(norm, measured, quantity=None):
    """Axis label for losses normalised with ``norm``."""
    none = norm is None or norm == "none"
    if measured:
        return "BLM signal [Gy/s]" if none else "Normalised BLM signal"
    if none:
        return "Energy [GeV/m]" if quantity == "energy" else "Losses [1/m]"
    return r"Cleaning inefficiency $\eta$ [1/m]"
