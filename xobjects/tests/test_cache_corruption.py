"""A corrupt cached kernel module is rebuilt by the next process, which then runs correctly."""

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent('''
    import warnings
    import numpy as np
    import xobjects as xo
    warnings.simplefilter("always")
    ctx = xo.ContextCpu()
    ctx.add_kernels(sources=["double triple(double x){ return 3 * x; }"], kernels={
        "triple": xo.Kernel(args=[xo.Arg(xo.Float64, name="x")], ret=xo.Arg(xo.Float64))})
    print("RESULT", ctx.kernels.triple(x=2.5))
''')


def _run(cache):
    env = dict(os.environ, XOBJECTS_CACHE_DIR=str(cache))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "RESULT 7.5" in done.stdout
    return done.stderr


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage"])
def test_corrupt_entry_is_rebuilt(tmp_path, damage):
    _run(tmp_path)
    (so,) = (tmp_path / "cpu").glob("*.so")
    assert so.with_name(so.name + ".meta").exists()
    data = so.read_bytes()
    so.write_bytes({"truncated": data[: len(data) // 3], "empty": b"", "garbage": os.urandom(len(data))}[damage])
    # A killed compilation of a process that no longer exists left this behind.
    stale = tmp_path / "cpu" / ".build-999999999-abc"
    stale.mkdir()
    stderr = _run(tmp_path)
    assert "is corrupt" in stderr and "rebuilding" in stderr
    assert not stale.exists()
    assert so.read_bytes() != b"" and so.stat().st_size > 1000
    assert "is corrupt" not in _run(tmp_path)  # the rebuilt entry is trusted again
