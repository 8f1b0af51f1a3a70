"""Twiss of a line: periodic solution of a ring (4d/6d) or propagation from initial conditions.

Periodic: closed orbit (closed_orbit.py) -> one-turn matrix around it
(central differences, steps adapted to the beam size when the defaults are
too large) -> normal form W -> propagation element by element
(propagation.py) -> chromatic properties from two off-momentum twisses
at delta_co +- delta_chrom (chromatic.py) -> global quantities.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from .closed_orbit import ClosedOrbitNotFound, find_closed_orbit_coords
from .normal_form import linear_normal_form, normal_form_4d_with_dispersion, symplectify as _symplectify
from .one_turn_matrix import compute_one_turn_matrix_finite_differences, normalize_steps
from .propagation import propagate_optics

__all__ = ["TwissOptions", "periodic_solution", "compute_twiss_columns"]

CLIGHT = 299792458.0


@dataclass(frozen=True)
class TwissOptions:
    """Numerical settings of a twiss, with the established defaults."""

    method: str = "6d"
    delta0: float = None
    zeta0: float = None
    co_guess: object = None
    steps_r_matrix: dict = None
    delta_disp: float = 1e-5
    delta_chrom: float = 5e-5
    step_W_sigma: float = 0.01
    nemitt_x: float = 1e-6
    nemitt_y: float = 1e-6
    nemitt_zeta: float = 1e-6
    compute_chromatic_properties: bool = None
    only_orbit: bool = False
    symplectify: bool = False
    co_search_settings: dict = field(default_factory=dict)
    particle_ref: object = None
    num_turns: int = 1


def _reference(line, opts):
    ref = opts.particle_ref if opts.particle_ref is not None else line.particle_ref
    if ref is None:
        raise ValueError("twiss: the line has no reference particle; set line.particle_ref "
                         "(e.g. line.set_particle_ref('proton', p0c=7e12)) or give particle_ref=...")
    return ref


def _ref_values(ref):
    def first(name):
        arr = getattr(ref, name)
        if not isinstance(arr, np.ndarray):
            arr = ref._context.nparray_from_context_array(arr)
        return float(np.atleast_1d(arr)[0])

    return {"beta0": first("beta0"), "gamma0": first("gamma0"), "p0c": first("p0c"),
            "mass0": float(ref.mass0), "q0": float(ref.q0)}


def _co_tolerances(opts):
    from .closed_orbit import DEFAULT_CO_TOLERANCES

    tol = DEFAULT_CO_TOLERANCES.copy()
    settings = dict(opts.co_search_settings or {})
    for ii, name in enumerate(("xtol_x", "xtol_px", "xtol_y", "xtol_py", "xtol_zeta", "xtol_delta")):
        if name in settings:
            tol[ii] = settings[name]
    return tol


def _one_turn_matrix(line, co, opts, ref, freeze):
    """R around `co`, with the transverse steps reduced when they exceed 0.3 rms beam sizes."""
    steps = normalize_steps(opts.steps_r_matrix)
    R = compute_one_turn_matrix_finite_differences(
        line, co, steps_r_matrix=steps, freeze_longitudinal=freeze, particle_ref=ref,
        num_turns=opts.num_turns)["R_matrix"]
    adapted = False
    if opts.steps_r_matrix is None:
        vals = _ref_values(ref)
        try:
            # the first matrix only sizes the beam: it may be slightly off the unit circle
            # when the default steps leave the linear region (FCC-ee IP, det 1.15)
            W4, _ = linear_normal_form(R[:4, :4], stability_tol=0.5)
        except ValueError:
            return R, steps, adapted
        gemitt = np.array([1e-6, 1e-6]) / (vals["beta0"] * vals["gamma0"])
        sigma = np.sqrt(np.array([sum(gemitt[k] * (W4[i, 2 * k] ** 2 + W4[i, 2 * k + 1] ** 2)
                                      for k in range(2)) for i in range(4)]))
        names = ("dx", "dpx", "dy", "dpy")
        if any(steps[n] > 0.3 * sigma[i] for i, n in enumerate(names)):
            steps = dict(steps)
            for i, n in enumerate(names):
                steps[n] = 0.01 * sigma[i]
            R = compute_one_turn_matrix_finite_differences(
                line, co, steps_r_matrix=steps, freeze_longitudinal=freeze, particle_ref=ref,
                num_turns=opts.num_turns)["R_matrix"]
            adapted = True
    return R, steps, adapted


def periodic_solution(line, opts, co_guess=None, delta=None):
    """(closed orbit (6,), R (6,6), W (6,6), steps, adapted) of the ring for `opts.method`."""
    ref = _reference(line, opts)
    freeze = opts.method == "4d"
    guess = np.zeros(6) if co_guess is None else np.array(co_guess, dtype=float)
    delta0 = delta if delta is not None else opts.delta0
    if freeze and delta0 is None:
        delta0 = 0.0 if co_guess is None else guess[5]
    zeta0 = opts.zeta0 if opts.zeta0 is not None else (0.0 if co_guess is None else guess[4])
    guess[4] = zeta0
    co, _ = find_closed_orbit_coords(line, co_guess=guess, method=opts.method,
                                     delta0=delta0 if freeze else None, zeta0=zeta0,
                                     steps_r_matrix=opts.steps_r_matrix, tolerances=_co_tolerances(opts),
                                     particle_ref=ref, num_turns=opts.num_turns,
                                     max_iterations=int(opts.co_search_settings.get("maxiter", 30))
                                     if opts.co_search_settings else 30)
    R, steps, adapted = _one_turn_matrix(line, co, opts, ref, freeze)
    if opts.symplectify:
        R = _symplectify(R)
    W = normal_form_from_R(R, opts.method)
    return co, R, W, steps, adapted


def normal_form_from_R(R, method):
    """6x6 W of a one-turn matrix: the full normal form (6d) or the 4d block plus dispersion."""
    if method == "4d":
        W4, _ = linear_normal_form(R[:4, :4])
        # periodic dispersion: u = R4 u + r pzeta  ->  u = (I - R4)^-1 r
        disp = np.linalg.solve(np.eye(4) - R[:4, :4], R[:4, 5])
        return normal_form_4d_with_dispersion(W4, disp)
    W, _ = linear_normal_form(R)
    return W


def compute_twiss_columns(line, co, W, opts, ele_start=0, ele_stop=None, backtrack=False):
    """Propagate orbit and optics with the tracking mode of `opts.method` (`backtrack`: from
    `co`, `W` at ele_stop backwards to ele_start)."""
    ref = _reference(line, opts)
    vals = _ref_values(ref)
    freeze = opts.method == "4d"
    cols, _ = propagate_optics(line, co, W, beta0=vals["beta0"], gamma0=vals["gamma0"],
                               ele_start=ele_start, ele_stop=ele_stop, freeze=freeze,
                               n_modes=2 if freeze else 3, step_W_sigma=opts.step_W_sigma,
                               nemitt_x=opts.nemitt_x, nemitt_y=opts.nemitt_y,
                               nemitt_zeta=opts.nemitt_zeta, delta_disp=opts.delta_disp,
                               only_orbit=opts.only_orbit, particle_ref=ref, backtrack=backtrack)
    return cols


def off_momentum_solutions(line, opts, co, W, base_method):
    """Periodic 4d solutions at delta_co -+ delta_chrom (orbit guess from the dispersion of W)."""
    out = []
    opts4 = replace(opts, method="4d", compute_chromatic_properties=False)
    beta0 = _ref_values(_reference(line, opts))["beta0"]
    from .propagation import pzeta_from_delta

    for sign in (-1.0, 1.0):
        delta = co[5] + sign * opts.delta_chrom
        guess = co.copy()
        dpz = pzeta_from_delta(delta, beta0) - pzeta_from_delta(co[5], beta0)
        XX = np.linalg.solve(W[4:6, 4:6], np.array([0.0, dpz]))
        guess[:4] += W[:4, 4:6] @ XX
        guess[5] = delta
        if base_method == "4d":
            sol = periodic_solution(line, opts4, co_guess=guess, delta=delta)
        else:
            # 6d: orbit at fixed delta (4d search), then zeta moved to where the RF gives
            # no net energy change over the turn (6d search with delta fixed): the particle
            # keeps its momentum at every turn, so its optics (from the one-turn matrix with
            # the RF on and its full normal form) are periodic, and the off-momentum tunes
            # carry the same synchro-betatron shift as the on-momentum 6d tune. Started
            # from the 4d orbit's zeta, the cavities would change delta along the turn
            # (SPS: W functions 400x the reference tolerance).
            co_d, _ = find_closed_orbit_coords(
                line, co_guess=guess, method="4d", delta0=delta, steps_r_matrix=opts.steps_r_matrix,
                tolerances=_co_tolerances(opts), particle_ref=_reference(line, opts),
                num_turns=opts.num_turns)
            try:
                co_d, _ = find_closed_orbit_coords(
                    line, co_guess=co_d, method="6d", delta0=delta,
                    steps_r_matrix=opts.steps_r_matrix, tolerances=_co_tolerances(opts),
                    particle_ref=_reference(line, opts), num_turns=opts.num_turns,
                    fixed_delta=True)
            except ClosedOrbitNotFound:
                pass  # no zeta closes delta (RF too weak for the offset): the 4d orbit
            R, steps, adapted = _one_turn_matrix(line, co_d, opts, _reference(line, opts), False)
            sol = (co_d, R, normal_form_from_R(R, "6d"), steps, adapted)
        out.append(sol)
    return out
