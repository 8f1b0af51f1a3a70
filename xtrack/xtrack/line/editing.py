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
    for name in set(line.element_names):  # slices become plain elements (slice_elements.py)
        element = line.element_dict[name]
        if hasattr(element, "_equivalent_element"):
            line.element_dict[name] = element._equivalent_element(line.element_dict, simplify=True)
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


# ------------------------------------------------------------------ s-based editing
def _lengths(line):
    import numpy as np

    return np.array([float(getattr(e, "length", 0.0)) if getattr(e, "isthick", False) else 0.0
                     for e in line._resolved_elements()])


def _s_edges(line):
    from .positions import entries_and_exits

    return entries_and_exits(_lengths(line))


def _free_piece_name(env, base):
    k = 0
    while f"{base}..{k}" in env.element_dict:
        k += 1
    return f"{base}..{k}"


def cut_at_s(line, s, s_tol=1e-6):
    """Split the thick elements of `line` that contain one of the positions `s` [m].

    Each occurrence is cut once at all its positions, in line order (the pieces of
    a magnet are numbered on from one occurrence to the next, see slicing.split_element).
    """
    import numpy as np

    from .slicing import split_element

    line._check_no_tracker("cut_at_s")
    line._ensure_var_management()
    cuts = np.unique(np.atleast_1d(s).astype(float))
    starts, ends = _s_edges(line)
    lengths = _lengths(line)
    names = []
    for ii, name in enumerate(line.element_names):
        inside = cuts[(cuts > starts[ii] + s_tol) & (cuts < ends[ii] - s_tol)]
        if not len(inside) or lengths[ii] == 0:
            names.append(name)
            continue
        edges = np.concatenate([[starts[ii]], inside, [ends[ii]]])
        names += split_element(line.env, name, list(np.diff(edges) / lengths[ii]), with_ends=True)
    line.element_names = names


def _occurrences(line, what, caller):
    """Indices in the line named by `what`: a name (every occurrence), ``name::k``
    (the k-th), a regular expression matched on whole names, or a list of these."""
    import re

    names = line.element_names
    if not isinstance(what, str):
        found = sorted({ii for item in what for ii in _occurrences(line, item, caller)})
        return found
    if "::" in what:
        base, k = what.rsplit("::", 1)
        idx = [ii for ii, nn in enumerate(names) if nn == base]
        if idx and k.isdigit() and int(k) < len(idx):
            return [idx[int(k)]]
    idx = [ii for ii, nn in enumerate(names) if nn == what]
    if not idx:
        try:
            pattern = re.compile(what)
        except re.error:
            pattern = None
        if pattern is not None:
            idx = [ii for ii, nn in enumerate(names) if pattern.fullmatch(nn)]
    if not idx:
        from .line import _close_matches

        raise KeyError(f"{caller}: no element named {what!r} in the line (nor matching it as a "
                       f"regular expression){_close_matches(what, names)}.")
    return idx


def remove(line, name):
    """Remove elements (see `_occurrences` for `name`); each thick one leaves its own new drift."""
    env = line.env
    line._check_no_tracker("remove")
    names = list(line.element_names)
    for ii in _occurrences(line, name, "remove"):  # in line order: drifts numbered along s
        element = line.element_dict[names[ii]]
        if getattr(element, "isthick", False) and element.length != 0:
            # a fresh drift per removed magnet: that hole can later be edited on its own
            names[ii] = env._new_drift(float(element.length), unique=True)
        else:
            names[ii] = None
    line.element_names = [nn for nn in names if nn is not None]
    return line


def replace(line, name, new_name):
    """Replace the occurrences named by `name` (see `_occurrences`) by `new_name` (same length)."""
    env = line.env
    if new_name not in env.element_dict:
        from .line import _close_matches

        raise KeyError(f"replace: no element named {new_name!r}{_close_matches(new_name, env.element_dict)}.")
    indices = _occurrences(line, name, "replace")
    new = env.element_dict[new_name]
    l_new = new.length if getattr(new, "isthick", False) else 0.0
    names = list(line.element_names)
    for ii in indices:
        old = line.element_dict[names[ii]]
        l_old = old.length if getattr(old, "isthick", False) else 0.0
        if abs(l_old - l_new) > 1e-9:
            raise ValueError(f"replace: {new_name!r} is {l_new:g} m long, {names[ii]!r} is {l_old:g} m; "
                             f"lengths must match.")
    line._check_no_tracker("replace")
    for ii in indices:
        names[ii] = new_name
    line.element_names = names
    return line


def _filter_names(line, keep):
    line._check_no_tracker("edit")
    line.element_names = [nn for nn in line.element_names if keep(nn, line.element_dict[nn])]
    return line


def remove_markers(line, keep=None):
    """Remove the Marker elements (except the names in `keep`)."""
    keep = set([keep] if isinstance(keep, str) else (keep or ()))
    return _filter_names(line, lambda n, e: type(e).__name__ != "Marker" or n in keep)


def remove_zero_length_drifts(line):
    """Remove drifts of zero length."""
    return _filter_names(line, lambda n, e: not (getattr(e, "behaves_like_drift", False)
                                                 and getattr(e, "length", 0.0) == 0))


def remove_inactive_multipoles(line):
    """Remove thin multipoles whose strengths are all zero."""
    import numpy as np

    def active(n, e):
        if type(e).__name__ != "Multipole" or e.isthick:
            return True
        return bool(np.any(np.asarray(e.knl) != 0) or np.any(np.asarray(e.ksl) != 0) or e.hxl != 0)

    return _filter_names(line, active)


def merge_consecutive_drifts(line):
    """Replace each run of consecutive drifts by one drift of the summed length."""
    from ..beam_elements import Drift

    line._check_no_tracker("merge_consecutive_drifts")
    names = []
    run = []

    def flush():
        if len(run) == 1:
            names.append(run[0])
        elif run:
            length = sum(float(line.element_dict[n].length) for n in run)
            new = "_".join(run[:2]) + ("_merged" if len(run) > 2 else "")
            k = 0
            base = new
            while new in line.element_dict:
                k += 1
                new = f"{base}_{k}"
            line.env._add_element(new, Drift(length=length)) if line._env is not None else None
            line.element_dict[new] = line.element_dict.get(new) or Drift(length=length)
            names.append(new)
        run.clear()

    for nn in line.element_names:
        if type(line.element_dict[nn]).__name__ == "Drift":
            run.append(nn)
        else:
            flush()
            names.append(nn)
    flush()
    line.element_names = names
    return line
