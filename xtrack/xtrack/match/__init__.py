"""Matching of line knobs to twiss targets (``line.match``), knob creation and trajectory correction."""

from .match import OptimizeLine, match_knob_line, match_line, opt_from_callable
from .targets import (END, START, GreaterThan, LessThan, Target, TargetList, TargetRelPhaseAdvance,
                      TargetSet, Vary, VaryList)
from .trajectory_correction import TrajectoryCorrection
from .twiss_action import ActionTwiss

__all__ = ["ActionTwiss", "END", "GreaterThan", "LessThan", "OptimizeLine", "START", "Target",
           "TargetList", "TargetRelPhaseAdvance", "TargetSet", "TrajectoryCorrection", "Vary", "VaryList", "match_knob_line",
           "match_line", "opt_from_callable"]
