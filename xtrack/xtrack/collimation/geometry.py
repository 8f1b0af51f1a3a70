"""Beam size and orbit at a collimator, projected on the jaw normal.

Conventions: the jaw normal makes the angle ``a`` with the x axis in the x-y
plane (SixTrack ``collgaps.dat`` angle); the coordinate across the jaws is
``u = x cos(a) + y sin(a)``, the local x of an aperture rotated by
``rot_s_rad = a`` (``beam_elements/_local_frame.h``). The beam size across the
jaws is that of uncoupled betatron motion (dispersion ignored, as in the
SixTrack collimation settings):

    sigma_u = sqrt(betx eps_x cos^2(a) + bety eps_y sin^2(a)),

with the geometric emittances eps = nemitt / (beta0 gamma0).
"""

import math

import numpy as np

__all__ = ["optics_in_drift", "jaw_sigma", "jaw_orbit"]

OPTICS_COLUMNS = ("betx", "alfx", "bety", "alfy", "x", "px", "y", "py")


def optics_in_drift(optics, distance):
    """Twiss functions and orbit ``distance`` [m] downstream of ``optics`` in a drift.

    In a drift the Twiss functions are exactly beta(l) = beta - 2 alpha l + gamma l^2,
    alpha(l) = alpha - gamma l (transport of the Twiss functions through a drift,
    e.g. H. Wiedemann, Particle Accelerator Physics, chapter on betatron
    functions); the orbit moves as x(l) = x + px l to first order in the angle
    (closed-orbit angles are 1e-4 rad at most, so the neglected term is below 1e-12 m).
    ``distance`` may be negative (upstream).

    Parameters
    ----------
    optics : dict
        ``betx, alfx, bety, alfy`` and ``x, px, y, py`` at the start [m, rad].
    distance : float [m]
    """
    out = dict(optics)
    for plane in ("x", "y"):
        beta, alpha = optics[f"bet{plane}"], optics[f"alf{plane}"]
        gamma = (1.0 + alpha * alpha) / beta
        out[f"bet{plane}"] = beta - 2.0 * alpha * distance + gamma * distance * distance
        out[f"alf{plane}"] = alpha - gamma * distance
        out[plane] = optics[plane] + optics[f"p{plane}"] * distance
    return out


def jaw_sigma(optics, angle, eps_x, eps_y):
    """Beam sigma [m] across jaws whose normal makes ``angle`` [rad] with x."""
    c, s = math.cos(angle), math.sin(angle)
    return float(np.sqrt(optics["betx"] * eps_x * c * c + optics["bety"] * eps_y * s * s))


def jaw_orbit(optics, angle):
    """Closed orbit [m] projected on the jaw normal, u = x cos(a) + y sin(a)."""
    return float(optics["x"] * math.cos(angle) + optics["y"] * math.sin(angle))
