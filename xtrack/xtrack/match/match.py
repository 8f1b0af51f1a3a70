"""``line.match(...)`` and ``line.match_knob(...)``: twiss-based matching on top of xdeps.Optimize."""

import numbers

import numpy as np
import xdeps

from .targets import Target, Vary, default_weight
from .twiss_action import ActionTwiss

__all__ = ["OptimizeLine", "match_line", "match_knob_line"]

# Keywords of line.match that go to the optimizer rather than to the twiss.
_OPTIMIZE_KEYS = ("restore_if_fail", "verbose", "assert_within_tol", "n_steps_max", "solver_options",
                  "show_call_counter", "check_limits", "name", "solver")


def _flatten(items):
    if items is None:
        return []
    if isinstance(items, (str, xdeps.Vary, xdeps.VaryList, xdeps.Target, xdeps.TargetList)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, (xdeps.VaryList, xdeps.TargetList)):
            out.extend(item)
        else:
            out.append(item)
    return out


def _prepare_vary(line, vary):
    """Vary objects with their container (default `line.vars`); plain names become Vary."""
    out = []
    for v in _flatten(vary):
        if isinstance(v, str):
            v = Vary(v)
        if not isinstance(v, xdeps.Vary):
            raise TypeError(f"match: vary must hold knob names, xt.Vary or xt.VaryList, got "
                            f"{type(v).__name__} ({v!r})")
        if v.container is None:
            v.container = line.vars
        out.append(v)
    if not out:
        raise ValueError("match: vary must name at least one knob")
    return out


def _tolerance_for(target, default_tol):
    if default_tol is None or getattr(target, "_tol_given", True):
        return None
    if isinstance(default_tol, dict):
        quantity = getattr(target, "quantity", None)
        if quantity in default_tol:
            return default_tol[quantity]
        return default_tol.get(None)
    if isinstance(default_tol, numbers.Real):
        return float(default_tol)
    raise TypeError(f"match: default_tol must be a number or a dict quantity -> tol, got {default_tol!r}")


def _prepare_targets(line, targets, action, default_tol):
    out = []
    for t in _flatten(targets):
        if not isinstance(t, xdeps.Target):
            raise TypeError(f"match: targets must hold xt.Target, xt.TargetSet or "
                            f"xt.TargetRelPhaseAdvance objects, got {type(t).__name__} ({t!r})")
        if isinstance(t, Target):
            if t.line is not None and t.line != getattr(line, "name", None):
                raise ValueError(f"match: target {t!r} names line {t.line!r}, but this match runs "
                                 "on a single line; match several lines with Multiline.match")
            if t.action is None:
                t.action = action
            tol = _tolerance_for(t, default_tol)
            if tol is not None:
                t.tol = tol
            if not t._weight_given and t.weight is None:
                t.weight = default_weight(t.quantity)
        out.append(t)
    if not out:
        raise ValueError("match: targets must hold at least one target")
    return out


class OptimizeLine(xdeps.Optimize):
    """Optimizer of a line match: ``xdeps.Optimize`` plus the line and its twiss action.

    Attributes
    ----------
    line : xtrack.Line
        The matched line.
    action_twiss : ActionTwiss
        The twiss computed at every point (``opt.action_twiss.run()``).
    """

    def __init__(self, line, vary, targets, action_twiss=None, **kwargs):
        self.line = line
        self.action_twiss = action_twiss
        super().__init__(vary=vary, targets=targets, **kwargs)

    @property
    def actions(self):
        """The distinct actions the targets use (the twiss action first): ``opt.actions[0].run()``."""
        out = [] if self.action_twiss is None else [self.action_twiss]
        for target in self.targets:
            action = getattr(target, "action", None)
            if action is not None and not any(action is aa for aa in out):
                out.append(action)
        return out

    def plot(self, *args, **kwargs):
        """Twiss plot at the current knob values (needs matplotlib)."""
        return self.action_twiss.run().plot(*args, **kwargs)


def opt_from_callable(function, x0, steps, tar, tols, limits=None, show_call_counter=True):
    """Optimizer driving ``function(x)`` (array in, array out) to the values `tar`
    (``xdeps.Optimize.from_callable`` under the name scripts use)."""
    return xdeps.Optimize.from_callable(function, x0, tar, steps=steps, tols=tols, limits=limits,
                                        show_call_counter=show_call_counter)


