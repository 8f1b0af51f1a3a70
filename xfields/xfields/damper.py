"""TransverseDamper: an ideal bunch-by-bunch, slice-by-slice transverse feedback.

Each turn the particles of every slice receive ``Delta px = -gain_x <px>``
and ``Delta py = -gain_y <py>``, with ``<.>`` the weighted mean over the
slice. A kick proportional to the centroid momentum damps the centroid
amplitude by ``gain / 2`` per turn (the average of ``sin^2`` over the
betatron phase), the usual definition of a damper gain (e.g. W. Hofle,
"Transverse damper", CERN-2014-009, sec. 2).
"""

import numpy as np

from .slicers import UniformBinSlicer

__all__ = ["TransverseDamper"]


class TransverseDamper:
    """Ideal transverse damper acting on slice centroids (a collective element).

    Parameters
    ----------
    gain_x, gain_y : float
        Fraction of the slice mean ``px`` / ``py`` removed per turn.
    zeta_range : tuple of float
        ``(zeta_min, zeta_max)`` [m] of the slices of one bunch.
    num_slices : int
        Slices per bunch.
    filling_scheme : array_like of int, optional
        One entry per slot, non-zero where a bunch is present (default: one bunch).
    bunch_selection : array_like of int, optional
        Slots acted on (default: every filled slot).
    bunch_spacing_zeta : float, optional
        Slot spacing [m].
    circumference : float, optional
        Ring circumference [m] (kept for the multi-turn interface).
    mode : {'bunch-by-bunch', 'slice-by-slice'}, default 'slice-by-slice'
        Whether the centroid is taken per slice or per bunch.
    _context : XContext, optional
    """

    iscollective = True
    isthick = False

    def __init__(self, gain_x, gain_y, zeta_range, num_slices, filling_scheme=None,
                 bunch_selection=None, bunch_spacing_zeta=None, circumference=None,
                 mode="slice-by-slice", _context=None, **kwargs):
        if mode not in ("bunch-by-bunch", "slice-by-slice"):
            raise ValueError(f"mode must be 'bunch-by-bunch' or 'slice-by-slice', got {mode!r}.")
        if kwargs:
            raise TypeError(f"TransverseDamper() got unexpected keywords {sorted(kwargs)}.")
        self.gain_x, self.gain_y = float(gain_x), float(gain_y)
        self.circumference = circumference
        self.mode = mode
        self.slicer = UniformBinSlicer(
            zeta_range=zeta_range, num_slices=1 if mode == "bunch-by-bunch" else num_slices,
            filling_scheme=filling_scheme, bunch_selection=bunch_selection,
            bunch_spacing_zeta=bunch_spacing_zeta, moments=["px", "py"], _context=_context)
        self._context = self.slicer._context

    def track(self, particles, i_turn=0):
        """Apply one turn of damping kicks to `particles` (in place)."""
        slicer = self.slicer
        ctx = self._context
        nplike = slicer._lib
        i_slice = ctx.zeros(particles._capacity, dtype=np.int64) - 1
        i_slot = ctx.zeros(particles._capacity, dtype=np.int64) - 1
        slicer.slice(particles, i_slice_particles=i_slice, i_slot_particles=i_slot)
        _, i_bunch, i_slice_host, alive = slicer._particle_indices(particles)
        take = alive & (i_slice_host >= 0)
        flat = nplike.where(take, i_bunch * slicer.num_slices + i_slice_host, 0)
        for coord, gain in (("px", self.gain_x), ("py", self.gain_y)):
            if gain == 0:
                continue
            mean = slicer._moment(coord) / nplike.where(
                slicer._moment("num_particles") > 0, slicer._moment("num_particles"), 1.0)
            kick = nplike.where(take, -gain * mean.ravel()[flat], 0.0)
            value = slicer._from_particles(getattr(particles, coord)) + kick
            setattr(particles, coord, slicer._to_particles(value))
