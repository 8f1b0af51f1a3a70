"""Monitor records owned by a chunk of particles: which slots, read, write, place.

A `ParticlesMonitor` keeps the records of particle `pid` at the slots
``(rep * n_part + pid - part_id_start) * n_turns + turn`` and a
`LastTurnsMonitor` at ``(pid - particle_id_start) * n_last_turns + slot``
(see beam_elements/monitors.py). Chunks hold disjoint particle ids, so each
chunk owns disjoint slots: copying the owned slots of every chunk into the
caller's monitor rebuilds exactly what a serial run writes there.
"""

import numpy as np
from xpart.particles.fields import PER_PARTICLE

from ..beam_elements.monitors import LastTurnsMonitor, ParticlesMonitor

__all__ = ["owned_slots", "read_slots", "write_slots", "monitor_config", "place_turn_rows"]


def _ids_in_range(pids, first, count):
    pids = np.asarray(pids, dtype=np.int64)
    return pids[(pids >= first) & (pids < first + count)] - first


def owned_slots(monitor, pids):
    """Record slots (int64 array) of `monitor` that belong to the particle ids `pids`."""
    if isinstance(monitor, LastTurnsMonitor):
        rows = _ids_in_range(pids, int(monitor.particle_id_start), int(monitor.num_particles))
        n_last = int(monitor.n_last_turns)
        return (rows[:, None] * n_last + np.arange(n_last)[None, :]).ravel()
    if isinstance(monitor, ParticlesMonitor):
        return _turn_slots(monitor_config(monitor), pids)
    raise TypeError(f"owned_slots: monitor must be a ParticlesMonitor or LastTurnsMonitor, "
                    f"got {type(monitor).__name__}.")


def _turn_slots(config, pids):
    """Slots of `pids` in a ParticlesMonitor of constructor arguments `config`."""
    first, end = config["particle_id_range"]
    n_turns = config["stop_at_turn"] - config["start_at_turn"]
    reps = np.arange(max(config["n_repetitions"], 1))
    rows = _ids_in_range(pids, first, end - first)
    return ((reps[:, None, None] * (end - first) + rows[None, :, None]) * n_turns
            + np.arange(n_turns)[None, None, :]).ravel()


def read_slots(monitor, slots):
    """{field: values at `slots`} of every per-particle field of the monitor's records."""
    data = monitor._xobject.data  # a Particles object: host access over its whole capacity
    return {name: data._host(name)[slots].copy() for name in PER_PARTICLE}


def write_slots(monitor, slots, values):
    """Write `values` ({field: array}, as from `read_slots`) at `slots` of the monitor's records."""
    data = monitor._xobject.data
    for name in PER_PARTICLE:  # raw stores: the records are copies, not updates to make consistent
        data._set_host_items(name, slots, values[name])


def monitor_config(monitor):
    """The constructor arguments of a ParticlesMonitor without its records (to rebuild it empty)."""
    return {"start_at_turn": int(monitor.start_at_turn), "stop_at_turn": int(monitor.stop_at_turn),
            "particle_id_range": (int(monitor.part_id_start), int(monitor.part_id_end)),
            "n_repetitions": int(monitor.n_repetitions),
            "repetition_period": int(monitor.repetition_period), "ebe_mode": int(monitor.ebe_mode)}


def place_turn_rows(target, config, pids, values):
    """Copy a chunk's turn-by-turn rows into the merged monitor `target`.

    The chunk's monitor (`config`, as from `monitor_config`, one repetition)
    was built by its own tracker from the chunk's particles, so its first
    turn and id range may differ from the merged one; the turn of each
    record is kept (records outside the target's turns are dropped, as a
    serial run never writes them).
    """
    slots = _turn_slots(config, pids)
    n_turns = config["stop_at_turn"] - config["start_at_turn"]
    pid = slots // n_turns + config["particle_id_range"][0]
    turns = slots % n_turns + config["start_at_turn"] - int(target.start_at_turn)
    target_turns = int(target.stop_at_turn - target.start_at_turn)
    keep = (turns >= 0) & (turns < target_turns)
    target_slots = (pid[keep] - int(target.part_id_start)) * target_turns + turns[keep]
    write_slots(target, target_slots, {name: v[keep] for name, v in values.items()})
