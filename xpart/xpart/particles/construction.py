"""Resolve the keyword arguments of `Particles(...)` into stored fields.

Any consistent subset of the documented quantities may be given; the others
are computed. Each group of interdependent quantities has one primary
input (the first one given in the order listed below); every other quantity
of the group that is also given is checked against the value computed from
the primary one, kept as given when it agrees (so that dictionaries written
by `to_dict` load back bit for bit) and rejected with a ValueError
otherwise:

- reference energy: p0c, energy0, gamma0, beta0;
- momentum deviation: delta, ptau, pzeta, rpp (rvv is checked and kept);
- longitudinal position: zeta, tau;
- species ratios: two of charge_ratio, chi, mass_ratio (default 1).
"""

import difflib

import numpy as np

from .. import kinematics as kin
from ..species import get_species
from .fields import FIELD_BY_NAME, FIELDS, PER_PARTICLE, SCALARS

__all__ = ["resolve_particle_fields", "DERIVED_INPUTS", "DEFAULT_P0C"]

_CLIGHT = 299792458.0  # [m/s]
DEFAULT_P0C = 1e9  # [eV] used when no reference energy is given
DERIVED_INPUTS = ("ptau", "energy0", "tau", "mass_ratio", "kinetic_energy0", "rigidity0")
_ALLOWED = tuple(FIELD_BY_NAME) + DERIVED_INPUTS
# agreement needed between a given redundant quantity and the computed one
_RTOL, _ATOL = 1e-9, 1e-14


def check_names(kwargs, allowed, what="Particles()"):
    """Raise TypeError for an unknown keyword, naming close matches."""
    for name in kwargs:
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise TypeError(f"{what} got an unexpected keyword {name!r}{hint}")


def _num_particles(kwargs):
    n = None
    first = None
    for name, value in kwargs.items():
        if name in SCALARS or np.ndim(value) == 0:
            continue
        if np.ndim(value) > 1:
            raise ValueError(f"{name} must be a scalar or a 1D array, got shape {np.shape(value)}")
        length = len(value)
        if n is None or n == 1:  # one value broadcasts, as in numpy (zeta=[0])
            if n is None or length != 1:
                n, first = length, name
        elif length != n and length != 1:
            raise ValueError(
                f"{name} has {length} values but {first} has {n}; arrays must "
                f"have one value per particle (or give a scalar or one value to broadcast)")
    return 1 if n is None else n


def _scalar(name, value):
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    if arr.size >= 1 and np.all(arr == arr.flat[0]):
        return float(arr.flat[0])
    raise ValueError(f"{name} is one value for all particles, got {value!r}")


def _check_agrees(name, given, computed, primary):
    given = np.asarray(given, dtype=float)
    if not np.allclose(given, computed, rtol=_RTOL, atol=_ATOL, equal_nan=True):
        diff = np.max(np.abs(given - computed))
        raise ValueError(
            f"inconsistent input: {name} does not match the value computed "
            f"from {primary} (largest difference {diff:.3g}); give only one "
            f"of them, or consistent values")


def _resolve_group(kwargs, order, compute):
    """Return {name: array} for one group of interdependent quantities."""
    given = [k for k in order if kwargs.get(k) is not None]
    if not given:
        return None, []
    primary = given[0]
    # computed on the values as given (a scalar stays a scalar: cheap for
    # many particles); broadcast to n particles at the end
    values = compute(primary, np.asarray(kwargs[primary], dtype=float))
    for name in given[1:]:
        _check_agrees(name, kwargs[name], values[name], primary)
        values[name] = np.asarray(kwargs[name], dtype=float)
    return values, given


_REFERENCE_ALLOWED = {
    "p0c": ("a positive reference momentum [eV]", lambda v: v > 0),
    "energy0": ("a total energy [eV] larger than mass0", None),
    "gamma0": ("a Lorentz factor larger than 1", lambda v: v > 1),
    "beta0": ("a velocity 0 < beta0 < 1", lambda v: (v > 0) & (v < 1)),
}


def _check_reference_input(name, value, mass0):
    """Reject a reference quantity that gives no moving reference particle."""
    what, ok = _REFERENCE_ALLOWED[name]
    v = np.asarray(value, dtype=float)
    good = (v > mass0) if name == "energy0" else ok(v)
    if not np.all(good):
        bad = v[~good] if v.ndim else v
        shown = float(np.ravel(bad)[0])
        extra = f" (mass0={mass0} eV)" if name == "energy0" else ""
        raise ValueError(f"{name}={shown!r} is not allowed: {name} must be {what}{extra}")


