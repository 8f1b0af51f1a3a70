"""Marker: a named place in a line; it does not change the particles."""

from pathlib import Path

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["Marker"]


class Marker(BeamElement):
    """A marker beam element with no effect on the particles (zero length)."""

    _xofields = {}
    behaves_like_drift = True
    has_backtrack = True
    _extra_c_sources = [_HERE / "marker.h"]
