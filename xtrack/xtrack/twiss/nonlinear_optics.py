"""Nonlinear optics by tracking and off-momentum twisses: amplitude detuning coefficients
and the chromaticity to higher orders.

Detuning: particles at a1 and a2 sigmas in one plane (a0 sigmas in the other,
a small amplitude that keeps the other tune measurable) are tracked with
the longitudinal motion frozen; their tunes (refined DTFT peak) give
dQ/dJ with J = a^2 eps / 2 the action of the excited plane (eps the
geometric emittance).

Chromaticity: 4d twisses at delta0 over `delta0_range`; a polynomial of
`fit_order` fitted to q(delta0) gives dnq[n] = n! c_n = d^n q / d delta^n at 0.
"""

import math

import numpy as np

from .tunes import refined_tunes

__all__ = ["get_amplitude_detuning_coefficients", "get_non_linear_chromaticity"]


def get_amplitude_detuning_coefficients(line, nemitt_x=1e-6, nemitt_y=1e-6, num_turns=256,
                                        a0_sigmas=0.01, a1_sigmas=0.1, a2_sigmas=0.2):
    """Dict det_xx = dQx/dJx, det_yy = dQy/dJy, det_xy = dQx/dJy, det_yx = dQy/dJx [1/m]."""
    for name, value in (("nemitt_x", nemitt_x), ("nemitt_y", nemitt_y), ("a0_sigmas", a0_sigmas),
                        ("a1_sigmas", a1_sigmas), ("a2_sigmas", a2_sigmas)):
        if not value > 0:
            raise ValueError(f"get_amplitude_detuning_coefficients: {name} must be > 0, got {value!r}.")
    if not a2_sigmas > a1_sigmas:
        raise ValueError(f"get_amplitude_detuning_coefficients: a2_sigmas ({a2_sigmas}) must exceed "
                         f"a1_sigmas ({a1_sigmas}).")
    if int(num_turns) < 16:
        raise ValueError(f"get_amplitude_detuning_coefficients: num_turns must be >= 16, got {num_turns!r}.")
    x_norm = [a1_sigmas, a2_sigmas, a0_sigmas, a0_sigmas]
    y_norm = [a0_sigmas, a0_sigmas, a1_sigmas, a2_sigmas]
    particles = line.build_particles(x_norm=x_norm, y_norm=y_norm, nemitt_x=nemitt_x,
                                     nemitt_y=nemitt_y, method="4d")
    line.track(particles, num_turns=int(num_turns), turn_by_turn_monitor=True,
               freeze_longitudinal=True)
    monitor = line.record_last_track
    if np.any(np.asarray(monitor.state)[:, -1] <= 0):
        raise RuntimeError("get_amplitude_detuning_coefficients: particles were lost; reduce the "
                           "amplitudes.")
    qx = refined_tunes(np.asarray(monitor.x))
    qy = refined_tunes(np.asarray(monitor.y))
    ref = line.particle_ref
    beta_gamma = float(np.atleast_1d(ref.beta0)[0] * np.atleast_1d(ref.gamma0)[0])
    gemitt_x, gemitt_y = nemitt_x / beta_gamma, nemitt_y / beta_gamma
    djx = (a2_sigmas ** 2 - a1_sigmas ** 2) * gemitt_x / 2
    djy = (a2_sigmas ** 2 - a1_sigmas ** 2) * gemitt_y / 2
    return {"det_xx": (qx[1] - qx[0]) / djx, "det_yx": (qy[1] - qy[0]) / djx,
            "det_xy": (qx[3] - qx[2]) / djy, "det_yy": (qy[3] - qy[2]) / djy}


def get_non_linear_chromaticity(line, delta0_range=(-1e-3, 1e-3), num_delta=5, fit_order=3,
                                **kwargs):
    """Table with columns delta0, qx, qy (4d twisses) and scalars dnqx, dnqy (derivatives
    d^n q / d delta^n at delta 0, n = 0 .. fit_order; dnqx[1] is the chromaticity dqx)."""
    import xdeps

    num_delta, fit_order = int(num_delta), int(fit_order)
    if num_delta <= fit_order:
        raise ValueError(f"get_non_linear_chromaticity: num_delta ({num_delta}) must exceed "
                         f"fit_order ({fit_order}).")
    lo, hi = (float(v) for v in delta0_range)
    if not hi > lo:
        raise ValueError(f"get_non_linear_chromaticity: delta0_range must be increasing, got {delta0_range!r}.")
    kwargs.setdefault("method", "4d")
    kwargs.setdefault("compute_chromatic_properties", False)
    deltas = np.linspace(lo, hi, num_delta)
    qx, qy = np.empty(num_delta), np.empty(num_delta)
    for k, delta0 in enumerate(deltas):
        tw = line.twiss(delta0=delta0, **kwargs)
        qx[k], qy[k] = tw.qx, tw.qy
    factorials = np.array([math.factorial(n) for n in range(fit_order + 1)], dtype=float)
    dnqx = np.polyfit(deltas, qx, fit_order)[::-1] * factorials
    dnqy = np.polyfit(deltas, qy, fit_order)[::-1] * factorials
    data = {"delta0": deltas, "qx": qx, "qy": qy, "dnqx": dnqx, "dnqy": dnqy}
    return xdeps.Table(data, col_names=["delta0", "qx", "qy"], index="delta0")
