"""What the tracker sees of a line: replicas replaced by their parents.

The tracker reads ``line.element_dict[name]`` for every name of
``line.element_names``. A line with :class:`~xtrack.Replica` elements is
handed to it through a view whose element dictionary maps each replica's
name to the (resolved) parent object, so the parent's kernel runs at the
replica's positions and every change of the parent reaches them. Every
other attribute, read or written (``config``, ``record_last_track``, ...),
is the line's own.
"""

from ..beam_elements.slices import Replica

__all__ = ["line_for_tracker", "TrackingView"]


class TrackingView:
    """A line seen with its replicas resolved (see the module docstring)."""

    def __init__(self, line):
        dct = line.element_dict
        resolved = {name: (el.resolve(dct) if isinstance(el, Replica) else el)
                    for name, el in ((n, dct[n]) for n in dict.fromkeys(line.element_names))}
        object.__setattr__(self, "_line", line)
        object.__setattr__(self, "element_dict", resolved)

    def __getattr__(self, name):
        return getattr(self._line, name)

    def __setattr__(self, name, value):
        setattr(self._line, name, value)

    def __len__(self):
        return len(self._line)


def line_for_tracker(line):
    """`line` itself, or a :class:`TrackingView` when it has replicas."""
    dct = line.element_dict
    if any(isinstance(dct[n], Replica) for n in dict.fromkeys(line.element_names)):
        return TrackingView(line)
    return line
