"""Runs of scipy optimizers on the merit function of an :class:`~xdeps.optimize.Optimize`.

Only active knobs are passed to scipy; inactive ones keep their values.
After a run the knobs are set to scipy's result and the point is logged,
tagged with the method name.

scipy.optimize is imported by the runs that use it: importing it takes
longer than importing the rest of xdeps, and most sessions never call it.
"""

import numpy as np
from ..output import _print


class _ActiveProblem:
    """Merit function restricted to the active knobs."""

    def __init__(self, opt):
        self.merit = opt.get_merit_function(check_limits=False, return_scalar=False)
        self.merit.show_call_counter = opt.show_call_counter
        self.active = np.array([v.active for v in opt.vary])
        self.x_full = self.merit.get_x()
        lim = self.merit.get_x_limits()
        self.lower = lim[self.active, 0]
        self.upper = lim[self.active, 1]

    def full(self, xa):
        x = self.x_full.copy()
        x[self.active] = xa
        return x

    def x0(self, clip=True):
        x = self.x_full[self.active]
        return np.clip(x, self.lower, self.upper) if clip else x

    def residuals(self, xa):
        return self.merit(self.full(xa))

    def jacobian(self, xa):
        return self.merit.get_jacobian(self.full(xa))[:, self.active]

    def penalty(self, xa):
        return float(np.sum(self.residuals(xa) ** 2))

    def gradient(self, xa):
        x = self.full(xa)
        res = self.merit(x)
        jac = self.merit.get_jacobian(x, f0=res)[:, self.active]
        return 2.0 * jac.T @ res

    def bounds(self):
        return list(zip(np.where(np.isfinite(self.lower), self.lower, None),
                        np.where(np.isfinite(self.upper), self.upper, None)))


def _finish(opt, problem, xa, tag):
    problem.merit.set_x(problem.full(xa))
    opt._end_counter_line()
    opt.add_point_to_log(tag=tag)
    return opt


def least_squares_run(opt, method, n_steps, ftol, gtol, xtol, verbose):
    from scipy import optimize as sciopt

    problem = _ActiveProblem(opt)
    result = sciopt.least_squares(
        problem.residuals, problem.x0(), jac=problem.jacobian, bounds=(problem.lower, problem.upper),
        method=method, ftol=ftol, gtol=gtol, xtol=xtol, max_nfev=n_steps, verbose=verbose,
    )
    return _finish(opt, problem, result.x, method)


def minimize_run(opt, method, options, disp=False, bounded=True, verbose=False):
    from scipy import optimize as sciopt

    problem = _ActiveProblem(opt)
    if disp:
        options = dict(options, disp=True)
    jac = None if method == "Nelder-Mead" else problem.gradient
    result = sciopt.minimize(
        problem.penalty, problem.x0(clip=bounded), jac=jac, method=method,
        bounds=problem.bounds() if bounded else None, options=options,
    )
    if verbose and method == "Nelder-Mead":
        _print(f"simplex: {result.message} (penalty {result.fun:.6e}, {result.nfev} calls)")
    return _finish(opt, problem, result.x, method)


def direct_run(opt, n_steps, verbose, **kwargs):
    from scipy import optimize as sciopt

    problem = _ActiveProblem(opt)
    if not (np.all(np.isfinite(problem.lower)) and np.all(np.isfinite(problem.upper))):
        unbounded = [v.name for v, a in zip(opt.vary, problem.active) if a and not np.all(np.isfinite(v.effective_limits))]
        raise ValueError(f"run_direct: every active knob needs finite limits; unbounded: {unbounded}")
    result = sciopt.direct(problem.penalty, list(zip(problem.lower, problem.upper)), maxiter=n_steps, **kwargs)
    if verbose:
        _print(f"direct: {result.message} (penalty {result.fun:.6e}, {result.nfev} calls)")
    return _finish(opt, problem, result.x, "direct")
