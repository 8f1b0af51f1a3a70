"""R.m.s. emittances, momentum spread and bunch length of tracked particles."""

import numpy as np

__all__ = ["beam_sizes_from_particles", "alive_coordinates"]


def alive_coordinates(particles, names=("x", "px", "y", "py", "zeta", "delta")):
    """Dict name -> host numpy array of the alive particles' coordinates."""
    ctx = particles._context
    alive = ctx.nparray_from_context_array(particles.state) > 0
    return {name: ctx.nparray_from_context_array(getattr(particles, name))[alive] for name in names}


def _betatron_emittance(u, pu, delta, d, dp):
    """Geometric emittance of the betatron part (dispersion removed) [m]."""
    ub = u - d * delta
    pub = pu - dp * delta
    ub = ub - ub.mean()
    pub = pub - pub.mean()
    return float(np.sqrt(max(np.mean(ub**2) * np.mean(pub**2) - np.mean(ub * pub) ** 2, 0.0)))


def beam_sizes_from_particles(twiss, particles, row=0):
    """``(gemitt_x, gemitt_y, sigma_delta, bunch_length)`` of the alive `particles`.

    The dispersion at row `row` of `twiss` (where the particles are) is
    removed before the emittances are taken.
    """
    coords = alive_coordinates(particles)
    if len(coords["x"]) < 2:
        raise ValueError(f"particles: need at least 2 alive particles to measure the beam, "
                         f"got {len(coords['x'])}.")
    delta = coords["delta"] - coords["delta"].mean()
    dx, dpx, dy, dpy = (float(np.asarray(twiss[k])[row]) for k in ("dx", "dpx", "dy", "dpy"))
    gemitt_x = _betatron_emittance(coords["x"], coords["px"], delta, dx, dpx)
    gemitt_y = _betatron_emittance(coords["y"], coords["py"], delta, dy, dpy)
    return gemitt_x, gemitt_y, float(np.std(coords["delta"])), float(np.std(coords["zeta"]))
