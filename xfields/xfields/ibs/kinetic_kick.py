"""IBSKineticKick: IBS as diffusion and friction in momentum space (kinetic theory).

P. Zenkevich, O. Boine-Frankenheim and A. Bolshakov, "A new algorithm for the
kinetic analysis of intra-beam scattering in storage rings", Nucl. Instrum.
Methods A 561, 284 (2006); coefficients from Nagaitsev's terms as in
M. Zampetakis et al., "Interplay of space charge and intra-beam scattering in
the LHC" (arXiv:2402.xxxxx, Eqs. 39-50) and kicks of their Eq. (19).

Landau's collision integral for a Gaussian beam splits the Bjorken-Mtingwa
bracket into a diffusion part ``Tr L_i Tr A - Tr L_i A`` and a dynamical
friction part ``2 Tr L_i A`` (``A = (L + l)^-1``), both non-negative; their
difference is the growth rate (`bjorken_mtingwa_local_parts`). Taken as
emittance rates, ``d_u`` (diffusion) and ``f_u`` (friction) [1/s], the kick
once per turn at the particle's line density is

    Delta p_u = -F_u T_rev w p_u,beta + sqrt(2 D_u T_rev w) r,

with ``F_u = f_u``, ``D_z = d_z sigma_delta^2`` and
``D_u = (d_u eps_u - H_u D_z) / beta_u`` (transverse: the delta kicks at a
dispersive element already heat the plane by ``H_u D_z``), ``w = 2 sqrt(pi) sigma_z rho_z(zeta)`` (mean 1 over a Gaussian bunch),
``r`` a standard normal number and ``p_u,beta`` the betatron part of the
momentum (dispersion at the element removed). A random kick of variance
``2 D T`` raises the emittance by ``beta D T`` once the phase mixes, a
friction ``-F T p`` lowers it by ``F T``: the emittances evolve at
``d_u - f_u``, the analytical rate, heating or cooling (below transition the
longitudinal rate is often negative, which `IBSAnalyticalKick` cannot model).
Following Nagaitsev, the vertical dispersion is neglected.
"""

from dataclasses import dataclass, replace
import logging
from pathlib import Path

import numpy as np
import xobjects as xo
from scipy.constants import c

from .beam_from_particles import beam_sizes_from_particles
from .beam_parameters import IBSBeamParameters
from .bjorken_mtingwa import bjorken_mtingwa_local_parts, bjorken_mtingwa_rate_factor
from .coulomb_logarithm import coulomb_logarithm
from .kick_base import IBSKick
from .ring_optics import RingOptics

_LOG = logging.getLogger(__name__)

__all__ = ["IBSKineticKick", "DiffusionCoefficients", "FrictionCoefficients", "kinetic_rates"]


@dataclass(frozen=True)
class DiffusionCoefficients:
    """Momentum diffusion coefficients ``D_x, D_y, D_z``: half the variance of
    px, py, delta injected per second [1/s]."""

    Dx: float
    Dy: float
    Dz: float


@dataclass(frozen=True)
class FrictionCoefficients:
    """Friction coefficients ``F_x, F_y, F_z`` [1/s]: ``dp/dt = -F p``."""

    Fx: float
    Fy: float
    Fz: float


def kinetic_rates(twiss, gemitt_x, gemitt_y, sigma_delta, bunch_length, total_beam_intensity,
                  bunched=True):
    """``(diffusion, friction)`` emittance rates [1/s], each an ``(x, y, z)`` tuple.

    ``diffusion - friction`` are the Nagaitsev emittance growth rates of
    `get_ibs_growth_rates` (z: of ``sigma_delta^2``). The vertical dispersion
    is set to zero (Nagaitsev's assumption).
    """
    optics = RingOptics.from_twiss(twiss)
    optics = replace(optics, dy=np.zeros_like(optics.dy), dpy=np.zeros_like(optics.dpy))
    beam = IBSBeamParameters.from_inputs(
        beta0=optics.beta0, gamma0=optics.gamma0, circumference=optics.circumference,
        total_beam_intensity=total_beam_intensity, gemitt_x=gemitt_x, gemitt_y=gemitt_y,
        sigma_delta=sigma_delta, bunch_length=bunch_length, bunched=bunched)
    factor = bjorken_mtingwa_rate_factor(optics, beam, coulomb_logarithm(optics, beam))
    diffusion, friction = bjorken_mtingwa_local_parts(optics, beam)
    return (tuple(factor * optics.ring_average(d) for d in diffusion),
            tuple(factor * optics.ring_average(f) for f in friction))


