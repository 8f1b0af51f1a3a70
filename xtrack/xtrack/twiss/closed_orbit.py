"""Closed orbit of a ring by Newton iteration on the one-turn map.

The fixed point X = M(X) is found with X <- X - (R - I)^-1 (M(X) - X),
where R is the one-turn matrix by central finite differences
(one_turn_matrix.py) at the current guess. In 4d the longitudinal motion is
frozen: zeta and delta stay at their given values and only (x, px, y, py)
are solved for. Convergence: |M(X) - X| below 1e-11 in x, px, y, py,
1e-5 m in zeta and 1e-9 in delta (the established defaults).
"""

import numpy as np

from .one_turn_matrix import compute_one_turn_matrix_finite_differences
from .particles_io import track_coords

__all__ = ["ClosedOrbitNotFound", "DEFAULT_CO_TOLERANCES", "OpticsParticlesLost",
           "find_closed_orbit_coords"]

DEFAULT_CO_TOLERANCES = np.array([1e-11, 1e-11, 1e-11, 1e-11, 1e-5, 1e-9])
_NAMES = ("x", "px", "y", "py", "zeta", "delta")


class ClosedOrbitNotFound(RuntimeError):
    """The closed-orbit search did not converge.

    Attributes
    ----------
    iterations : int
    residual : ndarray (6,)
        M(X) - X at the last iterate.
    """

    def __init__(self, message, iterations=None, residual=None):
        super().__init__(message)
        self.iterations = iterations
        self.residual = residual


class OpticsParticlesLost(ClosedOrbitNotFound, AssertionError):
    """A particle tracked for the optics was lost (aperture, global limit, unstable orbit).

    Also an AssertionError, as the established twiss reports it (its particles
    are asserted alive), so scripts catching either keep working.
    """


def find_closed_orbit_coords(line, co_guess=None, method="6d", delta0=None, zeta0=None,
                             steps_r_matrix=None, max_iterations=30, tolerances=None,
                             jacobian=None, particle_ref=None, start=None, num_turns=1,
                             fixed_delta=False):
    """Closed orbit (x, px, y, py, zeta, delta) at the start of the line.

    Parameters
    ----------
    co_guess : array-like (6,), optional
        Starting point (default: zeros, with delta0/zeta0 when given).
    method : {'6d', '4d'}
        '4d' freezes zeta and delta at their guess values.
    jacobian : ndarray (6, 6), optional
        Fixed Jacobian (R matrix) used for every step instead of recomputing
        it (cheap searches close to a known solution).
    fixed_delta : bool, default False
        6d only: keep delta at `delta0` and solve for zeta such that the RF
        gives no net energy change over the turn (x, px, y, py and delta
        closed; zeta slips, as off momentum it must). The orbit of an
        off-momentum particle with the RF on.

    Returns
    -------
    co : ndarray (6,)
    R : ndarray (6, 6)
        Last one-turn matrix used (None when `jacobian` was given).
    """
    x = np.zeros(6) if co_guess is None else np.array(co_guess, dtype=float).reshape(6)
    if delta0 is not None:
        x[5] = delta0
    if zeta0 is not None and method == "4d":
        x[4] = zeta0
    tol = DEFAULT_CO_TOLERANCES if tolerances is None else np.asarray(tolerances, dtype=float)
    freeze = method == "4d"
    active = slice(0, 4) if freeze else slice(0, 6)
    unknowns = active
    if fixed_delta and not freeze:
        # equations x, px, y, py, delta; unknowns x, px, y, py, zeta
        active, unknowns = [0, 1, 2, 3, 5], [0, 1, 2, 3, 4]
    R = None
    residual = None
    for iteration in range(max_iterations + 1):
        final, state = track_coords(line, x[:, None], freeze_longitudinal=freeze, ele_start=start,
                                    num_turns=num_turns, particle_ref=particle_ref)
        if state[0] <= 0:
            raise ClosedOrbitNotFound(
                f"find_closed_orbit: the particle was lost at iteration {iteration} from "
                f"{dict(zip(_NAMES, x))}; give co_guess=... closer to the orbit.",
                iterations=iteration, residual=None)
        residual = final[:, 0] - x
        if np.all(np.abs(residual[active]) <= tol[active]):
            return x, R
        if iteration == max_iterations:
            break
        if jacobian is None:
            R = compute_one_turn_matrix_finite_differences(
                line, x, steps_r_matrix=steps_r_matrix, freeze_longitudinal=freeze, start=start,
                num_turns=num_turns, particle_ref=particle_ref)["R_matrix"]
            J = R
        else:
            J = jacobian
        A = _newton_matrix(J, active, unknowns)
        try:
            dx = np.linalg.solve(A, -residual[active])
        except np.linalg.LinAlgError as exc:
            raise ClosedOrbitNotFound(
                "find_closed_orbit: R - I is singular (integer tune, or 6d without RF; "
                "use method='4d').", iterations=iteration, residual=residual) from exc
        x[unknowns] += dx
    worst = int(np.argmax(np.abs(residual[active]) / tol[active]))
    raise ClosedOrbitNotFound(
        f"closed-orbit search did not converge after {max_iterations} iterations (residual "
        f"{abs(residual[worst]):.2e} in {_NAMES[worst]}). Try co_guess=..., or check that RF "
        "is on for 6d.", iterations=max_iterations, residual=residual)


def _newton_matrix(J, equations, unknowns):
    """d(M(X) - X)/dX restricted to the closed equations and the free unknowns."""
    rows, cols = np.arange(6)[equations], np.arange(6)[unknowns]
    return J[np.ix_(rows, cols)] - np.eye(6)[np.ix_(rows, cols)]
