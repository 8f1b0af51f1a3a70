import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["LimitRect", "LimitEllipse", "LimitRectEllipse", "LimitRacetrack",
                     "LimitPolygon", "LongitudinalLimitRect", "Marker"]


def test_apertures_match_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _states(aperture, x, y, **kwargs):
    p = xt.Particles(p0c=7e12, x=x, y=y, **kwargs)
    aperture.track(p)
    return np.asarray(p.state)[np.argsort(p.particle_id)]


def test_rect_ellipse_is_the_intersection_of_rect_and_ellipse():
    xx, yy = np.meshgrid(np.linspace(-3e-2, 3e-2, 41), np.linspace(-3e-2, 3e-2, 41))
    x, y = xx.ravel(), yy.ravel()
    both = _states(xt.LimitRectEllipse(max_x=2.3e-2, max_y=1.8e-2, a=2.5e-2, b=2.0e-2), x, y)
    rect = _states(xt.LimitRect(min_x=-2.3e-2, max_x=2.3e-2, min_y=-1.8e-2, max_y=1.8e-2), x, y)
    ellipse = _states(xt.LimitEllipse(a=2.5e-2, b=2.0e-2), x, y)
    np.testing.assert_array_equal(both, rect & ellipse)
    assert 0 < both.sum() < len(x)


def test_racetrack_corners_are_rounded():
    aper = xt.LimitRacetrack(min_x=-5e-2, max_x=10e-2, min_y=-2e-2, max_y=4e-2, a=2e-2, b=1e-2)
    outside = np.array([[-4.8e-2, 3.7e-2], [9.6e-2, 3.7e-2], [-4.5e-2, -1.8e-2], [9.8e-2, -1.8e-2]])
    inside = np.array([[-4.2e-2, 3.3e-2], [9.4e-2, 3.6e-2], [-3.8e-2, -1.8e-2], [9.2e-2, -1.8e-2]])
    pts = np.concatenate([outside, inside])
    np.testing.assert_array_equal(_states(aper, pts[:, 0], pts[:, 1]), [0] * 4 + [1] * 4)


def test_shift_and_rotation_put_the_aperture_in_its_own_frame():
    # a thin horizontal slot, rotated by 30 deg and centred at (1 cm, 2 cm)
    t = np.deg2rad(30)
    aper = xt.LimitRect(min_x=-0.05, max_x=0.05, min_y=-1e-4, max_y=1e-4, shift_x=0.01,
                        shift_y=0.02, rot_s_rad=t)
    u = np.linspace(-0.04, 0.04, 9)
    on_slot = _states(aper, 0.01 + u * np.cos(t), 0.02 + u * np.sin(t))
    across = _states(aper, 0.01 - 1e-3 * np.sin(t) + 0 * u, 0.02 + 1e-3 * np.cos(t) + 0 * u)
    assert np.all(on_slot == 1) and np.all(across == 0)


def test_lost_particles_keep_their_coordinates():
    x = np.array([0.0, 5e-3, -5e-3])
    p = xt.Particles(p0c=1e9, x=x, px=[0, 1e-3, 2e-3], y=[1e-3, 0, 0])
    xt.LimitEllipse(a=1e-3, b=2e-3, shift_x=1e-4, rot_s_rad=0.3).track(p)
    order = np.argsort(p.particle_id)
    np.testing.assert_array_equal(np.asarray(p.x)[order], x)
    np.testing.assert_array_equal(np.asarray(p.px)[order], [0, 1e-3, 2e-3])
    np.testing.assert_array_equal(np.asarray(p.state)[order], [1, 0, 0])


def test_polygon_inside_outside_concave():
    xv = np.array([1.5, 0.2, -1, -1, 1]) * 1e-2
    yv = np.array([1.3, 0.5, 1, -1, -1]) * 1e-2
    aper = xt.LimitPolygon(x_vertices=xv, y_vertices=yv)
    assert np.all(_states(aper, xv * 0.99, yv * 0.99) == 1)
    assert np.all(_states(aper, xv * 1.01, yv * 1.01) == 0)
    # the notch of the concave polygon is outside
    assert _states(aper, [0.2e-2], [0.9e-2])[0] == 0


