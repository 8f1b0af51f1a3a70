"""Give the installed beam-beam elements the other beam's optics, orbit and charge.

Each element faces the element of the other line at the same encounter. The
other beam's closed orbit and Twiss functions there come from that line's
twiss and are expressed in this line's frame: a counter-rotating line runs
along -s with x reversed (right-handed frame), so x -> -x, px -> px, y -> y,
py -> -py, and Sigma_12, Sigma_34 change sign. The half crossing angle and
plane follow from the two orbit angles, the separation from the positions.
Slice moments (weak-strong, no dispersion): Sigma_11 = beta_x eps_x,
Sigma_12 = -alpha_x eps_x, Sigma_22 = gamma_x eps_x (eps = nemitt / (beta0 gamma0)).
"""

import numpy as np

from ..slicing.constant_charge import constant_charge_slicing_gaussian
from .install import beambeam_state

_MIRROR = {"x": -1.0, "px": 1.0, "y": 1.0, "py": -1.0}


def _twiss_at(line, names):
    tw = line.twiss(method="4d")  # closed orbit and optics on momentum; no RF needed
    rows = {name: i for i, name in enumerate(tw.name)}
    out = {}
    for name in names:
        i = rows[name]
        out[name] = {k: float(tw[k][i]) for k in ("x", "px", "y", "py", "zeta", "delta", "betx",
                                                  "bety", "alfx", "alfy")}
    return out, line.particle_ref


def configure_beambeam_interactions(env, num_particles, nemitt_x, nemitt_y, crab_strong_beam=True,
                                    use_antisymmetry=False, separation_bumps=None):
    """Configure the beam-beam elements (weak-strong) and activate them.

    Parameters
    ----------
    env : xtrack.Environment
        Environment where install_beambeam_interactions was called.
    num_particles : float
        Particles per bunch of the other beam.
    nemitt_x, nemitt_y : float
        Normalised emittances [m].
    crab_strong_beam : bool, default True
        Kept for the established interface: the strong slices follow the
        other beam's closed orbit at the encounter (no zeta-dependent crabbing).
    use_antisymmetry : bool, default False
        Only False: the other beam's optics are taken from its own line.
    separation_bumps : dict, optional
        Only with use_antisymmetry (unused here).
    """
    state = beambeam_state(env, "configure_beambeam_interactions")
    if use_antisymmetry:
        raise NotImplementedError("configure_beambeam_interactions: use_antisymmetry=True is not "
                                  "available; allowed: False (optics of both lines are used).")
    if not (num_particles >= 0 and nemitt_x > 0 and nemitt_y > 0):
        raise ValueError(f"configure_beambeam_interactions: num_particles={num_particles} must be "
                         f">= 0 and nemitt_x={nemitt_x}, nemitt_y={nemitt_y} > 0 [m].")
    encounters = state["encounters"]
    for enc in encounters:
        env.elements[enc.name].scale_strength = 0.0  # closed orbits without beam-beam
    optics = {}
    for line_name in (state["clockwise_line"], state["anticlockwise_line"]):
        names = [e.name for e in encounters if e.line == line_name]
        optics[line_name] = _twiss_at(env.lines[line_name], names)
    for enc in encounters:
        weak, _ = optics[enc.line]
        strong, strong_ref = optics[enc.partner_line]
        w, s = weak[enc.name], strong[enc.partner]
        s_in_w = {k: _MIRROR[k] * s[k] for k in _MIRROR}
        dpx, dpy = w["px"] - s_in_w["px"], w["py"] - s_in_w["py"]
        element = env.elements[enc.name]
        beta_gamma = strong_ref.beta0[0] * strong_ref.gamma0[0]
        ex, ey = nemitt_x / beta_gamma, nemitt_y / beta_gamma
        n = int(element.num_slices_other_beam)
        if enc.kind == "head_on":
            centroids, _, charges = constant_charge_slicing_gaussian(num_particles, state["sigmaz"], n)
            zeta = centroids[::-1]
        else:
            charges, zeta = np.array([float(num_particles)]), np.array([0.0])
        element.phi = 0.5 * np.hypot(dpx, dpy)
        element.alpha = float(np.arctan2(dpy, dpx)) if (dpx or dpy) else 0.0
        sign_x, sign_y = _MIRROR["x"] * _MIRROR["px"], _MIRROR["y"] * _MIRROR["py"]
        moments = {"11": s["betx"] * ex, "12": -sign_x * s["alfx"] * ex,
                   "22": (1 + s["alfx"] ** 2) / s["betx"] * ex,
                   "33": s["bety"] * ey, "34": -sign_y * s["alfy"] * ey,
                   "44": (1 + s["alfy"] ** 2) / s["bety"] * ey}
        element.update_slices(charges, {"zeta": zeta}, moments)
        for coord in ("x", "px", "y", "py", "zeta"):
            setattr(element, f"ref_shift_{coord}", w[coord])
        element.other_beam_shift_x = s_in_w["x"] - w["x"]
        element.other_beam_shift_y = s_in_w["y"] - w["y"]
        element.other_beam_q0 = float(strong_ref.q0)
    for enc in encounters:
        env.elements[enc.name].scale_strength = 1.0
