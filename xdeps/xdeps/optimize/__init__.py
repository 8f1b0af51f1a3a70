"""Optimizer behind matching: knobs (Vary), targets (Target), actions and solvers."""

from .merit import MeritFunctionForMatch
from .optimize import OptimizationFailed, Optimize
from .targets import Action, ActionCall, GreaterThan, LessThan, Target, TargetList, Vary, VaryList

__all__ = [
    "Action",
    "ActionCall",
    "GreaterThan",
    "LessThan",
    "MeritFunctionForMatch",
    "OptimizationFailed",
    "Optimize",
    "Target",
    "TargetList",
    "Vary",
    "VaryList",
]
