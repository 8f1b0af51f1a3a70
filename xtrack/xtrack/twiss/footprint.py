"""Tune footprint by tracking (`line.get_footprint`): particles on a grid of normalised
amplitudes, tunes from the FFT of their turn-by-turn x and y.

Grids: 'polar' (r in sigmas, theta in the (x_norm, y_norm) plane) and
'uniform_action_grid' (x_norm, y_norm spaced so that the actions
J = a^2 eps / 2 are uniform). `LinearRescale` evaluates the detuning of a
knob at v0 + dv and scales it linearly to the knob's actual value, which
keeps resonances and linear coupling of the full strength out of the result.
"""

from dataclasses import dataclass

import numpy as np

from .tunes import fft_tunes

__all__ = ["Footprint", "LinearRescale", "get_footprint"]


@dataclass(frozen=True)
class LinearRescale:
    """Knob whose detuning is computed at v0 + dv and rescaled linearly to its value."""

    knob_name: str
    v0: float
    dv: float

    def __post_init__(self):
        if not self.dv:
            raise ValueError(f"LinearRescale({self.knob_name!r}): dv must be non-zero, got {self.dv!r}.")


class Footprint:
    """Tunes of a grid of particles (`qx`, `qy`, shaped like the grid) and how they were made.

    Attributes
    ----------
    mode : str
    x_norm_2d, y_norm_2d : ndarray
        Normalised amplitudes [sigmas] of each grid point.
    qx, qy : ndarray
        Fractional tunes.
    r_grid, theta_grid (polar) / x_norm_grid, y_norm_grid (uniform_action_grid) : ndarray
    """

    def __init__(self, nemitt_x, nemitt_y, n_turns=256, n_fft=2 ** 18, mode="polar", r_range=None,
                 theta_range=None, n_r=None, n_theta=None, x_norm_range=None, y_norm_range=None,
                 n_x_norm=None, n_y_norm=None, keep_fft=True):
        if nemitt_x is None or nemitt_y is None or not (nemitt_x > 0 and nemitt_y > 0):
            raise ValueError(f"get_footprint: nemitt_x and nemitt_y must be > 0 [m rad], got "
                             f"{nemitt_x!r}, {nemitt_y!r}.")
        if mode not in ("polar", "uniform_action_grid"):
            raise ValueError(f"get_footprint: mode must be 'polar' or 'uniform_action_grid', got {mode!r}.")
        if int(n_turns) < 4:
            raise ValueError(f"get_footprint: n_turns must be >= 4, got {n_turns!r}.")
        self.nemitt_x, self.nemitt_y = float(nemitt_x), float(nemitt_y)
        self.n_turns, self.n_fft, self.mode, self.keep_fft = int(n_turns), int(n_fft), mode, keep_fft
        if mode == "polar":
            if x_norm_range is not None or y_norm_range is not None or n_x_norm or n_y_norm:
                raise ValueError("get_footprint: x_norm_range, y_norm_range, n_x_norm, n_y_norm "
                                 "belong to mode='uniform_action_grid'.")
            self.r_range = tuple(r_range) if r_range is not None else (0.1, 6.0)
            self.theta_range = tuple(theta_range) if theta_range is not None else (0.05, np.pi / 2 - 0.05)
            self.n_r = int(n_r) if n_r is not None else 10
            self.n_theta = int(n_theta) if n_theta is not None else 10
            self.r_grid = np.linspace(*self.r_range, self.n_r)
            self.theta_grid = np.linspace(*self.theta_range, self.n_theta)
            rr, tt = np.meshgrid(self.r_grid, self.theta_grid, indexing="ij")
            self.x_norm_2d, self.y_norm_2d = rr * np.cos(tt), rr * np.sin(tt)
        else:
            if r_range is not None or theta_range is not None or n_r or n_theta:
                raise ValueError("get_footprint: r_range, theta_range, n_r, n_theta belong to "
                                 "mode='polar'.")
            self.x_norm_range = tuple(x_norm_range) if x_norm_range is not None else (0.1, 6.0)
            self.y_norm_range = tuple(y_norm_range) if y_norm_range is not None else (0.1, 6.0)
            self.n_x_norm = int(n_x_norm) if n_x_norm is not None else 10
            self.n_y_norm = int(n_y_norm) if n_y_norm is not None else 10
            # uniform in action J ~ a^2
            self.x_norm_grid = np.sqrt(np.linspace(self.x_norm_range[0] ** 2, self.x_norm_range[1] ** 2,
                                                   self.n_x_norm))
            self.y_norm_grid = np.sqrt(np.linspace(self.y_norm_range[0] ** 2, self.y_norm_range[1] ** 2,
                                                   self.n_y_norm))
            self.x_norm_2d, self.y_norm_2d = np.meshgrid(self.x_norm_grid, self.y_norm_grid,
                                                         indexing="ij")
        self.qx = self.qy = None

    def _compute_footprint(self, line, freeze_longitudinal=False, delta0=None, zeta0=None,
                           keep_tracking_data=False):
        kwargs = {}
        if delta0 is not None:
            kwargs["delta"] = delta0
        if zeta0 is not None:
            kwargs["zeta"] = zeta0
        particles = line.build_particles(x_norm=self.x_norm_2d.ravel(), y_norm=self.y_norm_2d.ravel(),
                                         nemitt_x=self.nemitt_x, nemitt_y=self.nemitt_y,
                                         method="4d" if freeze_longitudinal else None, **kwargs)
        line.track(particles, num_turns=self.n_turns, turn_by_turn_monitor=True,
                   freeze_longitudinal=bool(freeze_longitudinal))
        monitor = line.record_last_track
        if np.any(np.asarray(monitor.state)[:, -1] <= 0):
            raise RuntimeError("get_footprint: particles were lost while tracking; reduce the "
                               "amplitudes (r_range / x_norm_range, y_norm_range).")
        x, y = np.asarray(monitor.x), np.asarray(monitor.y)
        shape = self.x_norm_2d.shape
        self.qx = fft_tunes(x, self.n_fft).reshape(shape)
        self.qy = fft_tunes(y, self.n_fft).reshape(shape)
        if keep_tracking_data:
            self.tracking_data = monitor

    def plot(self, ax=None, **kwargs):
        """Grid lines of the footprint in the (qx, qy) plane (needs matplotlib)."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("Footprint.plot needs matplotlib: pip install matplotlib") from None
        if self.qx is None:
            raise ValueError("Footprint.plot: the footprint has not been computed.")
        ax = ax if ax is not None else plt.gca()
        style = {"color": "k", "linewidth": 0.8, **kwargs}
        lines = ax.plot(self.qx, self.qy, **style)
        ax.plot(self.qx.T, self.qy.T, **style)
        ax.set_xlabel(r"$q_x$")
        ax.set_ylabel(r"$q_y$")
        return lines


def get_footprint(line, nemitt_x=None, nemitt_y=None, n_turns=256, n_fft=2 ** 18, mode="polar",
                  r_range=None, theta_range=None, n_r=None, n_theta=None, x_norm_range=None,
                  y_norm_range=None, n_x_norm=None, n_y_norm=None, linear_rescale_on_knobs=None,
                  freeze_longitudinal=None, delta0=None, zeta0=None, keep_fft=True,
                  keep_tracking_data=False):
    """Tune footprint of `line` (see `Line.get_footprint` in the manual); returns a Footprint."""
    grid = dict(nemitt_x=nemitt_x, nemitt_y=nemitt_y, n_turns=n_turns, n_fft=n_fft, mode=mode,
                r_range=r_range, theta_range=theta_range, n_r=n_r, n_theta=n_theta,
                x_norm_range=x_norm_range, y_norm_range=y_norm_range, n_x_norm=n_x_norm,
                n_y_norm=n_y_norm, keep_fft=keep_fft)
    track = dict(freeze_longitudinal=freeze_longitudinal, delta0=delta0, zeta0=zeta0,
                 keep_tracking_data=keep_tracking_data)
    rescale = list(linear_rescale_on_knobs or [])
    for item in rescale:
        if not isinstance(item, LinearRescale):
            raise TypeError("get_footprint: linear_rescale_on_knobs must hold xt.LinearRescale "
                            f"objects, got {item!r}.")
    line._ensure_tracker()
    return _footprint_rescaled(line, grid, track, rescale)


def _footprint_rescaled(line, grid, track, rescale):
    if not rescale:
        fp = Footprint(**grid)
        fp._compute_footprint(line, **track)
        return fp
    first, rest = rescale[0], rescale[1:]
    value = line.vars[first.knob_name]._value
    try:
        line.vars[first.knob_name] = first.v0
        fp0 = _footprint_rescaled(line, grid, track, rest)
        line.vars[first.knob_name] = first.v0 + first.dv
        fp1 = _footprint_rescaled(line, grid, track, rest)
    finally:
        line.vars[first.knob_name] = value
    scale = (value - first.v0) / first.dv
    fp0.qx = fp0.qx + (fp1.qx - fp0.qx) * scale
    fp0.qy = fp0.qy + (fp1.qy - fp0.qy) * scale
    return fp0
