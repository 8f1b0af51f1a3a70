"""Gaussian distributions: normalised 2D Gaussian and matched 6D bunches."""

import numpy as np

from .line_data import resolve_line
from .longitudinal import generate_longitudinal_coordinates

__all__ = ["generate_2D_gaussian", "generate_matched_gaussian_bunch",
           "generate_matched_gaussian_multibunch_beam"]


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
        As in `generate_longitudinal_coordinates`; engine='linear' instead matches
        the longitudinal plane to the linear one-turn normal form of the line (a
        Gaussian in zeta_norm, pzeta_norm with the emittance sigma_z**2 / betzeta,
        betzeta = W[4,4]**2 + W[4,5]**2 at the generation point): the linear
        bucket of a LineSegmentMap or of small-amplitude RF.
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
    if engine == "linear":
        longitudinal = _linear_longitudinal_norms(line, num_particles, sigma_z, particle_ref)
    else:
        zeta, delta = generate_longitudinal_coordinates(
            line=line, num_particles=num_particles, distribution="gaussian", sigma_z=sigma_z,
            engine=engine, particle_ref=particle_ref, circumference=circumference,
            momentum_compaction_factor=momentum_compaction_factor, rf_harmonic=rf_harmonic,
            rf_voltage=rf_voltage, rf_phase=rf_phase, p_increment=p_increment)
        longitudinal = {"zeta": zeta, "delta": delta}
    x_norm, px_norm = generate_2D_gaussian(num_particles)
    y_norm, py_norm = generate_2D_gaussian(num_particles)
    if total_intensity_particles is not None:
        kwargs["weight"] = total_intensity_particles / num_particles
    return line.build_particles(
        _context=_context, _buffer=_buffer, _offset=_offset, particle_ref=particle_ref,
        **longitudinal, x_norm=x_norm, px_norm=px_norm, y_norm=y_norm, py_norm=py_norm,
        nemitt_x=nemitt_x, nemitt_y=nemitt_y, particle_on_co=particle_on_co, R_matrix=R_matrix,
        **kwargs)


def _linear_longitudinal_norms(line, num_particles, sigma_z, particle_ref):
    """zeta_norm, pzeta_norm of a Gaussian bunch of r.m.s. length sigma_z in the linear
    longitudinal normal mode: zeta = W44 zeta_n + W45 pzeta_n (+ the small transverse terms),
    so sigma_z**2 = eps_zeta (W44**2 + W45**2) for zeta_n, pzeta_n ~ N(0, eps_zeta)."""
    if sigma_z is None or not sigma_z > 0:
        raise ValueError(f"sigma_z must be a positive bunch length [m], got {sigma_z!r}")
    kwargs = {} if particle_ref is None else {"particle_ref": particle_ref}
    W = np.asarray(line.twiss(**kwargs).W_matrix)[0]
    betzeta = W[4, 4] ** 2 + W[4, 5] ** 2
    if not betzeta > 0:
        raise ValueError("engine='linear' needs a longitudinally stable line (its twiss W_matrix "
                         "has no longitudinal beta)")
    zeta_norm, pzeta_norm = generate_2D_gaussian(num_particles)
    scale = sigma_z / np.sqrt(betzeta)
    return {"zeta_norm": scale * zeta_norm, "pzeta_norm": scale * pzeta_norm}


def _single_value(name, value):
    """A single-harmonic RF parameter given as a number or a one-element list."""
    if value is None or np.ndim(value) == 0:
        return value
    value = np.asarray(value, dtype=float).ravel()
    if value.size != 1:
        raise ValueError(f"{name} has {value.size} values; only single-harmonic RF "
                         f"systems are matched here, give one value")
    return float(value[0])


