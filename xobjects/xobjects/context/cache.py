"""On-disk cache of compiled kernel modules.

Layout under the cache directory (``$XOBJECTS_CACHE_DIR``, else
``~/.cache/xobjects``)::

    cpu/<key>.so           compiled modules, named by their key
    cpu/<key>.lock         lock files, one per key
    opencl/                pyopencl's program-binary cache
    compilers.json         compiler version strings, keyed by binary identity

Writers build in a temporary directory inside the cache and ``os.replace``
the result into place under an exclusive ``flock`` on the key's lock file;
they look again after taking the lock, so two processes compiling the same
kernels at once compile once. Readers need no lock: a file that exists is
complete.
"""

import contextlib
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from .._version import __version__

try:
    import fcntl
except ImportError:  # Windows: no flock; os.replace still keeps entries whole
    fcntl = None


def cache_dir():
    """Directory of the kernel cache: ``$XOBJECTS_CACHE_DIR`` or ``~/.cache/xobjects``."""
    env = os.environ.get("XOBJECTS_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "xobjects"


def clear_kernel_cache():
    """Delete every compiled kernel stored in the cache directory.

    Kernels already loaded in running processes keep working; later
    ``add_kernels`` calls compile again.
    """
    root = cache_dir()
    for sub in ("cpu", "opencl"):
        shutil.rmtree(root / sub, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        (root / "compilers.json").unlink()


@contextlib.contextmanager
def file_lock(path):
    """Exclusive lock held while the block runs (``flock``; no-op without fcntl)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def atomic_write_text(path, text):
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def compiler_version(compiler_path):
    """``--version`` output of a compiler, remembered on disk by binary identity.

    The identity (real path, size, modification time) changes when the
    compiler is upgraded, so a warm cache is used without running the
    compiler at all.
    """
    real = os.path.realpath(compiler_path)
    stat = os.stat(real)
    identity = f"{compiler_path}|{real}|{stat.st_size}|{stat.st_mtime_ns}"
    registry = cache_dir() / "compilers.json"
    try:
        known = json.loads(registry.read_text())
    except (FileNotFoundError, ValueError):
        known = {}
    if identity in known:
        return known[identity]
    result = subprocess.run([compiler_path, "--version"], capture_output=True, text=True, check=False)
    version = (result.stdout or result.stderr).strip()
    with file_lock(cache_dir() / "compilers.lock"):
        try:
            known = json.loads(registry.read_text())
        except (FileNotFoundError, ValueError):
            known = {}
        known[identity] = version
        atomic_write_text(registry, json.dumps(known, indent=1))
    return version


def cache_key(**parts):
    """sha256 (hex) of the parts plus platform, Python ABI and xobjects version."""
    parts = dict(parts)
    parts["platform"] = f"{sys.platform}-{platform.machine()}"
    parts["python_abi"] = f"{sys.implementation.cache_tag}{sysconfig.get_config_var('EXT_SUFFIX')}"
    parts["xobjects_version"] = __version__
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()


def cached_build(kind, key, suffix, build):
    """Return the path of the cached file for ``key``, building it if absent.

    Parameters
    ----------
    kind : str
        Sub-folder of the cache (``'cpu'``).
    key : str
        Cache key (hex digest).
    suffix : str
        File-name suffix of the entry (``'.so'``).
    build : callable
        ``build(tmpdir: Path) -> Path`` produces the file inside ``tmpdir``.

    Returns
    -------
    (Path, bool)
        The entry and whether it was built by this call.
    """
    folder = cache_dir() / kind
    target = folder / f"{key}{suffix}"
    if target.exists():
        return target, False
    with file_lock(folder / f"{key}.lock"):
        if target.exists():  # another process built it while we waited
            return target, False
        with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as tmp:
            produced = build(Path(tmp))
            os.replace(produced, target)
    return target, True
