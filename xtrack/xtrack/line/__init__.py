"""Line: names, elements, variables, configuration, dict/JSON."""

from .config import TrackerConfig
from .line import Line

__all__ = ["Line", "TrackerConfig"]
