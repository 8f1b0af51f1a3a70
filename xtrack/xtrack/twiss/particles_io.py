"""Coordinate arrays <-> test particles tracked through a line, for the optics.

Every optics computation of this package (closed orbit, one-turn matrix,
propagation of the normal form) tracks a handful of particles built around
a reference orbit and reads their coordinates back. This module is that
seam with the tracker: it builds `Particles` on the line's context from a
(6, n) array in the order (x, px, y, py, zeta, delta), tracks them with the
public `line.track`, and returns the coordinates ordered by particle id.
"""

import weakref

import numpy as np
from xpart import Particles

__all__ = ["COORDS", "frozen_energy", "make_particles", "particles_coords", "track_coords",
           "track_coords_ebe", "tracker_cache"]

#: Coordinates of the optics, in this order. The last one is delta here;
#: the one-turn matrix is expressed in pzeta (see one_turn_matrix.py).
COORDS = ("x", "px", "y", "py", "zeta", "delta")


# Per tracker: element-by-element monitors by particle count (allocating and zeroing
# one for the LHC costs ~35 ms, a third of a twiss propagation), and other data
# that only change when the tracker is rebuilt. Entries go with their tracker.
_TRACKER_CACHE = weakref.WeakKeyDictionary()
_MAX_CACHED_MONITORS = 4


def tracker_cache(line):
    """Dict of optics data attached to the line's current tracker (new tracker: new dict)."""
    tracker = line._ensure_tracker()
    try:
        return _TRACKER_CACHE.setdefault(tracker, {})
    except TypeError:  # a tracker that cannot be weakly referenced: nothing is cached
        return {}


class frozen_energy:
    """Context of a track with `freeze_longitudinal`: thick cavities at zero voltage.

    The tracker restores the energy after every element; inside a thick
    cavity the RF kick would still change delta for its second half drift,
    so the frozen transverse map would depend on zeta (SPS 200 MHz cavity,
    4 m: 2e-7 in the vertical one-turn matrix for zeta = 2.6e-4 m, the W
    functions of the off-momentum optics 2.4x the reference tolerance). With
    the energy frozen the RF has no other effect: the cavity is its drift.
    Voltages are read and restored on every use (knobs may change them).
    """

    def __init__(self, line, active):
        self.line, self.active, self.saved = line, bool(active), []

    def __enter__(self):
        if self.active:
            for element in _thick_cavities(self.line):
                voltage = element.voltage
                if voltage != 0:
                    self.saved.append((element, voltage))
                    element.voltage = 0.0
        return self

    def __exit__(self, *exc):
        for element, voltage in self.saved:
            element.voltage = voltage
        self.saved = []
        return False


def _thick_cavities(line):
    cache = tracker_cache(line)
    if "thick_cavities" not in cache:
        from ..beam_elements import Cavity

        found, seen = [], set()
        for name in line.element_names:
            element = line.element_dict.get(name)
            if isinstance(element, Cavity) and id(element) not in seen \
                    and float(getattr(element, "length", 0.0) or 0.0) != 0.0:
                seen.add(id(element))
                found.append(element)
        cache["thick_cavities"] = found
    return cache["thick_cavities"]


def _ebe_monitor(line, n_particles):
    """A ONE_TURN_EBE monitor for particle ids 0 .. n_particles-1, reused between calls.

    Reuse is safe because every call reads only the columns of the elements it
    tracked through, and a call with lost particles raises before its records
    are used.
    """
    from ..beam_elements.monitors import ParticlesMonitor

    tracker = line._ensure_tracker()
    monitors = tracker_cache(line).setdefault("ebe_monitors", {})
    key = (n_particles, tracker.num_elements)
    monitor = monitors.get(key)
    if monitor is None:
        if len(monitors) >= _MAX_CACHED_MONITORS:
            monitors.pop(next(iter(monitors)))
        monitor = ParticlesMonitor(start_at_turn=0, stop_at_turn=tracker.num_elements + 1, ebe_mode=1,
                                   particle_id_range=(0, n_particles), _context=tracker._context)
        monitors[key] = monitor
    return monitor


def _context_of(line):
    tracker = line._ensure_tracker()
    return tracker._context


