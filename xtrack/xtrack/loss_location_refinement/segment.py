"""The stretch of a line between two apertures, as loss-location refinement sees it.

A particle lost on aperture `i1` crossed the real aperture somewhere between
the previous aperture upstream (`i0`) and `i1`. Apertures usually sit in a
*thin block*: a run of zero-length elements at one `s` (shift, rotation,
aperture, marker, undo rotation, undo shift). The refinement works between
the end of the upstream aperture's block and the start of the lost-on
aperture's block, so that both interpolated shapes are expressed in the
frame of the line outside the blocks.

Conventions: indices are positions in `line.element_names`; `s` [m] is the
position of an element's entry (`line.get_s_elements()`).
"""

from dataclasses import dataclass

import numpy as np

from ..beam_elements.apertures import (LimitEllipse, LimitPolygon, LimitRacetrack, LimitRect,
                                       LimitRectEllipse)
from ..beam_elements.beam_monitors import BeamPositionMonitor, BeamProfileMonitor, BeamSizeMonitor
from ..beam_elements.beam_stats_monitor import BeamStatsMonitor
from ..beam_elements.marker import Marker
from ..beam_elements.monitors import LastTurnsMonitor, ParticlesMonitor

__all__ = ["TRANSVERSE_APERTURE_TYPES", "is_aperture", "is_transparent", "element_length",
           "thin_block", "Segment", "find_segment"]

#: Elements that mark particles lost on a transverse limit.
TRANSVERSE_APERTURE_TYPES = (LimitRect, LimitEllipse, LimitRectEllipse, LimitRacetrack, LimitPolygon)

# Elements that record particles but never move them: skipped when
# backtracking (monitors have no inverse map) and in the refinement line.
_TRANSPARENT_TYPES = (Marker, ParticlesMonitor, LastTurnsMonitor, BeamPositionMonitor,
                      BeamSizeMonitor, BeamProfileMonitor, BeamStatsMonitor)


def is_aperture(element):
    """True for a transverse aperture (LimitRect, LimitEllipse, ..., LimitPolygon)."""
    return isinstance(element, TRANSVERSE_APERTURE_TYPES)


def is_transparent(element):
    """True for elements that do not change the coordinates (markers, monitors)."""
    return isinstance(element, _TRANSPARENT_TYPES)


def element_length(element):
    """Length that the element advances `s` by [m] (0 for thin elements)."""
    return float(getattr(element, "length", 0.0)) if getattr(element, "isthick", False) else 0.0


def thin_block(elements, index):
    """(first, last) indices of the run of zero-length elements that contains `index`."""
    first = index
    while first > 0 and element_length(elements[first - 1]) == 0:
        first -= 1
    last = index
    while last < len(elements) - 1 and element_length(elements[last + 1]) == 0:
        last += 1
    return first, last


@dataclass(frozen=True)
class Segment:
    """Where a particle lost on aperture `i_aper_1` is refined.

    Attributes
    ----------
    i_aper_0, i_aper_1 : int
        Upstream aperture and lost-on aperture.
    block_0, block_1 : tuple of int
        (first, last) indices of the thin blocks around the two apertures.
    s0, s1 : float
        Positions of the two apertures [m].
    """

    i_aper_0: int
    i_aper_1: int
    block_0: tuple
    block_1: tuple
    s0: float
    s1: float

    @property
    def i_start(self):
        """First element after the upstream aperture's block."""
        return self.block_0[1] + 1

    @property
    def i_stop(self):
        """First element of the lost-on aperture's block (excluded from the segment)."""
        return self.block_1[0]


def find_segment(elements, s_elements, i_aper_1):
    """The Segment ending at aperture `i_aper_1`, or None if no aperture is upstream of
    its thin block (the particle was lost on the first aperture of the line)."""
    block_1 = thin_block(elements, i_aper_1)
    i_aper_0 = next((ii for ii in range(block_1[0] - 1, -1, -1) if is_aperture(elements[ii])), None)
    if i_aper_0 is None:
        return None
    return Segment(i_aper_0=i_aper_0, i_aper_1=i_aper_1, block_0=thin_block(elements, i_aper_0),
                   block_1=block_1, s0=float(s_elements[i_aper_0]), s1=float(s_elements[i_aper_1]))


def obstacle_to_backtracking(elements, names, segment, allowed_types):
    """Why particles cannot be moved back through the segment (None when they can).

    Allowed between the two apertures: drift-like elements, markers and
    monitors, apertures, classes with ``allow_loss_refinement = True`` and
    instances of `allowed_types`; each must have an inverse map.
    """
    for ii in range(segment.i_aper_0 + 1, segment.i_aper_1):
        element = elements[ii]
        if is_transparent(element):
            continue
        kind = type(element).__name__
        allowed = (getattr(element, "behaves_like_drift", False) or is_aperture(element)
                   or getattr(type(element), "allow_loss_refinement", False)
                   or isinstance(element, tuple(allowed_types)))
        if not allowed:
            return (f"element {names[ii]!r} ({kind}) lies between apertures {names[segment.i_aper_0]!r} "
                    f"and {names[segment.i_aper_1]!r} and is not a drift nor in allowed_backtrack_types")
        if getattr(element, "iscollective", False) or getattr(type(element), "has_backtrack", False) is not True:
            return (f"element {names[ii]!r} ({kind}) between apertures {names[segment.i_aper_0]!r} and "
                    f"{names[segment.i_aper_1]!r} has no backtracking map")
    return None


def interpolation_fractions(length, ds):
    """End points, as fractions of `length`, of the pieces (at most `ds` long) that a
    thick element of `length` [m] is cut into; the last one is 1."""
    n_pieces = max(1, int(np.ceil(length / ds - 1e-9)))
    return np.arange(1, n_pieces + 1) / n_pieces
