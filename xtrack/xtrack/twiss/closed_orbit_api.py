"""`line.find_closed_orbit(...)`: the closed orbit returned as a one-particle Particles."""

import numpy as np
from xpart import Particles

from .closed_orbit import find_closed_orbit_coords
from .one_turn_matrix import coords_of_particle

__all__ = ["find_closed_orbit"]

_METHODS = ("6d", "4d")


def find_closed_orbit(line, co_guess=None, method="6d", delta0=None, zeta0=None, steps_r_matrix=None,
                      co_search_settings=None, particle_ref=None, freeze_longitudinal=False,
                      **kwargs):
    """Closed orbit at the start of `line` (Newton on the one-turn map).

    Parameters
    ----------
    co_guess : Particles, dict or array-like (6,), optional
        First guess (x, px, y, py, zeta, delta); default zeros.
    method : {'6d', '4d'}, default '6d'
        '4d' (or freeze_longitudinal=True) keeps zeta and delta at their guess
        values (delta0, zeta0).
    co_search_settings : dict, optional
        'maxiter' (default 30) and tolerances 'xtol_x', ... 'xtol_delta'.

    Returns
    -------
    Particles
        One particle on the closed orbit, with the line's reference.
    """
    if kwargs:
        import difflib

        key = next(iter(kwargs))
        allowed = ["co_guess", "method", "delta0", "zeta0", "steps_r_matrix", "co_search_settings",
                   "particle_ref", "freeze_longitudinal"]
        close = difflib.get_close_matches(key, allowed, n=1)
        raise TypeError(f"find_closed_orbit() got an unexpected keyword {key!r}"
                        + (f"; did you mean {close[0]!r}?" if close else "") + ".")
    if freeze_longitudinal:
        method = "4d"
    if method not in _METHODS:
        raise ValueError(f"find_closed_orbit: method must be one of {_METHODS}, got {method!r}.")
    if co_guess is None:
        guess = None
    elif hasattr(co_guess, "_context") and hasattr(co_guess, "x"):
        guess = coords_of_particle(co_guess)
    elif isinstance(co_guess, dict):
        guess = np.array([float(co_guess.get(k, 0.0))
                          for k in ("x", "px", "y", "py", "zeta", "delta")])
    else:
        guess = np.asarray(co_guess, dtype=float).reshape(6)
    settings = dict(co_search_settings or {})
    from .closed_orbit import DEFAULT_CO_TOLERANCES

    tol = DEFAULT_CO_TOLERANCES.copy()
    for ii, name in enumerate(("xtol_x", "xtol_px", "xtol_y", "xtol_py", "xtol_zeta", "xtol_delta")):
        if name in settings:
            tol[ii] = float(settings[name])
    if method == "4d" and delta0 is None:
        delta0 = 0.0 if guess is None else guess[5]
    from .twiss import _optics_tracking

    with _optics_tracking(line, disable_apertures=False):  # apertures as the user set them
        co, _ = find_closed_orbit_coords(line, co_guess=guess, method=method, delta0=delta0,
                                         zeta0=zeta0, steps_r_matrix=steps_r_matrix, tolerances=tol,
                                         max_iterations=int(settings.get("maxiter", 30)),
                                         particle_ref=particle_ref)
    ref = particle_ref if particle_ref is not None else line.particle_ref
    p0c = ref.p0c if isinstance(ref.p0c, np.ndarray) else ref._context.nparray_from_context_array(ref.p0c)
    return Particles(_context=line._context, mass0=ref.mass0, q0=ref.q0, p0c=float(p0c[0]),
                     **{k: co[i] for i, k in enumerate(("x", "px", "y", "py", "zeta", "delta"))})
