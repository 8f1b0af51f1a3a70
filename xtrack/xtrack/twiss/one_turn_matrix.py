"""One-turn (or start-to-end) matrix by central finite differences of tracking.

The matrix is expressed in (x, px, y, py, zeta, pzeta), pzeta = ptau / beta0,
around a reference orbit `particle_on_co`. Each coordinate is displaced by
+- its step and the column is (out(+) - out(-)) / (2 step): the error is
O(step^2) from the nonlinearity plus O(eps / step) from round-off. The
default steps are those of the established implementation (README of the
lattice reference data): dx = dy = 1e-6 m, dpx = dpy = 1e-7, dzeta = 1e-5 m,
ddelta = 1e-6. The momentum column is displaced in delta; its actual pzeta
displacement is used as the divisor.
"""

import numpy as np

from .particles_io import COORDS, frozen_energy, make_particles, particles_coords

__all__ = ["DEFAULT_STEPS_R_MATRIX", "compute_one_turn_matrix_finite_differences",
           "coords_of_particle", "normalize_steps"]

DEFAULT_STEPS_R_MATRIX = {"dx": 1e-6, "dpx": 1e-7, "dy": 1e-6, "dpy": 1e-7,
                          "dzeta": 1e-5, "ddelta": 1e-6}

_MATRIX_COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def normalize_steps(steps):
    """Complete a (partial) steps dict with the defaults; reject unknown keys."""
    out = dict(DEFAULT_STEPS_R_MATRIX)
    if steps is None:
        return out
    if not isinstance(steps, dict):
        raise TypeError(f"steps_r_matrix must be a dict like {DEFAULT_STEPS_R_MATRIX}, got {steps!r}.")
    for key, value in steps.items():
        if key not in out:
            import difflib

            close = difflib.get_close_matches(key, list(out), n=2)
            raise KeyError(f"steps_r_matrix: unknown step {key!r}; allowed: {list(out)}"
                           + (f"; did you mean {close[0]!r}?" if close else ""))
        if value is None:
            continue
        value = float(value)
        if not value > 0:
            raise ValueError(f"steps_r_matrix[{key!r}] must be > 0, got {value}.")
        out[key] = value
    return out


def coords_of_particle(particle, index=0):
    """(x, px, y, py, zeta, delta) of particle `index` of a Particles object, as floats."""
    ctx = particle._context
    out = []
    for name in COORDS:
        arr = getattr(particle, name)
        if not isinstance(arr, np.ndarray):
            arr = ctx.nparray_from_context_array(arr)
        out.append(float(np.atleast_1d(arr)[index]))
    return np.array(out)


def compute_one_turn_matrix_finite_differences(line, particle_on_co, steps_r_matrix=None,
                                               start=None, end=None, num_turns=1,
                                               freeze_longitudinal=False, particle_ref=None):
    """Transfer matrix from `start` to `end` (default: one turn) by central differences.

    Parameters
    ----------
    line : Line
    particle_on_co : Particles or array-like (6,)
        Reference orbit at `start`: a Particles (first particle used) or
        (x [m], px, y [m], py, zeta [m], delta).
    steps_r_matrix : dict, optional
        Steps 'dx' [m], 'dpx', 'dy' [m], 'dpy', 'dzeta' [m], 'ddelta';
        missing entries take the defaults of DEFAULT_STEPS_R_MATRIX.
    start, end : str or int, optional
        Element range (default: the whole line, one turn).
    freeze_longitudinal : bool, default False
        Track with zeta and delta frozen (4d).

    Returns
    -------
    dict
        'R_matrix' : ndarray (6, 6), order (x, px, y, py, zeta, pzeta);
        'steps_r_matrix' : the steps used; 'particle_on_co' : the orbit (6,).
    """
    steps = normalize_steps(steps_r_matrix)
    if hasattr(particle_on_co, "x") and hasattr(particle_on_co, "_context"):
        co = coords_of_particle(particle_on_co)
    else:
        co = np.asarray(particle_on_co, dtype=float).reshape(6)
    step_vec = np.array([steps["dx"], steps["dpx"], steps["dy"], steps["dpy"],
                         steps["dzeta"], steps["ddelta"]])
    coords = np.tile(co[:, None], (1, 12))
    for ii in range(6):
        coords[ii, ii] += step_vec[ii]
        coords[ii, ii + 6] -= step_vec[ii]
    particles = make_particles(line, coords, particle_ref=particle_ref, at_element=start)
    initial = particles_coords(particles, _MATRIX_COORDS)
    ele_start, ele_stop = _range(line, start, end)
    with frozen_energy(line, freeze_longitudinal):  # thick cavities: their drift when frozen
        line.track(particles, ele_start=ele_start, ele_stop=ele_stop, num_turns=num_turns,
                   freeze_longitudinal=freeze_longitudinal)
    state = particles_coords(particles, ("state",))[0]
    if np.any(state <= 0):
        raise RuntimeError("compute_one_turn_matrix_finite_differences: particles were lost while "
                           "tracking the displaced orbits (check the closed orbit and apertures).")
    final = particles_coords(particles, _MATRIX_COORDS)
    R = np.zeros((6, 6))
    for ii in range(6):
        denom = initial[ii, ii] - initial[ii, ii + 6]
        R[:, ii] = (final[:, ii] - final[:, ii + 6]) / denom
    return {"R_matrix": R, "steps_r_matrix": steps, "particle_on_co": co}


def _range(line, start, end):
    names = line.element_names

    def index(where, what):
        if where is None:
            return None
        if isinstance(where, str):
            if where == "_end_point":
                return len(names)
            if where not in line.element_dict:
                import difflib

                close = difflib.get_close_matches(where, names, n=3)
                raise KeyError(f"{what}: no element named {where!r} in the line"
                               + (f"; close matches: {close}" if close else "") + ".")
            return names.index(where)
        return int(where)

    ele_start = index(start, "start")
    ele_stop = index(end, "end")
    if ele_stop is not None and ele_stop == len(names):
        ele_stop = None
    return ele_start, ele_stop
