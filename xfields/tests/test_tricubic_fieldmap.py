"""TriCubicInterpolatedFieldMap and ElectronCloud: tricubic polynomials are
reproduced exactly (Lekien & Marsden 2005), the interpolant is C1 across
cell faces, finite-difference node data converge at second order, the
electron-cloud kick is minus the gradient, dict round trips, inputs."""

import json

import numpy as np
import pytest
import xobjects as xo
import xpart as xp
import xtrack as xt
from xobjects.test_helpers import for_all_test_contexts

import xfields as xf
from xfields.fields.tricubic_fieldmap import TAYLOR_ORDERS

GRID = (np.linspace(-0.4, 0.6, 6), np.linspace(-0.3, 0.5, 5), np.linspace(-0.5, 0.1, 4))


class Polynomial3:
    """sum a_ijk x^i y^j z^k, i, j, k < 4, and its partial derivatives."""

    def __init__(self, seed):
        self.a = np.random.default_rng(seed).normal(size=(4, 4, 4))

    def __call__(self, x, y, z, orders=(0, 0, 0)):
        out = 0.0
        for i, j, k in np.ndindex(4, 4, 4):
            term = self.a[i, j, k]
            for power, order, v in zip((i, j, k), orders, (x, y, z)):
                if power < order:
                    term = 0.0 * v
                    break
                # d^order/dv^order v^power
                term = term * np.prod(np.arange(power - order + 1, power + 1)) * v ** (power - order)
            out = out + term
        return out

    def taylor(self, fmap):
        """Exact node data of the map's grid."""
        X, Y, Z = np.meshgrid(fmap.x_grid, fmap.y_grid, fmap.z_grid, indexing="ij")
        steps = (fmap.dx, fmap.dy, fmap.dz)
        return np.stack([self(X, Y, Z, orders) * np.prod([s ** o for s, o in zip(steps, orders)])
                         for orders in TAYLOR_ORDERS], axis=-1)


def _values(fmap, x, y, z):
    ctx = fmap._context
    return [ctx.nparray_from_context_array(v) for v in fmap.get_values_at_points(x, y, z)]


@for_all_test_contexts
def test_tricubic_polynomial_reproduced_exactly(test_context):
    poly = Polynomial3(seed=3)
    fmap = xf.TriCubicInterpolatedFieldMap(_context=test_context, x_grid=GRID[0],
                                           y_grid=GRID[1], z_grid=GRID[2])
    fmap.update_phi_taylor(poly.taylor(fmap))
    rng = np.random.default_rng(7)
    x = rng.uniform(*fmap.x_range, 400)
    y = rng.uniform(*fmap.y_range, 400)
    z = rng.uniform(*fmap.z_range, 400)
    # nodes, faces and the far corner of the grid belong to the grid too
    x[:3], y[:3], z[:3] = fmap.x_grid[[0, 2, -1]], fmap.y_grid[[0, 1, -1]], fmap.z_grid[[0, 1, -1]]
    phi, fx, fy, fz = _values(fmap, x, y, z)
    scale = np.max(np.abs(poly(x, y, z)))
    for got, orders in ((phi, (0, 0, 0)), (fx, (1, 0, 0)), (fy, (0, 1, 0)), (fz, (0, 0, 1))):
        np.testing.assert_allclose(got, poly(x, y, z, orders), rtol=0, atol=1e-13 * scale * 10)


def test_interpolant_is_c1_across_cell_faces():
    # a function that is not tricubic: the cells' polynomials differ, but
    # value and gradient agree on the faces (node data shared)
    fmap = xf.TriCubicInterpolatedFieldMap(x_grid=GRID[0], y_grid=GRID[1], z_grid=GRID[2])
    X, Y, Z = np.meshgrid(fmap.x_grid, fmap.y_grid, fmap.z_grid, indexing="ij")
    fmap.update_phi(np.sin(3 * X) * np.cos(2 * Y) * np.exp(Z))
    face_x = fmap.x_grid[2]
    eps = 1e-9
    y, z = np.full(5, 0.123), np.linspace(-0.45, 0.05, 5)
    left = np.array(_values(fmap, np.full(5, face_x - eps), y, z))
    right = np.array(_values(fmap, np.full(5, face_x + eps), y, z))
    np.testing.assert_allclose(left, right, rtol=0, atol=1e-7)
    # while the second derivative in x does jump there (not C2): the check above is not void
    h = 1e-4
    def d2(sign):
        xs = face_x + sign * np.array([h, 2 * h, 3 * h])
        vals = [_values(fmap, np.full(1, xx), y[:1], z[:1])[1][0] for xx in xs]
        return sign * (vals[1] - vals[0]) / h
    assert abs(d2(+1) - d2(-1)) > 1e-2 * abs(d2(+1))


