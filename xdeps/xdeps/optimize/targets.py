"""Knobs to vary, targets to reach, inequality constraints and actions.

These are the generic building blocks of :class:`~xdeps.optimize.Optimize`.
A :class:`Vary` names an entry of a container (a dict, or a ``vars`` view)
and how to change it. A :class:`Target` names a quantity computed by an
:class:`Action` (``action.run()`` returns a dict-like result; the target reads
``result[tar]`` or calls ``tar(result)``) and the value it must reach.
xtrack specialises both for twiss quantities.
"""

import math
import numbers

import numpy as np

from ..errors import UnknownNameError, close_matches_text, unexpected_keywords

_DEFAULT_STEP = 1e-10
_DEFAULT_TOL = 1e-10


def _check_limits(limits, name):
    if limits is None:
        return None
    try:
        lo, hi = limits
    except (TypeError, ValueError):
        raise ValueError(f"Vary {name!r}: limits must be a pair (lower, upper), got {limits!r}") from None
    lo = -math.inf if lo is None else float(lo)
    hi = math.inf if hi is None else float(hi)
    if not lo < hi:
        raise ValueError(f"Vary {name!r}: limits must satisfy lower < upper, got ({lo}, {hi})")
    return (lo, hi)


def _positive_or_none(value, what, name):
    if value is not None and not (isinstance(value, numbers.Real) and value > 0):
        raise ValueError(f"{what} of {name!r} must be a positive number, got {value!r}")
    return value


class Vary:
    """A knob changed by the optimizer: ``container[name]``.

    Parameters
    ----------
    name : str
        Name of the knob in ``container``.
    container : dict-like
        Mapping holding the knob; required by the time an optimizer uses it (reads ``container[name]``, writes
        ``container[name] = value``).
    limits : (float, float), optional
        Range allowed for the knob; None (default) is unbounded, a None
        bound is open.
    step : float, optional
        Finite-difference step for the Jacobian (default 1e-10).
    weight : float, optional
        Larger weights make the solver move this knob less (default 1).
    max_step : float, optional
        Largest change of the knob in one iteration.
    active : bool
        Whether the optimizer varies the knob (default True).
    tag : str
        Label used by ``enable``/``disable``.
    """

    def __init__(self, name, container=None, limits=None, step=None, weight=None, max_step=None,
                 active=True, tag=""):
        # container may stay None here: a library building on Vary (xtrack's
        # match) fills in its default before the optimizer checks it.
        self.name = name
        self.container = container
        self.limits = _check_limits(limits, name)
        self.step = _positive_or_none(step, "step", name)
        self.weight = _positive_or_none(weight, "weight", name)
        self.max_step = _positive_or_none(max_step, "max_step", name)
        self.active = bool(active)
        self.tag = tag

    def __repr__(self):
        return f"Vary(name={self.name!r}, limits={self.limits}, step={self.step}, weight={self.weight})"

    def get_value(self):
        """Current value of the knob (:class:`~xdeps.errors.UnknownNameError`, a KeyError, if absent)."""
        try:
            value = self.container[self.name]
        except KeyError:
            if knob_exists(self.container, self.name):
                raise  # the knob is there: the KeyError comes from elsewhere
            raise unknown_knobs([self.name], self.container) from None
        return getattr(value, "_value", value)

    def set_value(self, value):
        """Assign the knob."""
        self.container[self.name] = value

    @property
    def effective_step(self):
        return _DEFAULT_STEP if self.step is None else self.step

    @property
    def effective_weight(self):
        return 1.0 if self.weight is None else self.weight

    @property
    def effective_limits(self):
        return (-math.inf, math.inf) if self.limits is None else self.limits


def knob_names(container):
    """Names held by a knob container (a dict, a ``VarManagement``, a ``vars`` view), or []."""
    for source in (getattr(container, "var_values", None), container):
        keys = getattr(source, "keys", None)
        if callable(keys):
            try:
                return [str(k) for k in keys()]
            except Exception:  # noqa: BLE001 - a container we cannot list: no suggestions
                pass
    return []


