"""Transverse aperture profiles and their boundary polygons.

Shapes (all centred on the origin, lengths in m): `Circle(radius)`,
`Rectangle(half_width, half_height)`, `Ellipse(half_major, half_minor)`,
`RectEllipse(half_width, half_height, half_major, half_minor)` (intersection
of the rectangle and the ellipse), `Racetrack(half_width, half_height,
half_major, half_minor)` (straight edges |x| = half_width, |y| = half_height
joined by quarter ellipses of semi-axes half_major, half_minor),
`Octagon(half_width, half_height, half_diagonal)` (|x| <= w, |y| <= h,
|x| + |y| <= sqrt(2) d) and `Polygon(vertices)`.

`Profile(shape=...)` holds one shape; `Profile.build_polygon(len_points)`
(kernel `build_polygon_for_profile`, polygons.h) samples its boundary at
`len_points` points equally spaced in arc length, counter-clockwise, the
last point repeating the first; the kernel also tells whether the profile
is convex.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

__all__ = ["Circle", "Rectangle", "Ellipse", "RectEllipse", "Racetrack", "Octagon", "Polygon",
           "Profile", "ShapeTypes", "FloatType"]

FloatType = xo.Float64
_HERE = Path(__file__).resolve().parent

# shape codes of polygons.h
_CIRCLE, _RECTANGLE, _ELLIPSE, _RECT_ELLIPSE, _RACETRACK, _OCTAGON, _POLYGON = range(7)


class _Shape:
    """A shape: named positive parameters, packed for the kernel as (code, params)."""

    _code = None
    _params = ()

    def __init__(self, **kwargs):
        missing = [p for p in self._params if p not in kwargs]
        extra = [k for k in kwargs if k not in self._params]
        if missing or extra:
            raise TypeError(f"{type(self).__name__}: parameters are {', '.join(self._params)}; "
                            f"missing {missing}, unexpected {extra}.")
        for name in self._params:
            value = float(kwargs[name])
            if not value > 0:
                raise ValueError(f"{type(self).__name__}: {name} must be > 0, got {kwargs[name]!r}.")
            setattr(self, name, value)

    def _packed(self):
        return self._code, [getattr(self, p) for p in self._params], np.zeros(0)

    def __repr__(self):
        args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self._params)
        return f"{type(self).__name__}({args})"


class Circle(_Shape):
    _code, _params = _CIRCLE, ("radius",)


class Rectangle(_Shape):
    _code, _params = _RECTANGLE, ("half_width", "half_height")


class Ellipse(_Shape):
    _code, _params = _ELLIPSE, ("half_major", "half_minor")


class RectEllipse(_Shape):
    _code, _params = _RECT_ELLIPSE, ("half_width", "half_height", "half_major", "half_minor")


class Racetrack(_Shape):
    _code, _params = _RACETRACK, ("half_width", "half_height", "half_major", "half_minor")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.half_major > self.half_width or self.half_minor > self.half_height:
            raise ValueError(f"Racetrack: half_major ({self.half_major}) and half_minor ({self.half_minor}) "
                             f"must not exceed half_width ({self.half_width}) and half_height "
                             f"({self.half_height}).")


class Octagon(_Shape):
    _code, _params = _OCTAGON, ("half_width", "half_height", "half_diagonal")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        s = np.sqrt(2.0) * self.half_diagonal
        if not (s > self.half_width and s > self.half_height and s < self.half_width + self.half_height):
            raise ValueError(f"Octagon: sqrt(2) half_diagonal ({s}) must lie between max(half_width, "
                             f"half_height) and half_width + half_height, got {self!r}.")


class Polygon(_Shape):
    """Polygon of `vertices` ((n, 2), either orientation; a repeated closing vertex is dropped)."""

    _code = _POLYGON

    def __init__(self, vertices):
        v = np.array(vertices, dtype=float)
        if v.ndim != 2 or v.shape[1] != 2:
            raise ValueError(f"Polygon: vertices must have shape (n, 2), got {v.shape}.")
        if len(v) > 1 and np.allclose(v[0], v[-1], rtol=0, atol=1e-15):
            v = v[:-1]
        if len(v) < 3:
            raise ValueError(f"Polygon: needs at least 3 distinct vertices, got {len(v)}.")
        self.vertices = v

    def _packed(self):
        return self._code, [], self.vertices.ravel()

    def __repr__(self):
        return f"Polygon(vertices={self.vertices.tolist()!r})"


#: the shapes a Profile holds
ShapeTypes = (Circle, Rectangle, Ellipse, RectEllipse, Racetrack, Octagon, Polygon)


class Profile(xo.HybridClass):
    """One transverse profile: `shape` (see the module) packed for the kernels."""

    _xofields = {"shape_code": xo.Int64, "params": xo.Float64[4], "vertices": xo.Float64[:]}
    _extra_c_sources = [_HERE / "polygons.h"]
    _kernels = {
        "build_polygon_for_profile": xo.Kernel(args=[
            xo.Arg(xo.ThisClass, name="profile"),
            xo.Arg(xo.Float64, pointer=True, name="points"),
            xo.Arg(xo.Int64, name="len_points"),
            xo.Arg(xo.Int8, pointer=True, name="out_is_convex"),
        ]),
    }

    def __init__(self, shape=None, **kwargs):
        if "_xobject" in kwargs:
            super().__init__(**kwargs)
            return
        if not isinstance(shape, ShapeTypes):
            raise TypeError(f"Profile: shape must be one of {', '.join(c.__name__ for c in ShapeTypes)}, "
                            f"got {shape!r}.")
        code, params, vertices = shape._packed()
        super().__init__(shape_code=code, params=list(params) + [0.0] * (4 - len(params)),
                         vertices=vertices, **kwargs)
        self._shape = shape

    @property
    def shape(self):
        return self._shape

    @classmethod
    def compile_class_kernels(cls, context, only_if_needed=False):
        """Compile the kernels of this class on `context` (once with only_if_needed)."""
        cls(shape=Circle(radius=1.0), _context=context).compile_kernels(only_if_needed=only_if_needed)

    def build_polygon(self, len_points):
        """Boundary at `len_points` points equally spaced in arc length (closed: last == first), (n, 2)."""
        len_points = int(len_points)
        if len_points < 4:
            raise ValueError(f"Profile.build_polygon: len_points must be >= 4, got {len_points}.")
        points = np.empty((len_points, 2), dtype=np.float64)
        is_convex = np.zeros(1, dtype=np.int8)
        self.compile_kernels(only_if_needed=True)
        self.get_kernel("build_polygon_for_profile")(profile=self, points=points, len_points=len_points,
                                                     out_is_convex=is_convex)
        return points
