"""Pipelines: several beams tracked together, meeting at collective elements."""

from .manager import PipelineManager
from .multitracker import PipelineBranch, PipelineMultiTracker

__all__ = ["PipelineManager", "PipelineBranch", "PipelineMultiTracker"]
