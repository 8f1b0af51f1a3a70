"""xt.distributed.track on a LocalCluster of 2 worker processes against a serial line.track.

The claim under test is exactness: chunking, transport and merging change
no bit of the result (coordinates, lost-particle records, monitors), also
when a worker process is killed in the middle of the run.
"""

import os
import signal
import threading
import time

import numpy as np
import pytest
from xpart.particles.fields import PER_PARTICLE

import xtrack as xt

distributed = pytest.importorskip("distributed")


def _line(line_dict):
    line = xt.Line.from_dict(line_dict)
    line.build_tracker()
    return line


def _beam(line, n, sigma, seed):
    rng = np.random.default_rng(seed)
    return line.build_particles(x=rng.normal(0, sigma, n), px=rng.normal(0, sigma / 20, n),
                                y=rng.normal(0, sigma, n), py=rng.normal(0, sigma / 20, n),
                                zeta=rng.normal(0, 1e-2, n), delta=rng.normal(0, 1e-3, n))


def _assert_same_particles(got, expected):
    different = [k for k in PER_PARTICLE if not np.array_equal(got._host(k), expected._host(k))]
    assert different == [], f"fields not bit-identical to the serial run: {different}"
    assert got.t_sim == expected.t_sim
    assert (got._num_active_particles, got._num_lost_particles) == \
        (expected._num_active_particles, expected._num_lost_particles)


def _assert_same_records(got, expected):
    for k in PER_PARTICLE:
        assert np.array_equal(got.data._host(k), expected.data._host(k)), f"monitor records differ in {k}"


def _monitored_fodo(fodo_dict, n):
    """The FODO line with an aperture (losses at various turns) and both kinds of record monitors."""
    base = xt.Line.from_dict(fodo_dict)
    names = list(base.element_names)
    elements = dict(base.element_dict)
    elements["aperture"] = xt.LimitRect(min_x=-0.012, max_x=0.012, min_y=-0.012, max_y=0.012)
    elements["last_turns"] = xt.LastTurnsMonitor(n_last_turns=3, particle_id_range=(0, n))
    elements["turns"] = xt.ParticlesMonitor(start_at_turn=2, stop_at_turn=9, particle_id_range=(10, n - 10))
    half = len(names) // 2
    line = xt.Line(elements=elements, element_names=["turns"] + names[:half] + ["aperture", "last_turns"]
                   + names[half:], particle_ref=base.particle_ref)
    line.build_tracker()
    return line


def test_losses_and_monitors_merge_bit_identical(client, fodo_dict):
    n, turns = 400, 20
    serial, dist = _monitored_fodo(fodo_dict, n), _monitored_fodo(fodo_dict, n)
    p0 = _beam(serial, n, 4e-3, seed=3)
    p0.x[::5] += 6e-3  # a halo that the aperture scrapes over many turns
    p_serial, p_dist = p0.copy(), p0.copy()
    serial.track(p_serial, num_turns=turns, turn_by_turn_monitor=True)
    report = xt.distributed.track(dist, p_dist, num_turns=turns, client=client, num_chunks=5,
                                  turn_by_turn_monitor=True, with_progress=False)

    lost = p_serial.state <= 0
    assert 0 < lost.sum() < n and len(np.unique(p_serial.at_turn[lost])) > 3  # losses spread over turns
    _assert_same_particles(p_dist, p_serial)
    for name in ("turns", "last_turns"):
        _assert_same_records(dist.element_dict[name], serial.element_dict[name])
    assert np.any(dist.element_dict["last_turns"].data._host("state") > 0)
    _assert_same_records(dist.record_last_track, serial.record_last_track)
    assert report.num_chunks == 5 and sum(report.particles_per_chunk) == n


def test_given_turn_by_turn_monitor_is_filled_as_serial(client, fodo_dict):
    n = 120
    serial, dist = _line(fodo_dict), _line(fodo_dict)
    p0 = _beam(serial, n, 1e-3, seed=4)
    monitors = [xt.ParticlesMonitor(start_at_turn=1, stop_at_turn=4, particle_id_range=(30, 90),
                                    n_repetitions=2, repetition_period=5) for _ in range(2)]
    p_serial, p_dist = p0.copy(), p0.copy()
    serial.track(p_serial, num_turns=10, turn_by_turn_monitor=monitors[0])
    xt.distributed.track(dist, p_dist, num_turns=10, client=client, num_chunks=3,
                         turn_by_turn_monitor=monitors[1], with_progress=False)
    _assert_same_particles(p_dist, p_serial)
    _assert_same_records(monitors[1], monitors[0])
    assert dist.record_last_track is monitors[1]
    assert np.count_nonzero(monitors[1].data._host("state") > 0) == 2 * 3 * 60


