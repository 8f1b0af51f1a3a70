"""BeamBeamBiGaussian2D: thin weak-strong (or strong-strong) 2D beam-beam kick.

The opposing bunch is one transverse Gaussian (moments ``other_beam_Sigma_11``,
``_13``, ``_33``; ``other_beam_num_particles`` charges of ``other_beam_q0``
each) met at one point; the kernel (beambeam2d.h) gives the Bassetti-Erskine
kick of its field, rotated when the bunch is coupled. In strong-strong mode a
``ConfigForUpdateBeamBeamBiGaussian2D`` refreshes intensity, centroid and sizes
from the other beam's macro-particles before each passage.
"""

from pathlib import Path

import numpy as np
import xobjects as xo
from xtrack.beam_elements.base import BeamElement

from ._update_schedule import UpdateSchedule, partner_particles

__all__ = ["BeamBeamBiGaussian2D", "ConfigForUpdateBeamBeamBiGaussian2D"]

_HERE = Path(__file__).resolve().parent

_DEFAULTS = {  # the manual's defaults, by field
    "scale_strength": 1.0, "other_beam_q0": 0.0, "other_beam_beta0": 1.0,
    "other_beam_num_particles": 0.0, "other_beam_Sigma_11": 1.0, "other_beam_Sigma_13": 0.0,
    "other_beam_Sigma_33": 1.0, "ref_shift_x": 0.0, "ref_shift_y": 0.0,
    "other_beam_shift_x": 0.0, "other_beam_shift_y": 0.0, "post_subtract_px": 0.0,
    "post_subtract_py": 0.0, "min_sigma_diff": 1e-10,
}


class BeamBeamBiGaussian2D(BeamElement):
    """2D beam-beam element in the soft-Gaussian approximation.

    Parameters
    ----------
    scale_strength : float, default 1
        Factor on the beam-beam force (scales `other_beam_q0`).
    other_beam_q0 : float, default 0
        Charge of the opposing beam's particles [e] (-1 electrons, +1 protons).
    other_beam_beta0 : float, default 1
        Relativistic beta of the opposing beam.
    other_beam_num_particles : float, default 0
        Number of real particles in the opposing bunch.
    other_beam_Sigma_11, other_beam_Sigma_13, other_beam_Sigma_33 : float, default 1, 0, 1
        Second moments of x and y of the opposing bunch [m^2] (accelerator frame).
    ref_shift_x, ref_shift_y : float, default 0
        Closed orbit of this beam [m], subtracted before the collision.
    other_beam_shift_x, other_beam_shift_y : float, default 0
        Centroid of the opposing bunch [m] (its closed orbit).
    post_subtract_px, post_subtract_py : float, default 0
        Subtracted from px, py after the kick (e.g. the closed-orbit dipolar kick).
    min_sigma_diff : float, default 1e-10
        Round-beam field when ``|sigma_x - sigma_y|`` is below this [m].
    config_for_update : ConfigForUpdateBeamBeamBiGaussian2D, optional
        Strong-strong mode: the opposing bunch is measured from its
        macro-particles before each passage (the element is then collective).

    Notes
    -----
    ``dpx = q Q N E_x (1 + beta0 beta_s) / (p0 c (beta0 + beta_s))`` with
    ``E_x`` the Bassetti-Erskine field of a unit line density (M. Bassetti,
    G.A. Erskine, CERN-ISR-TH/80-06, 1980).
    """

    _xofields = {
        "scale_strength": xo.Float64,            # [1] factor on the force
        "other_beam_q0": xo.Float64,             # [e] charge of the opposing particles
        "other_beam_beta0": xo.Float64,          # [1] their relativistic beta
        "other_beam_num_particles": xo.Float64,  # [1] particles in the opposing bunch
        "other_beam_Sigma_11": xo.Float64,       # [m^2] <x x> of the opposing bunch
        "other_beam_Sigma_13": xo.Float64,       # [m^2] <x y>
        "other_beam_Sigma_33": xo.Float64,       # [m^2] <y y>
        "ref_shift_x": xo.Float64,               # [m] closed orbit of this beam
        "ref_shift_y": xo.Float64,               # [m]
        "other_beam_shift_x": xo.Float64,        # [m] centroid of the opposing bunch
        "other_beam_shift_y": xo.Float64,        # [m]
        "post_subtract_px": xo.Float64,          # [1] subtracted from px after the kick
        "post_subtract_py": xo.Float64,          # [1]
        "min_sigma_diff": xo.Float64,            # [m] round-beam threshold on |sigma_x - sigma_y|
    }
    _extra_c_sources = [_HERE / "beambeam2d.h"]

    def __init__(self, config_for_update=None, **kwargs):
        if "_xobject" not in kwargs:
            kwargs = {**_DEFAULTS, **kwargs}
            for name in ("other_beam_Sigma_11", "other_beam_Sigma_33"):
                if not float(kwargs[name]) >= 0:
                    raise ValueError(f"BeamBeamBiGaussian2D: {name} must be >= 0 (a variance), "
                                     f"got {kwargs[name]}.")
            beta_s = float(kwargs["other_beam_beta0"])
            if not 0 < beta_s <= 1:
                raise ValueError(f"BeamBeamBiGaussian2D: other_beam_beta0={beta_s} must be in (0, 1].")
        super().__init__(**kwargs)
        self.config_for_update = config_for_update

    @property
    def iscollective(self):
        """True in strong-strong mode (`config_for_update` given)."""
        return getattr(self, "config_for_update", None) is not None

    # The strong-strong interface speaks of the opposing bunch's centroid and sizes.
    @property
    def mean_x(self):
        """Horizontal centroid of the opposing bunch [m] (= `other_beam_shift_x`)."""
        return self.other_beam_shift_x

    @mean_x.setter
    def mean_x(self, value):
        self.other_beam_shift_x = value

    @property
    def mean_y(self):
        """Vertical centroid of the opposing bunch [m] (= `other_beam_shift_y`)."""
        return self.other_beam_shift_y

    @mean_y.setter
    def mean_y(self, value):
        self.other_beam_shift_y = value

    @property
    def sigma_x(self):
        """Horizontal r.m.s. size of the opposing bunch [m] (sqrt of `other_beam_Sigma_11`)."""
        return float(np.sqrt(self.other_beam_Sigma_11))

    @sigma_x.setter
    def sigma_x(self, value):
        self.other_beam_Sigma_11 = float(value) ** 2

    @property
    def sigma_y(self):
        """Vertical r.m.s. size of the opposing bunch [m] (sqrt of `other_beam_Sigma_33`)."""
        return float(np.sqrt(self.other_beam_Sigma_33))

    @sigma_y.setter
    def sigma_y(self, value):
        self.other_beam_Sigma_33 = float(value) ** 2

    def track(self, particles, **kwargs):
        """Kick `particles` (strong-strong: measure the opposing bunch first)."""
        config = getattr(self, "config_for_update", None)
        if config is not None:
            config.update_element(self)
        return super().track(particles, **kwargs)


