"""The two auxiliary lines of a refinement: backtracking and re-tracking.

Backtracking line: the elements between the upstream aperture's block and the
lost-on aperture (markers and monitors left out: they do not move particles
and monitors have no inverse map), tracked with ``backtrack=True``.

Refinement line: the same stretch with every thick element cut into pieces
of at most `ds` and, after each piece, a LimitPolygon interpolated linearly
in s between the shapes of the two apertures. Magnets are cut into thick
slices of themselves, so the particles follow the real map, not a drift.
"""

import logging

from ..beam_elements.drift import Drift
from .aperture_polygon import interpolate_polygon
from .segment import element_length, interpolation_fractions, is_transparent

__all__ = ["backtrack_elements", "refine_elements", "build_line"]

_log = logging.getLogger(__name__)


def backtrack_elements(elements, segment):
    """Copies of the elements that a particle lost on `segment.i_aper_1` is moved back
    through, in line order (backtracking runs them from the last one)."""
    return [elements[ii].copy() for ii in range(segment.i_start, segment.i_aper_1)
            if not is_transparent(elements[ii])]


def _thick_pieces(element, name, fractions):
    """Consecutive pieces of a thick element ending at `fractions` of its length."""
    length = element_length(element)
    if getattr(element, "behaves_like_drift", False):
        starts = [0.0] + list(fractions[:-1])
        return [Drift(length=length * (end - start)) for start, end in zip(starts, fractions)]
    if len(fractions) == 1:
        return [element.copy()]
    from ..line.line import Line
    from ..line.slicing import Strategy, Uniform

    piece_line = Line(elements=[element.copy()], element_names=[name])
    try:
        piece_line.slice_thick_elements([Strategy(slicing=Uniform(len(fractions), mode="thick"))])
    except (NotImplementedError, TypeError, ValueError) as error:
        # Unsliceable element: tracked whole, the crossing is only resolved at its exit.
        _log.info("loss refinement: %s (%s) not sliced (%s); interpolated aperture only at its exit",
                  name, type(element).__name__, error)
        return [element.copy()]
    # slices read their parent in piece_line: the refinement line gets plain equivalents
    return [getattr(piece, "_equivalent_element", piece.copy)() for piece in piece_line._resolved_elements()]


def refine_elements(elements, names, s_elements, segment, polygon_0, polygon_1, ds):
    """Elements of the refinement line and the positions [m] of its interpolated
    apertures (one after every thick piece; the last one is the lost-on aperture's shape)."""
    out, s_apertures = [], []
    s = float(s_elements[segment.i_start])
    span = segment.s1 - segment.s0
    for ii in range(segment.i_start, segment.i_stop):
        element = elements[ii]
        length = element_length(element)
        if length == 0:
            if not is_transparent(element):
                out.append(element.copy())
            continue
        for piece in _thick_pieces(element, names[ii], interpolation_fractions(length, ds)):
            out.append(piece)
            s += element_length(piece)
            if element_length(piece) > 0:
                fraction = min(max((s - segment.s0) / span, 0.0), 1.0)
                out.append(interpolate_polygon(polygon_0, polygon_1, fraction))
                s_apertures.append(s)
    return out, s_apertures


def build_line(elements, context):
    """A tracker-ready Line of `elements`, without end-of-turn resets of s."""
    from ..line.line import Line

    line = Line(elements=elements)
    line.reset_s_at_end_turn = False
    line.build_tracker(_context=context)
    return line
