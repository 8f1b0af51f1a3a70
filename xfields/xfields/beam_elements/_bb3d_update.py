"""Strong-strong beam-beam: the slices of the other beam from its macro-particles."""

import numpy as np

from ..slicing.constant_charge import slice_moments_equal_charge, slice_moments_in_bins

__all__ = ["ConfigForUpdateBeamBeamBiGaussian3D"]


class ConfigForUpdateBeamBeamBiGaussian3D:
    """How a BeamBeamBiGaussian3D refreshes its slices from the other beam.

    Parameters
    ----------
    pipeline_manager : object, optional
        Pipeline that exchanges particles between the two beams' trackers;
        kept for the established interface (this implementation reads the
        partner's particles from `partner_particles`).
    element_name : str, optional
        Name of the beam-beam element in its line.
    partner_particles_name : str, optional
        Name of the other beam's particles in the pipeline.
    slicer : TempSlicer, optional
        Slices of the other beam (its ``slice_indices``), as many as the
        element has. None: slices of equal macro-particle count.
    update_every : int, default 1
        Refresh the slices at every `update_every`-th passage.
    quasistrongstrong : bool, default False
        Kept for the established interface (same update here).
    partner_particles : xpart.Particles, optional
        The other beam's macro-particles, in this element's frame (x, y of the
        collision, zeta > 0 towards the other bunch's head).
    """

    def __init__(self, pipeline_manager=None, element_name=None, partner_particles_name=None,
                 slicer=None, update_every=1, quasistrongstrong=False, partner_particles=None):
        if int(update_every) < 1:
            raise ValueError(f"ConfigForUpdateBeamBeamBiGaussian3D: update_every={update_every} "
                             f"must be an integer >= 1.")
        self.pipeline_manager = pipeline_manager
        self.element_name = element_name
        self.partner_particles_name = partner_particles_name
        self.slicer = slicer
        self.update_every = int(update_every)
        self.quasistrongstrong = bool(quasistrongstrong)
        self.partner_particles = partner_particles
        self._passages = 0

    def update_element(self, element):
        """Recompute the slices of `element` from `partner_particles` when due."""
        due = self._passages % self.update_every == 0
        self._passages += 1
        if not due:
            return
        if self.partner_particles is None:
            raise RuntimeError(
                "ConfigForUpdateBeamBeamBiGaussian3D: partner_particles is None; give the other "
                "beam's particles (config.partner_particles = particles) before tracking.")
        num_slices = int(element.num_slices_other_beam)
        if self.slicer is None:
            result = slice_moments_equal_charge(self.partner_particles, num_slices)
        else:
            if getattr(self.slicer, "n_slices", num_slices) != num_slices:
                raise ValueError(f"ConfigForUpdateBeamBeamBiGaussian3D: the slicer has "
                                 f"{self.slicer.n_slices} slices and the element {num_slices}.")
            result = slice_moments_in_bins(self.partner_particles, self.slicer.slice_indices,
                                           num_slices)
        num_particles, centroids, moments = result
        element.update_slices(num_particles, centroids, moments)