class ConfigForUpdateBeamBeamBiGaussian2D:
    """How a BeamBeamBiGaussian2D measures the opposing bunch (strong-strong).

    Parameters
    ----------
    pipeline_manager : object, optional
        Pipeline that exchanges particles between the two beams' trackers
        (its ``get_particles(name)``, when it has one, gives the partner).
    element_name : str, optional
        Name of the beam-beam element in its line.
    partner_particles_name : str, optional
        Name of the other beam's particles in the pipeline.
    update_every : int, default 1
        Measure the partner at every `update_every`-th passage.
    partner_particles : xpart.Particles, optional
        The other beam's macro-particles (instead of the pipeline).

    Notes
    -----
    The opposing bunch travels the other way: its x seen from this beam is
    mirrored (``mean_x = -<x_partner>``), y is not.
    """

    def __init__(self, pipeline_manager=None, element_name=None, partner_particles_name=None,
                 update_every=1, partner_particles=None):
        self._schedule = UpdateSchedule(type(self).__name__, update_every)
        self.update_every = self._schedule.update_every
        self.pipeline_manager = pipeline_manager
        self.element_name = element_name
        self.partner_particles_name = partner_particles_name
        self.partner_particles = partner_particles

    def update_element(self, element):
        """Set intensity, centroid and sizes of `element`'s opposing bunch when due."""
        if not self._schedule.is_due():
            return
        partner = partner_particles(self)
        ctx = partner._context
        alive = ctx.nparray_from_context_array(partner.state) > 0
        weight = ctx.nparray_from_context_array(partner.weight)[alive]
        x = ctx.nparray_from_context_array(partner.x)[alive]
        y = ctx.nparray_from_context_array(partner.y)[alive]
        if weight.size == 0:
            raise RuntimeError("ConfigForUpdateBeamBeamBiGaussian2D: the partner beam has no "
                               "alive particles.")
        element.other_beam_num_particles = float(weight.sum())
        element.mean_x = -float(np.average(x, weights=weight))
        element.mean_y = float(np.average(y, weights=weight))
        element.sigma_x = float(np.sqrt(np.cov(x, aweights=weight, bias=True)))
        element.sigma_y = float(np.sqrt(np.cov(y, aweights=weight, bias=True)))