def test_finite_difference_node_data_converge_at_second_order():
    def gradient_error(n):
        g = np.linspace(-0.5, 0.5, n)
        fmap = xf.TriCubicInterpolatedFieldMap(x_grid=g, y_grid=g, z_grid=g)
        X, Y, Z = np.meshgrid(g, g, g, indexing="ij")
        fmap.update_phi(np.exp(X + 0.5 * Y) * np.cos(Z))
        x = np.linspace(-0.31, 0.29, 50)
        phi, fx, fy, fz = _values(fmap, x, 0.7 * x, -0.5 * x)
        return np.max(np.abs(fx - np.exp(x + 0.35 * x) * np.cos(-0.5 * x)))
    coarse, fine = gradient_error(11), gradient_error(21)
    assert coarse < 1e-2
    assert 3.0 < coarse / fine < 6.0  # ~4: second order


def test_quadratic_potential_from_nodes_is_exact():
    fmap = xf.TriCubicInterpolatedFieldMap(x_grid=GRID[0], y_grid=GRID[1], z_grid=GRID[2])
    X, Y, Z = np.meshgrid(fmap.x_grid, fmap.y_grid, fmap.z_grid, indexing="ij")
    fmap.update_phi(X ** 2 * Y ** 2 * Z - 3 * X * Z ** 2 + Y)
    x, y, z = np.array([0.05, 0.51]), np.array([-0.21, 0.33]), np.array([-0.07, -0.44])
    phi, fx, fy, fz = _values(fmap, x, y, z)
    np.testing.assert_allclose(phi, x ** 2 * y ** 2 * z - 3 * x * z ** 2 + y, atol=1e-14)
    np.testing.assert_allclose(fx, 2 * x * y ** 2 * z - 3 * z ** 2, atol=1e-13)
    np.testing.assert_allclose(fz, x ** 2 * y ** 2 - 6 * x * z, atol=1e-13)


def test_outside_the_grid_reads_zero_and_views():
    fmap = xf.TriCubicInterpolatedFieldMap(x_range=(0, 1), nx=3, y_range=(0, 2), dy=0.5,
                                           z_range=(-1, 1), nz=2)
    assert fmap.shape == (3, 5, 2) and fmap.dy == 0.5
    fmap.update_phi(np.ones(fmap.shape))
    assert fmap.phi_taylor.shape == (3, 5, 2, 8)
    np.testing.assert_array_equal(fmap.phi, 1.0)
    np.testing.assert_array_equal(fmap.phi_taylor[..., 1:], 0.0)  # constant: no slopes
    # the flat layout the kernels read: 8 (ix + nx (iy + ny iz)) + k
    fmap.phi_taylor[2, 3, 1, 5] = 7.0
    assert fmap._phi_taylor[8 * (2 + 3 * (3 + 5 * 1)) + 5] == 7.0
    phi, fx = fmap.get_values_at_points([1.0001, np.nan, 0.5], [1, 1, 1], [0, 0, 0],
                                        return_dphi_dy=False, return_dphi_dz=False)
    np.testing.assert_array_equal(phi, [0.0, 0.0, 1.0])


def test_fieldmap_dict_round_trip():
    poly = Polynomial3(seed=5)
    fmap = xf.TriCubicInterpolatedFieldMap(x_grid=GRID[0], y_grid=GRID[1], z_grid=GRID[2])
    fmap.update_phi_taylor(poly.taylor(fmap))
    dct = json.loads(json.dumps(fmap.to_dict(), default=lambda a: np.asarray(a).tolist()))
    back = xf.TriCubicInterpolatedFieldMap.from_dict(dct)
    np.testing.assert_array_equal(back.phi_taylor, fmap.phi_taylor)
    np.testing.assert_array_equal(back.x_grid, fmap.x_grid)
    pts = ([0.1, 0.2], [0.0, 0.4], [-0.3, 0.0])
    np.testing.assert_array_equal(np.array(_values(back, *pts)), np.array(_values(fmap, *pts)))


def test_fieldmap_bad_input():
    with pytest.raises(ValueError, match="phi must have shape"):
        xf.TriCubicInterpolatedFieldMap(x_grid=GRID[0], y_grid=GRID[1], z_grid=GRID[2],
                                        phi=np.zeros((6, 5)))
    with pytest.raises(ValueError, match="phi or phi_taylor, not both"):
        xf.TriCubicInterpolatedFieldMap(x_grid=GRID[0], y_grid=GRID[1], z_grid=GRID[2],
                                        phi=np.zeros((6, 5, 4)), phi_taylor=np.zeros((6, 5, 4, 8)))
    with pytest.raises(ValueError, match="nz must be an integer >= 2"):
        xf.TriCubicInterpolatedFieldMap(x_grid=GRID[0], y_grid=GRID[1], z_range=(0, 1), nz=1)


