"""Pencil beams on a black-absorber collimator: halo just beyond its cut, in its jaw plane.

Normalised coordinates (beam sigmas) in the jaw plane are built from the
horizontal and vertical normalised coordinates (X, Y): with
w = (sqrt(betx eps_x) cos a, sqrt(bety eps_y) sin a) / sigma_u (a unit vector),
the coordinate across the jaws in sigmas is u / sigma_u = w . (X, Y). The
pencil puts the normalised vector along w, with (rho, rho') uniform in the
circular segment {rho >= cut, rho^2 + rho'^2 <= (cut + depth)^2} (the pencil of
``xpart.generate_2D_pencil``), and a matched Gaussian (mean 0, sigma 1) along
the orthogonal direction: for a = 0 it is an x pencil with a matched
vertical distribution, for a = pi/2 a y pencil. Uncoupled optics assumed.
"""

import math

import numpy as np

from .black_absorbers import METADATA_KEY
from .geometry import OPTICS_COLUMNS

__all__ = ["generate_pencil_on_collimator"]

FACES = ("entry", "exit")


def _record(line, name):
    record = (line.metadata.get(METADATA_KEY) or {}).get(name)
    if record is None:
        installed = sorted(line.metadata.get(METADATA_KEY) or {})
        raise KeyError(f"{name!r} is not a black absorber of the line (installed: "
                       f"{', '.join(installed) or 'none'}); call install_black_absorbers first")
    return record


def _cuts(aperture, optics, angle, eps_x, eps_y):
    """Unit vector w, beam sigma across the jaws [m] and each jaw's distance [sigma] from the orbit."""
    c, s = math.cos(angle), math.sin(angle)
    size_x, size_y = math.sqrt(optics["betx"] * eps_x), math.sqrt(optics["bety"] * eps_y)
    sigma = math.hypot(size_x * c, size_y * s)
    orbit = optics["x"] * c + optics["y"] * s
    cut_plus, cut_minus = (aperture.max_x - orbit) / sigma, (orbit - aperture.min_x) / sigma
    return np.array([size_x * c, size_y * s]) / sigma, sigma, cut_plus, cut_minus


def _check(num_particles, impact_parameter, side, face):
    if isinstance(num_particles, bool) or not isinstance(num_particles, (int, np.integer)) \
            or num_particles < 1:
        raise ValueError(f"num_particles must be a positive integer, got {num_particles!r}")
    if isinstance(impact_parameter, bool) or not isinstance(impact_parameter, (int, float)) \
            or not (math.isfinite(impact_parameter) and impact_parameter > 0):
        raise ValueError(f"impact_parameter must be a positive depth in m, got {impact_parameter!r}")
    if side not in ("+", "-", "+-"):
        raise ValueError(f"side must be '+', '-' or '+-', got {side!r}")
    if face not in FACES:
        raise ValueError(f"face must be one of {FACES}, got {face!r}")


def generate_pencil_on_collimator(line, name, num_particles, nemitt_x, nemitt_y,
                                  impact_parameter=1e-6, side="+-", face="exit", twiss=None,
                                  rng=None):
    """Particles of a pencil halo just beyond the jaws of black absorber ``name``.

    Each particle's betatron amplitude across the jaws lies between the jaw and
    ``impact_parameter`` beyond it, and at the chosen face it is beyond the
    jaw (the circular segment of ``xpart.generate_2D_pencil``); along the jaws
    the distribution is the matched Gaussian. Particles are on momentum.

    Parameters
    ----------
    line : xtrack.Line
        With ``name`` installed by :func:`install_black_absorbers`.
    name : str
        The collimator.
    num_particles : int
    nemitt_x, nemitt_y : float [m]
        Normalised emittances (those of the collimator settings).
    impact_parameter : float, default 1e-6 [m]
        Depth of the pencil beyond the jaw, across the jaws at the face.
    side : {'+-', '+', '-'}
        Beyond the positive jaw, the negative jaw, or half on each.
    face : {'exit', 'entry'}
        ``'exit'``: the particles start just downstream of the collimator (they
        grazed it) and reach the collimators after betatron phase advance, like a
        halo drifting into the cut; ``'entry'``: they start at the upstream face
        and are all absorbed there (direct impacts).
    twiss : xtrack.TwissTable, optional
        Twiss of the line (default ``line.twiss(method='4d')``).
    rng : numpy.random.Generator, optional
        For the matched Gaussian and the pencil (default a fresh generator).

    Returns
    -------
    xtrack.Particles
        Starting at the element after ``<name>_exit`` (or at ``<name>_entry``).
    """
    import xpart

    _check(num_particles, impact_parameter, side, face)
    record = _record(line, name)
    aperture_name = record["apertures"][FACES.index(face)]
    if twiss is None:
        twiss = line.twiss(method="4d")
    optics = {col: float(twiss[col, aperture_name]) for col in OPTICS_COLUMNS}
    beta_gamma = float(line.particle_ref.beta0[0] * line.particle_ref.gamma0[0])
    w, sigma, cut_plus, cut_minus = _cuts(line[aperture_name], optics, record["angle"],
                                   nemitt_x / beta_gamma, nemitt_y / beta_gamma)
    rng = np.random.default_rng() if rng is None else rng
    n_plus = {"+": num_particles, "-": 0, "+-": num_particles // 2}[side]
    pieces = []
    for count, cut, sign in ((n_plus, cut_plus, "+"), (num_particles - n_plus, cut_minus, "-")):
        if count:
            pieces.append(xpart.generate_2D_pencil(count, cut, impact_parameter / sigma, sign))
    rho = np.concatenate([p[0] for p in pieces])
    rho_p = np.concatenate([p[1] for p in pieces])
    g1, g2 = rng.normal(size=num_particles), rng.normal(size=num_particles)
    index = line.element_names.index(aperture_name) + (1 if face == "exit" else 0)
    if index >= len(line.element_names):
        raise ValueError(f"{name!r} ends the line: there is no element after {aperture_name!r} "
                         "to start from; use face='entry' or cycle the line")
    return line.build_particles(
        x_norm=rho * w[0] - g1 * w[1], px_norm=rho_p * w[0] - g2 * w[1],
        y_norm=rho * w[1] + g1 * w[0], py_norm=rho_p * w[1] + g2 * w[0],
        nemitt_x=nemitt_x, nemitt_y=nemitt_y, at_element=index, method="4d")
