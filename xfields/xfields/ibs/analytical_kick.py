"""IBSAnalyticalKick: random momentum kicks at the analytical IBS growth rates.

R. Bruce, J. M. Jowett, M. Blaskiewicz and W. Fischer, "Time evolution of the
luminosity of colliding heavy-ion beams in BNL RHIC and CERN LHC",
Phys. Rev. ST Accel. Beams 13, 091001 (2010), Eq. (8): once per turn each
particle receives ``Delta p_u = K_u r sqrt(rho_t(t))`` with ``r`` a standard
normal number, ``rho_t`` the normalised line density in time at the particle
and ``K_u = sigma_pu sqrt(2 T_u T_rev sigma_t sqrt(pi))``. Averaged over a
Gaussian bunch (``<rho_t> = 1 / (2 sqrt(pi) sigma_t)``) the kicks raise
``sigma_pu^2`` by ``T_u T_rev`` per turn. Phase mixing then shares that
energy equally between position and momentum, so the emittance grows by
half of it: ``T_u`` is taken as twice the emittance growth rate (four times
the amplitude rate) for the emittances to grow at the analytical rates.
Only heating is modelled (a negative rate is set to zero), so the kick is
meant for machines above transition.
"""

from dataclasses import dataclass
import logging
from pathlib import Path

import numpy as np
import xobjects as xo
from scipy.constants import c

from .analytical import get_intrabeam_scattering_growth_rates, normalize_formalism
from .beam_from_particles import beam_sizes_from_particles
from .kick_base import IBSKick

__all__ = ["IBSAnalyticalKick", "IBSKickCoefficients"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class IBSKickCoefficients:
    """Kick coefficients ``K_x, K_y, K_z`` [s^1/2 (rad, rad, 1)] of Bruce's Eq. (8)."""

    Kx: float
    Ky: float
    Kz: float


class IBSAnalyticalKick(IBSKick):
    """IBS kicks from analytical growth rates (Bruce et al., PRSTAB 13, 091001, Eq. 8).

    Parameters
    ----------
    formalism : str
        Growth-rate formalism: "Nagaitsev" or "Bjorken-Mtingwa" (also "B&M"),
        case-insensitively.
    num_slices : int
        Bins of the longitudinal line density.

    Notes
    -----
    The element is off until ``line.configure_intrabeam_scattering`` is called.
    Attributes: `formalism`, `num_slices`, `update_every` (turns between
    recomputations of the coefficients), `kick_coefficients`
    (an `IBSKickCoefficients`, set by `compute_kick_coefficients`).
    """

    _xofields = {"num_slices": xo.Int64}  # bins of the line density
    _extra_c_sources = [Path(__file__).resolve().parent / "analytical_kick.h"]

    def __init__(self, formalism=None, num_slices=None, _xobject=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject, **kwargs)
            self.formalism = None
            self._init_state(max(int(self.num_slices), 1))
            return
        if formalism is None or num_slices is None:
            raise TypeError("IBSAnalyticalKick() needs formalism ('Nagaitsev' or 'Bjorken-Mtingwa') "
                            "and num_slices.")
        formalism = normalize_formalism(formalism)
        self._init_state(num_slices)
        super().__init__(num_slices=int(num_slices), **kwargs)
        self.formalism = formalism
        self.kick_coefficients = None

    def compute_kick_coefficients(self, particles, **kwargs):
        """Kick coefficients from the analytical growth rates of the alive `particles`.

        ``K_u = sigma_pu sqrt(2 T_u T_rev sigma_t sqrt(pi))`` with ``sigma_pu`` the
        r.m.s. of px, py and delta, ``T_u`` twice the emittance growth rates
        (negative ones set to 0; see the module docstring) and ``sigma_t`` the
        bunch length in time. `kwargs` go to
        the growth-rate computation (the beam sizes are taken from the particles).
        """
        self._require_configured("compute_kick_coefficients")
        twiss = self._twiss
        gemitt_x, gemitt_y, sigma_delta, bunch_length = beam_sizes_from_particles(
            twiss, particles, row=self._element_index)
        _, coords = self._alive(particles)
        kwargs.setdefault("total_beam_intensity", float(np.sum(coords["weight"])))
        rates = get_intrabeam_scattering_growth_rates(
            twiss, self.formalism, gemitt_x=gemitt_x, gemitt_y=gemitt_y, sigma_delta=sigma_delta,
            bunch_length=bunch_length, **kwargs).to_emittance_growth_rates()
        heating = []
        for plane, rate in zip("xyz", rates.as_tuple()):
            if rate < 0:
                _LOG.info("IBSAnalyticalKick: the %s emittance growth rate is negative (%.3g 1/s); "
                          "the kick only heats, so it is set to 0 (below transition, use "
                          "IBSKineticKick).", plane, rate)
            heating.append(2.0 * max(rate, 0.0))  # variance injection rate
        beta0 = float(twiss.beta0)
        sigma_t = bunch_length / (beta0 * c)
        t_rev = float(twiss.circumference) / (beta0 * c)
        constant = np.sqrt(2.0 * t_rev * sigma_t * np.sqrt(np.pi))
        sigmas = [np.std(coords["px"]), np.std(coords["py"]), np.std(coords["delta"])]
        self.kick_coefficients = IBSKickCoefficients(
            *(float(s * constant * np.sqrt(t)) for s, t in zip(sigmas, heating)))
        return self.kick_coefficients

    def track(self, particles):
        """Apply one turn of IBS kicks to the alive `particles` (nothing while off)."""
        if not self._acts_on(particles):
            return
        if self._coefficients_due(particles) or self.kick_coefficients is None:
            self.compute_kick_coefficients(particles)
        alive, coords = self._alive(particles)
        if not np.any(alive):
            return
        beta0 = float(self._twiss.beta0)
        # rho_t [1/s] = rho_zeta [1/m] * beta0 c.
        rho_t = self._line_density(coords["zeta"], coords["weight"]) * beta0 * c
        scale = np.sqrt(rho_t) * self._scale_strength
        k = self.kick_coefficients
        n = len(rho_t)
        for name, coefficient in (("px", k.Kx), ("py", k.Ky), ("delta", k.Kz)):
            if coefficient == 0:
                continue
            kick = coefficient * scale * self._rng.standard_normal(n)
            self._write_back(particles, alive, name, coords[name] + kick)
