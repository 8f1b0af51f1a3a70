"""Gaussian distributions: normalised 2D Gaussian and matched 6D bunches."""

import numpy as np

from .line_data import resolve_line
from .longitudinal import generate_longitudinal_coordinates

__all__ = ["generate_2D_gaussian", "generate_matched_gaussian_bunch"]


def generate_2D_gaussian(num_particles):
    """Generate a 2D Gaussian distribution in normalised coordinates.

    Parameters
    ----------
    num_particles : int
        Number of particles to be generated.

    Returns
    -------
    x1, x2 : ndarray
        Independent standard normal coordinates [beam sigmas] (numpy global
        generator).
    """
    num_particles = int(num_particles)
    return np.random.normal(size=num_particles), np.random.normal(size=num_particles)


def generate_matched_gaussian_bunch(num_particles, nemitt_x, nemitt_y, sigma_z,
                                   total_intensity_particles=None, particle_on_co=None,
                                   R_matrix=None, circumference=None,
                                   momentum_compaction_factor=None, rf_harmonic=None,
                                   rf_voltage=None, rf_phase=None, p_increment=0.0, tracker=None,
                                   line=None, particle_ref=None, engine=None, _context=None,
                                   _buffer=None, _offset=None, **kwargs):
    """Generate a bunch matched to the optics of a line (Gaussian in 6D).

    Transversely Gaussian in normalised coordinates with the given normalised
    emittances; longitudinally matched to the non-linear RF bucket
    (`generate_longitudinal_coordinates`, 'gaussian'). The physical
    coordinates come from `line.build_particles`, which applies the closed
    orbit and the linear normal form of the line.

    Parameters
    ----------
    num_particles : int
        Number of macro-particles.
    nemitt_x, nemitt_y : float
        Normalised emittances [m rad].
    sigma_z : float
        R.m.s. bunch length [m].
    total_intensity_particles : float, optional
        Bunch population; each macro-particle gets weight
        total_intensity_particles / num_particles.
    particle_on_co, R_matrix : optional
        Passed to `line.build_particles` (closed orbit, one-turn matrix).
    circumference, momentum_compaction_factor, rf_harmonic, rf_voltage,
    rf_phase, p_increment, engine :
        As in `generate_longitudinal_coordinates`.
    line : Line
        Line for which the bunch is generated.
    particle_ref : Particles, optional
        Reference particle (default: `line.particle_ref`).
    _context, _buffer, _offset : optional
        Where the particles are allocated.
    **kwargs
        Further arguments of `line.build_particles`.

    Returns
    -------
    part : Particles
    """
    line = resolve_line(line, tracker)
    if line is None:
        raise ValueError("generate_matched_gaussian_bunch needs line=... (its build_particles "
                         "applies the closed orbit and the normal form)")
    for name, value in (("nemitt_x", nemitt_x), ("nemitt_y", nemitt_y)):
        if value is None or not value > 0:
            raise ValueError(f"{name} must be a positive normalised emittance [m rad], got {value!r}")
    zeta, delta = generate_longitudinal_coordinates(
        line=line, num_particles=num_particles, distribution="gaussian", sigma_z=sigma_z,
        engine=engine, particle_ref=particle_ref, circumference=circumference,
        momentum_compaction_factor=momentum_compaction_factor, rf_harmonic=rf_harmonic,
        rf_voltage=rf_voltage, rf_phase=rf_phase, p_increment=p_increment)
    x_norm, px_norm = generate_2D_gaussian(num_particles)
    y_norm, py_norm = generate_2D_gaussian(num_particles)
    if total_intensity_particles is not None:
        kwargs["weight"] = total_intensity_particles / num_particles
    return line.build_particles(
        _context=_context, _buffer=_buffer, _offset=_offset, particle_ref=particle_ref,
        zeta=zeta, delta=delta, x_norm=x_norm, px_norm=px_norm, y_norm=y_norm, py_norm=py_norm,
        nemitt_x=nemitt_x, nemitt_y=nemitt_y, particle_on_co=particle_on_co, R_matrix=R_matrix,
        **kwargs)
