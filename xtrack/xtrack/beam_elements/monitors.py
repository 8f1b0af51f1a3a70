"""Monitors: record particle coordinates while tracking.

`ParticlesMonitor` keeps every per-particle field of the particles whose
`particle_id` is in [part_id_start, part_id_end) at the turns
[start_at_turn, stop_at_turn) (optionally repeated `n_repetitions` times
every `repetition_period` turns). Records are stored in a `Particles`
struct, `data`, laid out as (repetition, particle, turn); attribute access
(`monitor.x`) gives arrays of shape (num_particles, num_turns) or
(n_repetitions, num_particles, num_turns). Slots never reached (turns after
a loss) hold zeros with state 0.

`LastTurnsMonitor` keeps the last `n_last_turns` records (one every
`every_n_turns` turns) of each particle in a ring buffer.
"""

import numpy as np
import xobjects as xo
from xpart import Particles
from xpart.particles.fields import PER_PARTICLE

from .base import BeamElement

__all__ = ["ParticlesMonitor", "LastTurnsMonitor"]


def _record_function():
    """C function copying every per-particle field of `part` into record `index` of `data`."""
    lines = ["GPUFUN void _xtrack_record_particle(ParticlesData data, int64_t index, LocalParticle* part){"]
    for name in PER_PARTICLE:
        lines.append(f"    ParticlesData_set_{name}(data, index, LocalParticle_get_{name}(part));")
    lines.append("}")
    return "\n".join(["#ifndef XTRACK_RECORD_PARTICLE", "#define XTRACK_RECORD_PARTICLE",
                      '#include "xtrack/headers/track.h"', *lines, "#endif", ""])


_RECORD_PARTICLE_C = _record_function()

_PARTICLES_MONITOR_C = """
#ifndef XTRACK_PARTICLES_MONITOR_H
#define XTRACK_PARTICLES_MONITOR_H
GPUFUN void ParticlesMonitor_track_local_particle(ParticlesMonitorData el, LocalParticle* part0){
    int64_t const start_at_turn = ParticlesMonitorData_get_start_at_turn(el);
    int64_t const stop_at_turn = ParticlesMonitorData_get_stop_at_turn(el);
    int64_t const part_id_start = ParticlesMonitorData_get_part_id_start(el);
    int64_t const part_id_end = ParticlesMonitorData_get_part_id_end(el);
    int64_t const ebe_mode = ParticlesMonitorData_get_ebe_mode(el);
    int64_t const n_repetitions = ParticlesMonitorData_get_n_repetitions(el);
    int64_t const repetition_period = ParticlesMonitorData_get_repetition_period(el);
    int64_t const n_turns = stop_at_turn - start_at_turn;
    int64_t const n_part = part_id_end - part_id_start;
    ParticlesData data = ParticlesMonitorData_getp_data(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        int64_t const at_turn = ebe_mode ? LocalParticle_get_at_element(part) : LocalParticle_get_at_turn(part);
        int64_t const pid = LocalParticle_get_particle_id(part);
        if (pid >= part_id_start && pid < part_id_end && at_turn >= start_at_turn){
            int64_t rep = 0;
            int64_t turn = at_turn - start_at_turn;
            if (n_repetitions > 1){
                rep = turn / repetition_period;
                turn = turn - rep * repetition_period;
            }
            if (rep < n_repetitions && turn < n_turns){
                int64_t const index = (rep * n_part + (pid - part_id_start)) * n_turns + turn;
                _xtrack_record_particle(data, index, part);
            }
        }
    END_PER_PARTICLE_BLOCK;
}
#endif
"""

