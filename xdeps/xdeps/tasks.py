"""Tasks and the manager that runs them (the module existing scripts import).

``xdeps.tasks.Manager`` is :class:`xdeps.manager.Manager`; the task classes
(:class:`ExprTask`, :class:`FunctionTask`, :class:`LinearKnob`) and
:class:`DepEnv` are defined in :mod:`xdeps.taskdefs`.
"""

from .manager import Manager
from .taskdefs import DepEnv, ExprTask, FunctionTask, LinearKnob, Task, TasksView

__all__ = ["DepEnv", "ExprTask", "FunctionTask", "LinearKnob", "Manager", "Task", "TasksView"]
