"""CompressedProfile: slice moments of a bunch train kept over several turns.

Only the slices of the filled slots are stored ("compressed"): moment ``m``
of slice ``i`` of source (bunch) ``k`` recorded at turn ``t`` lives at
``data[m, t, k * num_slices + i]``. This is what multi-turn wakes and
feedbacks read back for each particle.
"""

import numpy as np
import xobjects as xo

__all__ = []


class CompressedProfile:
    """Moments per slice, per source bunch and per turn.

    Parameters
    ----------
    moments : list of str
        Names of the stored moments.
    zeta_range : tuple of float
        ``(zeta_min, zeta_max)`` [m] of the slices of one bunch.
    num_slices : int
        Slices per bunch.
    bunch_spacing_zeta : float
        Distance between bunch slots [m].
    num_periods : int
        Number of source bunches stored.
    num_turns : int, default 1
        Turns kept.
    circumference : float, optional
        Ring circumference [m] (for the turn-to-turn distance).
    _context : XContext, optional
        Context of the data (default: ``xo.context_default``).
    """

    def __init__(self, moments, zeta_range=None, num_slices=None, bunch_spacing_zeta=None,
                 num_periods=None, num_turns=1, circumference=None, _context=None):
        self._context = _context or xo.context_default
        for name, value in (("num_slices", num_slices), ("num_periods", num_periods),
                            ("num_turns", num_turns)):
            if value is None or int(value) < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}.")
        self.moments = list(moments)
        self.zeta_range = tuple(zeta_range)
        self.num_slices = int(num_slices)
        self.num_periods = int(num_periods)
        self.num_turns = int(num_turns)
        self.bunch_spacing_zeta = bunch_spacing_zeta
        self.circumference = circumference
        self.dzeta = (self.zeta_range[1] - self.zeta_range[0]) / self.num_slices
        self.data = self._context.zeros(
            (len(self.moments), self.num_turns, self.num_periods * self.num_slices), dtype=np.float64)

    def _arr2ctx(self, arr):
        """numpy array -> array of the profile's context (context arrays pass through)."""
        if isinstance(arr, np.ndarray) or np.isscalar(arr) or isinstance(arr, (list, tuple)):
            return self._context.nparray_to_context_array(np.asarray(arr))
        return arr

    def set_moments(self, moments, i_turn=0, i_source=0):
        """Store the slice moments of source bunch `i_source` at turn `i_turn`.

        Parameters
        ----------
        moments : dict of str -> array, shape (num_slices,)
        """
        if not 0 <= i_turn < self.num_turns or not 0 <= i_source < self.num_periods:
            raise ValueError(f"i_turn must be in [0, {self.num_turns}) and i_source in "
                             f"[0, {self.num_periods}), got {i_turn}, {i_source}.")
        for name, values in moments.items():
            if name not in self.moments:
                raise KeyError(f"moment {name!r} is not stored; stored: {self.moments}.")
            start = i_source * self.num_slices
            self.data[self.moments.index(name), i_turn, start:start + self.num_slices] = values

    def _interp_result(self, particles, data_shape_0, data_shape_1, data_shape_2, data,
                       i_slot_particles, i_slice_particles, out):
        """``out[j]``: the 'result' moment of particle j's slice, summed over the stored turns.

        Particles with a negative slot or slice get 0. On OpenCL (no fancy
        indexing on pyopencl arrays) the lookup runs on the host.
        """
        ctx = self._context
        on_host = type(ctx).__name__ == "ContextPyopencl"
        nplike = np if on_host else ctx.nplike_lib
        host = ctx.nparray_from_context_array if on_host else (lambda a: a)
        table = host(data).reshape(data_shape_0, data_shape_1, data_shape_2)[self.moments.index("result")]
        i_slot, i_slice = host(i_slot_particles), host(i_slice_particles)
        inside = (i_slot >= 0) & (i_slice >= 0)
        column = nplike.where(inside, i_slot * self.num_slices + i_slice, 0)
        result = nplike.where(inside, table.sum(axis=0)[column], 0.0)
        out[:] = ctx.nparray_to_context_array(result) if on_host else result
