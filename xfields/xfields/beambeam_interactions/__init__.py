"""Beam-beam interactions of two counter-rotating beams in an Environment.

The manual documents ``install_beambeam_interactions``,
``configure_beambeam_interactions`` and ``apply_filling_pattern`` as methods
of the environment holding the two lines; they are provided to xtrack as
extension methods (``Environment.<name>``, see xtrack/extensions.py).
"""

from .filling import apply_filling_pattern
from .configure import configure_beambeam_interactions
from .install import install_beambeam_interactions

__all__ = []  # used through the Environment methods

_XTRACK_EXTENSIONS = {
    "Environment.install_beambeam_interactions": install_beambeam_interactions,
    "Environment.configure_beambeam_interactions": configure_beambeam_interactions,
    "Environment.apply_filling_pattern": apply_filling_pattern,
}
