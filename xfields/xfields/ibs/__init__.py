"""Intra-beam scattering: analytical growth rates and tracking kicks.

- `TwissTable.get_ibs_growth_rates` (provided here through
  ``_XTRACK_EXTENSIONS``): amplitude growth rates of a ring in the Nagaitsev
  or Bjorken-Mtingwa formalism (`analytical`).
- `IBSAnalyticalKick`, `IBSKineticKick`: collective elements that apply IBS
  to tracked particles, configured by ``line.configure_intrabeam_scattering``
  (`kicks`, `configure`).
"""

from .analytical import get_intrabeam_scattering_growth_rates
from .analytical_kick import IBSAnalyticalKick, IBSKickCoefficients
from .configure import configure_intrabeam_scattering
from .kinetic_kick import DiffusionCoefficients, FrictionCoefficients, IBSKineticKick
from .beam_parameters import IBSBeamParameters
from .growth_rates import IBSAmplitudeGrowthRates, IBSEmittanceGrowthRates, IBSGrowthRates

__all__ = ["IBSAnalyticalKick", "IBSKickCoefficients", "IBSKineticKick", "DiffusionCoefficients",
           "FrictionCoefficients", "IBSGrowthRates", "IBSAmplitudeGrowthRates", "IBSEmittanceGrowthRates",
           "IBSBeamParameters", "get_intrabeam_scattering_growth_rates"]

_XTRACK_EXTENSIONS = {
    "TwissTable.get_ibs_growth_rates": get_intrabeam_scattering_growth_rates,
    "Line.configure_intrabeam_scattering": configure_intrabeam_scattering,
}