class IBSKineticKick(IBSKick):
    """IBS diffusion and friction kicks from kinetic theory (Zenkevich et al., NIM A 561, 284).

    Parameters
    ----------
    num_slices : int
        Bins of the longitudinal line density.

    Notes
    -----
    The element is off until ``line.configure_intrabeam_scattering`` is called.
    Attributes: `num_slices`, `update_every`, `diffusion_coefficients`
    (`DiffusionCoefficients`) and `friction_coefficients`
    (`FrictionCoefficients`), set by `compute_kinetic_coefficients`.
    """

    _xofields = {"num_slices": xo.Int64}  # bins of the line density
    _extra_c_sources = [Path(__file__).resolve().parent / "kinetic_kick.h"]

    def __init__(self, num_slices=None, _xobject=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject, **kwargs)
            self._init_state(max(int(self.num_slices), 1))
            self.diffusion_coefficients = self.friction_coefficients = None
            return
        if num_slices is None:
            raise TypeError("IBSKineticKick() needs num_slices (bins of the line density).")
        self._init_state(num_slices)
        super().__init__(num_slices=int(num_slices), **kwargs)
        self.diffusion_coefficients = None
        self.friction_coefficients = None

    def compute_kinetic_coefficients(self, particles):
        """Diffusion and friction coefficients from the alive `particles` (see the module docstring).

        Returns
        -------
        (DiffusionCoefficients, FrictionCoefficients)
        """
        self._require_configured("compute_kinetic_coefficients")
        twiss = self._twiss
        row = self._element_index
        gemitt_x, gemitt_y, sigma_delta, bunch_length = beam_sizes_from_particles(twiss, particles, row=row)
        _, coords = self._alive(particles)
        diffusion, friction = kinetic_rates(
            twiss, gemitt_x, gemitt_y, sigma_delta, bunch_length,
            total_beam_intensity=float(np.sum(coords["weight"])))
        d_z = diffusion[2] * sigma_delta**2
        transverse = []
        for plane, rate, gemitt in (("x", diffusion[0], gemitt_x), ("y", diffusion[1], gemitt_y)):
            bet, alf, disp, dispp = (float(np.asarray(twiss[k + plane])[row])
                                     for k in ("bet", "alf", "d", "dp"))
            curly_h = ((1.0 + alf**2) * disp**2 + 2.0 * alf * disp * dispp + bet * dispp**2) / bet
            # The delta kicks at this element already heat the plane by H D_z.
            needed = rate * gemitt - curly_h * d_z
            if needed < 0:
                _LOG.info("IBSKineticKick: the delta diffusion through the dispersion at the kick "
                          "(H_%s = %.3g m) heats more than the %s diffusion rate; p%s diffusion set to 0 "
                          "(place the kick where the dispersion is small).", plane, curly_h, plane, plane)
            transverse.append(max(needed, 0.0) / bet)
        self.diffusion_coefficients = DiffusionCoefficients(*transverse, float(d_z))
        self.friction_coefficients = FrictionCoefficients(*(float(f) for f in friction))
        return self.diffusion_coefficients, self.friction_coefficients

    def track(self, particles):
        """Apply one turn of IBS diffusion and friction to the alive `particles` (nothing while off)."""
        if not self._acts_on(particles):
            return
        if self._coefficients_due(particles) or self.diffusion_coefficients is None:
            self.compute_kinetic_coefficients(particles)
        alive, coords = self._alive(particles)
        twiss = self._twiss
        row = self._element_index
        t_rev = float(twiss.circumference) / (float(twiss.beta0) * c)
        zeta = coords["zeta"]
        weight = (2.0 * np.sqrt(np.pi) * np.std(zeta)
                  * self._line_density(zeta, coords["weight"]) * self._scale_strength)
        delta = coords["delta"] - np.mean(coords["delta"])
        dpx, dpy = (float(np.asarray(twiss[k])[row]) for k in ("dpx", "dpy"))
        betatron = {"px": coords["px"] - np.mean(coords["px"]) - dpx * delta,
                    "py": coords["py"] - np.mean(coords["py"]) - dpy * delta,
                    "delta": delta}
        n = len(zeta)
        d, f = self.diffusion_coefficients, self.friction_coefficients
        for name, dcoef, fcoef in (("px", d.Dx, f.Fx), ("py", d.Dy, f.Fy), ("delta", d.Dz, f.Fz)):
            kick = (-fcoef * t_rev * weight * betatron[name]
                    + np.sqrt(2.0 * dcoef * t_rev * weight) * self._rng.standard_normal(n))
            self._write_back(particles, alive, name, coords[name] + kick)
