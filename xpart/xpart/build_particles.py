"""`build_particles`: a Particles object from physical or normalised coordinates.

Normalised transverse coordinates (in beam sigmas) become physical ones
through the linear normal form of the one-turn map at the generation point:

    X = W @ (x_norm sqrt(gemitt_x), px_norm sqrt(gemitt_x), y_norm sqrt(gemitt_y),
             py_norm sqrt(gemitt_y), zeta_n, pzeta_n) + X_co,

with gemitt = nemitt / (beta0 gamma0), X = (x, px, y, py, zeta, pzeta) and
X_co the closed orbit. When physical zeta and delta (or pzeta) are given,
the longitudinal normal coordinates (zeta_n, pzeta_n) are solved for so
that the resulting zeta and pzeta are exactly those given (the transverse
coordinates then carry the dispersion of the line).

W and X_co come, in this order of preference, from the arguments
(`W_matrix`, `R_matrix`, `particle_on_co`) or from ``line.twiss()`` (the
columns `W_matrix`, `x`, `px`, `y`, `py`, `zeta`, `delta` at `at_element`).
xpart uses only these public methods of a line and never imports xtrack.
"""

import numpy as np

from . import kinematics as kin
from .particles import Particles

__all__ = ["build_particles", "linear_normal_form"]

_COORDS = ("x", "px", "y", "py", "zeta", "delta", "pzeta")
_NORMS = ("x_norm", "px_norm", "y_norm", "py_norm", "zeta_norm", "pzeta_norm")
_MODES = ("set", "shift", "normalized_transverse")


