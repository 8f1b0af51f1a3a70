"""Pure-numpy operations on the per-particle arrays of a particle set.

The arrays are given as a dict {field: ndarray (capacity,)}; each function
returns the permutation or selection to apply, so that `Particles` applies
it to every field at once.
"""

import numpy as np

from .fields import UNALLOCATED_STATE

__all__ = ["reorganize_order", "sort_order", "active_mask", "lost_mask"]


def active_mask(state):
    """Particles still tracked (state > 0)."""
    return state > 0


def lost_mask(state):
    """Lost particles (state <= 0), excluding unallocated slots."""
    return (state <= 0) & (state != UNALLOCATED_STATE)


def reorganize_order(state):
    """Stable permutation putting active, then lost, then unallocated slots.

    Returns
    -------
    order : ndarray of int or None
        Indices into the arrays; None when they are already in order.
    n_active, n_lost : int
    """
    active = active_mask(state)
    lost = lost_mask(state)
    n_active, n_lost = int(np.count_nonzero(active)), int(np.count_nonzero(lost))
    if active[:n_active].all() and lost[n_active:n_active + n_lost].all():
        return None, n_active, n_lost  # already in order: no index array to build
    unused = state == UNALLOCATED_STATE
    order = np.concatenate([np.flatnonzero(active), np.flatnonzero(lost),
                            np.flatnonzero(unused)])
    return order, n_active, n_lost


def sort_order(keys, state, interleave_lost_particles):
    """Stable permutation sorting by `keys`.

    Lost particles are sorted among the active ones when
    `interleave_lost_particles`, otherwise after them; unallocated slots
    always stay at the end.
    """
    unused = state == UNALLOCATED_STATE
    if interleave_lost_particles:
        groups = [~unused, unused]
    else:
        groups = [active_mask(state), lost_mask(state), unused]
    parts = []
    for g in groups:
        idx = np.flatnonzero(g)
        parts.append(idx[np.argsort(keys[idx], kind="stable")])
    return np.concatenate(parts)
