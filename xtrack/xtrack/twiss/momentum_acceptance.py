"""Local momentum acceptance: at each chosen element, the momentum deviations a particle on
the closed orbit (optionally displaced transversally) can receive there and survive `n_turns`.

This is the quantity of Touschek lifetime studies: a scattering event changes
delta at one place and leaves x, px, y, py. For each element the offsets
delta_co + k step (k = 1, 2, ...) up to each limit are tracked together from
that element; the acceptance on each side is the largest offset below which
every scanned offset survives (0 when the first one is lost already).
"""

import numpy as np

__all__ = ["get_local_momentum_acceptance"]


def _check_elements(line, elements):
    if elements is None:
        return list(line.element_names)
    if isinstance(elements, (str, bytes)) or not hasattr(elements, "__iter__"):
        raise ValueError(f"`elements` must be an iterable of strings (element names), got {elements!r}.")
    elements = list(elements)
    bad = [e for e in elements if not isinstance(e, str)]
    if bad:
        raise ValueError(f"All entries in `elements` must be strings, got {bad!r}.")
    names = set(line.element_names)
    missing = [e for e in elements if e not in names]
    if missing:
        raise ValueError(f"The following elements were not found in the line: {missing}.")
    return elements


def _offsets(limit, step):
    """step, 2 step, ... up to |limit| (the limit itself last), with the sign of limit."""
    n = int(np.floor(abs(limit) / step + 1e-9))
    values = step * np.arange(1, n + 1)
    if n == 0 or abs(limit) - values[-1] > 1e-12 * abs(limit):
        values = np.append(values, abs(limit))
    else:
        values[-1] = abs(limit)  # the limit exactly, not n * step rounded
    return np.sign(limit) * values


def get_local_momentum_acceptance(line, elements=None, twiss=None, nemitt_x=None, nemitt_y=None,
                                  method=None, x_offset=None, x_norm_offset=None, y_offset=None,
                                  y_norm_offset=None, delta_negative_limit=-0.01,
                                  delta_positive_limit=0.01, delta_step_size=1e-3, n_turns=256,
                                  with_progress=False, verbose=False):
    """Table (name, s, delta_neg, delta_pos) of the local momentum acceptance.

    Parameters
    ----------
    elements : iterable of str, optional
        Elements where the acceptance is computed (default: all).
    twiss : TwissTable, optional
        Periodic optics of the line (computed with `method` when not given).
    nemitt_x, nemitt_y : float
        Normalised emittances [m rad] (required; they size x_norm_offset, y_norm_offset).
    x_offset, y_offset : float, optional
        Transverse displacement [m] from the closed orbit; or give
        x_norm_offset, y_norm_offset [beam sigmas] instead.
    delta_negative_limit < 0 < delta_positive_limit, delta_step_size > 0 : float
        Scan of the momentum offsets around the local closed-orbit delta.
    n_turns : int
        Turns a particle must survive.
    method : {'4d', '6d'}, optional
        Optics and tracking ('4d': energy frozen); default that of `twiss`, else 6d
        with RF and 4d without.
    """
    if line.particle_ref is None:
        raise ValueError("Line.particle_ref must be set before computing the local momentum "
                         "acceptance (line.set_particle_ref(...)).")
    if nemitt_x is None or nemitt_y is None:
        raise ValueError("nemitt_x and nemitt_y must be provided [m rad].")
    if not delta_negative_limit < 0:
        raise ValueError(f"delta_negative_limit must be < 0, got {delta_negative_limit!r}.")
    if not delta_positive_limit > 0:
        raise ValueError(f"delta_positive_limit must be > 0, got {delta_positive_limit!r}.")
    if not delta_step_size > 0:
        raise ValueError(f"delta_step_size must be > 0, got {delta_step_size!r}.")
    if not int(n_turns) > 0:
        raise ValueError(f"n_turns must be > 0, got {n_turns!r}.")
    if x_offset is not None and x_norm_offset is not None:
        raise ValueError("Provide either x_offset or x_norm_offset, not both.")
    if y_offset is not None and y_norm_offset is not None:
        raise ValueError("Provide either y_offset or y_norm_offset, not both.")
    elements = _check_elements(line, elements)
    if method is None:
        method = getattr(twiss, "method", None) if twiss is not None else None
    if twiss is None:
        twiss = line.twiss(method=method) if method is not None else line.twiss()
        method = twiss.method
    method = method or "6d"
    ref = line.particle_ref
    beta_gamma = float(np.atleast_1d(ref.beta0)[0] * np.atleast_1d(ref.gamma0)[0])
    gemitt_x, gemitt_y = nemitt_x / beta_gamma, nemitt_y / beta_gamma
    neg = _offsets(delta_negative_limit, delta_step_size)
    pos = _offsets(delta_positive_limit, delta_step_size)
    offsets = np.concatenate([neg, pos])
    index = {name: i for i, name in reversed(list(enumerate(line.element_names)))}
    rows = {"name": [], "s": [], "delta_neg": [], "delta_pos": []}
    for count, name in enumerate(elements):
        co = {c: float(twiss[c, name]) for c in ("x", "px", "y", "py", "zeta", "delta")}
        dx = x_offset if x_offset is not None else (
            (x_norm_offset or 0.0) * np.sqrt(float(twiss["betx", name]) * gemitt_x))
        dy = y_offset if y_offset is not None else (
            (y_norm_offset or 0.0) * np.sqrt(float(twiss["bety", name]) * gemitt_y))
        n = len(offsets)
        particles = line.build_particles(
            x=np.full(n, co["x"] + dx), px=np.full(n, co["px"]), y=np.full(n, co["y"] + dy),
            py=np.full(n, co["py"]), zeta=np.full(n, co["zeta"]), delta=co["delta"] + offsets,
            at_element=index[name])
        line.track(particles, num_turns=int(n_turns), freeze_longitudinal=method == "4d")
        state = np.asarray(particles.state)[np.argsort(np.asarray(particles.particle_id))]
        alive_neg, alive_pos = state[:len(neg)] > 0, state[len(neg):] > 0
        rows["name"].append(name)
        rows["s"].append(float(twiss["s", name]))
        rows["delta_neg"].append(_acceptance(alive_neg, neg, co["delta"]))
        rows["delta_pos"].append(_acceptance(alive_pos, pos, co["delta"]))
        if verbose or with_progress:
            print(f"local momentum acceptance {count + 1}/{len(elements)} {name}: "
                  f"[{rows['delta_neg'][-1]:.3g}, {rows['delta_pos'][-1]:.3g}]")
    import xdeps

    data = {k: np.array(v, dtype=object if k == "name" else float) for k, v in rows.items()}
    return xdeps.Table(data, col_names=["name", "s", "delta_neg", "delta_pos"])


def _acceptance(alive, offsets, delta_co):
    """delta_co + the last offset before the first loss (0 when the first offset is lost)."""
    lost = np.flatnonzero(~alive)
    k = len(offsets) if len(lost) == 0 else lost[0]
    return float(delta_co + offsets[k - 1]) if k > 0 else 0.0
