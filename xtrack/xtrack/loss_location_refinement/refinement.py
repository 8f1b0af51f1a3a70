"""LossLocationRefinement: where, between two apertures, a lost particle really hit.

Tracking checks the apertures only where they are placed, so a particle lost
on an aperture is recorded at its `s` although it crossed the beam pipe
somewhere upstream. Assuming the pipe changes linearly between the previous
aperture and the one the particle was lost on, the refinement

1. measures both shapes as polygons (`aperture_polygon.py`),
2. moves the lost particles back to the exit of the upstream aperture's block
   (backtracking through the real elements; only drift-like elements, markers,
   monitors, apertures, classes with ``allow_loss_refinement`` and the
   `allowed_backtrack_types` may be in between),
3. tracks them forward through the same stretch cut in pieces of at most `ds`
   with the interpolated polygons after each piece (`refine_line.py`),
4. stores the coordinates and `s` where they are lost there.

The refined position is within `ds` downstream of the true crossing (it is
the first interpolated aperture outside which the particle lies). `state`,
`at_turn` and `at_element` (the index of the aperture the particle was lost
on, as loss maps expect) are left as they are.
"""

import logging

import numpy as np

from ..beam_elements.base import BeamElement
from .aperture_polygon import measure_aperture_polygon
from .refine_line import backtrack_elements, build_line, refine_elements
from .segment import find_segment, is_aperture, obstacle_to_backtracking

__all__ = ["LossLocationRefinement"]

_log = logging.getLogger(__name__)

# Per-particle coordinates that the refinement overwrites.
_COORDINATES = ("s", "x", "px", "y", "py", "zeta", "delta", "pzeta", "rpp", "rvv")

_DEFAULTS = {"n_theta": 360, "r_max": 1.0, "dr": 50e-6, "ds": 0.1}


def _positive(name, value, integer=False):
    if value is None:
        return _DEFAULTS[name]
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise TypeError(f"LossLocationRefinement: {name} must be a {'integer' if integer else 'number'}, "
                        f"got {value!r}.")
    if not value > 0:
        raise ValueError(f"LossLocationRefinement: {name} must be > 0, got {value!r}.")
    return int(value) if integer else float(value)