def test_failing_chunk_raises_with_its_ids_and_merges_nothing(client, fodo_dict):
    line = _line(fodo_dict)
    p = _beam(line, 50, 1e-3, seed=5)
    before = {k: p._host(k).copy() for k in PER_PARTICLE}
    with pytest.raises(xt.distributed.ChunkTrackingError, match=r"particle_id .*no element named 'nowhere'") as err:
        xt.distributed.track(line, p, num_turns=2, client=client, num_chunks=4, ele_start="nowhere",
                             with_progress=False)
    chunk = err.value.chunk_index
    assert 0 <= chunk < 4
    assert np.array_equal(err.value.particle_ids, np.arange(50)[np.array_split(np.arange(50), 4)[chunk]])
    assert isinstance(err.value.__cause__, KeyError)
    assert all(np.array_equal(p._host(k), before[k]) for k in PER_PARTICLE)


def test_progress_is_reported_per_chunk(client, fodo_dict, capsys):
    line = _line(fodo_dict)
    p = _beam(line, 40, 1e-3, seed=8)
    with xt.settings.override(progress_indicator="text"):
        xt.distributed.track(line, p, num_turns=1, client=client, num_chunks=5)
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("Tracking chunks")]
    assert [ln.split()[2] for ln in lines] == ["1/5", "2/5", "3/5", "4/5", "5/5"]


def test_without_client_a_local_cluster_is_started_and_closed(fodo_dict):
    serial, dist = _line(fodo_dict), _line(fodo_dict)
    p0 = _beam(serial, 30, 1e-3, seed=9)
    p_serial, p_dist = p0.copy(), p0.copy()
    serial.track(p_serial, num_turns=3)
    report = xt.distributed.track(dist, p_dist, num_turns=3, with_progress=False)
    _assert_same_particles(p_dist, p_serial)
    assert report.num_workers >= 1 and report.num_chunks == min(30, 4 * report.num_workers)


@pytest.mark.parametrize("kwargs, match", [
    ({"num_turns": 0}, "num_turns must be a positive integer, got 0"),
    ({"num_chunks": 0}, "num_chunks must be None or a positive integer, got 0"),
    ({"client": "tcp://x"}, "client must be a dask.distributed.Client or None, got str"),
    ({"turn_by_turn_monitor": "yes"}, "turn_by_turn_monitor must be True, False, None"),
])
def test_bad_arguments_raise_before_any_work(fodo_dict, kwargs, match):
    line = _line(fodo_dict)
    p = _beam(line, 4, 1e-3, seed=6)
    with pytest.raises((ValueError, TypeError), match=match):
        xt.distributed.track(line, p, **kwargs)


def test_repeated_particle_ids_are_refused(fodo_dict):
    line = _line(fodo_dict)
    p = line.build_particles(x=[0, 1e-3, 2e-3], particle_id=[0, 7, 7])
    with pytest.raises(ValueError, match=r"particle_id must be unique .* repeated ids: 7\.\.7"):
        xt.distributed.track(line, p, num_turns=1)


class _WorkerKiller(threading.Thread):
    """Kills (SIGKILL) the process of a worker that has been running a chunk for `delay` seconds."""

    def __init__(self, client, delay):
        super().__init__(daemon=True)
        self.client, self.delay = client, delay
        self.pids = client.run(os.getpid)
        self.killed = None
        self.stop = threading.Event()

    def run(self):
        busy_since = {}
        while not self.stop.is_set() and self.killed is None:
            for address, keys in self.client.processing().items():
                if not keys:
                    busy_since.pop(address, None)
                    continue
                if time.monotonic() - busy_since.setdefault(address, time.monotonic()) > self.delay:
                    self.killed = (address, self.pids[address], len(keys))
                    os.kill(self.pids[address], signal.SIGKILL)
                    break
            time.sleep(0.05)


@pytest.mark.slow  # 1.4e8 element passes, twice: about 60 s on 2 free cores
def test_2000_particles_100_turns_bit_identical_with_a_worker_killed(client, fodo_dict):
    serial, dist = _line(fodo_dict), _line(fodo_dict)
    p0 = _beam(serial, 2000, 1e-3, seed=7)
    p_serial, p_dist = p0.copy(), p0.copy()
    serial.track(p_serial, num_turns=100)

    killer = _WorkerKiller(client, delay=1.5)
    killer.start()
    try:
        report = xt.distributed.track(dist, p_dist, num_turns=100, client=client, num_chunks=8,
                                      with_progress=False)
    finally:
        killer.stop.set()
        killer.join()
    assert killer.killed is not None, "the run ended before a worker could be killed"
    address, pid, busy = killer.killed
    assert busy >= 1
    assert pid not in client.run(os.getpid).values()  # the process is gone: its chunk(s) ran elsewhere
    _assert_same_particles(p_dist, p_serial)
    assert report.num_chunks == 8 and sum(report.particles_per_chunk) == 2000
    assert np.all(p_dist.state > 0) and np.all(p_dist.at_turn == 100)
