"""Beam-beam configuration helpers (``xfields.config_tools.beambeam_config_tools``)."""

from . import config_tools
from .config_tools import constant_charge_slicing_gaussian

__all__ = ["constant_charge_slicing_gaussian"]
