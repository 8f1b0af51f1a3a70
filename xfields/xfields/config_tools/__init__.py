"""Configuration helpers, reached as ``xfields.config_tools...`` (the established module paths).

`beambeam_config_tools.config_tools` holds the beam-beam slicing helpers
(`constant_charge_slicing_gaussian`); the implementations live in
`xfields.slicing`, this package only gives them their documented addresses.
"""

from . import beambeam_config_tools

__all__ = []  # nothing joins the top-level namespace: the helpers are there already