def knob_exists(container, name):
    """True when ``container`` holds ``name`` (by ``in``, else by reading it)."""
    if hasattr(type(container), "__contains__"):
        try:
            return name in container
        except TypeError:
            pass
    try:
        container[name]
    except KeyError:
        return False
    return True


def unknown_knobs(names, container):
    """:class:`~xdeps.errors.UnknownNameError` (a KeyError) naming the knobs absent from ``container``."""
    known = knob_names(container)
    parts = [f"{name!r}{close_matches_text(name, known)}" for name in names]
    noun = "knob" if len(names) == 1 else "knobs"
    return UnknownNameError(f"Vary: unknown {noun} " + "; ".join(parts)
                            + " (a knob must exist in its container before it is varied)")


def check_knobs(varys):
    """Raise :func:`unknown_knobs` for the knobs of ``varys`` absent from their containers."""
    missing = {}
    for vary in varys:
        if not knob_exists(vary.container, vary.name):
            missing.setdefault(id(vary.container), (vary.container, []))[1].append(vary.name)
    for container, names in missing.values():
        raise unknown_knobs(names, container)


class VaryList:
    """Several knobs sharing the same options; see :class:`Vary`."""

    def __init__(self, vars, container=None, limits=None, step=None, weight=None, max_step=None,
                 active=True, tag=""):
        if isinstance(vars, str):
            raise TypeError("VaryList: vars must be a list of names, got a single string; use Vary")
        self.vary_objects = [
            Vary(name, container=container, limits=limits, step=step, weight=weight,
                 max_step=max_step, active=active, tag=tag)
            for name in vars
        ]

    def __iter__(self):
        return iter(self.vary_objects)

    def __len__(self):
        return len(self.vary_objects)


class GreaterThan:
    """Inequality target ``quantity >= lower``.

    Parameters
    ----------
    lower : float
        Bound.
    mode : {'step', 'smooth'}
        'step': zero residual when satisfied, ``quantity - lower`` otherwise.
        'smooth': softplus-like residual, differentiable at the bound, of
        width ``sigma_rel * |lower|`` (or ``sigma_rel`` when lower is 0).
    sigma_rel : float
        Relative width of the smooth mode.
    """

    _sign = 1.0

    def __init__(self, lower, mode="step", sigma_rel=0.05):
        if mode not in ("step", "smooth"):
            raise ValueError(f"mode must be 'step' or 'smooth', got {mode!r}")
        self.bound = float(lower)
        self.mode = mode
        self.sigma_rel = sigma_rel

    @property
    def lower(self):
        return self.bound

    def violation(self, value):
        """Signed distance beyond the bound (0 when satisfied)."""
        d = self._sign * (value - self.bound)
        return 0.0 if d >= 0 else self._sign * d

    def residual(self, value):
        """Residual entering the least-squares problem."""
        if self.mode == "step":
            return self.violation(value)
        sigma = self.sigma_rel * (abs(self.bound) or 1.0)
        d = self._sign * (value - self.bound) / sigma
        # softplus(-d) decays to 0 inside the allowed region and grows linearly outside.
        return -self._sign * sigma * np.logaddexp(0.0, -d) if d < 30 else 0.0

    def __repr__(self):
        return f"{type(self).__name__}({self.bound!r})"


class LessThan(GreaterThan):
    """Inequality target ``quantity <= upper``; see :class:`GreaterThan`."""

    _sign = -1.0

    def __init__(self, upper, mode="step", sigma_rel=0.05):
        super().__init__(upper, mode=mode, sigma_rel=sigma_rel)

    @property
    def upper(self):
        return self.bound


class Action:
    """Computation whose result targets read; subclasses define :meth:`run`.

    ``run()`` returns a dict-like result (``result[tar]``). It may raise if
    the knobs give no valid result; with ``allow_failure = True`` the
    optimizer then treats the point as very bad instead of stopping.
    """

    allow_failure = False

    def prepare(self, force=False):
        """Called once before an optimization starts."""

    def run(self):
        raise NotImplementedError

    def target(self, tar, value, **kwargs):
        """Target on this action's result."""
        return Target(tar, value, action=self, **kwargs)

    def __call__(self):
        return self.run()


