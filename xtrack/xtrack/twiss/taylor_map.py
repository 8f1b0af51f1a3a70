"""Second order maps of line sections by finite differences: T matrix, SecondOrderTaylorMap
from a line, and a line with its sections between chosen elements replaced by such maps.

Coordinates z = (x, px, y, py, zeta, pzeta). Around an orbit z0 the section map
f is expanded as f(z) = f(z0) + R0 (z - z0) + T (z - z0)(z - z0), with
  R0[:, j]    = (f(z0 + h_j) - f(z0 - h_j)) / (2 h_j)                 (R-matrix steps),
  T[:, j, j]  = (f(z0 + h_j) - 2 f(z0) + f(z0 - h_j)) / (2 h_j^2),
  T[:, j, l]  = T[:, l, j] = (f(++) - f(+-) - f(-+) + f(--)) / (8 h_j h_l)   (j != l),
(T steps, larger: the second differences divide the round-off by h^2). All
displaced particles are tracked together in one call. A SecondOrderTaylorMap
acts on absolute coordinates, z_out = k + R z + T z z, so the expansion is
re-centred: k = f(z0) - R0 z0 + T z0 z0, R = R0 - 2 T z0, T unchanged.
"""

import numpy as np

from .one_turn_matrix import DEFAULT_STEPS_R_MATRIX, coords_of_particle, normalize_steps
from .particles_io import make_particles, particles_coords, particles_state
from .propagation import delta_from_pzeta, pzeta_from_delta

__all__ = ["DEFAULT_STEPS_T_MATRIX", "compute_T_matrix", "second_order_expansion",
           "second_order_taylor_map_from_line", "line_with_second_order_maps"]

#: Steps of the second differences: ten times the R-matrix steps.
DEFAULT_STEPS_T_MATRIX = {k: 10 * v for k, v in DEFAULT_STEPS_R_MATRIX.items()}

_STEP_NAMES = ("dx", "dpx", "dy", "dpy", "dzeta", "ddelta")
_MAP_COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def _steps(steps, defaults):
    out = dict(defaults)
    if steps is not None:
        checked = normalize_steps(steps)  # rejects unknown names and non-positive steps
        out.update({k: checked[k] for k, v in steps.items() if v is not None})
    return np.array([out[k] for k in _STEP_NAMES])


def _beta0(line, particle_ref=None):
    ref = particle_ref if particle_ref is not None else line.particle_ref
    if ref is None:
        raise ValueError("second order map: the line has no reference particle; set "
                         "line.particle_ref (e.g. line.set_particle_ref('proton', p0c=7e12)).")
    beta0 = ref.beta0
    if not isinstance(beta0, np.ndarray):
        beta0 = ref._context.nparray_from_context_array(beta0)
    return float(np.atleast_1d(beta0)[0])


def second_order_expansion(line, z0, ele_start, ele_stop, steps_r_matrix=None, steps_t_matrix=None,
                           particle_ref=None):
    """(f(z0), R0, T) of the section [ele_start, ele_stop) around z0 (pzeta coordinates).

    ele_stop None: to the end of the line.
    """
    from .twiss import _optics_tracking

    beta0 = _beta0(line, particle_ref)
    z0 = np.asarray(z0, dtype=float).reshape(6)
    hr = _steps(steps_r_matrix, DEFAULT_STEPS_R_MATRIX)
    ht = _steps(steps_t_matrix, DEFAULT_STEPS_T_MATRIX)
    # the momentum steps (named ddelta) are applied to pzeta (d pzeta / d delta = 1 at delta 0);
    # the pzeta actually given after the round trip through delta is the divisor
    eye = np.eye(6)
    points = [z0]
    points += [z0 + s * hr[j] * eye[j] for s in (1, -1) for j in range(6)]
    points += [z0 + s * ht[j] * eye[j] for s in (1, -1) for j in range(6)]
    pairs = [(j, l) for j in range(6) for l in range(j + 1, 6)]
    for j, l in pairs:
        for sj, sl in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            points.append(z0 + sj * ht[j] * eye[j] + sl * ht[l] * eye[l])
    Z = np.array(points).T
    X = Z.copy()
    X[5] = delta_from_pzeta(Z[5], beta0)
    particles = make_particles(line, X, particle_ref=particle_ref, at_element=ele_start)
    # pzeta as the particles hold it, before and after: a round trip through delta would
    # leave 1e-16 errors that the second differences turn into 1e-6
    Z = particles_coords(particles, _MAP_COORDS)
    with _optics_tracking(line):
        line.track(particles, ele_start=ele_start, ele_stop=ele_stop)
    if np.any(particles_state(particles) <= 0):
        raise RuntimeError("second order map: particles were lost in the section (elements "
                           f"{ele_start} to {ele_stop}); check the orbit around which it is expanded.")
    F = particles_coords(particles, _MAP_COORDS)
    f0 = F[:, 0]
    R0 = np.empty((6, 6))
    T = np.empty((6, 6, 6))
    for j in range(6):
        p, m = 1 + j, 7 + j
        R0[:, j] = (F[:, p] - F[:, m]) / (Z[j, p] - Z[j, m])
        p, m = 13 + j, 19 + j
        h = (Z[j, p] - Z[j, m]) / 2
        T[:, j, j] = (F[:, p] - 2 * f0 + F[:, m]) / (2 * h * h)
    for k, (j, l) in enumerate(pairs):
        c = 25 + 4 * k
        hj = (Z[j, c] - Z[j, c + 2]) / 2
        hl = (Z[l, c] - Z[l, c + 1]) / 2
        mixed = (F[:, c] - F[:, c + 1] - F[:, c + 2] + F[:, c + 3]) / (8 * hj * hl)
        T[:, j, l] = T[:, l, j] = mixed
    return f0, R0, T


