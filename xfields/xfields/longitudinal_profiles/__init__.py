"""Longitudinal line densities of bunches (frozen space charge)."""

from .qgaussian import LongitudinalProfileQGaussian

__all__ = ["LongitudinalProfileQGaussian"]