# ------------------------------------------------------------- ElectronCloud
def _cloud_map(context=None):
    fmap = xf.TriCubicInterpolatedFieldMap(_context=context, x_grid=GRID[0], y_grid=GRID[1],
                                           z_grid=GRID[2])
    fmap.update_phi_taylor(Polynomial3(seed=11).taylor(fmap) * 1e-3)
    return fmap


@for_all_test_contexts
def test_electroncloud_kick_is_minus_gradient(test_context):
    fmap = _cloud_map(test_context)
    poly = Polynomial3(seed=11)
    ecloud = xf.ElectronCloud(length=2.5, fieldmap=fmap, _buffer=fmap._buffer, x_shift=0.02,
                              y_shift=-0.01, zeta_shift=0.03, dipolar_px_kick=1e-6,
                              dipolar_py_kick=-2e-6, dipolar_pzeta_kick=3e-6)
    x = np.array([0.1, -0.2, 0.3, 0.9])  # the last is outside the grid
    y, zeta = np.array([0.05, 0.2, -0.1, 0.0]), np.array([-0.2, 0.0, -0.4, 0.0])
    part = xp.Particles(_context=test_context, x=x, y=y, zeta=zeta, p0c=6.8e12)
    ecloud.track(part)
    part.move(_context=xo.ContextCpu())
    xl, yl, zl = x[:3] - 0.02, y[:3] + 0.01, zeta[:3] - 0.03
    np.testing.assert_allclose(part.px[:3], -2.5e-3 * poly(xl, yl, zl, (1, 0, 0)) - 1e-6,
                               rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(part.py[:3], -2.5e-3 * poly(xl, yl, zl, (0, 1, 0)) + 2e-6,
                               rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(part.pzeta[:3], -2.5e-3 * poly(xl, yl, zl, (0, 0, 1)) - 3e-6,
                               rtol=1e-9, atol=1e-15)
    np.testing.assert_array_equal(part.state, [1, 1, 1, -11])
    assert part.px[3] == 0.0


def test_electroncloud_shares_its_map_and_tracks_in_a_line():
    fmap = _cloud_map()
    ecloud = xf.ElectronCloud(length=1.0, fieldmap=fmap, _buffer=fmap._buffer)
    fmap.update_phi_taylor(np.zeros(fmap.shape + (8,)))
    # phi = 2e-6 x, written through the map's view: kick -2e-6 everywhere
    fmap.phi_taylor[..., 0] = 2e-6 * fmap.x_grid[:, None, None]
    fmap.phi_taylor[..., 1] = 2e-6 * fmap.dx
    part = xp.Particles(x=[0.1, -0.1], y=[0.0, 0.1], p0c=1e9)
    ecloud.track(part)
    np.testing.assert_allclose(part.px, -2e-6, rtol=1e-12)
    line = xt.Line(elements=[ecloud, xt.Drift(length=1.0), ecloud], element_names=["ec1", "d", "ec2"])
    part = xp.Particles(x=[0.1], p0c=1e9)
    line.track(part)
    np.testing.assert_allclose(part.px, -4e-6, rtol=1e-12)
    np.testing.assert_allclose(part.x, 0.1 - 2e-6, rtol=1e-9)


def test_electroncloud_dict_round_trip_and_inputs():
    fmap = _cloud_map()
    ecloud = xf.ElectronCloud(length=3.0, fieldmap=fmap, x_shift=1e-3, dipolar_py_kick=1e-7)
    dct = ecloud.to_dict()
    assert dct["__class__"] == "ElectronCloud" and dct["length"] == 3.0
    back = xf.ElectronCloud.from_dict(json.loads(json.dumps(
        dct, default=lambda a: np.asarray(a).tolist())))
    np.testing.assert_array_equal(back.fieldmap.phi_taylor, fmap.phi_taylor)
    p1 = xp.Particles(x=[0.1, 0.2], y=[0.1, -0.2], zeta=[-0.1, -0.3], p0c=1e9)
    p2 = p1.copy()
    ecloud.track(p1)
    back.track(p2)
    np.testing.assert_array_equal(p1.px, p2.px)
    np.testing.assert_array_equal(p1.pzeta, p2.pzeta)
    with pytest.raises(ValueError, match="length"):
        xf.ElectronCloud(fieldmap=fmap)
    with pytest.raises(TypeError, match="fieldmap must be a TriCubicInterpolatedFieldMap"):
        xf.ElectronCloud(length=1.0, fieldmap=np.zeros(3))