def test_polygon_area_orientation_and_inward_normals():
    x = np.array([-2.0, 2.0, 2.0, -2.0]) * 1e-2
    y = np.array([-1.0, -1.0, 1.5, 1.5]) * 1e-2
    ccw, cw = xt.LimitPolygon(x_vertices=x, y_vertices=y), xt.LimitPolygon(x_vertices=x[::-1], y_vertices=y[::-1])
    assert np.isclose(ccw.area, 4e-2 * 2.5e-2, rtol=1e-14)
    assert ccw.get_area(signed=True) > 0 > cw.get_area(signed=True)
    np.testing.assert_allclose(ccw.centroid, [0, 0.25e-2], atol=1e-17)
    for aper in (ccw, cw):
        xv, yv = np.asarray(aper.x_vertices), np.asarray(aper.y_vertices)
        mid = np.array([(xv + np.roll(xv, -1)) / 2, (yv + np.roll(yv, -1)) / 2])
        to_centre = aper.centroid[:, None] - mid
        normals = np.array([aper.x_normal, aper.y_normal])
        assert np.all(np.sum(normals * to_centre, axis=0) > 0)
        np.testing.assert_allclose(np.hypot(*normals), 1.0, rtol=0, atol=1e-15)


def test_polygon_impact_point_and_normal():
    x = np.array([-1.0, 1.0, 1.0, -1.0]) * 1e-2
    y = np.array([-1.0, -1.0, 1.0, 1.0]) * 1e-2
    aper = xt.LimitPolygon(x_vertices=x, y_vertices=y)
    zero = np.zeros(2)
    xi, yi, zi, nx, ny, idx = aper.impact_point_and_normal(
        x_in=zero, y_in=zero, z_in=zero, x_out=np.array([2e-2, 0]), y_out=np.array([0, -2e-2]),
        z_out=np.array([1.0, 2.0]))
    np.testing.assert_allclose(xi, [1e-2, 0], atol=1e-16)
    np.testing.assert_allclose(yi, [0, -1e-2], atol=1e-16)
    np.testing.assert_allclose(zi, [0.5, 1.0], atol=1e-15)
    np.testing.assert_allclose(nx, [-1, 0], atol=1e-15)
    np.testing.assert_allclose(ny, [0, 1], atol=1e-15)
    assert np.all(idx >= 0)


def test_polygon_bad_input():
    with pytest.raises(ValueError, match="same length"):
        xt.LimitPolygon(x_vertices=[0, 1, 1], y_vertices=[0, 1])
    with pytest.raises(ValueError, match="at least 3"):
        xt.LimitPolygon(x_vertices=[0, 1], y_vertices=[0, 1])
    with pytest.raises(TypeError, match="x_vertices"):
        xt.LimitPolygon()


def test_ellipse_axes_and_their_squares():
    e = xt.LimitEllipse(a=2e-3, b=1e-3)
    assert np.isclose(e.a_squ, 4e-6) and np.isclose(e.a_b_squ, 4e-12) and np.isclose(e.b, 1e-3)
    assert np.isclose(xt.LimitEllipse(a_squ=4e-6, b_squ=1e-6).a, 2e-3)
    with pytest.raises(ValueError, match="inconsistent"):
        xt.LimitEllipse(a=1.0, a_squ=2.0)


def test_longitudinal_limit_gives_state_minus_two():
    aper = xt.LongitudinalLimitRect(min_zeta=-1e-2, max_zeta=2e-2, min_pzeta=-1e-3, max_pzeta=4e-3)
    p = xt.Particles(p0c=1e9, zeta=[-9e-3, 1.5e-2, 0, 0, -1.1e-2, 2.2e-2, 0, 0],
                     pzeta=[0, 0, -8e-4, 2e-3, 0, 0, -2e-3, 6e-3])
    aper.track(p)
    np.testing.assert_array_equal(np.asarray(p.state)[np.argsort(p.particle_id)], [1] * 4 + [-2] * 4)


