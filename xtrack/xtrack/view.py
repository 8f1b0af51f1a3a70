"""Element views (`xtrack.view.View`): what `env[name]` and `line[name]` return for elements."""

from .line.element_view import ArrayView, View

__all__ = ["View", "ArrayView"]
