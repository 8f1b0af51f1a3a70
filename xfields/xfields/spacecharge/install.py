"""install_spacecharge_frozen and replace_spacecharge_with_quasi_frozen.

Frozen space charge is a set of thin SpaceChargeBiGaussian kicks spread along
the ring, each integrating the length to the next one. The transverse sizes at
each kick come from the optics of the line without space charge:
``sigma_x = sqrt(betx nemitt_x / (beta0 gamma0) + (dx delta_rms)^2)``; the
centre from its closed orbit. xtrack is used only through the public methods
of the line it is given (``twiss``, ``insert``, ``get_length``).
"""

import numpy as np

from ..beam_elements.spacecharge import UPDATABLE, SpaceChargeBiGaussian
from ..longitudinal_profiles.qgaussian import LongitudinalProfileQGaussian

__all__ = ["install_spacecharge_frozen", "replace_spacecharge_with_quasi_frozen"]

#: Macro-particles of the matched bunch that measures delta_rms when it is not given.
NUM_PARTICLES_DELTA_RMS = 100_000


def _positive(name, value):
    if value is None or not float(value) > 0:
        raise ValueError(f"install_spacecharge_frozen: {name} must be > 0, got {value!r}.")
    return float(value)


def _positions(line, num_spacecharge_interactions, s_spacecharge, tol_spacecharge_position):
    """s [m] of the kicks: given, or equally spaced from s = 0; snapped to element edges within tol."""
    length = line.get_length()
    if s_spacecharge is not None:
        s = np.sort(np.atleast_1d(np.array(s_spacecharge, dtype=float)))
        if s.size == 0 or s[0] < 0 or s[-1] >= length:
            raise ValueError(f"install_spacecharge_frozen: s_spacecharge must be non-empty and in "
                             f"[0, {length:.9g}) m, got {s.tolist()[:5]}...")
    else:
        if num_spacecharge_interactions is None or int(num_spacecharge_interactions) < 1:
            raise ValueError("install_spacecharge_frozen: num_spacecharge_interactions must be a "
                             f"positive integer (or give s_spacecharge), got "
                             f"{num_spacecharge_interactions!r}.")
        s = np.linspace(0, length, int(num_spacecharge_interactions) + 1)[:-1]
    if tol_spacecharge_position is not None and tol_spacecharge_position > 0:
        edges = np.unique(np.r_[line.get_s_elements(), length])
        nearest = edges[np.clip(np.searchsorted(edges, s), 1, len(edges) - 1) - 1]
        upper = edges[np.clip(np.searchsorted(edges, s), 0, len(edges) - 1)]
        pick = np.where(np.abs(upper - s) < np.abs(nearest - s), upper, nearest)
        s = np.where(np.abs(pick - s) <= tol_spacecharge_position, pick, s)
        s = np.unique(s[s < length])
    return s, length


def _matched_delta_rms(line, particle_ref, nemitt_x, nemitt_y, sigma_z):
    import xpart as xp

    bunch = xp.generate_matched_gaussian_bunch(
        num_particles=NUM_PARTICLES_DELTA_RMS, nemitt_x=nemitt_x, nemitt_y=nemitt_y,
        sigma_z=sigma_z, line=line, particle_ref=particle_ref)
    return float(np.std(bunch._context.nparray_from_context_array(bunch.delta)))