def _reference(kwargs, mass0, q0=1.0):
    # kinetic energy and rigidity are other names of energy0 and p0c
    for alias, target, convert in (("kinetic_energy0", "energy0", lambda v: v + mass0),
                                   ("rigidity0", "p0c", lambda v: v * _CLIGHT * q0)):
        if kwargs.get(alias) is not None:
            value = convert(np.asarray(kwargs.pop(alias), dtype=float))
            if kwargs.get(target) is not None:
                _check_agrees(alias, value, np.asarray(kwargs[target], dtype=float), target)
            else:
                kwargs[target] = value
    for name in _REFERENCE_ALLOWED:
        if kwargs.get(name) is not None:
            _check_reference_input(name, kwargs[name], mass0)

    def compute(primary, v):
        if primary == "p0c":
            e0, b0, g0 = kin.reference_from_p0c(v, mass0)
            return {"p0c": v, "energy0": e0, "beta0": b0, "gamma0": g0}
        if primary == "energy0":
            p, b0, g0 = kin.reference_from_energy0(v, mass0)
        elif primary == "gamma0":
            p, b0, e0 = kin.reference_from_gamma0(v, mass0)
            return {"p0c": p, "energy0": e0, "beta0": b0, "gamma0": v}
        else:
            p, g0, e0 = kin.reference_from_beta0(v, mass0)
            return {"p0c": p, "energy0": e0, "beta0": v, "gamma0": g0}
        return {"p0c": p, "energy0": v, "beta0": b0, "gamma0": g0}

    values, _ = _resolve_group(kwargs, ("p0c", "energy0", "gamma0", "beta0"), compute)
    if values is None:
        values = compute("p0c", np.float64(DEFAULT_P0C))
    return values


def _momentum(kwargs, beta0):
    def compute(primary, v):
        if primary == "delta":
            delta = v
        elif primary == "ptau":
            delta = kin.delta_from_ptau(v, beta0)
        elif primary == "pzeta":
            delta = kin.delta_from_pzeta(v, beta0)
        else:
            delta = 1 / v - 1
        out = kin.momentum_from_delta(delta, beta0)
        if primary == "pzeta":
            out["pzeta"] = v
        if kwargs.get("ptau") is not None:  # not stored: computed only to be checked
            out["ptau"] = out["pzeta"] * beta0
        return out

    values, _ = _resolve_group(kwargs, ("delta", "ptau", "pzeta", "rpp"), compute)
    if values is None:
        values = compute("delta", np.float64(0.0))
    if kwargs.get("rvv") is not None:
        _check_agrees("rvv", kwargs["rvv"], values["rvv"], "delta")
        values["rvv"] = np.asarray(kwargs["rvv"], dtype=float)
    return values


def _longitudinal(kwargs, beta0):
    def compute(primary, v):
        if primary == "tau":
            return {"zeta": v * beta0, "tau": v}
        # tau is not stored: computed from zeta only to be checked
        return {"zeta": v, "tau": v / beta0} if kwargs.get("tau") is not None else {"zeta": v}

    values, _ = _resolve_group(kwargs, ("zeta", "tau"), compute)
    return 0.0 if values is None else values["zeta"]


def _ratios(kwargs):
    given = [k for k in ("charge_ratio", "chi", "mass_ratio") if kwargs.get(k) is not None]
    get = {k: np.asarray(kwargs[k], dtype=float) for k in given}
    q = get.get("charge_ratio")
    chi = get.get("chi")
    m = get.get("mass_ratio")
    if q is None:
        q = chi * m if (chi is not None and m is not None) else np.float64(1.0)
    if chi is None:
        chi = q / (m if m is not None else 1.0)
    if m is not None:
        _check_agrees("mass_ratio", m, q / chi, "charge_ratio and chi")
    return q, chi


def _species(kwargs):
    """Apply a species name given as pdg_id='proton' (or similar)."""
    pdg = kwargs.get("pdg_id")
    if not isinstance(pdg, str):
        return
    sp = get_species(pdg)
    for name in ("mass0", "q0"):
        value = getattr(sp, name)
        if kwargs.get(name) is not None and _scalar(name, kwargs[name]) != value:
            raise ValueError(
                f"{name}={kwargs[name]!r} contradicts the species {pdg!r} "
                f"({name}={value!r}); give either the species or {name}")
        kwargs[name] = value
    kwargs["pdg_id"] = sp.pdg_id


def resolve_particle_fields(kwargs):
    """Return {field: value} for every stored field, from constructor input.

    Parameters
    ----------
    kwargs : dict
        Keyword arguments of `Particles` (field names and the derived
        inputs ptau, energy0, tau, mass_ratio); None means not given.

    Returns
    -------
    values : dict
        Scalars (mass0, q0, ...) as Python numbers and per-particle fields as
        arrays of length n.
    n : int
        Number of particles.
    """
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    check_names(kwargs, _ALLOWED)
    _species(kwargs)
    n = _num_particles(kwargs)
    out = {}
    for f in FIELDS:
        if not f.per_particle:
            out[f.name] = _scalar(f.name, kwargs[f.name]) if f.name in kwargs else f.fill
    mass0 = out["mass0"]
    if not mass0 > 0:
        raise ValueError(f"mass0 must be positive [eV], got {mass0!r}")
    ref = _reference(kwargs, mass0, out["q0"])
    mom = _momentum(kwargs, ref["beta0"])
    out.update({k: ref[k] for k in ("p0c", "gamma0", "beta0")})
    out.update({k: mom[k] for k in ("delta", "pzeta", "rpp", "rvv")})
    out["zeta"] = _longitudinal(kwargs, ref["beta0"])
    out["charge_ratio"], out["chi"] = _ratios(kwargs)
    for name in PER_PARTICLE:
        if name in out:
            continue
        if name in kwargs:
            out[name] = kwargs[name]
        elif name == "particle_id":
            out[name] = np.arange(n)
        elif name == "parent_particle_id":
            # particle_id comes first in FIELDS: share its array
            out[name] = out["particle_id"]
        else:
            out[name] = FIELD_BY_NAME[name].fill
    for name in PER_PARTICLE:
        out[name] = np.broadcast_to(np.asarray(out[name]), (n,))
    return out, n