class LossLocationRefinement:
    """Refine the location of the particles lost on the apertures of a line.

    Parameters
    ----------
    line : xtrack.Line
        Line in which the particles were lost.
    backtrack_line : xtrack.Line, optional
        Line used to move particles back; it must have the same elements
        in the same order as `line` (indices are shared). Default: a line
        of copies of the elements between the two apertures.
    n_theta : int, default 360
        Number of rays used to measure each aperture shape.
    r_max : float, default 1.0
        Radius beyond the largest aperture [m]; rays stop there.
    dr : float, default 50e-6
        Radial resolution of the measured shapes [m].
    ds : float, default 0.1
        Longitudinal step of the interpolated apertures [m].
    save_refine_lines : bool, default False
        Keep the refinement lines in `refine_lines` (by aperture index).
    allowed_backtrack_types : list of type, default []
        Element classes that may lie between two apertures, besides drifts,
        markers, monitors and classes with ``allow_loss_refinement = True``.

    Notes
    -----
    Refine the losses of one tracking once: a refined particle is no longer
    at its aperture, and refining it again would move it back from there.
    Both apertures' shapes are measured once and kept (change an aperture
    after the first refinement: build a new LossLocationRefinement).

    Attributes
    ----------
    refine_lines : dict of int -> xtrack.Line
        Refinement lines, when `save_refine_lines` is True.
    skipped : dict of int -> str
        For each aperture whose losses were left unrefined, the reason.
    """

    def __init__(self, line, backtrack_line=None, n_theta=None, r_max=None, dr=None, ds=None,
                 save_refine_lines=False, allowed_backtrack_types=[]):
        from ..line.line import Line

        if not isinstance(line, Line):
            raise TypeError(f"LossLocationRefinement: line must be an xtrack.Line, got {type(line).__name__}.")
        if backtrack_line is not None:
            if not isinstance(backtrack_line, Line):
                raise TypeError("LossLocationRefinement: backtrack_line must be an xtrack.Line or None, "
                                f"got {type(backtrack_line).__name__}.")
            if len(backtrack_line) != len(line):
                raise ValueError(
                    f"LossLocationRefinement: backtrack_line has {len(backtrack_line)} elements but line has "
                    f"{len(line)}; it must have the same elements in the same order.")
        allowed = list(allowed_backtrack_types)
        for cls in allowed:
            if not (isinstance(cls, type) and issubclass(cls, BeamElement)):
                raise TypeError("LossLocationRefinement: allowed_backtrack_types must list element classes "
                                f"(xt.Multipole, ...), got {cls!r}.")
        self.n_theta = _positive("n_theta", n_theta, integer=True)
        if self.n_theta < 3:
            raise ValueError(f"LossLocationRefinement: n_theta must be >= 3, got {n_theta!r}.")
        self.r_max = _positive("r_max", r_max)
        self.dr = _positive("dr", dr)
        if self.dr >= self.r_max:
            raise ValueError(f"LossLocationRefinement: dr must be smaller than r_max={self.r_max} m, got {dr!r}.")
        self.ds = _positive("ds", ds)
        self.line = line
        self.backtrack_line = backtrack_line
        self.save_refine_lines = bool(save_refine_lines)
        self.allowed_backtrack_types = allowed
        self.refine_lines = {}
        self.skipped = {}
        self._polygons = {}
        line._ensure_tracker()
        self._elements = list(line.elements)
        self._names = list(line.element_names)
        self._s_elements = np.asarray(line.get_s_elements())
        self.i_apertures = [ii for ii, el in enumerate(self._elements) if is_aperture(el)]

    def refine_loss_location(self, particles, i_apertures=None):
        """Move the particles lost on apertures to where they crossed the interpolated aperture.

        Parameters
        ----------
        particles : xtrack.Particles
            Particles after tracking in `line`; those with ``state == 0`` and
            `at_element` on an aperture are refined, in place.
        i_apertures : list of int, optional
            Only refine the losses on these apertures (indices in the line).
            Default: all apertures.
        """
        from xpart import Particles

        if not isinstance(particles, Particles):
            raise TypeError(f"refine_loss_location: particles must be an xtrack.Particles, "
                            f"got {type(particles).__name__}.")
        targets = self._target_apertures(i_apertures)
        state = particles._host("state")
        at_element = particles._host("at_element")
        lost = (state == 0) & np.isin(at_element, targets)
        for i_aper in np.unique(at_element[lost]):
            self._refine_losses_on(particles, int(i_aper), np.flatnonzero(lost & (at_element == i_aper)))

    def _target_apertures(self, i_apertures):
        if i_apertures is None:
            return self.i_apertures
        targets = []
        for ii in i_apertures:
            if isinstance(ii, bool) or not isinstance(ii, (int, np.integer)) or ii not in self.i_apertures:
                raise ValueError(f"refine_loss_location: i_apertures must list indices of apertures of the "
                                 f"line ({self.i_apertures[:5]}...), got {ii!r}.")
            targets.append(int(ii))
        return targets

    def _skip(self, i_aper, reason):
        self.skipped[i_aper] = reason
        _log.warning("loss refinement on %r skipped: %s; losses left where tracking put them.",
                     self._names[i_aper], reason)

    def _refine_losses_on(self, particles, i_aper, indices):
        segment = find_segment(self._elements, self._s_elements, i_aper)
        if segment is None:
            self._skip(i_aper, "no aperture upstream of it in the line")
            return
        reason = obstacle_to_backtracking(self._elements, self._names, segment, self.allowed_backtrack_types)
        if reason is not None:
            self._skip(i_aper, reason)
            return
        self.skipped.pop(i_aper, None)
        reference = {"p0c": float(particles._host("p0c")[indices[0]]), "mass0": particles.mass0,
                     "q0": particles.q0}
        polygon_0 = self._polygon(segment.block_0[0], segment.i_aper_0, reference)
        polygon_1 = self._polygon(segment.block_1[0], i_aper, reference)
        work = self._working_copy(particles, indices)
        self._backtrack(work, segment)
        elements, _ = refine_elements(self._elements, self._names, self._s_elements, segment,
                                      polygon_0, polygon_1, self.ds)
        refine_line = build_line(elements, self.line._context)
        refine_line.track(work)
        if self.save_refine_lines:
            self.refine_lines[i_aper] = refine_line
        self._write_back(particles, indices, work)

    def _polygon(self, i_first, i_aperture, reference):
        key = (i_first, i_aperture)
        if key not in self._polygons:
            x, y, clipped = measure_aperture_polygon(
                self.line, i_first, i_aperture, reference, self.n_theta, self.r_max, self.dr)
            if np.any(clipped):
                _log.warning("loss refinement: aperture %r reaches r_max=%g m along %d of %d rays; its "
                             "shape is cut at r_max (raise r_max if particles are lost beyond it).",
                             self._names[i_aperture], self.r_max, int(np.sum(clipped)), self.n_theta)
            self._polygons[key] = (x, y)
        return self._polygons[key]

    @staticmethod
    def _working_copy(particles, indices):
        """The particles at `indices`, alive, numbered 0..n-1 in `particle_id` (tracking
        reorders particles; the numbers map them back)."""
        mask = np.zeros(particles._capacity, dtype=bool)
        mask[indices] = True
        work = particles.filter(particles._context.nparray_to_context_array(mask))
        work._store_host("particle_id", np.arange(len(indices), dtype=np.int64))
        work._store_host("state", np.ones(len(indices), dtype=np.int64))
        return work

    def _backtrack(self, work, segment):
        if self.backtrack_line is not None:
            self.backtrack_line.track(work, ele_start=segment.i_start, ele_stop=segment.i_aper_1, backtrack=True)
        else:
            build_line(backtrack_elements(self._elements, segment), self.line._context).track(work, backtrack=True)

    @staticmethod
    def _write_back(particles, indices, work):
        """Copy coordinates and s of the particles lost in the refinement line; the others
        (outside the real aperture but inside its polygon) keep their tracked values."""
        n = len(indices)
        order = np.argsort(work._host("particle_id")[:n])
        refined = work._host("state")[:n][order] <= 0
        if not np.all(refined):
            _log.info("loss refinement: %d of %d particles not lost in the refinement line; unchanged.",
                      int(np.sum(~refined)), n)
        target = indices[refined]
        for name in _COORDINATES:
            values = particles._host(name).copy()
            values[target] = work._host(name)[:n][order][refined]
            particles._store_host(name, values)