_LAST_TURNS_MONITOR_C = """
#ifndef XTRACK_LAST_TURNS_MONITOR_H
#define XTRACK_LAST_TURNS_MONITOR_H
GPUFUN void LastTurnsMonitor_track_local_particle(LastTurnsMonitorData el, LocalParticle* part0){
    int64_t const n_last_turns = LastTurnsMonitorData_get_n_last_turns(el);
    int64_t const every_n_turns = LastTurnsMonitorData_get_every_n_turns(el);
    int64_t const pid_start = LastTurnsMonitorData_get_particle_id_start(el);
    int64_t const num_particles = LastTurnsMonitorData_get_num_particles(el);
    ParticlesData data = LastTurnsMonitorData_getp_data(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        int64_t const pid = LocalParticle_get_particle_id(part);
        int64_t const at_turn = LocalParticle_get_at_turn(part);
        if (pid >= pid_start && pid < pid_start + num_particles && at_turn % every_n_turns == 0){
            int64_t const slot = (at_turn / every_n_turns) % n_last_turns;
            _xtrack_record_particle(data, (pid - pid_start) * n_last_turns + slot, part);
        }
    END_PER_PARTICLE_BLOCK;
}
#endif
"""


def _empty_records(n, context=None, buffer=None):
    """Initialiser of a monitor's `data`: a Particles struct of `n` zero records (state 0).

    A dict of array lengths, so that the records are allocated (zeroed) in
    the monitor's own buffer: building a Particles object first and copying
    it costs about ten times more for the element-by-element monitors of twiss.
    """
    del context, buffer  # the records live where the monitor is built
    return {field.name: (max(n, 1) if hasattr(field.ftype, "_itemtype") else 0)
            for field in Particles._XoStruct._fields}


