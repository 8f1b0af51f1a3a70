"""Merit function of a matching problem: knob vector -> weighted residuals.

The vector ``x`` holds the values of all knobs (active or not; inactive ones
are left unchanged by solvers through the Jacobian and masks). Calling the
merit function sets the knobs, runs each action once, and returns one
residual per active target, weighted (``weight * (quantity - value)``), or
the sum of their squares when a scalar is asked for.
"""

import math

import numpy as np

from ..output import _print

#: Residual used for every target when an action that allows failure fails.
FAILED_RESIDUAL = 1e100


class MeritFunctionForMatch:
    """Weighted residuals of the targets as a function of the knobs.

    Parameters
    ----------
    vary : list of Vary
    targets : list of Target
    check_limits : bool
        Raise ValueError when ``x`` is outside the knob limits.
    return_scalar : bool
        Return the sum of squared residuals instead of the vector.
    rescale_x : (float, float), optional
        ``x`` is given mapped from each knob's limits to this interval.
    show_call_counter : bool
        Print a running count of model calls.
    """

    def __init__(self, vary, targets, check_limits=True, return_scalar=False, rescale_x=None,
                 show_call_counter=False):
        self.vary = vary
        self.targets = targets
        self.check_limits = check_limits
        self.return_scalar = return_scalar
        self.show_call_counter = show_call_counter
        self.call_counter = 0
        self.rescale_x = None
        if rescale_x is not None:
            limits = self.get_x_limits(scaled=False)
            if not np.all(np.isfinite(limits)):
                unbounded = [v.name for v, lim in zip(vary, limits) if not np.all(np.isfinite(lim))]
                raise ValueError(f"rescale_x needs finite limits on every knob; unbounded: {unbounded}")
            self.rescale_x = tuple(float(v) for v in rescale_x)
        self.last_quantities = None
        self.last_failed = False

    # ---------------------------------------------------------------- x <-> knobs
    def _to_physical(self, x):
        x = np.asarray(x, dtype=float)
        if self.rescale_x is None:
            return x
        a, b = self.rescale_x
        lim = self.get_x_limits(scaled=False)
        return lim[:, 0] + (x - a) / (b - a) * (lim[:, 1] - lim[:, 0])

    def _to_scaled(self, x):
        if self.rescale_x is None:
            return np.asarray(x, dtype=float)
        a, b = self.rescale_x
        lim = self.get_x_limits(scaled=False)
        return a + (np.asarray(x) - lim[:, 0]) / (lim[:, 1] - lim[:, 0]) * (b - a)

    def get_x(self):
        """Current knob values (scaled if ``rescale_x``)."""
        return self._to_scaled(np.array([v.get_value() for v in self.vary], dtype=float))

    def set_x(self, x):
        """Assign the knobs from ``x``."""
        phys = self._to_physical(x)
        if self.check_limits:
            self._raise_if_outside(phys)
        for v, value in zip(self.vary, phys):
            v.set_value(float(value))

    def get_x_limits(self, scaled=True):
        """Array of shape (n_vary, 2) with the lower and upper limits."""
        lim = np.array([v.effective_limits for v in self.vary], dtype=float).reshape(len(self.vary), 2)
        if scaled and self.rescale_x is not None:
            lim = np.array([list(self.rescale_x)] * len(self.vary), dtype=float)
        return lim

    def _raise_if_outside(self, phys):
        lim = self.get_x_limits(scaled=False)
        bad = [(v.name, x, tuple(lo_hi)) for v, x, lo_hi in zip(self.vary, phys, lim)
               if not lo_hi[0] <= x <= lo_hi[1]]
        if bad:
            text = ", ".join(f"{n}={x!r} outside {lh}" for n, x, lh in bad)
            raise ValueError(f"knob values outside their limits: {text}")

    # ---------------------------------------------------------------- evaluation
    def compute_quantities(self):
        """Run the actions once and return the quantity of every target (all, active or not)."""
        self.call_counter += 1
        if self.show_call_counter:
            _print(f"\rMatching: model call n. {self.call_counter}       ", end="", flush=True)
        results = {}
        self.last_failed = False
        for target in self.targets:
            action = target.action
            if action is None or action in results:
                continue
            try:
                results[action] = action.run()
            except Exception:
                if not getattr(action, "allow_failure", False):
                    raise
                self.last_failed = True
                results[action] = None
        quantities = []
        for target in self.targets:
            if self.last_failed and target.action is not None and results.get(target.action) is None:
                quantities.append(math.nan)
            else:
                quantities.append(float(target.eval(results)))
        self.last_quantities = np.array(quantities)
        return self.last_quantities

    def residuals(self, quantities):
        """Weighted residuals of the active targets."""
        out = []
        for target, q in zip(self.targets, quantities):
            if not target.active:
                continue
            if not math.isfinite(q):
                out.append(FAILED_RESIDUAL)
            else:
                out.append(target.effective_weight * target.residual(q))
        return np.array(out, dtype=float)

    def __call__(self, x, return_scalar=None):
        self.set_x(x)
        res = self.residuals(self.compute_quantities())
        scalar = self.return_scalar if return_scalar is None else return_scalar
        return float(np.sum(res**2)) if scalar else res

    def get_jacobian(self, x, f0=None):
        """Forward-difference Jacobian, shape (n_active_targets, n_vary).

        Columns of inactive knobs are zero. The step of a knob at its upper
        limit is taken backwards so that the knob stays inside its range.
        """
        x = np.asarray(x, dtype=float)
        if f0 is None:
            f0 = self(x, return_scalar=False)
        jac = np.zeros((len(f0), len(self.vary)))
        lim = self.get_x_limits()
        for j, v in enumerate(self.vary):
            if not v.active:
                continue
            step = v.effective_step
            if self.rescale_x is not None:
                a, b = self.rescale_x
                lo, hi = v.effective_limits
                step = step / (hi - lo) * (b - a)
            if x[j] + step > lim[j, 1]:
                step = -step
            x_step = x.copy()
            x_step[j] += step
            jac[:, j] = (self(x_step, return_scalar=False) - f0) / step
        self.set_x(x)
        return jac

    def tolerances_met(self, quantities=None):
        """Per active target: is it within tolerance?"""
        q = self.last_quantities if quantities is None else quantities
        return np.array([t.is_met(qi) for t, qi in zip(self.targets, q) if t.active], dtype=bool)
