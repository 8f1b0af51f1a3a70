"""Activate only the beam-beam encounters that a filling pattern produces.

Slots are numbered along each beam's motion. At an IP with delay d the
clockwise bunch i meets the anticlockwise bunch i + d; at the k-th encounter
on the left of the IP (reached k / 2 slot periods before the IP) it meets
bunch i + d - k, on the right bunch i + d + k. The anticlockwise bunch j meets,
at the same places, the clockwise bunches j - d + k (left) and j - d - k (right).
"""

import numpy as np

from .install import beambeam_state


def _pattern(value, what):
    arr = np.asarray(value)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"apply_filling_pattern: {what} must be a non-empty 1D sequence of 0/1.")
    return arr.astype(bool)


def apply_filling_pattern(env, filling_pattern_cw, filling_pattern_acw, i_bunch_cw, i_bunch_acw):
    """Enable the encounters of the selected bunches (scale_strength 1) and disable the others (0).

    Parameters
    ----------
    env : xtrack.Environment
        Environment with installed (and configured) beam-beam elements.
    filling_pattern_cw, filling_pattern_acw : array_like of 0/1
        Filled slots of each beam (same length: the number of slots).
    i_bunch_cw, i_bunch_acw : int
        Simulated bunch (slot index) of each beam; must be a filled slot.
    """
    state = beambeam_state(env, "apply_filling_pattern")
    cw, acw = _pattern(filling_pattern_cw, "filling_pattern_cw"), _pattern(filling_pattern_acw,
                                                                          "filling_pattern_acw")
    if cw.size != acw.size:
        raise ValueError(f"apply_filling_pattern: the patterns have {cw.size} and {acw.size} "
                         f"slots; they must have the same length.")
    for pattern, i, what in ((cw, i_bunch_cw, "i_bunch_cw"), (acw, i_bunch_acw, "i_bunch_acw")):
        if not (0 <= int(i) < pattern.size) or not pattern[int(i)]:
            raise ValueError(f"apply_filling_pattern: {what}={i} is not a filled slot (0..."
                             f"{pattern.size - 1} with a 1 in its pattern).")
    for enc in state["encounters"]:
        if enc.line == state["clockwise_line"]:
            partner_slot = int(i_bunch_cw) + enc.delay + enc.slot_offset
            filled = acw[partner_slot % acw.size]
        else:
            partner_slot = int(i_bunch_acw) - enc.delay - enc.slot_offset
            filled = cw[partner_slot % cw.size]
        env.elements[enc.name].scale_strength = 1.0 if filled else 0.0
