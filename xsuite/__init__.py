"""Launcher of the suite: `python -m xsuite` runs the main job on built-in data."""

__version__ = "26.11.0"
