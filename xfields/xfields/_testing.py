"""Helpers of the xfields tests: golden single-pass cases and finite-difference Jacobians.

Kept in the library (private) so that every test uses the same comparison
and the same symplecticity check.
"""

import numpy as np

__all__ = []

#: Inputs of a reference particle set (shared/reference/xtrack/elements/README.md).
REFERENCE_INPUTS = ("x", "px", "y", "py", "zeta", "delta", "charge_ratio", "chi", "s", "state",
                    "at_element", "at_turn", "particle_id")
REFERENCE_OUTPUTS = ("x", "px", "y", "py", "zeta", "delta", "ptau", "pzeta", "rpp", "rvv")
#: |got - ref| <= ATOL + RTOL |ref|: the README's tolerance for an independent implementation.
ATOL, RTOL = 1e-13, 1e-9


def _constructor_kwargs(kwargs, classes):
    """`element_kwargs` of a case with nested ``{'__class__': ...}`` objects built."""
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, dict) and "__class__" in value:
            cls = classes[value["__class__"]]
            value = cls(**{k: v for k, v in value.items() if k != "__class__"})
        out[key] = value
    return out


def track_reference_case(cls, case, rebuild, classes=None):
    """Build the element of `case` (``'from_dict'`` or ``'element_kwargs'``), track its input.

    Returns ``(particles, expected)``, the tracked particles sorted by
    particle_id as ``{name: array}`` and the case's expected output.
    """
    import xtrack as xt

    if rebuild == "from_dict":
        element = cls.from_dict(case["element"])
    else:
        element = cls(**_constructor_kwargs(case["element_kwargs"], classes or {}))
    pin = case["particles_in"]
    p = xt.Particles(mass0=pin["mass0"], q0=pin["q0"], p0c=pin["p0c"][0],
                     **{k: np.array(pin[k]) for k in REFERENCE_INPUTS})
    element.track(p)
    order = np.argsort(p.particle_id)
    got = {name: np.asarray(getattr(p, name))[order] for name in REFERENCE_OUTPUTS}
    return got, case["particles_out"]


def reference_mismatches(got, expected, names=REFERENCE_OUTPUTS):
    """Names of the outputs outside the reference tolerance, with the worst scaled error."""
    bad = {}
    for name in names:
        ref = np.array(expected[name])
        scaled = np.abs(got[name] - ref) / (ATOL + RTOL * np.abs(ref))
        if np.max(scaled) > 1:
            bad[name] = float(np.max(scaled))
    return bad


def jacobian(track_point, point, steps):
    """Central-difference Jacobian of ``track_point(array) -> array`` at `point`."""
    point = np.asarray(point, dtype=float)
    columns = []
    for j, step in enumerate(steps):
        e = np.zeros_like(point)
        e[j] = step
        columns.append((track_point(point + e) - track_point(point - e)) / (2 * step))
    return np.array(columns).T


def symplecticity_error(jac):
    """max |M^T S M - S| for a map of canonical pairs (q1, p1, q2, p2, ...)."""
    n = jac.shape[0] // 2
    omega = np.kron(np.eye(n), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    return float(np.max(np.abs(jac.T @ omega @ jac - omega)))
