"""The :class:`Optimize` facade: knobs, targets, log, solvers and status displays."""

import re
import warnings

import numpy as np

from ..errors import XDepsError
from . import scipy_runs
from .jacobian import JacobianSolver
from .merit import MeritFunctionForMatch
from .status import log_table, target_table, vary_table
from .targets import ActionCall, Target, TargetList, Vary, VaryList, check_knobs
from ..output import _print

_SOLVERS = ("jacobian", "fsolve", "bfgs")


class OptimizationFailed(XDepsError, RuntimeError):
    """No point within tolerance was found.

    Attributes
    ----------
    penalty : float
        Sum of squared weighted residuals at the best point.
    mismatched : list of str
        Descriptions of the targets not within tolerance.
    """

    def __init__(self, message, penalty, mismatched):
        super().__init__(message)
        self.penalty = penalty
        self.mismatched = mismatched


def _flatten(items, single, group, what):
    if isinstance(items, (single, group)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, group):
            out.extend(item)
        elif isinstance(item, single):
            out.append(item)
        else:
            raise TypeError(f"Optimize: {what} must contain {single.__name__} or {group.__name__} "
                            f"objects, got {type(item).__name__}")
    if not out:
        raise ValueError(f"Optimize: {what} must not be empty")
    return out


def _matches(item, index, selector, attr):
    """Does ``item`` (at ``index``) match an id (int) or a regex on its ``attr`` (str)?"""
    if isinstance(selector, (int, np.integer)) and not isinstance(selector, bool):
        return index == selector
    if isinstance(selector, str):
        return re.fullmatch(selector, str(getattr(item, attr))) is not None
    raise TypeError(f"selector must be an int id or a str pattern, got {selector!r}")


def _set_active(items, selection, active, attr="tag"):
    """Apply ``enable``/``disable`` selection rules to ``items``."""
    if selection is None:
        return
    if selection is True or selection is False:
        for item in items:
            item.active = active if selection else not active
        return
    selectors = selection if isinstance(selection, (list, tuple)) else [selection]
    for i, item in enumerate(items):
        if any(_matches(item, i, s, attr) for s in selectors):
            item.active = active


