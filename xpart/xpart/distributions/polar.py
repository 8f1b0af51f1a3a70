"""Grids and uniform samples in a 2D (normalised) phase space, polar coordinates."""

import numpy as np

__all__ = ["generate_2D_polar_grid", "generate_2D_uniform_circular_sector"]


def _grid(name, values_range, grid, step, num):
    if grid is not None:
        if values_range is not None or step is not None or num is not None:
            raise ValueError(f"{name}_grid excludes {name}_range, d{name} and n{name}")
        return np.asarray(grid, dtype=float)
    if values_range is None:
        raise ValueError(f"give {name}_grid, or {name}_range with d{name} or n{name}")
    if (step is None) == (num is None):
        raise ValueError(f"give exactly one of d{name} and n{name} with {name}_range "
                         f"(got d{name}={step!r}, n{name}={num!r})")
    lo, hi = values_range
    if step is not None:
        if not step > 0:
            raise ValueError(f"d{name} must be positive, got {step!r}")
        return np.arange(lo, hi, step)
    if int(num) < 1:
        raise ValueError(f"n{name} must be a positive integer, got {num!r}")
    return np.linspace(lo, hi, int(num))


def generate_2D_polar_grid(r_range=None, r_grid=None, dr=None, nr=None,
                           theta_range=None, theta_grid=None, dtheta=None, ntheta=None):
    """Generate a 2D polar grid.

    Parameters
    ----------
    r_range : tuple of float, optional
        (start, stop) of the radial coordinate; with `dr` the stop is
        excluded (numpy.arange), with `nr` included (numpy.linspace).
    r_grid : array_like, optional
        Explicit radial values (instead of r_range with dr or nr).
    dr : float, optional
        Step of the radial coordinate.
    nr : int, optional
        Number of points of the radial coordinate.
    theta_range, theta_grid, dtheta, ntheta : optional
        Same for the angle [rad].

    Returns
    -------
    a1, a2 : ndarray
        Cartesian coordinates r cos(theta), r sin(theta), one entry per grid
        point (radius varies slowest).
    r_all, theta_all : ndarray
        Radius and angle of each point.
    """
    r = _grid("r", r_range, r_grid, dr, nr)
    theta = _grid("theta", theta_range, theta_grid, dtheta, ntheta)
    r_all, theta_all = (a.ravel() for a in np.meshgrid(r, theta, indexing="ij"))
    return r_all * np.cos(theta_all), r_all * np.sin(theta_all), r_all, theta_all


def generate_2D_uniform_circular_sector(num_particles, r_range=(0, 1), theta_range=(0, 2 * np.pi)):
    """Generate points uniformly distributed (in area) in a circular sector.

    Parameters
    ----------
    num_particles : int
        Number of points.
    r_range : tuple of float, default (0, 1)
        Inner and outer radius.
    theta_range : tuple of float, default (0, 2 pi)
        Angular range [rad].

    Returns
    -------
    a1, a2 : ndarray
        Cartesian coordinates.
    r_all, theta_all : ndarray
        Radius and angle of each point.

    Notes
    -----
    Uniform in area means r^2 uniform in [r_min^2, r_max^2]. Random numbers
    come from numpy's global generator (`numpy.random.seed` reproduces them).
    """
    r_min, r_max = r_range
    if not 0 <= r_min <= r_max:
        raise ValueError(f"r_range must satisfy 0 <= r_min <= r_max, got {r_range!r}")
    r_all = np.sqrt(np.random.uniform(r_min**2, r_max**2, int(num_particles)))
    theta_all = np.random.uniform(theta_range[0], theta_range[1], int(num_particles))
    return r_all * np.cos(theta_all), r_all * np.sin(theta_all), r_all, theta_all
