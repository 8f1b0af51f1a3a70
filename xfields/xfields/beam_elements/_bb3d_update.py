"""Strong-strong beam-beam: the slices of the other beam from its macro-particles.

The other beam's particles are in its own frame: it travels the other way,
so its x axis points the opposite way (x_own = -x_other) while y is shared.
Its slopes follow from that and from s_own = -s_other: px_own = dx/ds =
px_other, py_own = -py_other, which is what the slice transport to the
collision point, x_c(S) = x_c + px_c S, needs. zeta and pzeta keep the
other beam's values (the element's slices are given in its zeta, head > 0).
"""

import numpy as np

from ..slicing.constant_charge import slice_moments_equal_charge, slice_moments_in_bins
from ..slicing.temp_slicer import moments_array, moments_from_array, outer_slice_widths
from ._update_schedule import UpdateSchedule, partner_particles

__all__ = ["ConfigForUpdateBeamBeamBiGaussian3D"]

#: Sign of each coordinate of the other beam seen in this beam's frame.
_MIRROR = {"x": -1.0, "px": 1.0, "y": 1.0, "py": -1.0, "zeta": 1.0, "pzeta": 1.0}
_MOMENT_INDEX = {"1": "x", "2": "px", "3": "y", "4": "py"}


def mirror_to_own_frame(centroids, moments):
    """Centroids and second moments of the other beam, in this beam's frame."""
    centroids = {c: _MIRROR[c] * np.asarray(v) for c, v in centroids.items()}
    moments = {ij: _MIRROR[_MOMENT_INDEX[ij[0]]] * _MIRROR[_MOMENT_INDEX[ij[1]]] * np.asarray(v)
               for ij, v in moments.items()}
    return centroids, moments


class ConfigForUpdateBeamBeamBiGaussian3D:
    """How a BeamBeamBiGaussian3D refreshes its slices from the other beam.

    Parameters
    ----------
    pipeline_manager : xtrack.PipelineManager, optional
        Gives the other beam's particles (``get_particles(partner_particles_name)``)
        when the beams are tracked together by an ``xt.PipelineMultiTracker``.
    element_name : str, optional
        Name of the beam-beam element in its line.
    partner_particles_name : str, optional
        Name of the other beam's particles in the pipeline.
    slicer : TempSlicer, optional
        Slices of the other beam, as many as the element has (and, when the
        element is built without slices, their number). None: slices of equal
        macro-particle count.
    update_every : int or None, default 1
        Refresh the slices at every `update_every`-th passage; None: never
        (the element keeps the slices it was built with, weak-strong).
    quasistrongstrong : bool, default False
        Kept for the established interface (same update here).
    partner_particles : xpart.Particles, optional
        The other beam's macro-particles (instead of the pipeline), in its own frame.
    """

    def __init__(self, pipeline_manager=None, element_name=None, partner_particles_name=None,
                 slicer=None, update_every=1, quasistrongstrong=False, partner_particles=None):
        self._schedule = (None if update_every is None
                          else UpdateSchedule(type(self).__name__, update_every))
        self.pipeline_manager = pipeline_manager
        self.element_name = element_name
        self.partner_particles_name = partner_particles_name
        self.slicer = slicer
        self.update_every = None if update_every is None else int(update_every)
        self.quasistrongstrong = bool(quasistrongstrong)
        self.partner_particles = partner_particles

    def partner_moments(self, partner, num_slices):
        """Slice moments of `partner` as a `moments_array` (in the partner's own frame)."""
        if self.slicer is None:
            return moments_array(*slice_moments_equal_charge(partner, num_slices))
        if getattr(self.slicer, "n_slices", num_slices) != num_slices:
            raise ValueError(f"ConfigForUpdateBeamBeamBiGaussian3D: the slicer has "
                             f"{self.slicer.n_slices} slices and the element {num_slices}.")
        compute = getattr(self.slicer, "compute_moments", None)
        if compute is not None:
            return compute(partner)
        return moments_array(*slice_moments_in_bins(partner, self.slicer.slice_indices, num_slices))

    def update_element(self, element):
        """Recompute the slices of `element` from the other beam when due."""
        if self._schedule is None or not self._schedule.is_due():
            return
        num_slices = int(element.num_slices_other_beam)
        moments = self.partner_moments(partner_particles(self), num_slices)
        element.partner_moments = moments
        num_particles, centroids, second = moments_from_array(moments, num_slices)
        element.update_slices(num_particles, *mirror_to_own_frame(centroids, second))
        if int(element.flag_beamstrahlung) and getattr(self.slicer, "bin_edges", None) is not None:
            self._update_beamstrahlung_slices(element, centroids["zeta"], second)

    def _update_beamstrahlung_slices(self, element, zeta_centers, second):
        """Slice lengths and sizes that beamstrahlung needs, from the slicer and the moments.

        The outer slices of a Gaussian slicing are measured from their
        centroids (`outer_slice_widths`).
        """
        widths = outer_slice_widths(self.slicer.bin_edges, zeta_centers)
        element.slices_other_beam_zeta_bin_width_beamstrahlung[:] = widths
        element.slices_other_beam_zeta_bin_width_star_beamstrahlung[:] = widths / element._cos_phi
        element.slices_other_beam_sqrtSigma_11_beamstrahlung[:] = np.sqrt(np.maximum(second["11"], 0))
        element.slices_other_beam_sqrtSigma_33_beamstrahlung[:] = np.sqrt(np.maximum(second["33"], 0))
