"""What runs on a Dask worker: build the line once, track one chunk with the ordinary tracker.

The line dict is scattered once to every worker; each worker process keeps
the `Line` built from it (and its compiled tracker) under the line's token
(the content hash, see shipping.py), so the chunks after the first, and the
runs after the first with the same line, cost only their tracking. One lock per line:
a worker with several threads never tracks two chunks through the same
tracker (its monitors and `record_last_track` are per line).
"""

import os
import threading
import time

from xpart import Particles
from xpart.particles.fields import PER_PARTICLE

from .records import monitor_config, owned_slots, read_slots, write_slots
from .shipping import install_modules

__all__ = ["track_chunk"]

_KEPT_LINES = 2  # lines kept per worker process: the current one and the one before
_lines = {}      # token -> (line, lock), in insertion order
_lines_lock = threading.Lock()


def _line_for(token, shipped):
    """(line, lock, built) for `token` in this process; built (with its tracker) at its first chunk."""
    with _lines_lock:
        if token in _lines:
            _lines[token] = _lines.pop(token)  # most recently used last
            return (*_lines[token], False)
        from ..line import Line

        install_modules(shipped["modules"])  # before the tracker looks its kernel up
        line = Line.from_dict(shipped["line"])
        line.build_tracker()
        _lines[token] = (line, threading.Lock())
        while len(_lines) > _KEPT_LINES:
            _lines.pop(next(iter(_lines)))
        return (*_lines[token], True)


def track_chunk(token, shipped, chunk, track_kwargs):
    """Track one chunk of particles; return its final particles and its monitor records.

    Parameters
    ----------
    token : str
        Identifies the run (and the scattered line) in the worker's cache.
    shipped : dict
        The scattered copy of the caller's line: `line` (its dict, see
        `shipping.shipped_line`) and `modules` (its compiled kernel modules).
    chunk : dict
        `particles`: the chunk's `Particles.to_dict`; `monitor_records`:
        {monitor name: {field: values}} of the caller's line monitors at the
        chunk's slots; `user_monitor`: None or (config, records) of the
        caller's turn-by-turn ParticlesMonitor.
    track_kwargs : dict
        Keyword arguments of `Line.track`.

    Times are wall (`seconds`) and CPU time of the worker's thread
    (`cpu_seconds`), each for the whole chunk and for `line.track` alone: on
    a loaded machine only the CPU times say what the work costs.
    """
    from ..beam_elements.monitors import ParticlesMonitor

    t0, c0 = time.perf_counter(), time.thread_time()
    line, lock, built = _line_for(token, shipped)
    particles = Particles.from_dict(chunk["particles"])
    pids = particles._host("particle_id").copy()
    kwargs = dict(track_kwargs)
    user_monitor = None
    if chunk["user_monitor"] is not None:
        config, records = chunk["user_monitor"]
        user_monitor = ParticlesMonitor(**config)
        write_slots(user_monitor, owned_slots(user_monitor, pids), records)
        kwargs["turn_by_turn_monitor"] = user_monitor
    with lock:
        monitors = {name: line.element_dict[name] for name in chunk["monitor_records"]}
        slots = {name: owned_slots(m, pids) for name, m in monitors.items()}
        for name, monitor in monitors.items():  # start from the caller's records, as a serial run
            write_slots(monitor, slots[name], chunk["monitor_records"][name])
        t_track, c_track = time.perf_counter(), time.thread_time()
        line.track(particles, **kwargs)
        t_track, c_track = time.perf_counter() - t_track, time.thread_time() - c_track
        monitor_records = {name: read_slots(m, slots[name]) for name, m in monitors.items()}
        record = line.record_last_track
    out = {"particles": {name: particles._host(name).copy() for name in PER_PARTICLE},
           "monitor_records": monitor_records, "turn_by_turn": None,
           "track_seconds": t_track, "seconds": 0.0, "track_cpu_seconds": c_track, "cpu_seconds": 0.0,
           "line_built": built, "worker_pid": os.getpid()}
    if user_monitor is not None:
        out["turn_by_turn"] = read_slots(user_monitor, owned_slots(user_monitor, pids))
    elif record is not None and kwargs.get("turn_by_turn_monitor") not in (None, False):
        out["turn_by_turn"] = (monitor_config(record), read_slots(record, owned_slots(record, pids)))
    out["seconds"], out["cpu_seconds"] = time.perf_counter() - t0, time.thread_time() - c0
    return out