def install_spacecharge_frozen(line=None, _buffer=None, particle_ref=None, longitudinal_profile=None,
                               nemitt_x=None, nemitt_y=None, sigma_z=None,
                               num_spacecharge_interactions=None, tol_spacecharge_position=None,
                               s_spacecharge=None, delta_rms=None, z_kick_num_integ_per_sigma=0):
    """Install frozen space-charge kicks (SpaceChargeBiGaussian) in `line`.

    Parameters
    ----------
    line : xtrack.Line
        Line to install in (its tracker, if any, is discarded).
    particle_ref : xpart.Particles, optional
        Reference particle (default: the line's); gives beta0 gamma0.
    longitudinal_profile : LongitudinalProfileQGaussian
        Line density of the bunch.
    nemitt_x, nemitt_y : float
        Normalised emittances [m rad].
    sigma_z : float
        R.m.s. bunch length [m] (for delta_rms when it is not given).
    num_spacecharge_interactions : int
        Number of kicks, equally spaced from s = 0 (unless `s_spacecharge`).
    tol_spacecharge_position : float, optional
        A kick within this distance [m] of an element edge moves onto it.
    s_spacecharge : array_like, optional
        Positions of the kicks [m].
    delta_rms : float, optional
        Momentum spread; default: that of a bunch of r.m.s. length `sigma_z`
        matched to the line (xpart.generate_matched_gaussian_bunch).
    z_kick_num_integ_per_sigma : int, default 0
        > 0: the kicks also act longitudinally (see SpaceChargeBiGaussian).

    Returns
    -------
    list of SpaceChargeBiGaussian
        The installed elements, named ``spacecharge_0``, ``spacecharge_1``, ...
    """
    if line is None:
        raise ValueError("install_spacecharge_frozen: line is required.")
    if not isinstance(longitudinal_profile, LongitudinalProfileQGaussian):
        raise TypeError("install_spacecharge_frozen: longitudinal_profile must be an "
                        "xf.LongitudinalProfileQGaussian, got "
                        f"{type(longitudinal_profile).__name__}.")
    nemitt_x, nemitt_y = _positive("nemitt_x", nemitt_x), _positive("nemitt_y", nemitt_y)
    sigma_z = _positive("sigma_z", sigma_z)
    if particle_ref is None:
        particle_ref = line.particle_ref
    if particle_ref is None:
        raise ValueError("install_spacecharge_frozen: particle_ref is required when the line has none.")
    if line.particle_ref is None:
        line.particle_ref = particle_ref.copy()
    if getattr(line, "tracker", None) is not None:
        line.discard_tracker()
    s, length = _positions(line, num_spacecharge_interactions, s_spacecharge,
                           tol_spacecharge_position)
    lengths = np.diff(np.r_[s, length])
    # the kicks are installed without charge, so that the optics below is that of the bare line
    profile = longitudinal_profile.to_dict()
    elements = []
    for ii, (s_ii, length_ii) in enumerate(zip(s, lengths)):
        element = SpaceChargeBiGaussian(
            length=length_ii, longitudinal_profile={**profile, "number_of_particles": 0.0},
            sigma_x=1.0, sigma_y=1.0, z_kick_num_integ_per_sigma=z_kick_num_integ_per_sigma,
            _buffer=_buffer)
        line.insert(f"spacecharge_{ii}", element, at=s_ii)
        elements.append(element)
    _set_sizes_from_optics(line, elements, particle_ref, nemitt_x, nemitt_y,
                           delta_rms if delta_rms is not None
                           else _matched_delta_rms(line, particle_ref, nemitt_x, nemitt_y, sigma_z))
    for element in elements:
        element.number_of_particles = longitudinal_profile.number_of_particles
    return elements


def _set_sizes_from_optics(line, elements, particle_ref, nemitt_x, nemitt_y, delta_rms):
    """Centre and r.m.s. sizes of the bunch at every kick, from the twiss of `line`."""
    beta_gamma = float(np.atleast_1d(particle_ref.beta0)[0] * np.atleast_1d(particle_ref.gamma0)[0])
    tw = line.twiss(method="4d")
    names = list(tw.name)
    for ii, element in enumerate(elements):
        row = names.index(f"spacecharge_{ii}")
        element.sigma_x = float(np.sqrt(tw.betx[row] * nemitt_x / beta_gamma
                                        + (tw.dx[row] * delta_rms) ** 2))
        element.sigma_y = float(np.sqrt(tw.bety[row] * nemitt_y / beta_gamma
                                        + (tw.dy[row] * delta_rms) ** 2))
        element.mean_x = float(tw.x[row])
        element.mean_y = float(tw.y[row])
    line.discard_tracker()


def replace_spacecharge_with_quasi_frozen(line, _buffer=None, update_mean_x_on_track=True,
                                          update_mean_y_on_track=True, update_sigma_x_on_track=True,
                                          update_sigma_y_on_track=True):
    """Make the frozen space-charge kicks of `line` quasi-frozen.

    Each SpaceChargeBiGaussian then measures the selected moments of the
    tracked particles before each passage (and becomes collective).

    Parameters
    ----------
    line : xtrack.Line
        Line with SpaceChargeBiGaussian elements (its tracker is discarded).
    _buffer : xobjects buffer, optional
        Kept for the established interface (the elements stay where they are).
    update_mean_x_on_track, update_mean_y_on_track : bool, default True
        Measure the centre.
    update_sigma_x_on_track, update_sigma_y_on_track : bool, default True
        Measure the r.m.s. sizes.

    Returns
    -------
    list of SpaceChargeBiGaussian
        The elements made quasi-frozen.
    """
    flags = dict(zip(UPDATABLE, (update_mean_x_on_track, update_mean_y_on_track,
                                 update_sigma_x_on_track, update_sigma_y_on_track)))
    names = tuple(name for name, on in flags.items() if on)
    if getattr(line, "tracker", None) is not None:
        line.discard_tracker()
    elements = [line[name] for name in dict.fromkeys(line.element_names)
                if isinstance(line[name], SpaceChargeBiGaussian)]
    if not elements:
        raise ValueError("replace_spacecharge_with_quasi_frozen: the line has no "
                         "SpaceChargeBiGaussian element; install them first "
                         "(xf.install_spacecharge_frozen).")
    for element in elements:
        element.update_on_track = names
    return elements
