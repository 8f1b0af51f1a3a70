"""``env.set_multipolar_errors``: field errors given relative to the main strength.

A magnet's error table usually gives the multipole coefficients relative to
its main field: ``knl[n] = rel_knl[n] * K_main * L`` (``ksl`` the same way),
where ``K_main`` is the strength named by ``refer`` (``k1`` for a quadrupole
by default, ``k1s`` for a skew one, ``k0`` for a bend, ...). The coefficients
are set as expressions of the magnet's own fields, so they follow the main
strength when the knobs behind it change (a bend with ``k0_from_h`` uses its
``angle``, which equals ``k0 * length`` there).
"""

import numpy as np

__all__ = ["set_multipolar_errors"]

# The strength a relative error refers to when `refer` is not given.
_DEFAULT_REFER = {"Bend": "k0", "RBend": "k0", "Quadrupole": "k1", "Sextupole": "k2",
                  "Octupole": "k3"}
_SPEC_KEYS = ("rel_knl", "rel_ksl", "refer")


def _check_spec(env, name, spec):
    if name not in env._element_dict:
        from .environment import _close_matches

        raise KeyError(f"set_multipolar_errors: no element named {name!r}"
                       f"{_close_matches(name, env._element_dict)}.")
    if not isinstance(spec, dict):
        raise TypeError(f"set_multipolar_errors: the errors of {name!r} must be a dict with keys "
                        f"{_SPEC_KEYS}, got {type(spec).__name__}.")
    unknown = [kk for kk in spec if kk not in _SPEC_KEYS]
    if unknown:
        raise TypeError(f"set_multipolar_errors: unknown key {unknown[0]!r} for {name!r}; "
                        f"allowed: {_SPEC_KEYS}.")
    element = env._element_dict[name]
    cls_name = type(element).__name__
    refer = spec.get("refer", _DEFAULT_REFER.get(cls_name))
    if refer is None:
        raise ValueError(f"set_multipolar_errors: {name!r} is a {cls_name}, which has no default "
                         f"main strength; give 'refer' (e.g. 'k1').")
    if refer not in getattr(type(element), "_xofields", {}):
        raise ValueError(f"set_multipolar_errors: refer={refer!r} is not a field of {name!r} "
                         f"({cls_name}).")
    for key, field in (("rel_knl", "knl"), ("rel_ksl", "ksl")):
        if key not in spec:
            continue
        if np.ndim(spec[key]) != 1:
            raise TypeError(f"set_multipolar_errors: {key} of {name!r} must be a list of numbers, "
                            f"got {spec[key]!r}.")
        size = len(getattr(element, field))
        if len(spec[key]) > size:
            # the arrays of a built element keep their size
            raise ValueError(f"set_multipolar_errors: {key} of {name!r} has {len(spec[key])} "
                             f"orders, but its {field} holds {size}; create the element with a "
                             f"longer {field} (e.g. {field}=[0] * {len(spec[key])}).")
    return refer


def _main_integrated_strength(env, name, refer):
    """Expression of K_main * L for element `name`."""
    element = env._element_dict[name]
    eref = env._var_management.element_refs[name]
    if refer == "k0" and getattr(element, "k0_from_h", False):
        return eref.angle  # k0 follows h = angle / length
    return getattr(eref, refer) * eref.length


def set_multipolar_errors(env, errors, with_progress=False):
    """Set ``knl``/``ksl`` of each named magnet from errors relative to its main strength.

    Parameters
    ----------
    env : Environment
    errors : dict
        ``{element name: {'rel_knl': [...], 'rel_ksl': [...], 'refer': 'k1'}}``;
        ``refer`` defaults by class (Bend/RBend ``k0``, Quadrupole ``k1``,
        Sextupole ``k2``, Octupole ``k3``).
    with_progress : bool
        Accepted for compatibility; the work is quick.
    """
    refers = {name: _check_spec(env, name, spec) for name, spec in errors.items()}  # all first
    for name, spec in errors.items():
        main = _main_integrated_strength(env, name, refers[name])
        eref = env._var_management.element_refs[name]
        for key, field in (("rel_knl", "knl"), ("rel_ksl", "ksl")):
            rel = [float(vv) for vv in spec.get(key, ())]
            aref = getattr(eref, field)
            for order, value in enumerate(rel):
                aref[order] = value * main
