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
kernels at once compile once. Each entry has a ``<entry>.meta`` (size and
sha256, written atomically after the entry): readers trust an entry only
when it matches, and a corrupt one (truncated, emptied, overwritten) is
rebuilt with a warning. ``.build-<pid>-*`` folders of killed compilations
are removed by the next build.
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
import time
import warnings
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


def _meta_path(target):
    return target.with_name(target.name + ".meta")


def _digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def entry_problem(target):
    """Why the cache entry ``target`` cannot be trusted, or None if it is sound.

    An entry is sound when its size and sha256 match the ``.meta`` file
    written beside it after it was put in place (a truncated, emptied or
    overwritten module would crash or fail to import).
    """
    try:
        meta = json.loads(_meta_path(target).read_text())
        size = target.stat().st_size
    except (FileNotFoundError, ValueError):
        return "missing"
    if size != meta.get("size"):
        return f"size {size} bytes instead of {meta.get('size')}"
    if _digest(target) != meta.get("sha256"):
        return "checksum mismatch"
    return None


def discard_entry(target):
    """Remove a cache entry and its ``.meta`` (a later build replaces it)."""
    for path in (target, _meta_path(target)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def clean_stale_builds(folder, max_age_s=3600):
    """Delete ``.build-*`` folders left by killed compilations.

    Build folders are named ``.build-<pid>-...``: one whose process is gone
    is stale; one without a readable pid is stale after ``max_age_s``.
    """
    now = time.time()
    for path in folder.glob(".build-*"):
        pid = path.name.split("-")[1] if path.name.count("-") >= 2 else ""
        if pid.isdigit():
            stale = int(pid) != os.getpid() and not _pid_alive(int(pid))
        else:
            with contextlib.suppress(FileNotFoundError):
                stale = now - path.stat().st_mtime > max_age_s
        if stale:
            shutil.rmtree(path, ignore_errors=True)


def cached_build(kind, key, suffix, build):
    """Return the path of the cached file for ``key``, building it if absent or corrupt.

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
    if target.exists() and entry_problem(target) is None:
        return target, False
    with file_lock(folder / f"{key}.lock"):
        if target.exists():  # another process may have built it while we waited
            problem = entry_problem(target)
            if problem is None:
                return target, False
            if problem != "missing":
                warnings.warn(
                    f"xobjects: cached kernel module {target} is corrupt ({problem}); rebuilding it.",
                    RuntimeWarning,
                    stacklevel=3,
                )
            discard_entry(target)
        clean_stale_builds(folder)
        with tempfile.TemporaryDirectory(dir=folder, prefix=f".build-{os.getpid()}-") as tmp:
            _put_in_place(build(Path(tmp)), target)
    return target, True


def _put_in_place(produced, target):
    meta = json.dumps({"size": produced.stat().st_size, "sha256": _digest(produced)})
    os.replace(produced, target)
    # Written after the entry is in place: an entry without a matching
    # .meta is never trusted.
    atomic_write_text(_meta_path(target), meta)


def install_entry(kind, name, data):
    """Store an entry built elsewhere (another process's or machine's cache) unless a sound one is here.

    A worker of a cluster without a shared home directory receives the
    caller's compiled modules this way and then finds them under the same
    key, instead of compiling. The key still decides whether an entry is
    used: a module of another compiler, platform or Python ABI has another
    key and is never looked up.

    Parameters
    ----------
    kind : str
        Sub-folder of the cache (``'cpu'``).
    name : str
        File name of the entry, ``<key><suffix>`` with a 64-digit hex key.
    data : bytes
        Its content.

    Returns
    -------
    bool
        Whether the entry was written (False: a sound one was there).
    """
    key, _, suffix = name.partition(".")
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key) or not suffix or "/" in name:
        raise ValueError(f"install_entry: name must be '<64 hex digits>.<suffix>' as in the cache, "
                         f"got {name!r}.")
    folder = cache_dir() / kind
    target = folder / name
    with file_lock(folder / f"{key}.lock"):
        if target.exists() and entry_problem(target) is None:
            return False
        discard_entry(target)
        with tempfile.TemporaryDirectory(dir=folder, prefix=f".build-{os.getpid()}-") as tmp:
            produced = Path(tmp) / name
            produced.write_bytes(data)
            _put_in_place(produced, target)
    return True
