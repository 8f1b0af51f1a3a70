"""Default solver: damped least-squares Newton iterations on a finite-difference Jacobian.

One iteration at knobs ``x`` with weighted residuals ``r`` and Jacobian ``J``:

1. Solve ``J dx = -r`` in the least-squares, minimum-norm sense (SVD,
   ``rcond``), in knob units divided by the knob weights, so heavier knobs
   move less.
2. Knobs sitting on a limit whose step points outwards are frozen and the
   system is solved again without them (active-set handling of limits).
3. The step is shrunk uniformly so that no knob moves more than its
   ``max_step``, then knobs are clipped to their limits.
4. Damping: if the penalty ``sum(r**2)`` does not decrease, the step is
   halved up to ``n_bisections`` times; then Levenberg-Marquardt damping
   ``(J^T J + lambda I) dx = -J^T r`` is tried with lambda growing tenfold
   from 1e-4 to 1e6 times the largest diagonal of ``J^T J`` (steps turn
   towards steepest descent and shrink). If nothing decreases the penalty
   the iteration reports no progress (``stalled``).

Iterations stop as soon as every active target is within its tolerance.
"""

import numpy as np


class JacobianSolver:
    """Damped Newton solver over a :class:`~xdeps.optimize.merit.MeritFunctionForMatch`.

    Parameters
    ----------
    merit : MeritFunctionForMatch
    n_bisections : int
        Halvings of a step that does not reduce the penalty (default 3).
    rcond : float, optional
        Relative cutoff of small singular values in the least-squares solve.
    min_step : float
        Below this step norm (in scaled units) the solver is stalled.
    verbose : bool
        Print one line per iteration.
    """

    def __init__(self, merit, n_bisections=3, rcond=None, min_step=1e-20, verbose=False):
        self.merit = merit
        self.n_bisections = n_bisections
        self.rcond = rcond
        self.min_step = min_step
        self.verbose = verbose
        self.stalled = False
        self.hit_limits = np.zeros(len(merit.vary), dtype=bool)

    def _solve_direction(self, jac, res, x, damping=0.0):
        vary = self.merit.vary
        lim = self.merit.get_x_limits()
        weights = np.array([v.effective_weight for v in vary])
        free = np.array([v.active for v in vary])
        for _ in range(len(vary) + 1):
            dx = np.zeros(len(vary))
            if free.any():
                scaled = jac[:, free] / weights[free]
                rhs = -res
                if damping > 0:
                    # Augmented system: least squares of [J; sqrt(lambda) I] u = [-r; 0].
                    n_free = scaled.shape[1]
                    scaled = np.vstack([scaled, np.sqrt(damping) * np.eye(n_free)])
                    rhs = np.concatenate([rhs, np.zeros(n_free)])
                u = np.linalg.lstsq(scaled, rhs, rcond=self.rcond)[0]
                dx[free] = u / weights[free]
            pushing_out = free & (((x <= lim[:, 0]) & (dx < 0)) | ((x >= lim[:, 1]) & (dx > 0)))
            if not pushing_out.any():
                return dx, ~free & np.array([v.active for v in vary])
            free &= ~pushing_out
        return dx, ~free

    def _limit_step(self, dx):
        ratios = [abs(d) / v.max_step for d, v in zip(dx, self.merit.vary) if v.max_step]
        biggest = max(ratios, default=0.0)
        return dx / biggest if biggest > 1 else dx

    def _trials(self, jac):
        """(damping, alpha) pairs tried in turn: Newton with halvings, then growing damping."""
        for k in range(self.n_bisections + 1):
            yield 0.0, 0.5**k
        weights = np.array([v.effective_weight for v in self.merit.vary])
        scale = float(np.max(np.sum((jac / weights) ** 2, axis=0), initial=0.0)) or 1.0
        for k in range(-4, 7):
            yield scale * 10.0**k, 1.0

    def step(self, x, res):
        """One iteration from ``x`` (residuals ``res``); return (x_new, res_new, alpha)."""
        merit = self.merit
        penalty = float(np.sum(res**2))
        jac = merit.get_jacobian(x, f0=res)
        lim = merit.get_x_limits()
        directions = {}
        for damping, alpha in self._trials(jac):
            if damping not in directions:
                dx, frozen = self._solve_direction(jac, res, x, damping)
                directions[damping] = (self._limit_step(dx), frozen)
            dx, frozen = directions[damping]
            x_new = np.clip(x + alpha * dx, lim[:, 0], lim[:, 1])
            if np.linalg.norm(x_new - x) < self.min_step:
                continue
            res_new = merit(x_new)
            if float(np.sum(res_new**2)) < penalty:
                self.hit_limits = frozen | (x_new <= lim[:, 0]) | (x_new >= lim[:, 1])
                self.stalled = False
                return x_new, res_new, alpha
        self.stalled = True
        merit.set_x(x)
        return x, merit(x), 0.0
