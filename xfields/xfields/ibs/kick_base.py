"""What the IBS kick elements share: configuration state, update schedule, line density.

An IBS kick is a collective element (it needs the whole bunch). It starts off
and is switched on by ``line.configure_intrabeam_scattering``, which gives it
the optics of the line (a twiss table computed with the kick off) and the
update period of its coefficients.
"""

import numpy as np
from xtrack.beam_elements.base import BeamElement

from .beam_from_particles import alive_coordinates

__all__ = ["IBSKick"]


class IBSKick(BeamElement):
    """Base of the IBS kick elements (not an element itself)."""

    iscollective = True
    isthick = False
    needs_rng = False
    #: Fewer alive particles than this pass untouched: a bunch needs statistics for
    #: its sizes and line density, and xtrack's twiss tracks a handful of probe
    #: particles through collective elements too.
    min_particles = 100

    def _init_state(self, num_slices):
        if isinstance(num_slices, bool) or int(num_slices) != num_slices or int(num_slices) < 1:
            raise ValueError(f"num_slices must be a positive integer, got {num_slices!r}.")
        self.update_every = None
        self._twiss = None
        self._element_index = 0
        self._last_update_turn = None
        self._scale_strength = 0.0  # off until configured
        self._rng = np.random.default_rng()

    # ----------------------------------------------------------- configuration
    def _configure(self, twiss, element_index, update_every, seed=None):
        """Switch the kick on with these optics (called by configure_intrabeam_scattering)."""
        self._twiss = twiss
        self._element_index = int(element_index)
        self.update_every = int(update_every)
        self._last_update_turn = None
        self._scale_strength = 1.0
        if seed is not None:
            self._rng = np.random.default_rng(seed)

    def _acts_on(self, particles):
        """Whether this passage gets kicks: configured, and a bunch with statistics."""
        if self._twiss is None or self._scale_strength == 0:
            return False
        state = particles._context.nparray_from_context_array(particles.state)
        return int(np.count_nonzero(state > 0)) >= self.min_particles

    @property
    def is_configured(self):
        """True once configure_intrabeam_scattering has switched the kick on."""
        return self._twiss is not None and self._scale_strength > 0

    def _coefficients_due(self, particles):
        """Whether the coefficients are to be recomputed at this passage (updating the schedule)."""
        state = particles._context.nparray_from_context_array(particles.state)
        turns = particles._context.nparray_from_context_array(particles.at_turn)[state > 0]
        turn = int(turns.min()) if len(turns) else 0
        if self._last_update_turn is None or turn - self._last_update_turn >= self.update_every:
            self._last_update_turn = turn
            return True
        return False

    def _require_configured(self, what):
        if self._twiss is None:
            raise RuntimeError(f"{type(self).__name__}.{what}: the kick is not configured; call "
                               f"line.configure_intrabeam_scattering(...) first.")

    # ------------------------------------------------------------ bunch data
    def _line_density(self, zeta, weights):
        """Normalised line density [1/m] at each particle, from `num_slices` equal bins."""
        lo, hi = float(zeta.min()), float(zeta.max())
        if hi <= lo:
            hi = lo + 1e-12
        counts, edges = np.histogram(zeta, bins=int(self.num_slices), range=(lo, hi), weights=weights)
        density = counts / (np.sum(weights) * np.diff(edges))
        index = np.clip(np.searchsorted(edges, zeta, side="right") - 1, 0, len(counts) - 1)
        return density[index]

    @staticmethod
    def _alive(particles):
        ctx = particles._context
        alive = ctx.nparray_from_context_array(particles.state) > 0
        coords = alive_coordinates(particles, ("x", "px", "y", "py", "zeta", "delta", "weight"))
        return alive, coords

    @staticmethod
    def _write_back(particles, alive, name, values):
        """Set coordinate `name` of the alive particles (energy variables follow delta)."""
        ctx = particles._context
        full = ctx.nparray_from_context_array(getattr(particles, name)).copy()
        full[alive] = values
        setattr(particles, name, ctx.nparray_to_context_array(full))