class _MonitorBase(BeamElement):
    """Shared behaviour: per-field views of the records."""

    _record_shape = ()

    def _records(self, name):
        values = getattr(self._xobject.data, name)
        return values[: int(np.prod(self._record_shape))].reshape(self._record_shape)

    def __getattr__(self, name):
        if name in PER_PARTICLE:  # the random-generator states _rng_s1.. too
            return self._records(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["data"] = {k: (np.asarray(v).tolist() if isinstance(v, np.ndarray) else v)
                       for k, v in self._xobject.data.to_dict().items()}
        return out


class ParticlesMonitor(_MonitorBase):
    """Record particle coordinates turn by turn (or element by element).

    Parameters
    ----------
    start_at_turn : int, default 0
        First turn recorded.
    stop_at_turn : int
        One past the last turn recorded.
    num_particles : int, optional
        Particles with ids 0 .. num_particles-1 are recorded (or give
        `particle_id_range`).
    particle_id_range : tuple of int, optional
        (first id, one past the last id) of the recorded particles.
    n_repetitions : int, default 1
        Number of recording windows.
    repetition_period : int, default -1
        Turns between the starts of consecutive windows.
    auto_to_numpy : bool, default True
        Attribute access returns numpy arrays (kept for compatibility).
    """

    _xofields = {
        "start_at_turn": xo.Int64,
        "stop_at_turn": xo.Int64,
        "part_id_start": xo.Int64,
        "part_id_end": xo.Int64,
        "ebe_mode": xo.Int64,
        "n_records": xo.Int64,
        "n_repetitions": xo.Int64,
        "repetition_period": xo.Int64,
        "data": Particles._XoStruct,
    }
    _extra_c_sources = [_RECORD_PARTICLE_C, _PARTICLES_MONITOR_C]
    _skip_in_to_dict = ["data"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, start_at_turn=0,
                 stop_at_turn=None, num_particles=None, particle_id_range=None, n_repetitions=1,
                 repetition_period=-1, ebe_mode=0, auto_to_numpy=True, data=None, n_records=None,
                 part_id_start=None, part_id_end=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        if particle_id_range is not None:
            if num_particles is not None:
                raise ValueError("ParticlesMonitor: give num_particles or particle_id_range, not both.")
            part_id_start, part_id_end = (int(v) for v in particle_id_range)
        elif num_particles is not None:
            part_id_start, part_id_end = 0, int(num_particles)
        elif part_id_start is None or part_id_end is None:
            raise ValueError("ParticlesMonitor needs num_particles or particle_id_range.")
        if stop_at_turn is None:
            raise ValueError("ParticlesMonitor needs stop_at_turn.")
        n_turns = int(stop_at_turn) - int(start_at_turn)
        n_part = int(part_id_end) - int(part_id_start)
        if n_turns < 0 or n_part < 0:
            raise ValueError(
                f"ParticlesMonitor: empty or negative ranges (turns {start_at_turn}..{stop_at_turn}, "
                f"particle ids {part_id_start}..{part_id_end}).")
        n_repetitions = int(n_repetitions)
        if n_repetitions > 1 and repetition_period < n_turns:
            raise ValueError(
                f"ParticlesMonitor: repetition_period must be >= stop_at_turn - start_at_turn "
                f"({n_turns}) when n_repetitions > 1, got {repetition_period}.")
        n_records = n_turns * n_part * n_repetitions
        if data is None:
            data = _empty_records(n_records, context=_context, buffer=_buffer)
        elif isinstance(data, dict):
            data = Particles.from_dict(data, _context=_context)._xobject
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         start_at_turn=int(start_at_turn), stop_at_turn=int(stop_at_turn),
                         part_id_start=int(part_id_start), part_id_end=int(part_id_end),
                         ebe_mode=int(ebe_mode), n_records=n_records, n_repetitions=n_repetitions,
                         repetition_period=int(repetition_period), data=data, **kwargs)
        self.auto_to_numpy = auto_to_numpy

    @property
    def _record_shape(self):
        n_turns = self.stop_at_turn - self.start_at_turn
        n_part = self.part_id_end - self.part_id_start
        if self.n_repetitions > 1:
            return (self.n_repetitions, n_part, n_turns)
        return (n_part, n_turns)


class LastTurnsMonitor(_MonitorBase):
    """Keep the last `n_last_turns` records of each particle (e.g. before its loss).

    Parameters
    ----------
    n_last_turns : int
        Records kept per particle.
    particle_id_range : tuple of int, optional
        (first id, one past the last id); or give `num_particles`.
    num_particles : int, optional
        Particles 0 .. num_particles-1.
    every_n_turns : int, default 1
        Record one turn in `every_n_turns`.
    """

    _xofields = {
        "particle_id_start": xo.Int64,
        "num_particles": xo.Int64,
        "n_last_turns": xo.Int64,
        "every_n_turns": xo.Int64,
        "data": Particles._XoStruct,
    }
    _extra_c_sources = [_RECORD_PARTICLE_C, _LAST_TURNS_MONITOR_C]
    _skip_in_to_dict = ["data"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, n_last_turns=None,
                 particle_id_range=None, num_particles=None, every_n_turns=1, data=None,
                 particle_id_start=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        if particle_id_range is not None:
            particle_id_start = int(particle_id_range[0])
            num_particles = int(particle_id_range[1]) - particle_id_start
        elif num_particles is not None:
            particle_id_start = 0 if particle_id_start is None else particle_id_start
        else:
            raise ValueError("LastTurnsMonitor needs num_particles or particle_id_range.")
        if n_last_turns is None or int(n_last_turns) < 1:
            raise ValueError(f"LastTurnsMonitor: n_last_turns must be a positive integer, got {n_last_turns!r}.")
        if int(every_n_turns) < 1:
            raise ValueError(f"LastTurnsMonitor: every_n_turns must be >= 1, got {every_n_turns!r}.")
        n = int(num_particles) * int(n_last_turns)
        if data is None:
            data = _empty_records(n, context=_context, buffer=_buffer)
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         particle_id_start=int(particle_id_start), num_particles=int(num_particles),
                         n_last_turns=int(n_last_turns), every_n_turns=int(every_n_turns), data=data,
                         **kwargs)

    @property
    def _record_shape(self):
        return (self.num_particles, self.n_last_turns)

    def _records(self, name):
        """Records of each particle in time order (oldest first), as (num_particles, n_last_turns)."""
        raw = super()._records(name)
        at_turn = super()._records("at_turn")
        empty = super()._records("state") <= 0  # records are only made of alive particles
        order = np.argsort(np.where(empty, -1, at_turn), axis=1, kind="stable")
        return np.take_along_axis(raw, order, axis=1)
