"""Boundary polygons of aperture profiles (xtrack.aperture.structures)."""

import numpy as np
import pytest
from xtrack.aperture.structures import (Circle, Ellipse, Octagon, Polygon, Profile, Racetrack,
                                        RectEllipse, Rectangle)


def _polygon(shape, n):
    pts = Profile(shape=shape).build_polygon(n)
    assert pts.shape == (n, 2)
    np.testing.assert_array_equal(pts[0], pts[-1])  # closed
    return pts


def _signed_area(pts):
    x, y = pts[:-1, 0], pts[:-1, 1]
    return 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)


def test_circle_points_are_on_the_circle_at_equal_angles():
    pts = _polygon(Circle(radius=2.5), 2048)
    np.testing.assert_allclose(np.hypot(pts[:, 0], pts[:, 1]), 2.5, rtol=1e-15)
    steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    np.testing.assert_allclose(steps, 2 * 2.5 * np.sin(np.pi / 2047), rtol=1e-12)
    # counter-clockwise, area -> pi r^2
    assert _signed_area(pts) == pytest.approx(np.pi * 2.5 ** 2, rel=1e-5)


def test_polygon_walk_is_uniform_counter_clockwise_and_hits_the_corners():
    cw = np.array([[-3.0, -1.0], [-3.0, 2.0], [3.0, 2.0], [3.0, -1.0]])
    pts = _polygon(Polygon(vertices=cw), 37)  # perimeter 18 in 36 steps of 0.5
    np.testing.assert_allclose(np.linalg.norm(np.diff(pts, axis=0), axis=1), 0.5, atol=1e-12)
    assert _signed_area(pts) == pytest.approx(18.0, rel=1e-12)
    for corner in cw:
        assert np.min(np.linalg.norm(pts - corner, axis=1)) < 1e-12


@pytest.mark.parametrize("vertices, convex", [
    ([[-3, -1], [0, -1], [0, 0.5], [3, 0.5], [3, 2], [-3, 2]], False),
    ([[0, 0], [1, 0], [1, 1], [0.5, 1.5], [0, 1]], True),
])
def test_polygon_convexity_flag(vertices, convex):
    profile = Profile(shape=Polygon(vertices=vertices))
    points = np.empty((40, 2))
    flag = np.zeros(1, dtype=np.int8)
    profile.compile_kernels(only_if_needed=True)
    profile.get_kernel("build_polygon_for_profile")(profile=profile, points=points, len_points=40,
                                                    out_is_convex=flag)
    assert bool(flag[0]) is convex


def test_smooth_shapes_lie_on_their_boundary_and_are_centred():
    pts = _polygon(Ellipse(half_major=2.0, half_minor=1.0), 1200)[:-1]
    np.testing.assert_allclose((pts[:, 0] / 2.0) ** 2 + pts[:, 1] ** 2, 1.0, atol=1e-12)
    np.testing.assert_allclose(pts.mean(axis=0), 0.0, atol=1e-9)
    steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    assert steps.max() / steps.min() < 1.001  # equal arc lengths (chords of a smooth curve)

    w, h, a, b = 2.0, 1.0, 0.5, 0.25
    x, y = np.abs(_polygon(Racetrack(half_width=w, half_height=h, half_major=a, half_minor=b), 3500)).T
    on_edge = (np.isclose(x, w, atol=1e-12) & (y <= h - b + 1e-12)) | (np.isclose(y, h, atol=1e-12) & (x <= w - a + 1e-12))
    on_arc = np.isclose(((x - w + a) / a) ** 2 + ((y - h + b) / b) ** 2, 1.0, atol=1e-9)
    assert np.all(on_edge | on_arc)

    x, y = np.abs(_polygon(RectEllipse(half_width=0.022, half_height=0.01715, half_major=0.022,
                                       half_minor=0.022), 300)).T
    inside = (x <= 0.022 + 1e-15) & (y <= 0.01715 + 1e-15) & (np.hypot(x, y) <= 0.022 * (1 + 1e-14))
    boundary = np.isclose(y, 0.01715, atol=1e-15) | np.isclose(np.hypot(x, y), 0.022, rtol=1e-14)
    assert np.all(inside & boundary)


def test_straight_shapes_are_exact_polygons():
    x, y = np.abs(_polygon(Rectangle(half_width=2.0, half_height=1.0), 1201)).T
    assert np.all(np.isclose(x, 2.0, atol=1e-15) | np.isclose(y, 1.0, atol=1e-15))
    w, h, d = 2.0, 1.5, 1.8
    x, y = np.abs(_polygon(Octagon(half_width=w, half_height=h, half_diagonal=d), 2500)).T
    assert np.all(np.isclose(x, w, atol=1e-14) | np.isclose(y, h, atol=1e-14)
                  | np.isclose(x + y, np.sqrt(2) * d, atol=1e-14))


def test_bad_shapes_are_refused_by_name():
    with pytest.raises(ValueError, match="radius must be > 0"):
        Circle(radius=-1)
    with pytest.raises(TypeError, match="half_minor"):
        Ellipse(half_major=1.0)
    with pytest.raises(ValueError, match="at least 3"):
        Polygon(vertices=[[0, 0], [1, 0]])
    with pytest.raises(TypeError, match="shape must be one of"):
        Profile(shape="circle")
    with pytest.raises(ValueError, match="half_diagonal"):
        Octagon(half_width=1.0, half_height=1.0, half_diagonal=0.5)