@pytest.mark.parametrize("aperture", [
    xt.LimitRect(min_x=-1e-3, max_x=2e-3, shift_y=1e-4), xt.LimitEllipse(a=1e-3, b=2e-3, rot_s_rad=0.2),
    xt.LimitRectEllipse(max_x=1e-3, max_y=1e-3, a=1.2e-3, b=1.1e-3),
    xt.LimitRacetrack(min_x=-1e-3, max_x=1e-3, min_y=-1e-3, max_y=1e-3, a=5e-4, b=3e-4),
    xt.LimitPolygon(x_vertices=[1e-3, -1e-3, 0], y_vertices=[0, 0, 1e-3], shift_x=1e-4),
    xt.LongitudinalLimitRect(max_zeta=1e-3), xt.Marker(),
], ids=lambda e: type(e).__name__)
def test_dict_json_round_trip_tracks_identically(aperture):
    rebuilt = type(aperture).from_dict(json.loads(json.dumps(aperture.to_dict())))
    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1e-3, 50), rng.normal(0, 1e-3, 50)
    z = rng.normal(0, 1e-3, 50)
    np.testing.assert_array_equal(_states(rebuilt, x, y, zeta=z), _states(aperture, x, y, zeta=z))


def test_marker_is_the_identity():
    p = xt.Particles(p0c=1e9, x=[1e-3], px=[2e-4], zeta=[0.1], delta=[1e-3])
    p0 = p.copy()
    xt.Marker().track(p)
    for name in ("x", "px", "y", "py", "zeta", "delta", "s", "state"):
        np.testing.assert_array_equal(getattr(p, name), getattr(p0, name))


def test_polygon_from_svg_path_samples_lines_curves_and_arcs():
    # square of side 10 mm with the top side replaced by a half circle (arc
    # of radius 5 mm through (5, -5) in SVG coordinates, i.e. y up after the flip)
    aper = xt.LimitPolygon(svg={"path": "M0 0 A5 5 0 0 1 10 0 L10 10 H0 Z"})
    x, y = np.asarray(aper.x_vertices), np.asarray(aper.y_vertices)
    # 1 start + 8 arc samples + arc end + 2 corners (the closing point is dropped)
    assert len(x) == 12
    on_arc = slice(1, 9)
    np.testing.assert_allclose(np.hypot(x[on_arc] - 5e-3, y[on_arc]), 5e-3, rtol=1e-12)
    assert np.all(y[on_arc] > 0)
    np.testing.assert_allclose([x[10], y[10]], [10e-3, -10e-3])
    # relative cubic Bezier: the points at t = 0.1 ... 0.8 and the end point
    bez = xt.LimitPolygon(svg="M0 0 c0 10 10 10 10 0 L5 -5")
    t = 0.1
    bx = 3 * (1 - t) * t ** 2 * 10 + t ** 3 * 10
    by = 3 * (1 - t) ** 2 * t * 10 + 3 * (1 - t) * t ** 2 * 10
    np.testing.assert_allclose([bez.x_vertices[1], bez.y_vertices[1]], [bx * 1e-3, -by * 1e-3], rtol=1e-12)
    rebuilt = xt.LimitPolygon.from_dict(json.loads(json.dumps(aper.to_dict())))
    assert rebuilt.svg == aper.svg and aper.copy().svg == aper.svg
    np.testing.assert_array_equal(np.asarray(rebuilt.x_vertices), x)
    with pytest.raises(ValueError, match="unknown svg keys"):
        xt.LimitPolygon(svg={"path": "M0 0 1 0 1 1", "unit": "mm"})
