"""Apertures: particles outside the limit are marked lost (state 0, or -2
for the longitudinal limit); their coordinates are left unchanged.

The transverse checks are done in the frame of the aperture, shifted by
(`shift_x`, `shift_y`) and rotated by `rot_s_rad` about s (`_local_frame.h`);
a point on the boundary is inside.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["LimitRect", "LimitEllipse", "LimitRectEllipse", "LimitRacetrack", "LimitPolygon",
           "LongitudinalLimitRect"]

_BIG = 1e10  # [m] "no limit"

_FRAME_FIELDS = {
    "shift_x": xo.Float64,    # [m] horizontal position of the aperture centre
    "shift_y": xo.Float64,    # [m] vertical position of the aperture centre
    "rot_s_rad": xo.Float64,  # [rad] rotation of the aperture about s
}
_FRAME_DOC = """    shift_x, shift_y : float, default 0
        Position of the aperture frame [m].
    rot_s_rad : float, default 0
        Rotation of the aperture frame about s [rad] (positive turns x
        towards y)."""


def _sources(name):
    return [_HERE / "_local_frame.h", _HERE / f"{name}.h"]


class _Aperture(BeamElement):
    allow_rot_and_shift = True
    allow_loss_refinement = True
    has_backtrack = True  # the check is its own inverse


class LimitRect(_Aperture):
    __doc__ = f"""Rectangular aperture: alive if min_x <= x <= max_x and min_y <= y <= max_y.

    Parameters
    ----------
    min_x, max_x : float, default -1e10, 1e10
        Horizontal limits [m].
    min_y, max_y : float, default -1e10, 1e10
        Vertical limits [m].
{_FRAME_DOC}
    """

    _xofields = {"min_x": xo.Float64, "max_x": xo.Float64, "min_y": xo.Float64,
                 "max_y": xo.Float64, **_FRAME_FIELDS}
    _extra_c_sources = _sources("limit_rect")

    def __init__(self, min_x=-_BIG, max_x=_BIG, min_y=-_BIG, max_y=_BIG, **kwargs):
        if "_xobject" not in kwargs:
            kwargs.update(min_x=min_x, max_x=max_x, min_y=min_y, max_y=max_y)
        super().__init__(**kwargs)


def _ellipse_axes(owner, a, b, a_squ, b_squ, default):
    """Squared semi-axes from a/b or a_squ/b_squ (not both, unless consistent)."""
    def one(name, value, squ):
        if value is not None and squ is not None and not np.isclose(value * value, squ, rtol=1e-12, atol=0):
            raise ValueError(f"{owner}: {name}={value!r} and {name}_squ={squ!r} are inconsistent.")
        if squ is not None:
            return float(squ)
        if value is not None:
            if value < 0:
                raise ValueError(f"{owner}: {name} must be >= 0, got {value!r}.")
            return float(value) ** 2
        return default ** 2
    return one("a", a, a_squ), one("b", b, b_squ)


class _EllipseAxes:
    """Semi-axes a, b [m] of an aperture storing a_squ, b_squ and their product a_b_squ."""

    def set_half_axes(self, a, b):
        """Set the semi-axes a, b [m]."""
        self.a_squ, self.b_squ = float(a) ** 2, float(b) ** 2
        self.a_b_squ = self.a_squ * self.b_squ
        return self

    def set_half_axes_squared(self, a_squ, b_squ):
        """Set the squared semi-axes [m^2]."""
        self.a_squ, self.b_squ = float(a_squ), float(b_squ)
        self.a_b_squ = self.a_squ * self.b_squ
        return self

    @property
    def a(self):
        """Horizontal semi-axis [m] (settable; keeps a_b_squ consistent)."""
        return float(np.sqrt(self.a_squ))

    @a.setter
    def a(self, value):
        self.set_half_axes(value, self.b)

    @property
    def b(self):
        """Vertical semi-axis [m] (settable; keeps a_b_squ consistent)."""
        return float(np.sqrt(self.b_squ))

    @b.setter
    def b(self, value):
        self.set_half_axes(self.a, value)


class LimitEllipse(_EllipseAxes, _Aperture):
    __doc__ = f"""Elliptical aperture: alive if x^2/a^2 + y^2/b^2 <= 1.

    Stored as a_squ = a^2, b_squ = b^2, a_b_squ = a^2 b^2 (the kernel tests
    x^2 b^2 + y^2 a^2 <= a^2 b^2).

    Parameters
    ----------
    a, b : float, default 1
        Horizontal and vertical semi-axes [m].
    a_squ, b_squ : float, optional
        The squared semi-axes [m^2], instead of `a`, `b`.
{_FRAME_DOC}
    """

    _xofields = {"a_squ": xo.Float64, "b_squ": xo.Float64, "a_b_squ": xo.Float64, **_FRAME_FIELDS}
    _extra_c_sources = _sources("limit_ellipse")
    _store_in_to_dict = ["a", "b"]

    def __init__(self, a=None, b=None, a_squ=None, b_squ=None, a_b_squ=None, **kwargs):
        if "_xobject" not in kwargs:
            a_squ, b_squ = _ellipse_axes(type(self).__name__, a, b, a_squ, b_squ, 1.0)
            kwargs.update(a_squ=a_squ, b_squ=b_squ, a_b_squ=a_squ * b_squ)
        super().__init__(**kwargs)


class LimitRectEllipse(_EllipseAxes, _Aperture):
    __doc__ = f"""Intersection of a symmetric rectangle and an ellipse.

    Alive if |x| <= max_x, |y| <= max_y and x^2/a^2 + y^2/b^2 <= 1.

    Parameters
    ----------
    max_x, max_y : float, default 1e10
        Half widths of the rectangle [m].
    a, b : float, optional
        Semi-axes of the ellipse [m] (default: 1e10, no elliptical limit).
    a_squ, b_squ : float, optional
        The squared semi-axes [m^2], instead of `a`, `b`.
{_FRAME_DOC}
    """

    _xofields = {"max_x": xo.Float64, "max_y": xo.Float64, "a_squ": xo.Float64,
                 "b_squ": xo.Float64, "a_b_squ": xo.Float64, **_FRAME_FIELDS}
    _extra_c_sources = _sources("limit_rect_ellipse")

    def __init__(self, max_x=_BIG, max_y=_BIG, a_squ=None, b_squ=None, a=None, b=None,
                 a_b_squ=None, **kwargs):
        if "_xobject" not in kwargs:
            a_squ, b_squ = _ellipse_axes(type(self).__name__, a, b, a_squ, b_squ, _BIG)
            kwargs.update(max_x=max_x, max_y=max_y, a_squ=a_squ, b_squ=b_squ, a_b_squ=a_squ * b_squ)
        super().__init__(**kwargs)


class LimitRacetrack(_Aperture):
    __doc__ = f"""Rectangle whose corners are rounded by quarter ellipses.

    Alive inside [min_x, max_x] x [min_y, max_y] except in the corner
    squares of size a x b outside the quarter ellipse of semi-axes a, b
    centred at (max_x - a, max_y - b) (and likewise at the other corners).

    Parameters
    ----------
    min_x, max_x, min_y, max_y : float, default -1e10, 1e10, -1e10, 1e10
        Limits [m].
    a, b : float, default 0
        Horizontal and vertical semi-axes of the corner ellipses [m].
{_FRAME_DOC}
    """

    _xofields = {"min_x": xo.Float64, "max_x": xo.Float64, "min_y": xo.Float64,
                 "max_y": xo.Float64, "a": xo.Float64, "b": xo.Float64, **_FRAME_FIELDS}
    _extra_c_sources = _sources("limit_racetrack")

    def __init__(self, min_x=-_BIG, max_x=_BIG, min_y=-_BIG, max_y=_BIG, a=0, b=0, **kwargs):
        if "_xobject" not in kwargs:
            kwargs.update(min_x=min_x, max_x=max_x, min_y=min_y, max_y=max_y, a=a, b=b)
        super().__init__(**kwargs)


def _polygon_signed_area(x, y):
    """Shoelace formula: positive for counter-clockwise vertices [m^2]."""
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _host_array(value):
    """1D float numpy array from a list, numpy array or context array (OpenCL/CUDA)."""
    if hasattr(value, "get") and not isinstance(value, (dict, list, tuple, np.ndarray)):
        value = value.get()
    return np.array(value, dtype=float).ravel()


def _vertices_from_svg(svg):
    from ._svg_path import polygon_from_svg_path

    if isinstance(svg, str):
        return polygon_from_svg_path(svg)
    if not isinstance(svg, dict) or "path" not in svg:
        raise TypeError(f"LimitPolygon: svg must be a path string or a dict with 'path', got {svg!r}.")
    unknown = set(svg) - {"path", "scale"}
    if unknown:
        raise ValueError(f"LimitPolygon: unknown svg keys {sorted(unknown)}; allowed: 'path', 'scale'.")
    return polygon_from_svg_path(svg["path"], scale=svg.get("scale", 1e-3))


class LimitPolygon(_Aperture):
    __doc__ = f"""Polygonal aperture (convex or not); the polygon closes itself.

    Alive if the point is inside by the even-odd (crossing number) rule. The
    vertices may be given clockwise or counter-clockwise; they are stored as
    given. `x_normal`, `y_normal` are the unit normals of the edges (edge i
    joins vertex i and i+1), pointing inwards.

    Parameters
    ----------
    x_vertices, y_vertices : array_like
        Vertex coordinates [m] (at least 3, same length).
    svg : dict or str, optional
        Instead of the vertices: an SVG path, ``{{'path': 'M4 8 10 1 ...',
        'scale': 1e-3}}`` (scale [m per unit], default 1e-3) or the path
        string; curves are sampled (see `_svg_path.py`), y points up.
    resc_fac : float, default 1
        Rescaling factor kept for compatibility (not used by the check).
{_FRAME_DOC}
    """

    _xofields = {"x_vertices": xo.Float64[:], "y_vertices": xo.Float64[:],
                 "x_normal": xo.Float64[:], "y_normal": xo.Float64[:], "resc_fac": xo.Float64,
                 **_FRAME_FIELDS}
    _extra_c_sources = _sources("limit_polygon")
    _store_in_to_dict = ["svg"]

    def __init__(self, x_vertices=None, y_vertices=None, x_normal=None, y_normal=None,
                 resc_fac=1.0, svg=None, **kwargs):
        if svg is not None and x_vertices is None and y_vertices is None:
            x_vertices, y_vertices = _vertices_from_svg(svg)
        if "_xobject" not in kwargs:
            if x_vertices is None or y_vertices is None:
                raise TypeError("LimitPolygon: x_vertices and y_vertices (or svg) are required.")
            xv = _host_array(x_vertices)
            yv = _host_array(y_vertices)
            if len(xv) != len(yv):
                raise ValueError(f"LimitPolygon: x_vertices and y_vertices must have the same "
                                 f"length, got {len(xv)} and {len(yv)}.")
            if len(xv) < 3:
                raise ValueError(f"LimitPolygon: at least 3 vertices are needed, got {len(xv)}.")
            area = _polygon_signed_area(xv, yv)
            if area == 0:
                raise ValueError("LimitPolygon: the polygon has zero area.")
            ex, ey = np.roll(xv, -1) - xv, np.roll(yv, -1) - yv
            norm = np.hypot(ex, ey)
            if np.any(norm == 0):
                raise ValueError("LimitPolygon: two consecutive vertices coincide.")
            # left normal (-ey, ex) is inward for counter-clockwise vertices
            orient = 1.0 if area > 0 else -1.0
            kwargs.update(x_vertices=xv, y_vertices=yv, x_normal=-orient * ey / norm,
                          y_normal=orient * ex / norm, resc_fac=resc_fac)
        super().__init__(**kwargs)
        self.svg = svg

    def _host(self, name):
        return np.array(self._context.nparray_from_context_array(getattr(self, name)), dtype=float)

    def get_area(self, signed=False):
        """Area of the polygon [m^2]; signed: positive for counter-clockwise vertices."""
        area = _polygon_signed_area(self._host("x_vertices"), self._host("y_vertices"))
        return area if signed else abs(area)

    @property
    def area(self):
        """Area of the polygon [m^2]."""
        return self.get_area()

    @property
    def centroid(self):
        """Centroid (x, y) of the polygon in its own frame [m]."""
        x, y = self._host("x_vertices"), self._host("y_vertices")
        cross = x * np.roll(y, -1) - np.roll(x, -1) * y
        area = 0.5 * np.sum(cross)
        return np.array([np.sum((x + np.roll(x, -1)) * cross), np.sum((y + np.roll(y, -1)) * cross)]) / (6 * area)

    def impact_point_and_normal(self, x_in, y_in, z_in, x_out, y_out, z_out):
        """Where the segments from (in) to (out) cross the polygon boundary.

        Parameters
        ----------
        x_in, y_in, z_in, x_out, y_out, z_out : array_like
            End points of the segments [m] (x, y in the line frame; z is
            interpolated linearly).

        Returns
        -------
        x_int, y_int, z_int, nx, ny, i_found
            Crossing point closest to the inner point, the inward normal of
            the crossed edge (in the line frame) and the edge index (-1 and
            NaN when the segment does not cross).
        """
        ctx = self._context
        host = [np.atleast_1d(np.array(ctx.nparray_from_context_array(v), dtype=float))
                for v in (x_in, y_in, z_in, x_out, y_out, z_out)]
        xi, yi, zi, xo_, yo_, zo_ = host
        c, s = np.cos(self.rot_s_rad), np.sin(self.rot_s_rad)

        def to_local(x, y):
            x, y = x - self.shift_x, y - self.shift_y
            return c * x + s * y, -s * x + c * y

        ax, ay = to_local(xi, yi)
        bx, by = to_local(xo_, yo_)
        vx, vy = self._host("x_vertices"), self._host("y_vertices")
        wx, wy = np.roll(vx, -1), np.roll(vy, -1)
        n = len(xi)
        t_best = np.full(n, np.inf)
        i_found = np.full(n, -1, dtype=np.int64)
        dx, dy = bx - ax, by - ay
        for k in range(len(vx)):
            ex, ey = wx[k] - vx[k], wy[k] - vy[k]
            den = dx * ey - dy * ex
            with np.errstate(divide="ignore", invalid="ignore"):
                t = ((vx[k] - ax) * ey - (vy[k] - ay) * ex) / den
                u = ((vx[k] - ax) * dy - (vy[k] - ay) * dx) / den
            hit = (den != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1) & (t < t_best)
            t_best[hit] = t[hit]
            i_found[hit] = k
        found = i_found >= 0
        t = np.where(found, t_best, np.nan)
        lx, ly = ax + t * dx, ay + t * dy
        nxl = np.where(found, self._host("x_normal")[np.maximum(i_found, 0)], np.nan)
        nyl = np.where(found, self._host("y_normal")[np.maximum(i_found, 0)], np.nan)
        x_int = c * lx - s * ly + self.shift_x
        y_int = s * lx + c * ly + self.shift_y
        z_int = zi + t * (zo_ - zi)
        nx, ny = c * nxl - s * nyl, s * nxl + c * nyl
        back = ctx.nparray_to_context_array
        return (back(x_int), back(y_int), back(z_int), back(nx), back(ny), back(i_found))


class LongitudinalLimitRect(BeamElement):
    """Longitudinal limit: alive if min_zeta <= zeta <= max_zeta and
    min_pzeta <= pzeta <= max_pzeta; lost particles get state -2.

    Parameters
    ----------
    min_zeta, max_zeta : float, default -1e10, 1e10
        Limits on zeta [m].
    min_pzeta, max_pzeta : float, default -1e10, 1e10
        Limits on pzeta.
    """

    _xofields = {"min_zeta": xo.Float64, "max_zeta": xo.Float64, "min_pzeta": xo.Float64,
                 "max_pzeta": xo.Float64}
    _extra_c_sources = [_HERE / "longitudinal_limit_rect.h"]
    has_backtrack = True  # the check is its own inverse

    def __init__(self, min_zeta=-_BIG, max_zeta=_BIG, min_pzeta=-_BIG, max_pzeta=_BIG, **kwargs):
        if "_xobject" not in kwargs:
            kwargs.update(min_zeta=min_zeta, max_zeta=max_zeta, min_pzeta=min_pzeta,
                          max_pzeta=max_pzeta)
        super().__init__(**kwargs)