def generate_matched_gaussian_multibunch_beam(filling_scheme=None, bunch_num_particles=None,
                                              bunch_intensity_particles=None, nemitt_x=None,
                                              nemitt_y=None, sigma_z=None, line=None,
                                              bunch_spacing_buckets=1, bucket_length=None,
                                              bunch_selection=None, particle_ref=None,
                                              rf_harmonic=None, rf_voltage=None, rf_phase=None,
                                              circumference=None,
                                              momentum_compaction_factor=None, engine=None,
                                              tracker=None, _context=None, _buffer=None,
                                              _offset=None, **kwargs):
    """Generate a train of Gaussian bunches matched to the optics of a line.

    Every selected slot of the filling scheme gets one bunch generated as by
    `generate_matched_gaussian_bunch`, displaced longitudinally by
    -slot * bunch_spacing (later slots are behind: smaller zeta), with
    bunch_spacing = bunch_spacing_buckets * bucket_length. The particles of
    the bunches follow each other in the arrays, in slot order.

    Parameters
    ----------
    filling_scheme : array_like of int
        One entry per slot: non-zero where a bunch is present.
    bunch_num_particles : int
        Number of macro-particles per bunch.
    bunch_intensity_particles : float
        Bunch population; each macro-particle gets weight
        bunch_intensity_particles / bunch_num_particles.
    nemitt_x, nemitt_y : float
        Normalised emittances [m rad].
    sigma_z : float
        R.m.s. bunch length [m].
    line : Line
        Line for which the beam is generated.
    bunch_spacing_buckets : int, default 1
        Slot spacing in RF buckets.
    bucket_length : float, optional
        RF bucket length [m] (default: circumference / rf_harmonic).
    bunch_selection : array_like of int, optional
        Slots to generate (default: every filled slot); each must be filled.
    particle_ref : Particles, optional
        Reference particle (default: `line.particle_ref`).
    rf_harmonic, rf_voltage, rf_phase : float or one-element list, optional
        Single-harmonic RF parameters (default: from the cavities of the line).
    circumference, momentum_compaction_factor, engine :
        As in `generate_longitudinal_coordinates`.
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
        raise ValueError("generate_matched_gaussian_multibunch_beam needs line=...")
    if filling_scheme is None:
        raise ValueError("filling_scheme is needed: one entry per slot, non-zero where filled")
    filling = np.asarray(filling_scheme).ravel()
    filled = np.flatnonzero(filling)
    if bunch_selection is None:
        slots = filled
    else:
        slots = np.asarray(bunch_selection, dtype=int).ravel()
        bad = [int(k) for k in slots if not (0 <= k < filling.size and filling[k])]
        if bad:
            raise ValueError(f"bunch_selection names slots {bad} that are not filled in the "
                             f"filling scheme ({filling.size} slots, {filled.size} filled)")
    if slots.size == 0:
        raise ValueError("the filling scheme selects no bunch")
    if bunch_num_particles is None or int(bunch_num_particles) <= 0:
        raise ValueError(f"bunch_num_particles must be a positive integer, got {bunch_num_particles!r}")
    for name, value in (("nemitt_x", nemitt_x), ("nemitt_y", nemitt_y)):
        if value is None or not value > 0:
            raise ValueError(f"{name} must be a positive normalised emittance [m rad], got {value!r}")
    rf_harmonic = _single_value("rf_harmonic", rf_harmonic)
    rf_voltage = _single_value("rf_voltage", rf_voltage)
    rf_phase = _single_value("rf_phase", rf_phase)
    n_bunch = int(bunch_num_particles)
    if bucket_length is None:
        if circumference is None:
            circumference = line.twiss().circumference
        if rf_harmonic is None:
            from .line_data import reference_quantities, rf_parameters

            beta0 = reference_quantities(line, particle_ref)[2]
            rf_harmonic = rf_parameters(line, beta0, circumference)[0]
        bucket_length = circumference / rf_harmonic
    spacing = bunch_spacing_buckets * bucket_length
    n_total = n_bunch * slots.size
    zeta, delta = generate_longitudinal_coordinates(
        line=line, num_particles=n_total, distribution="gaussian", sigma_z=sigma_z,
        engine=engine, particle_ref=particle_ref, circumference=circumference,
        momentum_compaction_factor=momentum_compaction_factor, rf_harmonic=rf_harmonic,
        rf_voltage=rf_voltage, rf_phase=rf_phase)
    zeta = zeta - np.repeat(slots * spacing, n_bunch)
    x_norm, px_norm = generate_2D_gaussian(n_total)
    y_norm, py_norm = generate_2D_gaussian(n_total)
    if bunch_intensity_particles is not None:
        kwargs["weight"] = bunch_intensity_particles / n_bunch
    return line.build_particles(
        _context=_context, _buffer=_buffer, _offset=_offset, particle_ref=particle_ref,
        zeta=zeta, delta=delta, x_norm=x_norm, px_norm=px_norm, y_norm=y_norm, py_norm=py_norm,
        nemitt_x=nemitt_x, nemitt_y=nemitt_y, **kwargs)
