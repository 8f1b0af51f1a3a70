"""Lattices, beam elements, tracking, optics and matching.

``xtrack.Particles`` is xpart's class, re-exported (ARCHITECTURE.md).
"""

from xpart import Particles

from ._version import __version__
from .beam_elements import *  # noqa: F403 - the element classes are public here
from .beam_elements import __all__ as _elements_all
from .line import Line, TrackerConfig
from .tracker.tracker import Tracker

__all__ = ["__version__", "Particles", "Line", "Tracker", "TrackerConfig"] + _elements_all
