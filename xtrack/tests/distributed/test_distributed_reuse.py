"""What a worker reuses: the caller's compiled kernel, and the line it built in an earlier run.

The fixed cost of a distributed run is the line on each worker (build,
tracker, kernel); these tests pin that a worker compiles nothing that the
caller has compiled (with the caller's disk cache or with an empty one of
its own), and that a second run with an unchanged line neither scatters nor
rebuilds it, while a changed line (a knob) is rebuilt and tracked with its
new values.
"""

import os
import sys

import numpy as np
import pytest
from xpart.particles.fields import PER_PARTICLE

import xtrack as xt
from xtrack.distributed.shipping import shipped_line

pytest.importorskip("distributed")
# The helpers below run on the workers, which cannot import this test module: ship them by value.
pytest.importorskip("cloudpickle").register_pickle_by_value(sys.modules[__name__])


def _beam(line, n, seed):
    rng = np.random.default_rng(seed)
    return line.build_particles(x=rng.normal(0, 1e-3, n), px=rng.normal(0, 5e-5, n),
                                y=rng.normal(0, 1e-3, n), delta=rng.normal(0, 1e-3, n))


def _serial_and_distributed(line, client, n, seed, turns=3):
    """Final particles of a serial and a distributed run from the same beam, and the report."""
    p0 = _beam(line, n, seed)
    p_serial, p_dist = p0.copy(), p0.copy()
    line.track(p_serial, num_turns=turns)
    report = xt.distributed.track(line, p_dist, num_turns=turns, client=client, num_chunks=4,
                                  with_progress=False)
    different = [k for k in PER_PARTICLE if not np.array_equal(p_serial._host(k), p_dist._host(k))]
    assert different == [], f"not bit-identical to the serial run: {different}"
    return p_dist, report


def _spy_builds():
    """In a worker: record (key, built) of every kernel module looked up in the disk cache."""
    import xobjects.context.cpu_kernels as ck

    if not hasattr(ck, "_test_builds"):
        original = ck.cached_build
        ck._test_builds = []

        def spy(kind, key, suffix, build):
            path, built = original(kind, key, suffix, build)
            ck._test_builds.append((key, built))
            return path, built

        ck.cached_build = spy
    ck._test_builds.clear()


def _spied_builds():
    import xobjects.context.cpu_kernels as ck

    return list(ck._test_builds)


def _set_cache_dir(path):
    previous = os.environ.get("XOBJECTS_CACHE_DIR")
    if path is None:
        os.environ.pop("XOBJECTS_CACHE_DIR", None)
    else:
        os.environ["XOBJECTS_CACHE_DIR"] = path
    return previous


@pytest.mark.parametrize("shared_cache, xy_limit", [(True, 0.8765), (False, 0.8764)],
                         ids=["shared-disk-cache", "own-empty-cache"])
def test_worker_loads_the_kernel_the_caller_compiled(client, fodo_dict, tmp_path, monkeypatch,
                                                     shared_cache, xy_limit):
    """Workers on this machine share the caller's disk cache; on another node (an empty cache of
    their own) they receive the caller's module with the line. Either way they compile nothing."""
    import xobjects.context.cpu_kernels as ck

    # A fresh cache and a configuration no other test uses: the caller must compile,
    # and no worker has this kernel loaded yet.
    monkeypatch.setenv("XOBJECTS_CACHE_DIR", str(tmp_path / "caller"))
    line = xt.Line.from_dict(fodo_dict)
    line.config.XTRACK_GLOBAL_XY_LIMIT = xy_limit
    keys, original = [], ck.cache_key

    def recording_key(**parts):
        keys.append(original(**parts))
        return keys[-1]

    monkeypatch.setattr(ck, "cache_key", recording_key)
    line.build_tracker()
    line.track(_beam(line, 2, seed=1))
    assert len(keys) == 1 and (tmp_path / "caller" / "cpu" / f"{keys[0]}.so").exists()  # compiled now

    worker_cache = tmp_path / ("caller" if shared_cache else "worker")
    previous = client.run(_set_cache_dir, str(worker_cache))
    try:
        client.run(_spy_builds)
        _, report = _serial_and_distributed(line, client, 40, seed=2)
        builds = client.run(_spied_builds)
    finally:
        for address, value in previous.items():
            client.run(_set_cache_dir, value, workers=[address])
    worked = {b for pid_builds in builds.values() for b in pid_builds}
    assert report.line_builds >= 1
    # Every worker that built the line looked up the caller's key and found the module.
    assert worked == {(keys[0], False)}
    assert sorted(p.name for p in (worker_cache / "cpu").glob("*.so")) == [f"{keys[0]}.so"]
    assert (worker_cache / "cpu" / f"{keys[0]}.so").read_bytes() == \
        (tmp_path / "caller" / "cpu" / f"{keys[0]}.so").read_bytes()


def test_unchanged_line_is_neither_scattered_nor_rebuilt(client, fodo_dict, monkeypatch):
    line = xt.Line.from_dict(fodo_dict)
    line.vars["kqf"] = line.varval["kqf"] * 1.001  # a line no other test ships
    line.build_tracker()
    scatters = []
    original = client.scatter
    monkeypatch.setattr(client, "scatter", lambda *a, **k: scatters.append(1) or original(*a, **k))

    _, first = _serial_and_distributed(line, client, 60, seed=3)
    assert first.line_builds == len(set(first.chunk_worker_pids)) and len(scatters) == 1

    _, again = _serial_and_distributed(line, client, 60, seed=4)
    assert again.line_builds == 0 and len(scatters) == 1

    # A knob change reaches the workers through the element values (no variables are shipped):
    # the rebuilt lines track bit-identically to the caller's changed line.
    line.vars["kqf"] = line.varval["kqf"] * 1.01
    _, changed = _serial_and_distributed(line, client, 60, seed=4)
    assert changed.line_builds == len(set(changed.chunk_worker_pids)) and len(scatters) == 2


def test_shipped_line_token_follows_the_content(fodo_dict):
    one, two = xt.Line.from_dict(fodo_dict), xt.Line.from_dict(fodo_dict)
    token, shipped = shipped_line(one, {})
    assert shipped_line(two, {})[0] == token  # same content, same token, in any process
    assert "_var_management_data" not in shipped and "_var_manager" not in shipped
    assert shipped["element_names"] == list(one.element_names)

    quad = next(n for n, e in one.element_dict.items() if isinstance(e, xt.Quadrupole))
    two[quad].k1 = two[quad].k1 * (1 + 1e-12)
    assert shipped_line(two, {})[0] != token
    three = xt.Line.from_dict(fodo_dict)
    three.config.XTRACK_GLOBAL_XY_LIMIT = 2.0
    assert shipped_line(three, {})[0] != token
