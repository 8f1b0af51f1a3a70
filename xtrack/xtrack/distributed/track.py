"""`track`: the particles of one `Line.track` call, tracked in chunks on a Dask cluster."""

import time
import uuid
from dataclasses import dataclass, field

import numpy as np

from ..beam_elements.monitors import LastTurnsMonitor, ParticlesMonitor
from ..progress_indicator import progress
from ..tracker.tracker import generation_mark
from .chunks import ParticleChunks
from .records import monitor_config, owned_slots, place_turn_rows, read_slots, write_slots
from .shipping import compiled_modules, scattered_line, shipped_line
from .worker import track_chunk

__all__ = ["track", "ChunkTrackingError", "DistributedTrackingReport"]

_CHUNKS_PER_WORKER_THREAD = 4  # enough for load balancing and cheap retries, few enough to amortise


class ChunkTrackingError(RuntimeError):
    """A chunk could not be tracked; nothing was written into the caller's objects.

    Attributes
    ----------
    chunk_index : int
        Index of the chunk (chunks hold consecutive slots of the active particles).
    particle_ids : numpy.ndarray
        The particle ids of the chunk.
    """

    def __init__(self, message, chunk_index, particle_ids):
        super().__init__(message)
        self.chunk_index = chunk_index
        self.particle_ids = particle_ids


@dataclass
class DistributedTrackingReport:
    """What a distributed run cost: chunks, workers and times [s].

    Wall times say what the run took; CPU times (of the caller process and
    of each worker's thread) say what the work cost, also on a machine
    whose cores are shared with other jobs.
    """

    num_workers: int
    particles_per_chunk: list = field(default_factory=list)
    chunk_seconds: list = field(default_factory=list)        # on the worker, per chunk, all included
    chunk_track_seconds: list = field(default_factory=list)  # inside line.track only
    chunk_cpu_seconds: list = field(default_factory=list)    # CPU time of the worker thread, per chunk
    chunk_track_cpu_seconds: list = field(default_factory=list)  # the same inside line.track only
    chunk_worker_pids: list = field(default_factory=list)    # which worker process tracked each chunk
    line_builds: int = 0        # chunks that built the line on their worker (0: every worker had it)
    wall_seconds: float = 0.0   # in the caller, scatter to merge
    caller_cpu_seconds: float = 0.0  # CPU time of the caller process over the same span (with a
                                     # LocalCluster, its scheduler runs in this process too)
    caller_thread_cpu_seconds: float = 0.0  # of the calling thread alone: line dict, chunks, merge

    @property
    def num_chunks(self):
        return len(self.particles_per_chunk)

    @property
    def overhead_per_chunk(self):
        """Worker-seconds not spent in `line.track`, per chunk (transfers, line build, merge share)."""
        if not self.num_chunks:
            return 0.0
        busy = self.wall_seconds * self.num_workers
        return (busy - sum(self.chunk_track_seconds)) / self.num_chunks

    @property
    def cpu_overhead_per_chunk(self):
        """CPU-seconds not spent in `line.track`, per chunk: the workers' rest plus the caller's."""
        if not self.num_chunks:
            return 0.0
        rest = sum(self.chunk_cpu_seconds) - sum(self.chunk_track_cpu_seconds)
        return (rest + self.caller_cpu_seconds) / self.num_chunks

    @property
    def cpu_bound_wall_seconds(self):
        """The run's wall time on free cores, from CPU times: the calling thread's CPU time
        (line dict, chunks, merge: not overlapped with tracking) plus the busiest worker's."""
        per_worker = {}
        for pid, cpu in zip(self.chunk_worker_pids, self.chunk_cpu_seconds, strict=True):
            per_worker[pid] = per_worker.get(pid, 0.0) + cpu
        return self.caller_thread_cpu_seconds + max(per_worker.values(), default=0.0)


def _require_distributed():
    try:
        import distributed
    except ImportError as err:
        raise ImportError("xt.distributed.track needs dask.distributed: "
                          "pip install 'xtrack[distributed]' (or 'dask[distributed]').") from err
    return distributed


