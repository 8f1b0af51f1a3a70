"""``xfields.config_tools.beambeam_config_tools.config_tools``: beam-beam slicing helpers."""

from ...slicing.constant_charge import constant_charge_slicing_gaussian

__all__ = ["constant_charge_slicing_gaussian"]
