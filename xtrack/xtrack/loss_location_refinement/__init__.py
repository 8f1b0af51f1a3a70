"""Loss-location refinement: where, between two apertures, lost particles hit the pipe."""

from .refinement import LossLocationRefinement

__all__ = ["LossLocationRefinement"]
