"""Line simplifications for tracking speed: merge thin multipoles, drop repeated apertures,
and replace general thin multipoles by the specialised thin kicks.

Each works on a line without a tracker (the tracker is built after simplifying) and keeps
the line's maps: merged kicks add up (thin kicks commute), an aperture equal to the previous
one across drift-like elements stops exactly the same particles.
"""

import numpy as np

from .editing import _filter_names

__all__ = ["merge_consecutive_multipoles", "remove_redundant_apertures", "use_simple_quadrupoles",
           "use_simple_bends", "get_elements_of_type"]

_MISALIGNMENTS = ("shift_x", "shift_y", "shift_s", "rot_s_rad")


def _names(keep, what):
    if keep is None:
        return set()
    if isinstance(keep, str):
        return {keep}
    try:
        return set(keep)
    except TypeError:
        raise TypeError(f"{what} must be a name or a list of names, got {keep!r}") from None


def _is_plain_thin_multipole(element):
    """A thin Multipole without misalignment or radiation (its kick adds to a neighbour's)."""
    return (type(element).__name__ == "Multipole" and not element.isthick
            and not any(float(getattr(element, a, 0.0)) for a in _MISALIGNMENTS)
            and not int(getattr(element, "radiation_flag", 0)))


def _set_element(line, name, element):
    if line._env is not None:
        line.env._add_element(name, element, force=True)
    if line.element_dict.get(name) is not element:
        line.element_dict[name] = element


def merge_consecutive_multipoles(line, keep=None):
    """Replace each run of consecutive plain thin multipoles by one with the summed kicks.

    The merged element takes the first name of its run; `keep` names multipoles left alone.
    """
    from ..beam_elements import Multipole

    line._check_no_tracker("merge_consecutive_multipoles")
    kept = _names(keep, "keep")
    runs, run = [], []
    for name in line.element_names:
        if name not in kept and _is_plain_thin_multipole(line.element_dict[name]):
            run.append(name)
            continue
        runs.append(run)
        run = []
    runs.append(run)
    merged = {}
    for run in runs:
        if len(run) < 2 or len(set(run)) < len(run):  # a repeated element is not merged with itself
            continue
        elements = [line.element_dict[n] for n in run]
        order = max(len(np.asarray(e.knl)) for e in elements)
        knl, ksl = np.zeros(order), np.zeros(order)
        for e in elements:
            knl[:len(np.asarray(e.knl))] += np.asarray(e.knl)
            ksl[:len(np.asarray(e.ksl))] += np.asarray(e.ksl)
        merged[run[0]] = (set(run[1:]), Multipole(
            knl=knl, ksl=ksl, hxl=sum(float(e.hxl) for e in elements),
            length=sum(float(e.length) for e in elements)))
    dropped = set().union(*(names for names, _ in merged.values())) if merged else set()
    for name, (_, element) in merged.items():
        _set_element(line, name, element)
    return _filter_names(line, lambda n, e: n not in dropped)


def _aperture_signature(element):
    dct = element.to_dict()
    dct.pop("__class__", None)
    return type(element).__name__, tuple(sorted((k, repr(v)) for k, v in dct.items()))


def remove_redundant_apertures(line, keep=None, drifts_that_need_aperture=()):
    """Remove each aperture equal to the previous one with only drift-like elements (and
    markers) between them; `keep` names apertures never removed, and a drift named in
    `drifts_that_need_aperture` ends the comparison (both apertures around it stay)."""
    from ..loss_location_refinement.segment import is_aperture

    line._check_no_tracker("remove_redundant_apertures")
    kept = _names(keep, "keep")
    needs = _names(drifts_that_need_aperture, "drifts_that_need_aperture")
    redundant, current = set(), None
    for name in line.element_names:
        element = line.element_dict[name]
        if is_aperture(element):
            signature = _aperture_signature(element)
            if current is not None and signature == current and name not in kept:
                redundant.add(name)
            else:
                current = signature
        elif (getattr(element, "behaves_like_drift", False) or type(element).__name__ == "Marker") \
                and name not in needs:
            continue
        else:
            current = None
    counts = {}
    for name in line.element_names:
        counts[name] = counts.get(name, 0) + 1
    # an aperture that is redundant at one occurrence and needed at another is kept
    redundant = {n for n in redundant if counts[n] == 1}
    return _filter_names(line, lambda n, e: n not in redundant)


def _replace_thin(line, what, test, build):
    line._check_no_tracker(what)
    for name in dict.fromkeys(line.element_names):
        element = line.element_dict[name]
        if _is_plain_thin_multipole(element) and test(element):
            _set_element(line, name, build(element))
    return line


def use_simple_quadrupoles(line):
    """Replace thin multipoles with only a normal quadrupole component (knl[1]) by
    SimpleThinQuadrupole (not when radiation is active)."""
    from ..beam_elements import SimpleThinQuadrupole

    def only_quadrupole(e):
        knl, ksl = np.asarray(e.knl), np.asarray(e.ksl)
        return (len(knl) > 1 and not np.any(np.delete(knl, 1)) and not np.any(ksl)
                and float(e.hxl) == 0)

    return _replace_thin(line, "use_simple_quadrupoles", only_quadrupole,
                         lambda e: SimpleThinQuadrupole(knl=[0.0, float(np.asarray(e.knl)[1])]))


def use_simple_bends(line):
    """Replace thin multipoles with only a horizontal dipole component (knl[0], hxl) by
    SimpleThinBend (not when radiation is active)."""
    from ..beam_elements import SimpleThinBend

    def only_dipole(e):
        knl, ksl = np.asarray(e.knl), np.asarray(e.ksl)
        return len(knl) > 0 and not np.any(knl[1:]) and not np.any(ksl)

    return _replace_thin(line, "use_simple_bends", only_dipole,
                         lambda e: SimpleThinBend(knl=[float(np.asarray(e.knl)[0])],
                                                  hxl=float(e.hxl), length=float(e.length)))


def get_elements_of_type(line, types):
    """(elements, names) of the line (in line order, repeats included) of the given type(s)."""
    if isinstance(types, type):
        types = (types,)
    types = tuple(types)
    if not types or not all(isinstance(t, type) for t in types):
        raise TypeError(f"get_elements_of_type: types must be a class or a list of classes, got {types!r}")
    names = [n for n in line.element_names if isinstance(line.element_dict[n], types)]
    return [line.element_dict[n] for n in names], names