def linear_normal_form(R_matrix):
    """Symplectic W with R = W Rot W^-1 for a stable 6x6 (or 4x4) one-turn matrix.

    Each mode is assigned to the plane (x, y, zeta) where its eigenvector is
    largest; its phase is chosen so that the position does not depend on the
    normalised momentum of the same mode (W[2k, 2k+1] = 0).

    Returns
    -------
    W : ndarray (d, d)
    """
    R = np.asarray(R_matrix, dtype=float)
    d = R.shape[0]
    if R.shape != (d, d) or d not in (4, 6):
        raise ValueError(f"R_matrix must be 4x4 or 6x6, got shape {R.shape}")
    S = np.zeros((d, d))
    for k in range(d // 2):
        S[2 * k, 2 * k + 1], S[2 * k + 1, 2 * k] = 1.0, -1.0
    vals, vecs = np.linalg.eig(R)
    if np.any(np.abs(np.abs(vals) - 1) > 1e-6) or np.any(np.abs(vals.imag) < 1e-12):
        raise ValueError("the one-turn matrix is not stable (eigenvalues off the unit circle "
                         f"or real: {np.round(vals, 8)}); no normal form")
    W = np.zeros((d, d))
    used = set()
    candidates = [i for i in range(d) if vals[i].imag > 0]
    for i in candidates:
        v = vecs[:, i]
        weight = [np.sum(np.abs(v[2 * k:2 * k + 2]) ** 2) for k in range(d // 2)]
        for plane in np.argsort(weight)[::-1]:
            if plane not in used:
                break
        used.add(plane)
        norm = (np.conj(v) @ S @ v).imag
        if norm < 0:
            v = np.conj(v)
            norm = -norm
        v = v / np.sqrt(norm / 2)
        v = v * np.exp(-1j * np.angle(v[2 * plane]))
        W[:, 2 * plane], W[:, 2 * plane + 1] = v.real, v.imag
    return W


def _element_index(line, at_element):
    if at_element is None:
        return None
    if isinstance(at_element, str):
        names = list(getattr(line, "element_names", ()))
        if at_element not in names:
            raise KeyError(f"at_element={at_element!r} is not an element of the line")
        return names.index(at_element)
    return int(at_element)


def _twiss_row(tw, at_element):
    from .distributions.line_data import twiss_index

    return twiss_index(tw, at_element)


def _normal_form_data(line, particle_ref, at_element, W_matrix, R_matrix, particle_on_co, method):
    """(W (6x6), closed orbit X_co (6,)) at the generation point."""
    co = None
    if particle_on_co is not None:
        co = np.array([float(np.asarray(getattr(particle_on_co, n))[0])
                       for n in ("x", "px", "y", "py", "zeta", "pzeta")])
    if W_matrix is None and R_matrix is not None:
        W_matrix = linear_normal_form(R_matrix)
    if W_matrix is None or co is None:
        if line is None:
            raise ValueError("normalised coordinates need the optics: give line=..., or "
                             "W_matrix (or R_matrix) and particle_on_co")
        kwargs = {}
        if method is not None:
            kwargs["method"] = method
        if particle_ref is not getattr(line, "particle_ref", None):
            kwargs["particle_ref"] = particle_ref
        tw = line.twiss(**kwargs)
        i = _twiss_row(tw, at_element)
        if W_matrix is None:
            W_matrix = np.asarray(tw.W_matrix)[i]
        if co is None:
            beta0 = float(np.asarray(particle_ref.beta0)[0])
            delta = float(np.asarray(tw.delta)[i])
            co = np.array([float(np.asarray(getattr(tw, n))[i]) for n in ("x", "px", "y", "py", "zeta")]
                          + [float(kin.pzeta_from_delta(delta, beta0))])
    W = np.asarray(W_matrix, dtype=float)
    if W.shape == (4, 4):
        W6 = np.eye(6)
        W6[:4, :4] = W
        W = W6
    if W.shape != (6, 6):
        raise ValueError(f"W_matrix must be 6x6 (or 4x4), got shape {W.shape}")
    return W, co


def _drift_matrix(length):
    D = np.eye(6)
    D[0, 1] = D[2, 3] = length
    return D


def _exact_drift(x, px, y, py, zeta, delta, rvv, length):
    pz = np.sqrt((1 + delta) ** 2 - px * px - py * py)
    return (x + length * px / pz, y + length * py / pz,
            zeta + length * (1 - rvv * (1 + delta) / pz))


def build_particles(particle_ref=None, num_particles=None, x=None, px=None, y=None, py=None,
                    zeta=None, delta=None, pzeta=None, x_norm=None, px_norm=None, y_norm=None,
                    py_norm=None, zeta_norm=None, pzeta_norm=None, at_element=None,
                    match_at_s=None, nemitt_x=None, nemitt_y=None, weight=None,
                    particle_on_co=None, R_matrix=None, W_matrix=None, method=None,
                    scale_with_transverse_norm_emitt=None, _context=None, _buffer=None,
                    _offset=None, _capacity=None, mode=None, line=None, tracker=None, **kwargs):
    """Create a Particles object from arrays containing physical or normalized coordinates.

    Parameters
    ----------
    particle_ref : Particles, optional
        Reference particle (mass0, q0, p0c, pdg_id); default `line.particle_ref`.
        Its coordinates are used only with mode='shift'.
    num_particles : int, optional
        Number of particles when every coordinate given is a scalar.
    x, px, y, py, zeta, delta, pzeta : float or array, optional
        Physical coordinates (default 0; delta and pzeta exclude each other).
    x_norm, px_norm, y_norm, py_norm : float or array, optional
        Normalised transverse coordinates [beam sigmas]; with them x, px,
        y, py cannot be given.
    zeta_norm, pzeta_norm : float or array, optional
        Normalised longitudinal coordinates [sqrt(m)], instead of zeta and delta.
    at_element : str or int, optional
        Element where the particles are generated (they start tracking there).
    match_at_s : float, optional
        Generate at this s [m], in the drift after `at_element`, and move the
        particles back to `at_element` through the drift.
    nemitt_x, nemitt_y : float, optional
        Normalised emittances [m rad] that scale the normalised coordinates.
    weight : float or array, optional
        Weight of each macro-particle.
    particle_on_co : Particles, optional
        Particle on the closed orbit at the generation point.
    R_matrix, W_matrix : array (6, 6), optional
        One-turn matrix or its normal-form matrix at the generation point.
    method : {'6d', '4d'}, optional
        Passed to `line.twiss` when the optics come from the line.
    scale_with_transverse_norm_emitt : tuple (nemitt_x, nemitt_y), optional
        The same as giving nemitt_x and nemitt_y.
    _context, _buffer, _offset, _capacity : optional
        Allocation of the new Particles object.
    mode : {'set', 'shift', 'normalized_transverse'}, optional
        'set' (default): coordinates as given; 'shift': added to those of
        particle_ref; 'normalized_transverse' (default when a normalised
        coordinate is given): transverse coordinates from the normal form.
    line : Line, optional
        Line giving the reference particle and the optics.
    tracker : deprecated
        Use `line`.
    **kwargs
        Further per-particle fields of `Particles` (state, at_turn, ...).

    Returns
    -------
    particles : Particles
    """
    from .distributions.line_data import resolve_line

    line = resolve_line(line, tracker)
    if particle_ref is None and line is not None:
        particle_ref = getattr(line, "particle_ref", None)
    if particle_ref is None:
        raise ValueError("build_particles needs a reference particle: give particle_ref=... "
                         "or a line with particle_ref")
    if scale_with_transverse_norm_emitt is not None:
        if nemitt_x is not None or nemitt_y is not None:
            raise ValueError("give either scale_with_transverse_norm_emitt or nemitt_x/nemitt_y")
        nemitt_x, nemitt_y = scale_with_transverse_norm_emitt
    given = {k: v for k, v in dict(x=x, px=px, y=y, py=py, zeta=zeta, delta=delta,
                                   pzeta=pzeta).items() if v is not None}
    norms = {k: v for k, v in dict(x_norm=x_norm, px_norm=px_norm, y_norm=y_norm,
                                   py_norm=py_norm, zeta_norm=zeta_norm,
                                   pzeta_norm=pzeta_norm).items() if v is not None}
    if mode is None:
        mode = "normalized_transverse" if norms else "set"
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    if "delta" in given and "pzeta" in given:
        raise ValueError("give delta or pzeta, not both")
    if mode != "normalized_transverse" and norms:
        raise ValueError(f"normalised coordinates {sorted(norms)} need mode='normalized_transverse'")
    if mode == "normalized_transverse":
        clash = sorted(k for k in ("x", "px", "y", "py") if k in given)
        if clash:
            raise ValueError(f"{clash} cannot be given together with normalised coordinates")
        if ({"zeta_norm", "pzeta_norm"} & set(norms)) and ({"zeta", "delta", "pzeta"} & set(given)):
            raise ValueError("give zeta/delta (or pzeta) or zeta_norm/pzeta_norm, not both")

    lengths = {len(np.atleast_1d(v)) for v in [*given.values(), *norms.values()] if np.ndim(v) > 0}
    if len(lengths) > 1:
        raise ValueError(f"coordinate arrays of different lengths: {sorted(lengths)}")
    n = lengths.pop() if lengths else (1 if num_particles is None else int(num_particles))
    if num_particles is not None and int(num_particles) != n:
        raise ValueError(f"num_particles={num_particles} but the coordinate arrays have {n} values")

    def arr(value):
        return np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()

    ref = {k: float(np.asarray(getattr(particle_ref, k))[0]) for k in ("p0c", "beta0", "gamma0")}
    ref_kwargs = dict(mass0=particle_ref.mass0, q0=particle_ref.q0, p0c=ref["p0c"],
                      pdg_id=int(np.asarray(particle_ref.pdg_id)[0]))
    index = _element_index(line, at_element)

    if mode == "normalized_transverse":
        W, co = _normal_form_data(line, particle_ref, at_element, W_matrix, R_matrix,
                                  particle_on_co, method)
        length = None
        if match_at_s is not None:
            tw_s = None
            if line is not None and hasattr(line, "twiss") and at_element is not None:
                tw_s = line.twiss()
            s0 = float(np.asarray(tw_s.s)[_twiss_row(tw_s, at_element)]) if tw_s is not None else 0.0
            length = match_at_s - s0
            if length < 0:
                raise ValueError(f"match_at_s={match_at_s} m lies before at_element (s={s0} m)")
            W = _drift_matrix(length) @ W
            co = _drift_matrix(length) @ co
        gemitt = {}
        for plane, nemitt in (("x", nemitt_x), ("y", nemitt_y)):
            planar = [norms.get(f"{plane}_norm"), norms.get(f"p{plane}_norm")]
            if nemitt is None:
                if any(v is not None and np.any(np.asarray(v) != 0) for v in planar):
                    raise ValueError(f"nemitt_{plane} is needed to scale {plane}_norm/p{plane}_norm")
                nemitt = 0.0
            gemitt[plane] = nemitt / (ref["beta0"] * ref["gamma0"])
        XX = np.zeros((6, n))
        for k, name in enumerate(("x_norm", "px_norm", "y_norm", "py_norm")):
            XX[k] = arr(norms.get(name, 0.0)) * np.sqrt(gemitt[name.lstrip("p")[0]])
        if "zeta_norm" in norms or "pzeta_norm" in norms:
            XX[4], XX[5] = arr(norms.get("zeta_norm", 0.0)), arr(norms.get("pzeta_norm", 0.0))
        else:
            zeta_phys = arr(given.get("zeta", 0.0))
            if "pzeta" in given:
                pzeta_phys = arr(given["pzeta"])
            else:
                pzeta_phys = kin.pzeta_from_delta(arr(given.get("delta", 0.0)), ref["beta0"])
            rhs = np.vstack([zeta_phys - co[4], pzeta_phys - co[5]]) - W[4:6, :4] @ XX[:4]
            XX[4:6] = np.linalg.solve(W[4:6, 4:6], rhs)
        phys = W @ XX + co[:, None]
        coords = dict(x=phys[0], px=phys[1], y=phys[2], py=phys[3], zeta=phys[4])
        if "delta" in given and "zeta_norm" not in norms and "pzeta_norm" not in norms:
            coords["delta"] = arr(given["delta"])
        else:
            coords["pzeta"] = phys[5]
        if length is not None:
            delta_all = kin.delta_from_pzeta(phys[5], ref["beta0"]) if "pzeta" in coords \
                else coords["delta"]
            rvv = kin.rvv_from_delta(delta_all, ref["beta0"])
            coords["x"], coords["y"], coords["zeta"] = _exact_drift(
                coords["x"], coords["px"], coords["y"], coords["py"], coords["zeta"],
                delta_all, rvv, -length)
    else:
        coords = {k: arr(v) for k, v in given.items()}
        if mode == "shift":
            for name in ("x", "px", "y", "py", "zeta"):
                coords[name] = float(np.asarray(getattr(particle_ref, name))[0]) + coords.get(name, 0.0)
            if "pzeta" in coords:
                coords["pzeta"] = coords["pzeta"] + float(np.asarray(particle_ref.pzeta)[0])
            else:
                coords["delta"] = coords.get("delta", 0.0) + float(np.asarray(particle_ref.delta)[0])
        if not coords:
            coords["x"] = arr(0.0)
    if weight is not None:
        kwargs["weight"] = weight
    if index is not None:
        kwargs.setdefault("at_element", index)
        kwargs["start_tracking_at_element"] = index
        if "s" not in kwargs and hasattr(line, "get_s_position"):
            # the particles are at the element's entrance: tracking starts there (see above)
            kwargs["s"] = float(line.get_s_position(at_elements=[index])[0])
    part = Particles(_context=_context, _buffer=_buffer, _offset=_offset, _capacity=_capacity,
                     **ref_kwargs, **coords, **kwargs)
    return part
