"""MAD-X element attributes of a line travelled backwards (``bv = -1``).

A sequence whose beam has ``bv = -1`` (LHC beam 2) is described along the
other beam's direction. Tracking it in its own direction reverses the
element order (s -> L - s) and changes the attributes as a mirror in the
x-s plane does (the construction of the LHC beam-4 sequence from beam 2):

- normal multipole ``knl[n]`` gets the sign (-1)**n, skew ``ksl[n]`` the
  sign (-1)**(n+1): ``k1`` and ``k3`` flip, ``k0``/``k2`` do not; ``k1s``,
  ``k3s`` do not, ``k2s`` flips; vertical kicks flip, horizontal do not;
- ``tilt`` flips; the solenoid ``ks`` flips;
- entry and exit swap (``e1``/``e2``, ``fint``/``fintx``, ``h1``/``h2``,
  ``kill_ent_fringe``/``kill_exi_fringe``);
- an RF ``lag`` (units of 2 pi) becomes ``0.5 - lag``.
"""

__all__ = ["reverse_params"]

_FLIP = {"k1", "k3", "k2s", "k0s", "tilt", "ks", "vkick"}
_SWAP = (("e1", "e2"), ("h1", "h2"), ("kill_ent_fringe", "kill_exi_fringe"))


def _neg(x):
    return -x


def reverse_params(base, params):
    """MAD-X attributes ``params`` of a ``base``-class element seen backwards."""
    out = dict(params)
    for key in _FLIP:
        if key in out and not isinstance(out[key], (str, bool)):
            out[key] = _neg(out[key])
    if base == "vkicker" and "kick" in out:
        out["kick"] = _neg(out["kick"])
    for key, sign0 in (("knl", 1), ("ksl", -1)):
        if isinstance(out.get(key), list):
            out[key] = [x if sign0 * (-1) ** n > 0 else _neg(x) for n, x in enumerate(out[key])]
    for a, b in _SWAP:
        if a in params or b in params:
            out.pop(a, None)
            out.pop(b, None)
            if b in params:
                out[a] = params[b]
            if a in params:
                out[b] = params[a]
    if "fint" in params or "fintx" in params:
        fint = params.get("fint", 0.0)
        fintx = params.get("fintx")
        if fintx is None or (not hasattr(fintx, "_get_value") and float(fintx) < 0):
            fintx = fint  # MAD-X: fintx defaults to fint
        out["fint"], out["fintx"] = fintx, fint
    if base in ("rfcavity", "crabcavity") and "lag" in out:
        out["lag"] = 0.5 - out["lag"]
    return out
