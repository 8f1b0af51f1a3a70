"""Tasks run by a :class:`~xdeps.manager.Manager` when their inputs change.

A task has an id (``taskid``), the references it writes (``targets``), the
references it reads (``dependencies``) and a ``run()`` method. The common
task is an :class:`ExprTask` (target = expression); the manager stores those
compactly and builds the object on request (``manager.tasks[ref]``). Other
tasks are registered with ``manager.register(task)``:

- :class:`FunctionTask`: any callable with declared targets and inputs;
- :class:`LinearKnob`: adds ``weight * change of the source`` to each target.

This module imports nothing of the manager (the manager imports it).
"""

from collections.abc import Mapping
from itertools import chain

from .refs import BaseRef, value_of


class Task:
    """Base class: ``taskid``, ``targets``, ``dependencies`` and ``run()``."""

    taskid = None
    targets = frozenset()
    dependencies = frozenset()

    def run(self):
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.taskid!r}>"


class ExprTask(Task):
    """``taskid`` (a reference) follows the expression ``expr``."""

    def __init__(self, taskid, expr):
        self.taskid = taskid
        self.expr = expr
        self.targets = {taskid}
        self.dependencies = expr._get_dependencies() if isinstance(expr, BaseRef) else set()

    def run(self):
        """Evaluate the expression and assign it to the target."""
        self.taskid._set_value(value_of(self.expr))

    def __repr__(self):
        return f"{self.taskid!r} = {self.expr!r}"

    def __eq__(self, other):
        return isinstance(other, ExprTask) and other.taskid == self.taskid and other.expr == self.expr

    def __hash__(self):
        return hash((self.taskid, self.expr))


class FunctionTask(Task):
    """Run ``action()`` whenever one of ``dependencies`` changes.

    Parameters
    ----------
    taskid : hashable
        Name of the task in ``manager.tasks``.
    action : callable
        Called without arguments; it writes ``targets`` itself.
    targets, dependencies : iterable of references
    """

    def __init__(self, taskid, action, targets, dependencies):
        if not callable(action):
            raise TypeError(f"FunctionTask {taskid!r}: action must be callable, got {type(action).__name__}")
        self.taskid = taskid
        self.action = action
        self.targets = set(targets)
        self.dependencies = set(dependencies)

    def run(self):
        return self.action()


class LinearKnob(Task):
    """Targets move by ``weight * (source - source at the last run)``.

    The knob starts from the value of ``source`` when it is created, so the
    first run changes nothing; each later run adds the change of the source
    since the previous run, scaled by the weight of each target.

    Parameters
    ----------
    taskid : hashable
    source : reference
    weights : sequence of float, one per target
    targets : sequence of references
    """

    def __init__(self, taskid, source, weights, targets):
        targets = list(targets)
        weights = [float(w) for w in weights]
        if len(weights) != len(targets):
            raise ValueError(
                f"LinearKnob {taskid!r}: {len(weights)} weights for {len(targets)} targets"
            )
        self.taskid = taskid
        self.source = source
        self.weights = weights
        self.target_list = targets
        self.targets = set(targets)
        self.dependencies = {source}
        self.reference_value = source._get_value()

    def run(self):
        value = self.source._get_value()
        delta = value - self.reference_value
        for target, weight in zip(self.target_list, self.weights):
            target._set_value(target._get_value() + weight * delta)
        self.reference_value = value


class TasksView(Mapping):
    """``manager.tasks``: task id -> task (expression tasks built on access)."""

    __slots__ = ("_manager",)

    def __init__(self, manager):
        self._manager = manager

    def __getitem__(self, taskid):
        manager = self._manager
        expr = manager._exprs.get(taskid)
        if expr is not None:
            return ExprTask(taskid, expr)
        return manager._custom[taskid]

    def __contains__(self, taskid):
        manager = self._manager
        return taskid in manager._exprs or taskid in manager._custom

    def __iter__(self):
        manager = self._manager
        return chain(manager._exprs, manager._custom)

    def __len__(self):
        manager = self._manager
        return len(manager._exprs) + len(manager._custom)

    def __repr__(self):
        return f"<tasks of a manager: {len(self)}>"


class DepEnv:
    """Values of a container, with assignment through its reference.

    ``env['a']`` and ``env.a`` read the value; ``env['a'] = x`` and
    ``env.a = x`` assign through the reference (updating dependents);
    ``env._eval('a + b')`` builds the expression over the container's items.
    """

    def __init__(self, data, ref):
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_ref", ref)

    def __getitem__(self, key):
        return self._data[key]

    def __setitem__(self, key, value):
        self._ref[key] = value

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self._ref[key] = value

    def keys(self):
        return self._data.keys()

    def _eval(self, text):
        """Expression (MAD-X style text) whose names are items of the container."""
        from .errors import unknown_name
        from .functions import MATH_FUNCTIONS
        from .parser import parse_expression
        from .refs import CallExpr

        def resolve_name(name):
            if name not in self._data:
                raise unknown_name("entry", name, self._data)
            return self._ref[name]

        def resolve_function(name):
            if name not in MATH_FUNCTIONS:
                raise unknown_name("function", name, MATH_FUNCTIONS)
            return lambda *args: CallExpr(name, args)

        return parse_expression(text, resolve_name, resolve_function)
