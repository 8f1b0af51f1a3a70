"""What the caller ships to the workers: the line as the tracker needs it, named by its content.

Measured on the LHC beam-1 line (13,401 elements), the fixed cost of a
distributed run is not the tracking kernel (a worker finds the parent's
compiled module in the disk cache: same source, same key) but the line
itself: `to_dict` in the caller (~1.7 s), the scatter (~1 s) and, on every
worker, `Line.from_dict` (~2 s) and `build_tracker` (~0.5 s). Two measures:

- The variables and expressions are left out. Their values are already in
  the elements, and a worker never changes a knob; without them the
  caller's `to_dict` and each worker's `from_dict` cost about a third less.
- The token of a run is the sha256 of the shipped dict. A worker keeps the
  lines it built by token (worker.py) and the caller keeps the scattered
  dict of the last token per client, so calling `track` again with an
  unchanged line (batches of particles, scans over initial conditions)
  costs neither a scatter nor a rebuild, while any change of an element
  value, of the configuration or of the order gives another token.

The caller's compiled CPU tracking modules travel with the line (about
100 kB for the LHC): a worker whose disk cache lacks them (a node without
the caller's home directory) installs them under their key before it
builds the tracker, so it compiles nothing that the caller has compiled. A
worker with another compiler or Python computes another key and compiles.
"""

import hashlib
import pickle
from pathlib import Path

from xobjects.context.cache import cache_dir, install_entry

__all__ = ["shipped_line", "scattered_line", "compiled_modules", "install_modules"]

# Compose-mode bookkeeping: `element_names` in the dict is already the built sequence.
_NOT_SHIPPED = ("composer", "mode")

_last_scattered = {}  # client id -> (token, future of the line dict); one line per client


def shipped_line(line, monitors):
    """(token, dict) of `line` for the workers: no variables, monitors without their records.

    Each chunk carries the records of the monitors it owns, and the records
    of a never-used monitor (mass0 = 0) do not rebuild through `Particles.from_dict`.
    """
    out = line.to_dict(include_var_management=False)
    for key in _NOT_SHIPPED:
        out.pop(key, None)
    for name in monitors:
        out["elements"][name] = {k: v for k, v in out["elements"][name].items() if k != "data"}
    token = hashlib.sha256(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    return token, out


def compiled_modules(line):
    """[(file name, bytes)] of the CPU kernel modules that `line`'s tracker has loaded from the cache."""
    tracker = getattr(line, "tracker", None)
    if tracker is None:
        return []
    folder = cache_dir() / "cpu"
    out = {}
    for kernel in tracker.track_kernel.values():
        path = getattr(getattr(kernel, "module", None), "__file__", None)
        if path is not None and Path(path).resolve().parent == folder.resolve() and Path(path).is_file():
            out[Path(path).name] = Path(path).read_bytes()
    return sorted(out.items())


def install_modules(modules):
    """On a worker: put the caller's modules into this process's kernel cache where absent."""
    for name, data in modules:
        install_entry("cpu", name, data)


def scattered_line(client, token, payload):
    """The future of `payload()` on every worker: made and scattered once per token and client.

    The last line stays on the workers (a few MB for the LHC) until a call
    with another line or the client closes; the previous line's future is
    dropped then (its data leaves the workers). A future that is no longer
    held by the cluster (workers restarted, client reconnected) is scattered again.
    """
    for cid in [c for c, (_, fut) in _last_scattered.items() if fut.client.status != "running"]:
        del _last_scattered[cid]  # closed clients
    known = _last_scattered.get(client.id)
    if known is not None and known[0] == token and known[1].status == "finished":
        return known[1]
    [future] = client.scatter([payload()], broadcast=True, hash=False)
    _last_scattered[client.id] = (token, future)
    return future
