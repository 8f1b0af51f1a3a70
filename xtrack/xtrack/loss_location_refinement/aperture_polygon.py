"""Aperture shapes measured by tracking, and their interpolation in s.

The shape of an aperture, including the shifts and rotations of its thin
block, is measured by tracking test particles along `n_theta` rays from a
centre, at radii on a grid of step `dr` up to `r_max`: the vertex of a ray is
the last grid point that survives. Survival along a ray is assumed to be
monotonic (the aperture is star-shaped about the centre, as every convex
aperture is about an inner point), so a bisection over the grid finds the
same vertex as a full scan with about log2(r_max / dr) tracking passes.

Vertices lie inside the true boundary (within `dr` radially, plus the chord
error of the polygon), so a particle lost on the real aperture is also
outside its polygon.
"""

import numpy as np

from ..beam_elements.apertures import LimitPolygon

__all__ = ["ray_angles", "measure_aperture_polygon", "interpolate_polygon"]


def ray_angles(n_theta):
    """`n_theta` equally spaced angles in [0, 2 pi) [rad], counter-clockwise."""
    return np.linspace(0.0, 2.0 * np.pi, n_theta, endpoint=False)


def _ray_particles(reference, x, y, context):
    from xpart import Particles

    return Particles(_context=context, p0c=reference["p0c"], mass0=reference["mass0"],
                     q0=reference["q0"], x=x, y=y)


def _survives(line, i_first, i_last, reference, x, y):
    """Boolean mask: test particles at (x, y) survive elements i_first..i_last of `line`."""
    particles = _ray_particles(reference, x, y, line._context)
    n = len(x)
    particles._store_host("particle_id", np.arange(n, dtype=np.int64))
    line.track(particles, ele_start=i_first, ele_stop=i_last + 1)
    ids = particles._host("particle_id")[:n]
    alive = np.zeros(n, dtype=bool)
    alive[ids] = particles._host("state")[:n] > 0
    return alive


def _centre(line, i_first, i_aperture, reference):
    """A point inside the aperture: its own centre (shift_x, shift_y), else the axis."""
    element = line.elements[i_aperture]
    candidates = [(float(getattr(element, "shift_x", 0.0)), float(getattr(element, "shift_y", 0.0))),
                  (0.0, 0.0)]
    for x0, y0 in candidates:
        if _survives(line, i_first, i_aperture, reference, np.array([x0]), np.array([y0]))[0]:
            return x0, y0
    raise ValueError(
        f"LossLocationRefinement: aperture {line.element_names[i_aperture]!r} stops a particle "
        f"at its centre {candidates[0]} and on the axis; its shape cannot be measured by rays "
        "from an inner point.")


def _polygon_centroid(x, y):
    """Area centroid of the closed polygon with vertices (x, y)."""
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = 0.5 * np.sum(cross)
    return (float(np.sum((x + np.roll(x, -1)) * cross) / (6 * area)),
            float(np.sum((y + np.roll(y, -1)) * cross) / (6 * area)))


def _rays_from(line, i_first, i_aperture, reference, centre, n_theta, r_max, dr):
    """Last surviving grid index along each ray from `centre` (bisection, see module docstring)."""
    theta = ray_angles(n_theta)
    cos_t, sin_t = np.cos(theta), np.sin(theta)
    n_steps = int(np.floor(r_max / dr + 1e-9))
    lo = np.zeros(n_theta, dtype=np.int64)              # last grid index known to survive
    hi = np.full(n_theta, n_steps + 1, dtype=np.int64)  # first grid index known (or taken) lost
    while np.any(hi - lo > 1):
        mid = (lo + hi) // 2
        alive = _survives(line, i_first, i_aperture, reference,
                          centre[0] + mid * dr * cos_t, centre[1] + mid * dr * sin_t)
        open_rays = hi - lo > 1
        lo = np.where(open_rays & alive, mid, lo)
        hi = np.where(open_rays & ~alive, mid, hi)
    if np.any(lo == 0):
        raise ValueError(
            f"LossLocationRefinement: aperture {line.element_names[i_aperture]!r} is narrower "
            f"than dr={dr} m along some rays; decrease dr.")
    return centre[0] + lo * dr * cos_t, centre[1] + lo * dr * sin_t, lo == n_steps


def measure_aperture_polygon(line, i_first, i_aperture, reference, n_theta, r_max, dr):
    """Vertices (x, y), each shape (n_theta,) [m], of the aperture at `i_aperture` as seen
    from the entry of element `i_first` (the start of its thin block), on rays from the
    centroid of the shape; and `clipped`, True where a ray survived up to `r_max`.

    Rays start from the centroid (found from a first measurement about an inner
    point) so that the vertices of two similar shapes of different sizes
    correspond: then the vertex-by-vertex interpolation of a circle of radius
    r0 and a concentric one of radius r1 is the circle of interpolated radius.
    """
    inner = _centre(line, i_first, i_aperture, reference)
    x, y, clipped = _rays_from(line, i_first, i_aperture, reference, inner, n_theta, r_max, dr)
    centroid = _polygon_centroid(x, y)
    if _survives(line, i_first, i_aperture, reference, np.array([centroid[0]]), np.array([centroid[1]]))[0]:
        x, y, clipped = _rays_from(line, i_first, i_aperture, reference, centroid, n_theta, r_max, dr)
    return x, y, clipped


def interpolate_polygon(polygon_0, polygon_1, fraction, **kwargs):
    """LimitPolygon whose vertices are `(1 - fraction) * polygon_0 + fraction * polygon_1`
    (vertex by vertex, both measured on the same rays)."""
    x = (1.0 - fraction) * polygon_0[0] + fraction * polygon_1[0]
    y = (1.0 - fraction) * polygon_0[1] + fraction * polygon_1[1]
    return LimitPolygon(x_vertices=x, y_vertices=y, **kwargs)
