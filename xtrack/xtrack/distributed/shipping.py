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
"""

import hashlib
import pickle

__all__ = ["shipped_line", "scattered_line"]

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


def scattered_line(client, token, line_dict):
    """The future of `line_dict` on every worker: scattered once per token and client.

    The previous line's future is dropped (its data leaves the workers); a
    future that is no longer held by the cluster (workers restarted, client
    reconnected) is scattered again.
    """
    for cid in [c for c, (_, fut) in _last_scattered.items() if fut.client.status != "running"]:
        del _last_scattered[cid]  # closed clients
    known = _last_scattered.get(client.id)
    if known is not None and known[0] == token and known[1].status == "finished":
        return known[1]
    [future] = client.scatter([line_dict], broadcast=True, hash=False)
    _last_scattered[client.id] = (token, future)
    return future