def _to_numpy(context, array):
    if isinstance(array, np.ndarray):
        return array
    return context.nparray_from_context_array(array)


def make_particles(line, coords, particle_ref=None, at_element=None):
    """Particles with coordinates `coords` (shape (6, n), order COORDS) on the line's context."""
    ref = line.particle_ref if particle_ref is None else particle_ref
    if ref is None:
        raise ValueError("the line has no reference particle; set line.particle_ref "
                         "(e.g. line.set_particle_ref('proton', p0c=7e12)).")
    context = _context_of(line)
    coords = np.asarray(coords, dtype=float)
    kwargs = {name: coords[ii] for ii, name in enumerate(COORDS)}
    p0 = {k: float(_to_numpy(ref._context, getattr(ref, k))[0]) for k in ("p0c",)}
    extra = {}
    if at_element is not None:
        extra["at_element"] = at_element
    chi = getattr(ref, "chi", None)
    if chi is not None:
        extra["chi"] = float(_to_numpy(ref._context, chi)[0])
        extra["charge_ratio"] = float(_to_numpy(ref._context, ref.charge_ratio)[0])
    return Particles(_context=context, mass0=ref.mass0, q0=ref.q0, p0c=p0["p0c"], **kwargs, **extra)


def particles_coords(particles, names=COORDS):
    """(len(names), n) array of the particles' coordinates, ordered by particle id."""
    context = particles._context
    pid = _to_numpy(context, particles.particle_id)
    order = np.argsort(pid, kind="stable")
    return np.array([_to_numpy(context, getattr(particles, n))[order] for n in names])


def particles_state(particles):
    context = particles._context
    pid = _to_numpy(context, particles.particle_id)
    return _to_numpy(context, particles.state)[np.argsort(pid, kind="stable")]


def track_coords(line, coords, freeze_longitudinal=False, ele_start=None, ele_stop=None,
                 num_turns=1, particle_ref=None):
    """Track the particles of `coords` (6, n) and return (final coords, state)."""
    particles = make_particles(line, coords, particle_ref=particle_ref, at_element=ele_start)
    with frozen_energy(line, freeze_longitudinal):
        line.track(particles, ele_start=ele_start, ele_stop=ele_stop, num_turns=num_turns,
                   freeze_longitudinal=freeze_longitudinal)
    return particles_coords(particles), particles_state(particles)


def track_coords_ebe(line, coords, freeze_longitudinal=False, ele_start=0, ele_stop=None,
                     particle_ref=None, extra_names=(), backtrack=False):
    """Coordinates at the entry of every element from `ele_start` to `ele_stop` and at its end.

    With `backtrack`, `coords` are at the end (the entry of `ele_stop`) and the
    particles go backwards to `ele_start`; the record has the same layout.

    Returns
    -------
    record : dict name -> ndarray, shape (n_particles, n_points)
        n_points = ele_stop - ele_start + 1: one column per element entry
        and a last column after the last element tracked.
    state : ndarray (n_particles,)
        Final state of each particle (> 0: alive).
    """
    n_elements = len(line.element_names)
    stop = n_elements if ele_stop is None else ele_stop
    particles = make_particles(line, coords, particle_ref=particle_ref,
                               at_element=stop % n_elements if backtrack else ele_start)
    names = tuple(COORDS) + tuple(extra_names)
    # backwards, the given coordinates are the last column (the monitor records entries)
    given = particles_coords(particles, names) if backtrack else None
    with frozen_energy(line, freeze_longitudinal):
        line.track(particles, ele_start=ele_start,
                   ele_stop=None if stop == n_elements else stop,
                   turn_by_turn_monitor=_ebe_monitor(line, np.shape(coords)[1]),
                   freeze_longitudinal=freeze_longitudinal,
                   backtrack=backtrack)
    monitor = line.record_last_track
    final = given if backtrack else particles_coords(particles, names)
    record = {}
    for k, name in enumerate(names):
        data = np.asarray(getattr(monitor, name))
        # rows of the monitor are particle ids from part_id_start on
        block = np.array(data[:, ele_start:stop], dtype=float)
        record[name] = np.concatenate([block, final[k][:, None]], axis=1)
    return record, particles_state(particles)