class ActionCall(Action):
    """Action calling ``function()`` (a callable with no arguments)."""

    def __init__(self, function, allow_failure=False):
        if not callable(function):
            raise TypeError(f"ActionCall: function must be callable, got {type(function).__name__}")
        self.function = function
        self.allow_failure = allow_failure

    def run(self):
        return self.function()


class Target:
    """A quantity the optimizer must bring to a value.

    Parameters
    ----------
    tar : str, int or callable
        Key of the quantity in the action result, or ``tar(result)``. With
        no action, a callable taking no argument.
    value : float, GreaterThan or LessThan
        Value (or inequality) to reach.
    tol : float, optional
        The target is met when ``|quantity - value| <= tol`` (default 1e-10).
    weight : float, optional
        Factor of the residual in the merit function (default 1).
    scale : float, optional
        Alias of ``weight`` (both multiply; default 1).
    action : Action, optional
        Computation producing the result; without one, ``tar`` must be a
        callable taking no argument (checked by the optimizer).
    tag : str
        Label used by ``enable``/``disable``.
    optimize_log : bool
        Work on ``log(quantity)`` and ``log(value)`` (positive quantities
        spanning decades).
    """

    def __init__(self, tar=None, value=None, tol=None, weight=None, scale=None, action=None, tag="",
                 optimize_log=False, **kwargs):
        if kwargs:
            if len(kwargs) == 1 and tar is None:
                # Target(betx=0.15): keyword naming the quantity.
                (tar, value), = kwargs.items()
            else:
                raise unexpected_keywords("Target", kwargs, ["tar", "value", "tol", "weight", "scale",
                                                              "action", "tag", "optimize_log"])
        if tar is None:
            raise ValueError("Target: tar must be given (a key of the action result or a callable)")
        if value is None:
            raise ValueError(f"Target {tar!r}: value must be given")
        self.tar = tar
        self.value = value
        self.tol = _DEFAULT_TOL if tol is None else _positive_or_none(tol, "tol", tar)
        self.weight = weight
        self.scale = scale
        self.action = action
        self.tag = tag
        self.optimize_log = optimize_log
        self.active = True

    def __repr__(self):
        return f"Target({self._description()}, value={self.value!r}, tol={self.tol})"

    def _description(self):
        if callable(self.tar):
            return getattr(self.tar, "__name__", "callable")
        return repr(self.tar)

    @property
    def effective_weight(self):
        w = 1.0 if self.weight is None else self.weight
        return w * (1.0 if self.scale is None else self.scale)

    def eval(self, results):
        """Quantity from ``results`` (dict action -> result)."""
        if self.action is None:
            return self.tar()
        result = results[self.action]
        return self.tar(result) if callable(self.tar) else result[self.tar]

    def residual(self, quantity):
        """Unweighted residual of ``quantity`` with respect to the value."""
        value = self.value
        if self.optimize_log:
            quantity = math.log10(quantity)
        if isinstance(value, GreaterThan):
            return value.residual(quantity)
        target_value = math.log10(value) if self.optimize_log else value
        return quantity - target_value

    def is_met(self, quantity):
        """True when ``quantity`` is within tolerance of the value."""
        if isinstance(self.value, GreaterThan):
            return abs(self.value.violation(quantity)) <= self.tol
        return abs(quantity - self.value) <= self.tol


class TargetList:
    """Several targets sharing value and options: ``TargetList(['a', 'b'], value=0, tol=1e-6)``."""

    def __init__(self, tars, value=None, **kwargs):
        values = value if isinstance(value, (list, tuple, np.ndarray)) else [value] * len(tars)
        if len(values) != len(tars):
            raise ValueError(f"TargetList: {len(tars)} tars but {len(values)} values")
        self.targets = [Target(t, v, **kwargs) for t, v in zip(tars, values)]

    def __iter__(self):
        return iter(self.targets)

    def __len__(self):
        return len(self.targets)
