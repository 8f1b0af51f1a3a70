"""Aperture model: transverse profiles (shapes) and their polygons."""

from . import structures  # noqa: F401
