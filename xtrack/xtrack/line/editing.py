"""Line editing that the tracker needs: cycling, optimisation for tracking."""

__all__ = ["cycle", "optimize_for_tracking"]


def cycle(line, index_first_element=None, name_first_element=None, inplace=True):
    """Rotate the line so that it starts at the given element (by index or name).

    The tracker, if any, is rebuilt on the same context.
    """
    if (index_first_element is None) == (name_first_element is None):
        raise ValueError("cycle: give exactly one of index_first_element and name_first_element.")
    if name_first_element is not None:
        if name_first_element not in line.element_names:
            from .line import _close_matches

            raise KeyError(f"cycle: no element named {name_first_element!r}"
                           f"{_close_matches(name_first_element, line.element_names)}.")
        index_first_element = line.element_names.index(name_first_element)
    n = len(line.element_names)
    if not -n <= index_first_element < n:
        raise ValueError(f"cycle: index_first_element must be in [0, {n}), got {index_first_element}.")
    target = line if inplace else line.copy()
    names = target.element_names
    target.element_names = names[index_first_element:] + names[:index_first_element]
    _rebuild_tracker(target)
    return target


def _rebuild_tracker(line):
    if line.tracker is not None:
        context = line.tracker._context
        line.discard_tracker()
        line.build_tracker(_context=context)


def optimize_for_tracking(line, compile=True, verbose=True, keep_markers=False):
    """Freeze variables and drop elements without effect (markers unless kept, zero-length drifts)."""
    if line._var_management is not None:
        line._var_management = None
    keep = set()
    if keep_markers is True:
        keep_all_markers = True
    else:
        keep_all_markers = False
        keep = set(keep_markers or ())
    names = []
    for name in line.element_names:
        element = line.element_dict[name]
        cls = type(element).__name__
        if cls == "Marker" and not keep_all_markers and name not in keep:
            continue
        if getattr(element, "behaves_like_drift", False) and getattr(element, "length", 1.0) == 0:
            continue
        names.append(name)
    if verbose:
        print(f"optimize_for_tracking: {len(line.element_names) - len(names)} elements removed")
    line.element_names = names
    _rebuild_tracker(line) if compile else line.discard_tracker()