class Optimize:
    """Numerical optimizer for matching.

    Parameters
    ----------
    vary : list of Vary or VaryList
        Knobs to vary.
    targets : list of Target or TargetList
        Targets to match.
    restore_if_fail : bool
        Restore the initial knobs when :meth:`solve` fails (default True).
    solver : {'jacobian', 'fsolve', 'bfgs'}, optional
        Solver used by :meth:`solve` (default 'jacobian', damped least-squares
        Newton on a finite-difference Jacobian).
    verbose : bool
        Print one line per iteration.
    assert_within_tol : bool
        :meth:`solve` raises :class:`OptimizationFailed` when no point within
        tolerance is found (default True).
    n_steps_max : int
        Largest number of iterations of :meth:`solve` (default 20).
    solver_options : dict
        Options of the solver (for 'jacobian': ``n_bisections``, ``rcond``,
        ``min_step``).
    show_call_counter : bool
        Print a running count of model calls.
    check_limits : bool
        If True, knobs outside their limits at the start raise ValueError;
        if False they are moved to the limits.
    name : str
        Label shown in messages.
    """

    def __init__(self, vary, targets, restore_if_fail=True, solver=None, verbose=False,
                 assert_within_tol=True, n_steps_max=20, solver_options={}, show_call_counter=True,
                 check_limits=True, name="", **kwargs):
        if kwargs:
            raise TypeError(f"Optimize() got unexpected keyword(s) {sorted(kwargs)}; subclasses "
                            "(xtrack's match) consume their own options before calling Optimize")
        self.vary = _flatten(vary, Vary, VaryList, "vary")
        self.targets = _flatten(targets, Target, TargetList, "targets")
        for v in self.vary:
            if v.container is None:
                raise ValueError(f"Optimize: Vary {v.name!r} has no container (a dict-like holding the knob)")
        check_knobs(self.vary)  # before anything is evaluated or changed
        for t in self.targets:
            if t.action is None and not callable(t.tar):
                raise ValueError(f"Optimize: Target {t.tar!r} has no action, so tar must be a callable")
        solver = "jacobian" if solver is None else solver
        if solver not in _SOLVERS:
            raise ValueError(f"Optimize: solver must be one of {_SOLVERS}, got {solver!r}")
        if not isinstance(n_steps_max, int) or n_steps_max < 1:
            raise ValueError(f"Optimize: n_steps_max must be a positive integer, got {n_steps_max!r}")
        unknown = set(solver_options) - {"n_bisections", "rcond", "min_step"}
        if unknown:
            raise TypeError(f"Optimize: unknown solver_options {sorted(unknown)}; allowed: "
                            "'n_bisections', 'rcond', 'min_step'")
        self.solver_name = solver
        self.restore_if_fail = restore_if_fail
        self.verbose = verbose
        self.assert_within_tol = assert_within_tol
        self.n_steps_max = n_steps_max
        self.show_call_counter = show_call_counter
        self.check_limits = check_limits
        self.name = name
        self._merit = MeritFunctionForMatch(self.vary, self.targets, check_limits=False,
                                            show_call_counter=show_call_counter)
        self._check_initial_limits()
        self.solver = JacobianSolver(self._merit, verbose=verbose, **solver_options)
        for action in {t.action for t in self.targets if t.action is not None}:
            action.prepare()
        self._log = []
        self.add_point_to_log(tag="start")

    def _check_initial_limits(self):
        x = np.array([v.get_value() for v in self.vary], dtype=float)
        lim = self._merit.get_x_limits()
        outside = (x < lim[:, 0]) | (x > lim[:, 1])
        if not outside.any():
            return
        if self.check_limits:
            bad = ", ".join(f"{v.name}={xi!r} not in {tuple(l)}" for v, xi, l, o
                            in zip(self.vary, x, lim, outside) if o)
            raise ValueError(f"Optimize: knobs outside their limits at the start: {bad} "
                             "(use check_limits=False to move them to the limits)")
        self._merit.set_x(np.clip(x, lim[:, 0], lim[:, 1]))

    # ------------------------------------------------------------------ log
    def add_point_to_log(self, tag=""):
        """Evaluate the targets at the current knobs and append the point to the log."""
        x = self._merit.get_x()
        res = self._merit(x)
        self._append_log(x, res, alpha=-1.0, tag=tag)

    def _append_log(self, x, res, alpha, tag=""):
        q = self._merit.last_quantities
        self._log.append({
            "knobs": np.array(x, dtype=float),
            "quantities": np.array(q, dtype=float),
            "penalty": float(np.sum(res**2)),
            "alpha": alpha,
            "tag": tag,
            "tol_met": [t.is_met(qi) for t, qi in zip(self.targets, q)],
            "target_active": [t.active for t in self.targets],
            "hit_limits": list(self.solver.hit_limits),
            "vary_active": [v.active for v in self.vary],
        })

    def log(self):
        """Return the optimization log as a Table."""
        return log_table(self)

    def clear_log(self):
        """Clear the log, keeping the current point as iteration 0."""
        self._log = []
        self.add_point_to_log(tag="start")

    def tag(self, tag=""):
        """Tag the current point in the log (logged anew if the knobs changed)."""
        x = self._merit.get_x()
        if self._log and np.array_equal(self._log[-1]["knobs"], x):
            self._log[-1]["tag"] = tag
        else:
            self.add_point_to_log(tag=tag)

    def _log_index(self, iteration=None, tag=None):
        if tag is not None:
            found = [i for i, e in enumerate(self._log) if e["tag"] == tag]
            if not found:
                tags = sorted({e["tag"] for e in self._log if e["tag"]})
                raise KeyError(f"no log point tagged {tag!r}; tags: {tags}")
            return found[-1]
        if iteration is None:
            return len(self._log) - 1
        if not -len(self._log) <= iteration < len(self._log):
            raise IndexError(f"iteration {iteration} not in the log (0..{len(self._log) - 1})")
        return iteration % len(self._log)

    def get_knob_values(self, iteration=None):
        """Dict knob name -> value at ``iteration`` of the log (default: the last)."""
        entry = self._log[self._log_index(iteration)]
        return {v.name: float(x) for v, x in zip(self.vary, entry["knobs"])}

    def reload(self, iteration=None, tag=None):
        """Set the knobs to their values at a logged iteration (or tagged point)."""
        entry = self._log[self._log_index(iteration, tag)]
        self._merit.set_x(entry["knobs"])

    # ------------------------------------------------------------------ enable / disable
    def enable(self, target=None, vary=None, vary_name=None):
        """Enable targets and knobs by id, tag regex, name regex, or all (True)."""
        _set_active(self.targets, target, True)
        _set_active(self.vary, vary, True)
        _set_active(self.vary, vary_name, True, attr="name")

    def disable(self, target=None, vary=None, vary_name=None):
        """Disable targets and knobs by id, tag regex, name regex, or all (True)."""
        _set_active(self.targets, target, False)
        _set_active(self.vary, vary, False)
        _set_active(self.vary, vary_name, False, attr="name")

    @staticmethod
    def _deprecated(old, new):
        warnings.warn(f"Optimize.{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)

    @staticmethod
    def _ids_and_tags(id, tag):
        out = []
        for group in (id, tag):
            if group is not None:
                out.extend(group if isinstance(group, (list, tuple)) else [group])
        return out

    def enable_vary(self, id=None, tag=None):
        """Deprecated: use ``enable(vary=...)``."""
        self._deprecated("enable_vary", "enable(vary=id_or_tags)")
        self.enable(vary=self._ids_and_tags(id, tag))

    def disable_vary(self, id=None, tag=None):
        """Deprecated: use ``disable(vary=...)``."""
        self._deprecated("disable_vary", "disable(vary=id_or_tags)")
        self.disable(vary=self._ids_and_tags(id, tag))

    def enable_targets(self, *id_or_tag, id=None, tag=None):
        """Deprecated: use ``enable(target=...)``."""
        self._deprecated("enable_targets", "enable(target=id_or_tags)")
        self.enable(target=list(id_or_tag) + self._ids_and_tags(id, tag))

    def disable_targets(self, id=None, tag=None):
        """Deprecated: use ``disable(target=...)``."""
        self._deprecated("disable_targets", "disable(target=id_or_tags)")
        self.disable(target=self._ids_and_tags(id, tag))

    def enable_all_targets(self):
        """Deprecated: use ``enable(target=True)``."""
        self._deprecated("enable_all_targets", "enable(target=True)")
        self.enable(target=True)

    def disable_all_targets(self):
        """Deprecated: use ``disable(target=True)``."""
        self._deprecated("disable_all_targets", "disable(target=True)")
        self.disable(target=True)

    def enable_all_vary(self):
        """Deprecated: use ``enable(vary=True)``."""
        self._deprecated("enable_all_vary", "enable(vary=True)")
        self.enable(vary=True)

    def disable_all_vary(self):
        """Deprecated: use ``disable(vary=True)``."""
        self._deprecated("disable_all_vary", "disable(vary=True)")
        self.disable(vary=True)

    # ------------------------------------------------------------------ solving
    def _within_tol(self):
        return bool(np.all(self._merit.tolerances_met()))

    def _end_counter_line(self):
        if self.show_call_counter:
            _print()

    def step(self, n_steps=1, take_best=True, enable_target=None, enable_vary=None,
             enable_vary_name=None, disable_target=None, disable_vary=None, disable_vary_name=None,
             verbose=None):
        """Perform up to ``n_steps`` solver iterations (stops early within tolerance).

        The enable_*/disable_* selections apply only to these steps. With
        ``take_best`` the knobs end at the lowest-penalty point reached.
        """
        saved = ([t.active for t in self.targets], [v.active for v in self.vary])
        self.enable(target=enable_target, vary=enable_vary, vary_name=enable_vary_name)
        self.disable(target=disable_target, vary=disable_vary, vary_name=disable_vary_name)
        verbose = self.verbose if verbose is None else verbose
        try:
            self._iterate(n_steps, take_best, verbose)
        finally:
            for t, a in zip(self.targets, saved[0]):
                t.active = a
            for v, a in zip(self.vary, saved[1]):
                v.active = a

    def _iterate(self, n_steps, take_best, verbose):
        x = self._merit.get_x()
        res = self._merit(x)
        first = len(self._log)
        self._append_log(x, res, alpha=-1.0)
        for _ in range(n_steps):
            if self._within_tol():
                break
            x, res, alpha = self.solver.step(x, res)
            self._append_log(x, res, alpha=alpha)
            if verbose:
                e = self._log[-1]
                _print(f"{self.name or 'Optimize'} iteration {len(self._log) - 1}: penalty={e['penalty']:.6e} "
                      f"alpha={alpha:g} tol_met={''.join('y' if m else 'n' for m in e['tol_met'])}")
            if self.solver.stalled:
                break
        if take_best:
            best = min(range(first, len(self._log)), key=lambda i: self._log[i]["penalty"])
            if best != len(self._log) - 1:
                self.reload(iteration=best)
                self._merit(self._merit.get_x())

    def solve(self, n_steps=None, verbose=None, take_best=True):
        """Iterate (up to ``n_steps_max``) until every active target is within tolerance.

        On failure, restores the initial knobs if ``restore_if_fail`` and
        raises :class:`OptimizationFailed` if ``assert_within_tol``.
        """
        start = len(self._log) - 1
        x_start = self._merit.get_x()
        n_steps = self.n_steps_max if n_steps is None else n_steps
        try:
            if self.solver_name == "jacobian":
                self.step(n_steps=n_steps, take_best=take_best, verbose=verbose)
            elif self.solver_name == "fsolve":
                self.run_ls_trf(n_steps=max(n_steps, 1) * (len(self.vary) + 1))
            else:
                self.run_bfgs(n_steps=n_steps)
        finally:
            self._end_counter_line()
        self._merit(self._merit.get_x())
        if self._within_tol():
            return self
        penalty = float(np.sum(self._merit.residuals(self._merit.last_quantities) ** 2))
        mismatched = [repr(t) for t, q in zip(self.targets, self._merit.last_quantities)
                      if t.active and not t.is_met(q)]
        if self.restore_if_fail:
            self._merit.set_x(x_start)
            self._append_log(x_start, self._merit(x_start), alpha=-1.0, tag="restored")
        if self.assert_within_tol:
            restored = " Knobs restored to their initial values." if self.restore_if_fail else ""
            raise OptimizationFailed(
                f"{self.name or 'Optimize'}: no point within tolerance after {len(self._log) - 1 - start} "
                f"logged steps (penalty {penalty:.3e}); mismatched: {mismatched}.{restored}",
                penalty, mismatched,
            )
        return self

    def solve_homotopy(self, n_steps=10):
        """Solve a sequence of problems whose targets move linearly to the final values.

        Useful when the start is far from the solution. If a subproblem fails,
        the last solved one is reloaded and the error re-raised.
        """
        q0 = self._merit.compute_quantities()
        finals = [t.value for t in self.targets]
        movable = [isinstance(v, (int, float, np.floating)) for v in finals]
        try:
            for k in range(1, n_steps + 1):
                for t, q, final, m in zip(self.targets, q0, finals, movable):
                    if m:
                        t.value = q + (final - q) * k / n_steps
                self.solve()
                self.tag(f"homotopy {k}")
        except Exception:
            if k > 1:
                self.reload(tag=f"homotopy {k - 1}")
            raise
        finally:
            for t, final in zip(self.targets, finals):
                t.value = final
        return self

    def run_ls_trf(self, n_steps=1000, ftol=1e-12, gtol=None, xtol=1e-12, verbose=0):
        """Least squares with scipy's Trust Region Reflective method (respects limits)."""
        return scipy_runs.least_squares_run(self, "trf", n_steps, ftol, gtol, xtol, verbose)

    def run_ls_dogbox(self, n_steps=1000, ftol=1e-12, gtol=None, xtol=1e-12, verbose=0):
        """Least squares with scipy's dogbox method (respects limits)."""
        return scipy_runs.least_squares_run(self, "dogbox", n_steps, ftol, gtol, xtol, verbose)

    def run_l_bfgs_b(self, n_steps=1000, ftol=1e-24, gtol=1e-24, disp=False):
        """Minimise the penalty with L-BFGS-B (respects limits)."""
        options = {"maxiter": n_steps, "ftol": ftol, "gtol": gtol}
        return scipy_runs.minimize_run(self, "L-BFGS-B", options, disp=disp, bounded=True)

    def run_bfgs(self, n_steps=1000, xrtol=1e-10, gtol=1e-18, disp=False):
        """Minimise the penalty with BFGS (limits not enforced)."""
        options = {"maxiter": n_steps, "xrtol": xrtol, "gtol": gtol, "disp": disp}
        return scipy_runs.minimize_run(self, "BFGS", options, bounded=False)

    def run_simplex(self, n_steps=1000, fatol=1e-11, xatol=1e100, adaptive=True, disp=False, verbose=True):
        """Minimise the penalty with Nelder-Mead (respects limits)."""
        options = {"maxiter": n_steps, "fatol": fatol, "xatol": xatol, "adaptive": adaptive, "disp": disp}
        return scipy_runs.minimize_run(self, "Nelder-Mead", options, bounded=True, verbose=verbose)

    def run_direct(self, n_steps=1000, verbose=True, **kwargs):
        """Global search with scipy's DIRECT (every active knob needs finite limits)."""
        return scipy_runs.direct_run(self, n_steps, verbose, **kwargs)

    def get_merit_function(self, check_limits=True, return_scalar=None, rescale_x=None):
        """Merit function (knob vector -> residuals) for use with another optimizer.

        The returned object has ``get_x``, ``set_x``, ``get_x_limits`` and
        ``get_jacobian`` methods.
        """
        return MeritFunctionForMatch(self.vary, self.targets, check_limits=check_limits,
                                     return_scalar=bool(return_scalar), rescale_x=rescale_x,
                                     show_call_counter=False)

    # ------------------------------------------------------------------ display
    def vary_status(self, ret=False, max_col_width=40, iter_ref=0):
        """Show (or return with ``ret=True``) the knobs as a Table."""
        table = vary_table(self, iter_ref=iter_ref)
        if ret:
            return table
        table.show(max_col_width=max_col_width, maxwidth=1000)
        return None

    def target_status(self, ret=False, max_col_width=40):
        """Show (or return with ``ret=True``) the targets as a Table."""
        table = target_table(self, self._merit.compute_quantities())
        if ret:
            return table
        table.show(max_col_width=max_col_width, maxwidth=1000)
        return None

    def target_mismatch(self, ret=False, max_col_width=40):
        """Show (or return) only the active targets not within tolerance."""
        table = target_table(self, self._merit.compute_quantities())
        table = table.rows[(~table.tol_met) & (table.state == "ON")]
        if ret:
            return table
        table.show(max_col_width=max_col_width, maxwidth=1000)
        return None

    def show(self, vary=True, targets=True, maxwidth=1000, max_col_width=80):
        """Print the knobs and the targets of the problem."""
        if vary:
            _print("Vary:")
            vary_table(self).cols["id state tag lower_limit current_val upper_limit step weight"].show(
                maxwidth=maxwidth, max_col_width=max_col_width)
        if targets:
            _print("Targets:")
            target_table(self, self._log[-1]["quantities"]).cols["id state tag target_val tol description"].show(
                maxwidth=maxwidth, max_col_width=max_col_width)

    @classmethod
    def from_callable(cls, function, x0, tar, steps=None, tols=None, limits=None, show_call_counter=True):
        """Optimizer driving ``function(x)`` (array in, array out) to the values ``tar``.

        Parameters
        ----------
        function : callable
            ``function(x) -> array_like`` of the same length as ``tar``.
        x0 : array_like
            Starting point.
        tar : array_like
            Values each output must reach.
        steps, tols : array_like, optional
            Jacobian steps per input and tolerances per output.
        limits : array_like, shape (n, 2), optional
            Limits per input.
        """
        x0 = np.atleast_1d(np.asarray(x0, dtype=float))
        tar = np.atleast_1d(np.asarray(tar, dtype=float))
        container = {f"x{i}": float(v) for i, v in enumerate(x0)}

        def run():
            out = np.atleast_1d(np.asarray(function(np.array([container[f"x{i}"] for i in range(len(x0))]))))
            if out.shape != tar.shape:
                raise ValueError(f"from_callable: function returned shape {out.shape}, expected {tar.shape}")
            return out

        action = ActionCall(run)
        vary = [Vary(f"x{i}", container, step=None if steps is None else steps[i],
                     limits=None if limits is None else limits[i]) for i in range(len(x0))]
        targets = [Target(i, float(tar[i]), tol=None if tols is None else tols[i], action=action)
                   for i in range(len(tar))]
        opt = cls(vary, targets, show_call_counter=show_call_counter)
        opt.container = container
        return opt