def _check_arguments(line, particles, num_turns, client, num_chunks, turn_by_turn_monitor):
    from xpart import Particles

    from ..beam_elements.beam_monitors import _SamplingMonitor
    from ..beam_elements.beam_stats_monitor import BeamStatsMonitor
    from ..line import Line

    if not isinstance(line, Line):
        raise TypeError(f"xt.distributed.track: line must be an xtrack.Line, got {type(line).__name__}.")
    if not isinstance(particles, Particles):
        raise TypeError(f"xt.distributed.track: particles must be an xtrack.Particles, "
                        f"got {type(particles).__name__}.")
    if isinstance(num_turns, bool) or not isinstance(num_turns, (int, np.integer)) or num_turns < 1:
        raise ValueError(f"xt.distributed.track: num_turns must be a positive integer, got {num_turns!r}.")
    if num_chunks is not None and (isinstance(num_chunks, bool) or not isinstance(num_chunks, (int, np.integer))
                                   or num_chunks < 1):
        raise ValueError(f"xt.distributed.track: num_chunks must be None or a positive integer, "
                         f"got {num_chunks!r}.")
    if client is not None and not (hasattr(client, "submit") and hasattr(client, "scatter")):
        raise TypeError(f"xt.distributed.track: client must be a dask.distributed.Client or None, "
                        f"got {type(client).__name__}.")
    if turn_by_turn_monitor not in (None, False, True, "ONE_TURN_EBE") \
            and not isinstance(turn_by_turn_monitor, ParticlesMonitor):
        raise ValueError(f"xt.distributed.track: turn_by_turn_monitor must be True, False, None, "
                         f"'ONE_TURN_EBE' or a ParticlesMonitor, got {turn_by_turn_monitor!r}.")
    collective = [n for n, e in line.element_dict.items() if getattr(e, "iscollective", False)]
    if collective:
        raise ValueError(f"xt.distributed.track: collective elements act on all particles at once and "
                         f"cannot be tracked in chunks: {', '.join(collective[:5])}.")
    summing = [n for n, e in line.element_dict.items() if isinstance(e, (_SamplingMonitor, BeamStatsMonitor))]
    if summing:
        raise ValueError(f"xt.distributed.track: beam-statistics monitors sum over all particles and "
                         f"cannot be merged from chunks: {', '.join(summing[:5])}.")


def _prepare_like_the_tracker(line, chunks):
    """Revolution time and random seeds set once in the caller, as the serial tracker sets them
    on the whole set, so that every chunk tracks what the serial run tracks."""
    from xpart.particles.fields import RNG_FIELDS
    from xpart.particles.random import seed_states

    host = chunks.host
    t_sim = chunks.scalars["t_sim"]
    beta0 = host["beta0"][host["state"] > 0]
    if not t_sim:
        length = line.get_length()
        if length > 0 and len(beta0) and beta0[0] > 0:
            t_sim = length / (float(beta0[0]) * 299792458.0)
    chunks.scalars["t_sim"] = t_sim
    needs_rng = line._extra_config.get("_needs_rng") or any(
        getattr(type(e), "needs_rng", False) for e in line.element_dict.values())
    if needs_rng and len(host["_rng_s1"]) and not host["_rng_s1"].any():
        for name, words in zip(RNG_FIELDS, seed_states(len(host["_rng_s1"])), strict=True):
            host[name] = words
    return t_sim


def _start_local_cluster():
    distributed = _require_distributed()
    # a free port for the dashboard: the default one may be taken by another session's cluster
    cluster = distributed.LocalCluster(processes=True, threads_per_worker=1, dashboard_address=":0")
    return distributed.Client(cluster), cluster


def _worker_threads(client):
    workers = client.scheduler_info()["workers"]
    return len(workers), sum(w.get("nthreads", 1) for w in workers.values())


