"""The on-disk compile cache: hits in fresh processes, concurrency, keys, clearing."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import xobjects as xo
from xobjects.context import cache

SCRIPT = textwrap.dedent(
    """
    import sys, numpy as np, xobjects as xo
    src = '''
    /*gpukern*/ void triple(const int64_t n, /*gpuglmem*/ double* y) {
        for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
            y[ii] = 3.0 * y[ii] + TAG;
        }//end_vectorize
    }
    '''.replace("TAG", sys.argv[1])
    ctx = xo.ContextCpu()
    ctx.add_kernels(sources=[src], kernels={"triple": xo.Kernel(
        args=[xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, pointer=True, name="y")], n_threads="n")})
    y = np.arange(4.0)
    ctx.kernels.triple(n=4, y=y)
    assert y.tolist() == [3.0 * v + float(sys.argv[1]) for v in range(4)], y
    print("ok")
    """
)


@pytest.fixture
def isolated(tmp_path):
    """Environment with a fresh cache dir and a C compiler that logs each call."""
    real_cc = shutil.which("cc") or shutil.which("gcc")
    if real_cc is None:
        pytest.skip("no C compiler")
    log = tmp_path / "cc.log"
    wrapper = tmp_path / "logging-cc"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real_cc}" "$@"\n')
    wrapper.chmod(0o755)
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, XOBJECTS_CACHE_DIR=str(tmp_path / "cache"), CC=str(wrapper))
    return {"env": env, "log": log, "script": script, "cache": tmp_path / "cache"}


def _compiles(log):
    """Number of compiler calls that built a module (not ``--version`` queries)."""
    if not log.exists():
        return 0
    return sum("-shared" in line for line in log.read_text().splitlines())


def _run(isolated, tag="1.0"):
    return subprocess.Popen(
        [sys.executable, str(isolated["script"]), tag],
        env=isolated["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc):
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == "ok"
    return err


def test_fresh_process_loads_from_cache_without_compiling(isolated):
    err = _finish(_run(isolated))
    assert _compiles(isolated["log"]) == 1
    assert "compiled kernels triple" in err and str(isolated["cache"]) in err
    calls_before = isolated["log"].read_text()
    err = _finish(_run(isolated))
    assert isolated["log"].read_text() == calls_before  # the compiler did not run at all
    assert "compiled" not in err
    _finish(_run(isolated, tag="2.0"))  # another source: a new entry
    assert _compiles(isolated["log"]) == 2
    assert len(list((isolated["cache"] / "cpu").glob("*.so"))) == 2


def test_two_processes_compiling_at_once_compile_once(isolated):
    procs = [_run(isolated) for _ in range(2)]
    for proc in procs:
        _finish(proc)
    assert _compiles(isolated["log"]) == 1
    entries = list((isolated["cache"] / "cpu").iterdir())
    assert len([p for p in entries if p.suffix == ".so"]) == 1
    assert not [p for p in entries if p.name.startswith(".build-")]  # no leftovers


def test_key_depends_on_source_flags_and_compiler():
    base = dict(target="cpu", source="a", cdef="", compile_args=["-O3"], link_args=[], compiler=["cc"], compiler_version="1")
    key = cache.cache_key(**base)
    assert len(key) == 64 and key == cache.cache_key(**base)
    for change in ({"source": "b"}, {"compile_args": ["-O2"]}, {"compiler": ["clang"]}, {"compiler_version": "2"}):
        assert cache.cache_key(**{**base, **change}) != key


def test_openmp_and_serial_builds_are_distinct_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("XOBJECTS_CACHE_DIR", str(tmp_path))
    src = f"void set_one(double* y) {{ y[0] = 1.0; }} /* {tmp_path.name} */"
    kernels = {"set_one": xo.Kernel(args=[xo.Arg(xo.Float64, pointer=True, name="y")])}
    for ctx in (xo.ContextCpu(), xo.ContextCpu(omp_num_threads=2)):
        ctx.add_kernels(sources=[src], kernels=kernels)
        y = np.zeros(1)
        ctx.kernels.set_one(y=y)
        assert y[0] == 1.0
    assert len(list((tmp_path / "cpu").glob("*.so"))) == 2


def test_clear_kernel_cache_empties_the_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XOBJECTS_CACHE_DIR", str(tmp_path))
    src = f"void set_two(double* y) {{ y[0] = 2.0; }} /* {tmp_path.name} */"
    ctx = xo.ContextCpu()
    ctx.add_kernels(sources=[src], kernels={"set_two": xo.Kernel(args=[xo.Arg(xo.Float64, pointer=True, name="y")])})
    assert list((tmp_path / "cpu").glob("*.so"))
    assert (tmp_path / "compilers.json").exists()
    xo.clear_kernel_cache()
    assert not (tmp_path / "cpu").exists() and not (tmp_path / "compilers.json").exists()
    y = np.zeros(1)
    ctx.kernels.set_two(y=y)  # loaded kernels keep working
    assert y[0] == 2.0


def test_cache_location_defaults_to_home(monkeypatch, tmp_path):
    monkeypatch.delenv("XOBJECTS_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == Path(tmp_path) / ".cache" / "xobjects"
    monkeypatch.setenv("XOBJECTS_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache.cache_dir() == tmp_path / "elsewhere"


def test_installed_entry_from_another_cache_is_loaded_without_compiling(isolated, tmp_path, monkeypatch):
    # A process compiles into one cache; its module, installed into an empty
    # cache (another machine's), is found there by a fresh process under the same key.
    _finish(_run(isolated))
    [built] = (isolated["cache"] / "cpu").glob("*.so")
    other = tmp_path / "other-cache"
    monkeypatch.setenv("XOBJECTS_CACHE_DIR", str(other))
    assert cache.install_entry("cpu", built.name, built.read_bytes()) is True
    assert cache.entry_problem(other / "cpu" / built.name) is None
    assert cache.install_entry("cpu", built.name, b"not used: a sound entry is there") is False
    assert (other / "cpu" / built.name).read_bytes() == built.read_bytes()

    isolated["env"]["XOBJECTS_CACHE_DIR"] = str(other)
    err = _finish(_run(isolated))
    assert _compiles(isolated["log"]) == 1 and "compiled" not in err


def test_install_entry_replaces_a_corrupt_entry_and_checks_the_name(tmp_path, monkeypatch):
    monkeypatch.setenv("XOBJECTS_CACHE_DIR", str(tmp_path))
    name = "ab" * 32 + ".so"
    assert cache.install_entry("cpu", name, b"first") is True
    (tmp_path / "cpu" / name).write_bytes(b"firs")  # truncated
    assert cache.install_entry("cpu", name, b"second") is True
    assert (tmp_path / "cpu" / name).read_bytes() == b"second"
    for bad in ("../" + name, "ab" * 31 + ".so", "xy" * 32 + ".so", "ab" * 32):
        with pytest.raises(ValueError, match="name must be '<64 hex digits>.<suffix>'"):
            cache.install_entry("cpu", bad, b"")