def _bounds(line, start, end):
    """(first element, one past the last) of the section [start, end)."""
    from .one_turn_matrix import _range

    i0, i1 = _range(line, start, end)
    n = len(line.element_names)
    i0, i1 = i0 or 0, n if i1 is None else i1
    if i1 < i0:
        raise ValueError(f"second order map: end {end!r} lies before start {start!r}.")
    return i0, i1


def _orbit_at(line, index, twiss_table=None, particle_on_co=None):
    """Orbit (x, px, y, py, zeta, delta) at the entry of element `index` (a full twiss table
    has one row per element, in order)."""
    if particle_on_co is not None:
        if hasattr(particle_on_co, "_context"):
            return coords_of_particle(particle_on_co)
        return np.asarray(particle_on_co, dtype=float).reshape(6)
    tw = twiss_table if twiss_table is not None else line.twiss()
    if len(tw.name) != len(line.element_names) + 1:
        raise ValueError("second order map: twiss_table must cover the whole line "
                         f"({len(line.element_names) + 1} rows), got {len(tw.name)} rows.")
    return np.array([float(tw[c][index]) for c in ("x", "px", "y", "py", "zeta", "delta")])


def compute_T_matrix(line, start=None, end=None, particle_on_co=None, steps_t_matrix=None):
    """Second order tensor T (6, 6, 6) of the section [start, end) around the orbit.

    Parameters
    ----------
    start, end : str or int, optional
        Section (default: the whole line).
    particle_on_co : Particles or array-like (6,), optional
        Orbit at `start` (default: the twiss orbit of the line there).
    steps_t_matrix : dict, optional
        Steps 'dx', 'dpx', 'dy', 'dpy', 'dzeta', 'ddelta' of the second
        differences (defaults: DEFAULT_STEPS_T_MATRIX).

    Returns
    -------
    ndarray (6, 6, 6)
        T[i, j, l] = (1/2) d^2 z_out[i] / d z[j] d z[l], symmetric in (j, l).
    """
    line._ensure_tracker()
    i0, i1 = _bounds(line, start, end)
    co = _orbit_at(line, i0, particle_on_co=particle_on_co)
    z0 = co.copy()
    z0[5] = pzeta_from_delta(co[5], _beta0(line))
    _, _, T = second_order_expansion(line, z0, i0, None if i1 >= len(line.element_names) else i1,
                                     steps_t_matrix=steps_t_matrix)
    return T


def _taylor_map(cls, line, i0, i1, co, length, **kwargs):
    z0 = co.copy()
    z0[5] = pzeta_from_delta(co[5], _beta0(line))
    f0, R0, T = second_order_expansion(line, z0, i0, None if i1 >= len(line.element_names) else i1,
                                       **kwargs)
    k = f0 - R0 @ z0 + np.einsum("ijl,j,l->i", T, z0, z0)
    R = R0 - 2 * np.einsum("ijl,l->ij", T, z0)
    return cls(length=length, k=k, R=R, T=T)


def _section_length(line, i0, i1):
    s = line.get_s_elements(mode="upstream") + [line.get_length()]
    return float(s[i1] - s[i0])


def second_order_taylor_map_from_line(cls, line, start, end, twiss_table=None, **kwargs):
    """`SecondOrderTaylorMap.from_line`: map from the entry of `start` to the entry of `end`,
    expanded around the twiss orbit at `start` (twiss computed when not given)."""
    line._ensure_tracker()
    i0, i1 = _bounds(line, start, end)
    tw = twiss_table if twiss_table is not None else line.twiss()
    co = _orbit_at(line, i0, twiss_table=tw)
    return _taylor_map(cls, line, i0, i1, co, _section_length(line, i0, i1), **kwargs)


def line_with_second_order_maps(line, split_at, twiss_table=None, **kwargs):
    """A new line: the elements of `split_at` (and the first element) kept, each stretch of
    elements between two of them replaced by one SecondOrderTaylorMap ('map_<k>'), expanded
    around the twiss orbit of `line`.

    split_at : iterable of str
        Element names as in the twiss table: an element placed several times
        is named 'name::k' (k-th placement, from 0).
    """
    from ..beam_elements.maps import SecondOrderTaylorMap
    from ..line.line import Line
    from .twiss import _unique_names

    if isinstance(split_at, str):
        split_at = [split_at]
    names = list(line.element_names)
    unique = _unique_names(names)
    position = {u: i for i, u in enumerate(unique)}
    missing = [n for n in split_at if n not in position]
    if missing:
        raise ValueError(f"get_line_with_second_order_maps: split_at elements {missing} are not "
                         "present in the line (an element placed several times is named "
                         "'name::k', k from 0).")
    line._ensure_tracker()
    cuts = sorted({0} | {position[n] for n in split_at})
    tw = twiss_table if twiss_table is not None else line.twiss()
    s = line.get_s_elements(mode="upstream") + [line.get_length()]
    elements, new_names = {}, []
    bounds = cuts + [len(names)]
    for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        kept = unique[a]
        elements[kept] = line.element_dict[names[a]].copy()  # the original keeps its buffer
        new_names.append(kept)
        if b > a + 1:  # no map for an empty stretch between adjacent cuts
            co = _orbit_at(line, a + 1, twiss_table=tw)
            name = f"map_{k}"
            elements[name] = _taylor_map(SecondOrderTaylorMap, line, a + 1, b, co,
                                         float(s[b] - s[a + 1]), **kwargs)
            new_names.append(name)
    new = Line(elements=elements, element_names=new_names)
    if line.particle_ref is not None:
        new.particle_ref = line.particle_ref.copy()
    return new