def match_line(line, vary, targets, solve=True, assert_within_tol=True,
               compensate_radiation_energy_loss=False, solver_options={}, allow_twiss_failure=True,
               restore_if_fail=True, verbose=False, n_steps_max=20, default_tol=None, solver=None,
               check_limits=True, name="", show_call_counter=False, **kwargs):
    """Match knobs of `line` to twiss targets; see `Line.match`. Returns an OptimizeLine."""
    if "init" in kwargs and isinstance(kwargs["init"], str) and kwargs["init"] not in ("periodic",):
        raise ValueError(f"match: init must be a TwissInit, a TwissTable or 'periodic', got {kwargs['init']!r}")
    vary = _prepare_vary(line, vary)
    action = ActionTwiss(line, allow_twiss_failure=allow_twiss_failure,
                         compensate_radiation_energy_loss=compensate_radiation_energy_loss, **kwargs)
    targets = _prepare_targets(line, targets, action, default_tol)
    if "compute_chromatic_properties" not in action.kwargs and not action.needs_chromatic_properties(targets):
        # tunes, optics and orbit only: skip the two off-momentum twiss of each point
        action.kwargs["compute_chromatic_properties"] = False
    opt = OptimizeLine(line, vary, targets, action, restore_if_fail=restore_if_fail, verbose=verbose,
                       assert_within_tol=assert_within_tol, n_steps_max=n_steps_max,
                       solver_options=solver_options, show_call_counter=show_call_counter,
                       check_limits=check_limits, name=name, solver=solver)
    if solve:
        opt.solve()
    return opt


def match_knob_line(line, knob_name, vary, targets, knob_value_start=0.0, knob_value_end=1.0,
                    run=True, **kwargs):
    """Create knob `knob_name` acting linearly on the varied knobs; see `Line.match_knob`.

    Each varied knob ``v`` becomes ``v_0 + c * (knob - knob_value_start)``
    with ``c = (v_matched - v_0) / (knob_value_end - knob_value_start)``:
    at `knob_value_start` the line is as before the match, at
    `knob_value_end` the targets are met, and in between it interpolates
    linearly (the first-order knob of MAD-X practice).
    """
    if not isinstance(knob_name, str) or not knob_name:
        raise ValueError(f"match_knob: knob_name must be a non-empty string, got {knob_name!r}")
    if knob_value_end == knob_value_start:
        raise ValueError(f"match_knob: knob_value_end must differ from knob_value_start "
                         f"(both {knob_value_start!r})")
    vary = _prepare_vary(line, vary)
    for v in vary:
        if v.container is not line.vars and not isinstance(v.container, type(line.vars)):
            raise ValueError(f"match_knob: knob {v.name!r} must be a variable of the line (line.vars)")
    initial = {v.name: float(v.get_value()) for v in vary}
    # expressions driving the varied knobs are replaced by values while matching: keep them
    old_exprs = {v.name: line.vars.get_expr(v.name) for v in vary}
    opt = match_line(line, vary, targets, solve=False, **kwargs)
    opt.knob_name = knob_name
    opt.knob_value_start = knob_value_start
    opt.knob_value_end = knob_value_end
    opt.knob_initial_values = initial

    def generate_knob():
        return _generate_knob(line, opt, knob_name, initial, old_exprs, knob_value_start,
                              knob_value_end)

    opt.generate_knob = generate_knob
    if run:
        opt.solve()
        generate_knob()
    return opt


def _generate_knob(line, opt, knob_name, initial, old_exprs, value_start, value_end):
    """Write the knob and the linear expressions of the varied knobs; knob set to `value_end`."""
    matched = {v.name: float(v.get_value()) for v in opt.vary}
    line.vars[knob_name] = value_end
    span = float(value_end - value_start)
    for name, v0 in initial.items():
        coeff = (matched[name] - v0) / span
        # the previous value (or expression) of the varied knob stays as its base
        base = f"{name}_from_{knob_name}"
        line.vars[base] = old_exprs[name] if old_exprs[name] is not None else v0
        line.vars[name] = (line.vars[base] + coeff * (line.vars[knob_name] - value_start))
    return {name: (matched[name] - v0) / span for name, v0 in initial.items()}