def _gather(client, futures, chunks, with_progress):
    """Results of every chunk, in chunk order; the first failure cancels the rest and raises."""
    distributed = _require_distributed()
    index_of = {fut.key: ii for ii, fut in enumerate(futures)}
    results = [None] * len(futures)
    done = distributed.as_completed(futures)
    if with_progress:
        done = progress(done, desc="Tracking chunks", total=len(futures))
    for fut in done:
        ii = index_of[fut.key]
        try:
            results[ii] = fut.result()
        except Exception as err:
            client.cancel(futures)
            if isinstance(err, distributed.KilledWorker):
                why = "its workers died while tracking it, more often than the scheduler allows"
            else:
                why = f"{type(err).__name__}: {err}"
            raise ChunkTrackingError(f"xt.distributed.track: {chunks.describe(ii)} failed: {why}. "
                                     f"The caller's particles and monitors are unchanged.",
                                     ii, chunks.ids(ii)) from err
    return results


def track(line, particles, num_turns=1, client=None, num_chunks=None, ele_start=None, ele_stop=None,
          num_elements=None, turn_by_turn_monitor=None, freeze_longitudinal=False, backtrack=False,
          with_progress=True):
    """Track `particles` through `line` on a Dask cluster, in place, as `line.track` would.

    The line (its elements and configuration, without the variables) is
    scattered once to every worker, which builds it and its tracker once
    (its compiled kernels travel with it, for workers whose disk cache lacks
    them); a later call with an unchanged line reuses both (see `shipping`). The active
    particles are split into chunks of consecutive slots; each chunk is
    tracked with the ordinary tracker on the worker's default context. When
    every chunk is back, the results are written into `particles` by
    `particle_id` (coordinates, state, at_turn, at_element, s of lost
    particles, random-generator state), into the line's `ParticlesMonitor`
    and `LastTurnsMonitor` elements, and into the turn-by-turn monitor
    (`line.record_last_track`), leaving the same values and layout as a
    serial `line.track`.

    Parameters
    ----------
    line : Line
        A line without collective elements (their action couples the
        particles) and without beam-statistics monitors (sums over particles).
    particles : Particles
        Tracked in place; `particle_id` must be unique.
    num_turns : int, default 1
        Number of turns.
    client : dask.distributed.Client, optional
        The cluster to use; a `LocalCluster` of worker processes (one
        thread each) is started and closed when none is given.
    num_chunks : int, optional
        Number of chunks (default: 4 per worker thread, at most one per
        active particle).
    ele_start, ele_stop, num_elements, turn_by_turn_monitor, freeze_longitudinal, backtrack
        As in `Line.track`.
    with_progress : bool, default True
        Show the progress per finished chunk (following `xt.settings`).

    Returns
    -------
    DistributedTrackingReport
        Chunks, workers and timings of the run.

    Raises
    ------
    ChunkTrackingError
        A chunk failed (an error of the tracker on the worker, or workers
        dying while tracking it more often than the scheduler's
        `allowed-failures`); it names the chunk's particle ids, and nothing
        has been written into the caller's objects. A worker that dies is
        otherwise harmless: the scheduler runs its chunks on another worker.
    """
    if isinstance(num_turns, float) and num_turns == int(num_turns):
        num_turns = int(num_turns)
    _check_arguments(line, particles, num_turns, client, num_chunks, turn_by_turn_monitor)
    _require_distributed()
    # particles generated at an element start there (each chunk carries the mark to its
    # worker's tracker); the caller's mark is consumed once the results are merged
    marked = generation_mark(particles, ele_start)
    chunks = ParticleChunks(particles)
    t0, c0, ct0 = time.perf_counter(), time.process_time(), time.thread_time()
    own_cluster = None
    if client is None:
        client, own_cluster = _start_local_cluster()
    try:
        num_workers, threads = _worker_threads(client)
        chunks.split(num_chunks or _CHUNKS_PER_WORKER_THREAD * max(threads, 1))
        report = DistributedTrackingReport(num_workers=num_workers)
        if not len(chunks):
            particles.reorganize()
            return report
        t_sim = _prepare_like_the_tracker(line, chunks)
        line_monitors = {n: e for n, e in line.element_dict.items()
                         if isinstance(e, (ParticlesMonitor, LastTurnsMonitor))}
        user_monitor = turn_by_turn_monitor if isinstance(turn_by_turn_monitor, ParticlesMonitor) else None
        track_kwargs = dict(num_turns=num_turns, ele_start=ele_start, ele_stop=ele_stop,
                            num_elements=num_elements, freeze_longitudinal=freeze_longitudinal,
                            backtrack=backtrack,
                            turn_by_turn_monitor=None if user_monitor is not None else turn_by_turn_monitor)
        token, line_dict = shipped_line(line, line_monitors)
        line_future = scattered_line(client, token,
                                     lambda: {"line": line_dict, "modules": compiled_modules(line)})
        run = uuid.uuid4().hex  # task keys: the token repeats when the line does, a run never
        futures = []
        for ii in range(len(chunks)):
            ids = chunks.ids(ii)
            payload = {
                "particles": chunks.chunk_dict(ii),
                "monitor_records": {n: read_slots(m, owned_slots(m, ids)) for n, m in line_monitors.items()},
                "user_monitor": None if user_monitor is None else (
                    monitor_config(user_monitor), read_slots(user_monitor, owned_slots(user_monitor, ids))),
            }
            futures.append(client.submit(track_chunk, token, line_future, payload, track_kwargs,
                                         key=f"xtrack-chunk-{ii}-{run}", pure=False))
        results = _gather(client, futures, chunks, with_progress)
        merged = chunks.merged([r["particles"] for r in results])
        record = _merged_turn_by_turn(results, chunks, user_monitor, turn_by_turn_monitor)
        for name, monitor in line_monitors.items():
            for ii, result in enumerate(results):
                write_slots(monitor, owned_slots(monitor, chunks.ids(ii)), result["monitor_records"][name])
        chunks.store(merged, t_sim)
        if marked >= 0:
            particles.start_tracking_at_element = -1
        line.record_last_track = record
        report.particles_per_chunk = [len(s) for s in chunks.slots]
        report.chunk_seconds = [r["seconds"] for r in results]
        report.chunk_track_seconds = [r["track_seconds"] for r in results]
        report.chunk_cpu_seconds = [r["cpu_seconds"] for r in results]
        report.chunk_track_cpu_seconds = [r["track_cpu_seconds"] for r in results]
        report.chunk_worker_pids = [r["worker_pid"] for r in results]
        report.line_builds = sum(r["line_built"] for r in results)
        report.wall_seconds = time.perf_counter() - t0
        report.caller_cpu_seconds = time.process_time() - c0
        report.caller_thread_cpu_seconds = time.thread_time() - ct0
        return report
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def _merged_turn_by_turn(results, chunks, user_monitor, turn_by_turn_monitor):
    """The monitor a serial run leaves in `line.record_last_track`, filled from the chunks."""
    if user_monitor is not None:
        for ii, result in enumerate(results):
            write_slots(user_monitor, owned_slots(user_monitor, chunks.ids(ii)), result["turn_by_turn"])
        return user_monitor
    if turn_by_turn_monitor in (None, False):
        return None
    configs = [r["turn_by_turn"][0] for r in results]
    start = min(c["start_at_turn"] for c in configs)
    n_turns = configs[0]["stop_at_turn"] - configs[0]["start_at_turn"]
    id_range = (min(c["particle_id_range"][0] for c in configs), max(c["particle_id_range"][1] for c in configs))
    merged = ParticlesMonitor(start_at_turn=start, stop_at_turn=start + n_turns, particle_id_range=id_range,
                              ebe_mode=configs[0]["ebe_mode"])
    for ii, result in enumerate(results):
        config, values = result["turn_by_turn"]
        place_turn_rows(merged, config, chunks.ids(ii), values)
    return merged
