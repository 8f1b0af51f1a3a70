"""Pencil beams: particles just beyond a cut in normalised phase space.

A pencil of depth dr beyond a cut at c (both in beam sigmas) fills the
circular segment {x1 >= c, x1^2 + x2^2 <= (c + dr)^2} of normalised phase
space uniformly: the particles whose betatron amplitude reaches at most dr
beyond the cut and that are beyond it at the chosen location.
"""

import numpy as np

from .line_data import optics_at, reference_quantities, resolve_line
from .polar import generate_2D_uniform_circular_sector

__all__ = ["generate_2D_pencil", "generate_2D_pencil_with_absolute_cut"]

_SIDES = ("+", "-", "+-")


def _segment(num_particles, cut, r_max):
    """Uniform points in {x1 >= cut, r <= r_max}, by rejection from a sector."""
    theta_max = np.arccos(np.clip(cut / r_max, -1, 1))
    x1 = np.empty(0)
    x2 = np.empty(0)
    while len(x1) < num_particles:
        batch = max(2 * (num_particles - len(x1)), 100)
        a1, a2, _, _ = generate_2D_uniform_circular_sector(
            batch, r_range=(max(cut, 0), r_max), theta_range=(-theta_max, theta_max))
        keep = a1 >= cut
        x1, x2 = np.concatenate([x1, a1[keep]]), np.concatenate([x2, a2[keep]])
    return x1[:num_particles], x2[:num_particles]


def generate_2D_pencil(num_particles, pos_cut_sigmas, dr_sigmas, side="+"):
    """Generate a 2D pencil beam distribution in normalised coordinates.

    Parameters
    ----------
    num_particles : int
        Number of particles.
    pos_cut_sigmas : float
        Position of the cut [beam sigmas].
    dr_sigmas : float
        Depth of the pencil beyond the cut [beam sigmas], > 0.
    side : {'+', '-', '+-'}
        Beyond +cut, beyond -cut, or half of the particles on each side.

    Returns
    -------
    x1, x2 : ndarray
        Normalised position and momentum [beam sigmas].
    """
    if side not in _SIDES:
        raise ValueError(f"side must be one of {_SIDES}, got {side!r}")
    if not dr_sigmas > 0:
        raise ValueError(f"dr_sigmas must be positive, got {dr_sigmas!r}")
    num_particles = int(num_particles)
    if side == "+-":
        n_plus = num_particles // 2
        a1, a2 = generate_2D_pencil(n_plus, pos_cut_sigmas, dr_sigmas, "+")
        b1, b2 = generate_2D_pencil(num_particles - n_plus, pos_cut_sigmas, dr_sigmas, "-")
        return np.concatenate([a1, b1]), np.concatenate([a2, b2])
    x1, x2 = _segment(num_particles, pos_cut_sigmas, abs(pos_cut_sigmas) + dr_sigmas)
    if side == "-":
        x1, x2 = -x1, -x2
    return x1, x2


def generate_2D_pencil_with_absolute_cut(num_particles, plane, absolute_cut, dr_sigmas, side="+",
                                         tracker=None, line=None, nemitt_x=None, nemitt_y=None,
                                         at_element=None, match_at_s=None, twiss=None, **kwargs):
    """Generate a pencil beam beyond a cut given in metres (e.g. a collimator jaw).

    Parameters
    ----------
    num_particles : int
        Number of particles.
    plane : {'x', 'y'}
        Plane of the pencil.
    absolute_cut : float
        Position of the cut [m] in the lab frame (signed: above the closed
        orbit for side '+', below it for side '-').
    dr_sigmas : float
        Depth of the pencil beyond the cut [beam sigmas].
    side : {'+', '-'}
        Side of the beam.
    line : Line
        Line providing the optics (`twiss`) and the reference particle.
    nemitt_x, nemitt_y : float
        Normalised emittances [m rad]; the one of `plane` is required.
    at_element : str or int, optional
        Element where the particles are generated (default: line start).
    match_at_s : float, optional
        s [m] of the cut, in the drift downstream of `at_element`.
    twiss : TwissTable, optional
        Twiss table to use instead of calling `line.twiss(**kwargs)`.

    Returns
    -------
    x1, x2 : ndarray
        Normalised coordinates [beam sigmas] of the plane (for
        `line.build_particles(x_norm=..., px_norm=..., at_element=...,
        match_at_s=...)`).
    """
    if side not in ("+", "-"):
        raise ValueError(f"side must be '+' or '-' for an absolute cut, got {side!r}")
    line = resolve_line(line, tracker)
    nemitt = {"x": nemitt_x, "y": nemitt_y}.get(plane)
    if plane not in ("x", "y"):
        raise ValueError(f"plane must be 'x' or 'y', got {plane!r}")
    if nemitt is None or not nemitt > 0:
        raise ValueError(f"nemitt_{plane} must be a positive normalised emittance [m rad], got {nemitt!r}")
    if twiss is None:
        if line is None:
            raise ValueError("give line=... (or twiss=...) to compute the optics at the cut")
        twiss = line.twiss(**kwargs)
    bet, _, co, _ = optics_at(twiss, plane, at_element, match_at_s)
    _, _, beta0, gamma0, _ = reference_quantities(line=line, tw=twiss)
    sigma = np.sqrt(bet * nemitt / (beta0 * gamma0))
    cut_sigmas = (absolute_cut - co) / sigma if side == "+" else (co - absolute_cut) / sigma
    if cut_sigmas < 0:
        raise ValueError(f"absolute_cut={absolute_cut} m is on the wrong side of the closed orbit "
                         f"({co} m) for side {side!r}; give the signed jaw position")
    return generate_2D_pencil(num_particles, cut_sigmas, dr_sigmas, side)
