"""Line.check_aperture: does every active element have its aperture?

Tracking detects losses only on aperture elements, so an element that acts
on the beam must have an aperture at its entry (and, when thick, at its
exit); otherwise the loss is recorded at the next aperture, possibly far
downstream. The check reports, per element:

- the nearest aperture upstream and downstream (index and s),
- whether an active element misses its aperture upstream (none at its entry
  s) or, for a thick one, downstream (none at its exit s),
- whether its apertures, found by name (``name_associated_aperture``,
  ``<name>_aper``, ``<name>_aper_entry``/``_aper_start`` expected at the
  entry, ``<name>_aper_exit``/``_aper_end`` at the exit), are elsewhere
  (misplaced) or swapped entry for exit (inverted).

Inactive elements (drifts, markers, monitors, apertures) need no aperture
unless named in `needs_aperture`.
"""

import numpy as np

from ..loss_location_refinement.segment import element_length, is_aperture, is_transparent

__all__ = ["check_aperture"]

_S_TOL = 1e-9  # [m] apertures this close in s to an element's entry/exit belong to it
_ENTRY_SUFFIXES = ("_aper", "_aper_entry", "_aper_start")
_EXIT_SUFFIXES = ("_aper_exit", "_aper_end")


def _is_inactive(element):
    from ..beam_elements.apertures import LongitudinalLimitRect

    return (is_aperture(element) or is_transparent(element) or isinstance(element, LongitudinalLimitRect)
            or getattr(element, "behaves_like_drift", False))


def _nearest_apertures(is_aper):
    """Index of the nearest aperture strictly before and strictly after each position (-1: none)."""
    n = len(is_aper)
    marks = np.where(is_aper, np.arange(n), -1)
    before = np.concatenate([[-1], np.maximum.accumulate(marks)[:-1]]) if n else marks
    marks_rev = np.where(is_aper, np.arange(n), n)[::-1]
    after = np.concatenate([[n], np.minimum.accumulate(marks_rev)[:-1]])[::-1] if n else marks
    after = np.where(after == n, -1, after)
    return before, after


def _named_aperture_flags(names, elements, index_of, s_entry, s_exit, i):
    """(misplaced, inverted) for element i from the apertures associated with it by name."""
    name = names[i]
    entry = [name + suffix for suffix in _ENTRY_SUFFIXES]
    associated = getattr(elements[i], "name_associated_aperture", None)
    if associated:
        entry.append(associated)
    entry = [index_of[nn] for nn in entry if nn in index_of]
    exits = [index_of[nn] for nn in (name + suffix for suffix in _EXIT_SUFFIXES) if nn in index_of]
    entry_ok = [j < i and abs(s_entry[j] - s_entry[i]) < _S_TOL for j in entry]
    exit_ok = [j > i and abs(s_entry[j] - s_exit[i]) < _S_TOL for j in exits]
    inverted = any(j > i for j in entry) and any(j < i for j in exits)
    misplaced = not (all(entry_ok) and all(exit_ok))
    return misplaced, inverted


def check_aperture(line, needs_aperture=(), with_progress=False):
    """DataFrame of the line's elements with their aperture association (module docstring).

    Parameters
    ----------
    line : xtrack.Line
    needs_aperture : list of str, default ()
        Names of inactive elements (drifts, markers, ...) that also need an aperture.
    with_progress : bool, default False
        Show a progress indicator over the elements.

    Returns
    -------
    pandas.DataFrame
        One row per element: name, element_type, s, s_end, isthick,
        is_aperture, is_active, i/s_aperture_upstream, i/s_aperture_downstream
        (-1 / NaN when there is none), misses_aperture_upstream,
        misses_aperture_downstream, aperture_misplaced, aperture_pair_inverted.
    """
    import pandas as pd

    names = list(line.element_names)
    unknown = [nn for nn in needs_aperture if nn not in line.element_dict]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], names, n=3)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise KeyError(f"check_aperture: needs_aperture has {unknown[0]!r}, which is not in the line{hint}.")
    elements = line._resolved_elements()
    lengths = np.array([element_length(el) for el in elements])
    s_entry = np.concatenate([[0.0], np.cumsum(lengths)[:-1]]) if len(names) else np.zeros(0)
    s_exit = s_entry + lengths
    is_aper = np.array([is_aperture(el) for el in elements], dtype=bool)
    needs = set(needs_aperture)
    is_active = np.array([nn in needs or not _is_inactive(el) for nn, el in zip(names, elements)], dtype=bool)
    before, after = _nearest_apertures(is_aper)
    s_before = np.where(before >= 0, s_entry[np.maximum(before, 0)], np.nan)
    s_after = np.where(after >= 0, s_entry[np.maximum(after, 0)], np.nan)
    with np.errstate(invalid="ignore"):
        misses_up = is_active & ~(np.abs(s_before - s_entry) < _S_TOL)
        misses_down = is_active & (lengths > 0) & ~(np.abs(s_after - s_exit) < _S_TOL)
    index_of = {nn: ii for ii, nn in enumerate(names)}
    rows = range(len(names))
    if with_progress:
        from ..progress_indicator import progress

        rows = progress(rows, desc="Checking aperture")
    named = [_named_aperture_flags(names, elements, index_of, s_entry, s_exit, ii) if is_active[ii]
             else (False, False) for ii in rows]
    df = pd.DataFrame({
        "name": names, "element_type": [type(el).__name__ for el in elements], "s": s_entry,
        "s_end": s_exit, "isthick": lengths > 0, "is_aperture": is_aper, "is_active": is_active,
        "i_aperture_upstream": before, "s_aperture_upstream": s_before,
        "i_aperture_downstream": after, "s_aperture_downstream": s_after,
        "misses_aperture_upstream": misses_up, "misses_aperture_downstream": misses_down,
        "aperture_misplaced": [m for m, _ in named], "aperture_pair_inverted": [v for _, v in named],
    })
    _print_report(df)
    return df


def _print_report(df):
    from ..settings import settings

    if settings.print_mode == "suppress":
        return
    thin = df[~df.isthick & df.misses_aperture_upstream]
    thick = df[df.isthick & (df.misses_aperture_upstream | df.misses_aperture_downstream)]
    named = df[df.aperture_misplaced | df.aperture_pair_inverted]
    print("Done checking aperture.")
    print(f"{len(thin)} thin elements miss associated aperture (upstream):")
    print(f"    {thin.name.tolist()}")
    print(f"{len(thick)} thick elements miss associated aperture (upstream or downstream):")
    print(f"    {thick.name.tolist()}")
    print(f"{len(named)} elements have misplaced or inverted associated apertures:")
    print(f"    {named.name.tolist()}")
