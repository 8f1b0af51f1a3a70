"""TriLinearInterpolatedFieldMap, FFTSolver2p5D and FFTSolver3D: deposition
invariants, exact interpolation, fields and potentials of Gaussian bunches
against analytic ones, dict round trip, contexts, inputs."""

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt
from scipy import integrate
from scipy.constants import e as QELEM
from scipy.constants import epsilon_0
from scipy.special import erf
from xobjects.test_helpers import for_all_test_contexts

import xfields as xf

SIGMA_X, SIGMA_Y = 2e-3, 1e-3


def gaussian_2d_field(x, y, sigma_x, sigma_y):
    """(phi - phi(0, 0), E_x, E_y) of a Gaussian line charge of 1 C/m, by quadrature.

    phi = 1/(4 pi eps0) int_0^inf (exp(-x^2/(2sx^2+q) - y^2/(2sy^2+q)) - 1)
    / sqrt((2sx^2+q)(2sy^2+q)) dq (e.g. M. Bassetti, G. A. Erskine,
    CERN-ISR-TH/80-06, eq. 3), independent of the Faddeeva function.
    """
    out = []
    by = 2 * sigma_y ** 2
    for xx, yy in zip(np.atleast_1d(x), np.atleast_1d(y)):
        def parts(u, xx=xx, yy=yy):
            # q = by (1/u^2 - 1): [0, inf) onto (0, 1], smooth at both ends
            ax, ay = 2 * sigma_x ** 2 - by + by / u ** 2, by / u ** 2
            arg = -xx ** 2 / ax - yy ** 2 / ay
            jac = 2 * by / u ** 3 / np.sqrt(ax * ay)  # dq/du over sqrt(ax ay)
            return np.expm1(arg) * jac, np.exp(arg) * jac, ax, ay

        def quad(f):
            return integrate.quad(f, 0, 1, limit=200, epsabs=0, epsrel=1e-10)[0]
        phi = quad(lambda u: parts(u)[0]) / (4 * np.pi * epsilon_0)
        ex = xx * quad(lambda u: parts(u)[1] / parts(u)[2]) / (2 * np.pi * epsilon_0)
        ey = yy * quad(lambda u: parts(u)[1] / parts(u)[3]) / (2 * np.pi * epsilon_0)
        out.append((phi, ex, ey))
    return np.array(out).T


def _points_inside(n_sigma, num, seed=3):
    """Points inside the n_sigma ellipse of the bunch, the centre region included."""
    rng = np.random.default_rng(seed)
    r = n_sigma * np.sqrt(rng.uniform(0, 1, num))
    th = rng.uniform(0, 2 * np.pi, num)
    return r * np.cos(th) * SIGMA_X, r * np.sin(th) * SIGMA_Y


def _map(**kw):
    base = dict(x_range=(-8 * SIGMA_X, 8 * SIGMA_X), y_range=(-8 * SIGMA_Y, 8 * SIGMA_Y),
                z_range=(-1.0, 1.0), nx=161, ny=161, nz=5)
    return xf.TriLinearInterpolatedFieldMap(**{**base, **kw})


def test_deposit_conserves_charge_and_dipole_moment():
    fmap = _map(nx=33, ny=27, nz=11)
    rng = np.random.default_rng(1)
    n = 20_000
    x, y = rng.normal(0, 3 * SIGMA_X, n), rng.normal(0, 3 * SIGMA_Y, n)  # some outside
    z, w = rng.uniform(-1.2, 1.2, n), rng.uniform(0.5, 2.0, n)
    fmap.update_from_particles(x_p=x, y_p=y, z_p=z, ncharges_p=w, q0_coulomb=QELEM,
                               update_phi=False)
    inside = ((x >= fmap.x_range[0]) & (x < fmap.x_range[1]) & (y >= fmap.y_range[0])
              & (y < fmap.y_range[1]) & (z >= fmap.z_range[0]) & (z < fmap.z_range[1]))
    assert 0.5 * n < inside.sum() < n
    dv = fmap.dx * fmap.dy * fmap.dz
    charge = QELEM * w[inside]
    assert fmap.rho.sum() * dv == pytest.approx(charge.sum(), rel=1e-13)
    # cloud-in-cell keeps the first moments (linear weights)
    xg, yg, zg = np.meshgrid(fmap.x_grid, fmap.y_grid, fmap.z_grid, indexing="ij")
    for grid, coord in ((xg, x), (yg, y), (zg, z)):
        assert np.sum(fmap.rho * grid) * dv == pytest.approx(
            np.sum(charge * coord[inside]), rel=1e-11, abs=1e-30)
    # lost particles deposit nothing, and reset=False accumulates
    p = xt.Particles(p0c=1e9, x=x[:100], y=y[:100], zeta=z[:100] * 0, weight=w[:100])
    p.state[50:] = 0
    fmap.update_from_particles(particles=p, reset=True, update_phi=False)
    fmap.update_from_particles(particles=p, reset=False, update_phi=False)
    assert fmap.rho.sum() * dv == pytest.approx(2 * QELEM * w[:50].sum(), rel=1e-13)


def test_interpolation_and_gradient_are_exact_for_linear_potentials():
    fmap = _map(nx=9, ny=7, nz=6)
    xg, yg, zg = np.meshgrid(fmap.x_grid, fmap.y_grid, fmap.z_grid, indexing="ij")
    fmap.update_phi(1.5 + 300 * xg - 700 * yg + 2 * zg + 4e4 * xg * yg)
    rng = np.random.default_rng(0)
    x = rng.uniform(*fmap.x_range, 200)
    y = rng.uniform(*fmap.y_range, 200)
    z = rng.uniform(*fmap.z_range, 200)
    phi, dz = fmap.get_values_at_points(x, y, z, return_rho=False, return_dphi_dx=False,
                                        return_dphi_dy=False)
    assert np.allclose(phi, 1.5 + 300 * x - 700 * y + 2 * z + 4e4 * x * y, rtol=1e-13, atol=1e-12)
    assert np.allclose(dz, 2.0, rtol=1e-12)
    (dx,) = fmap.get_values_at_points(x, y, z, return_rho=False, return_phi=False,
                                      return_dphi_dy=False, return_dphi_dz=False)
    assert np.allclose(dx, 300 + 4e4 * y, rtol=1e-11)
    # outside the grid: zero
    out = fmap.get_values_at_points([fmap.x_range[1] + 1e-9, 0.0], [0.0, 0.0], [0.0, 2.0])
    assert all(np.all(np.asarray(v) == 0) for v in out)


def test_2p5d_field_and_potential_of_gaussian_bunch_match_analytic_within_1_percent():
    lam = 1e-9 / 0.5  # [C/m] uniform over z in [-0.25, 0.25]
    fmap = _map(z_range=(-0.5, 0.5), nz=5, solver="FFTSolver2p5D")
    xg, yg, _ = np.meshgrid(fmap.x_grid, fmap.y_grid, fmap.z_grid, indexing="ij")
    rho = lam / (2 * np.pi * SIGMA_X * SIGMA_Y) * np.exp(-xg ** 2 / (2 * SIGMA_X ** 2)
                                                         - yg ** 2 / (2 * SIGMA_Y ** 2))
    fmap.update_rho(rho)
    fmap.update_phi_from_rho()
    x, y = _points_inside(3.0, 60)
    phi, dphi_dx, dphi_dy = fmap.get_values_at_points(x, y, 0 * x, return_rho=False,
                                                      return_dphi_dz=False)
    phi0 = fmap.get_values_at_points([0.0], [0.0], [0.0], return_rho=False, return_dphi_dx=False,
                                     return_dphi_dy=False, return_dphi_dz=False)[0][0]
    ref_phi, ref_ex, ref_ey = lam * gaussian_2d_field(x, y, SIGMA_X, SIGMA_Y)
    e_max = np.max(np.hypot(ref_ex, ref_ey))
    # 1 % of the peak field everywhere inside 3 sigma, and 1 % locally away from the centre
    assert np.max(np.abs(-dphi_dx - ref_ex)) < 0.01 * e_max
    assert np.max(np.abs(-dphi_dy - ref_ey)) < 0.01 * e_max
    far = np.hypot(x / SIGMA_X, y / SIGMA_Y) > 0.5
    assert np.allclose(-dphi_dx[far], ref_ex[far], rtol=0.01)
    assert np.allclose(-dphi_dy[far], ref_ey[far], rtol=0.01)
    assert np.allclose(phi - phi0, ref_phi, rtol=0.01, atol=0.001 * np.max(np.abs(ref_phi)))
    # the open-boundary gauge (Green function -ln r / (2 pi eps0)) at the centre of a round
    # beam: phi(0) = -lam / (2 pi eps0) E[ln r], E[ln r] = ln(sigma sqrt 2) - euler_gamma / 2
    round_map = _map(x_range=(-8 * SIGMA_Y, 8 * SIGMA_Y), z_range=(-0.5, 0.5),
                     solver="FFTSolver2p5D")
    xg, yg, _ = np.meshgrid(round_map.x_grid, round_map.y_grid, round_map.z_grid, indexing="ij")
    round_map.update_rho(lam / (2 * np.pi * SIGMA_Y ** 2) * np.exp(-(xg ** 2 + yg ** 2)
                                                                   / (2 * SIGMA_Y ** 2)))
    round_map.update_phi_from_rho()
    expected = -lam / (2 * np.pi * epsilon_0) * (np.log(SIGMA_Y * np.sqrt(2)) - np.euler_gamma / 2)
    assert round_map.phi[80, 80, 2] == pytest.approx(expected, rel=1e-3)


def test_2p5d_field_of_deposited_gaussian_bunch():
    # the whole chain from macro-particles; the error is the grid's (0.75 % with 2 M or 4 M
    # particles on 129 x 129 nodes, 2.7 % on 65 x 65), not shot noise
    rng = np.random.default_rng(7)
    n, lam = 2_000_000, 2e-9
    fmap = _map(nx=129, ny=129, z_range=(-0.5, 0.5), nz=3, solver="FFTSolver2p5D")
    fmap.update_from_particles(x_p=rng.normal(0, SIGMA_X, n), y_p=rng.normal(0, SIGMA_Y, n),
                               z_p=rng.uniform(-0.5, 0.5, n), ncharges_p=np.full(n, lam / n),
                               q0_coulomb=1.0)
    x, y = _points_inside(3.0, 40)
    dx, dy = fmap.get_values_at_points(x, y, 0 * x, return_rho=False, return_phi=False,
                                       return_dphi_dz=False)
    _, ex, ey = lam * gaussian_2d_field(x, y, SIGMA_X, SIGMA_Y)
    e_max = np.max(np.hypot(ex, ey))
    assert np.max(np.hypot(-dx - ex, -dy - ey)) < 0.01 * e_max


def _spherical_gaussian_field(r, sigma, charge):
    """Radial field [V/m] of a spherical Gaussian of total `charge` [C] (Gauss's law)."""
    enclosed = erf(r / (np.sqrt(2) * sigma)) - np.sqrt(2 / np.pi) * r / sigma * np.exp(
        -r ** 2 / (2 * sigma ** 2))
    return charge * enclosed / (4 * np.pi * epsilon_0 * r ** 2)


def test_3d_field_of_spherical_gaussian_matches_gauss_law_within_1_percent():
    sigma, charge, n = 1e-3, 1e-9, 81  # open boundaries: the grid need only hold the charge
    grid = np.linspace(-4 * sigma, 4 * sigma, n)
    fmap = xf.TriLinearInterpolatedFieldMap(x_grid=grid, y_grid=grid, z_grid=grid,
                                            solver="FFTSolver3D")
    xg, yg, zg = np.meshgrid(grid, grid, grid, indexing="ij")
    fmap.update_rho(charge / ((2 * np.pi) ** 1.5 * sigma ** 3)
                    * np.exp(-(xg ** 2 + yg ** 2 + zg ** 2) / (2 * sigma ** 2)))
    fmap.update_phi_from_rho()
    rng = np.random.default_rng(5)
    u = rng.normal(size=(3, 60))
    u /= np.linalg.norm(u, axis=0)
    r = 3 * sigma * rng.uniform(0.05, 1, 60) ** (1 / 3)
    x, y, z = u * r
    _, _, dx, dy, dz = fmap.get_values_at_points(x, y, z)
    field = np.sqrt(dx ** 2 + dy ** 2 + dz ** 2)
    expected = _spherical_gaussian_field(r, sigma, charge)
    assert np.max(np.abs(field - expected)) < 0.01 * np.max(expected)
    # radial: the field points away from the centre
    assert np.all(-(dx * x + dy * y + dz * z) / (field * r) > 0.99)


def test_3d_solver_with_gamma_tends_to_2p5d_for_a_long_bunch():
    # phi_lab(x, y, z) = solution on the grid stretched by gamma0 in z; a bunch
    # with gamma0 sigma_z >> sigma_r then has the 2.5D field at its centre
    sigma_r, sigma_z, gamma0 = 1e-3, 3e-3, 30.0  # cells of aspect ratio 22 seen by the solver
    kw = dict(x_range=(-6 * sigma_r, 6 * sigma_r), y_range=(-6 * sigma_r, 6 * sigma_r),
              z_range=(-5 * sigma_z, 5 * sigma_z), nx=49, ny=49, nz=41)
    m3 = xf.TriLinearInterpolatedFieldMap(solver="FFTSolver3D",
                                          scale_coordinates_in_solver=(1, 1, gamma0), **kw)
    m2 = xf.TriLinearInterpolatedFieldMap(solver="FFTSolver2p5D", **kw)
    xg, yg, zg = np.meshgrid(m3.x_grid, m3.y_grid, m3.z_grid, indexing="ij")
    rho = np.exp(-(xg ** 2 + yg ** 2) / (2 * sigma_r ** 2) - zg ** 2 / (2 * sigma_z ** 2))
    for fmap in (m3, m2):
        fmap.update_rho(rho)
        fmap.update_phi_from_rho()
    x = np.linspace(0.3, 3, 10) * sigma_r
    (e3,) = m3.get_values_at_points(x, 0 * x, 0 * x, False, False, True, False, False)
    (e2,) = m2.get_values_at_points(x, 0 * x, 0 * x, False, False, True, False, False)
    # the longitudinal curvature gives the 3D field a relative correction ~ (sigma_r / (gamma0 sigma_z))^2
    assert np.allclose(e3, e2, rtol=0.01)
    m3_static = xf.TriLinearInterpolatedFieldMap(solver="FFTSolver3D", **kw)
    m3_static.update_rho(rho)
    m3_static.update_phi_from_rho()
    (e1,) = m3_static.get_values_at_points(x, 0 * x, 0 * x, False, False, True, False, False)
    assert np.all(np.abs(e1) < 0.9 * np.abs(e2))  # at rest the bunch is not long enough


def test_dict_round_trip_keeps_the_map():
    fmap = _map(nx=17, ny=15, nz=7, solver="FFTSolver2p5D", updatable=False,
                rho=np.random.default_rng(0).uniform(0, 1, (17, 15, 7)))
    dct = fmap.to_dict()
    assert dct["__class__"] == "TriLinearInterpolatedFieldMap" and dct["updatable"] is False
    back = xf.TriLinearInterpolatedFieldMap.from_dict(dct)
    assert back.shape == fmap.shape and back.updatable is False
    for name in ("rho", "phi", "dphi_dx", "dphi_dy", "dphi_dz"):
        assert np.array_equal(getattr(back, name), getattr(fmap, name))
    assert np.array_equal(back.x_grid, fmap.x_grid) and np.array_equal(back.z_grid, fmap.z_grid)
    with pytest.raises(RuntimeError, match="updatable=False"):
        back.update_rho(np.zeros(back.shape))


@pytest.mark.parametrize("kw, message", [
    (dict(x_range=None), "x_range"),
    (dict(nx=1), "nx must be an integer >= 2"),
    (dict(dx=1e-4), "exactly one of nx and dx"),
    (dict(solver="FFTSolver4D"), "allowed"),
    (dict(rho=np.zeros((3, 3, 3))), "rho must have shape"),
])
def test_bad_inputs_are_explained(kw, message):
    with pytest.raises((ValueError, TypeError), match=message):
        _map(**{**dict(nx=9, ny=9, nz=3), **kw})


def test_solvers_check_their_grid():
    with pytest.raises(ValueError, match="dz must be > 0"):
        xf.FFTSolver3D(1e-3, 1e-3, 0.0, 8, 8, 8)
    solver = xf.FFTSolver2p5D(1e-3, 1e-3, 1.0, 8, 8, 3)
    with pytest.raises(ValueError, match=r"rho must have shape \(8, 8, 3\)"):
        solver.solve(np.zeros((8, 8, 4)))


@for_all_test_contexts  # OpenMP, OpenCL and CUDA against the serial CPU
def test_deposit_solve_interpolate_on_context_agree_with_cpu(test_context):
    rng = np.random.default_rng(11)
    n = 50_000
    coords = (rng.normal(0, SIGMA_X, n), rng.normal(0, SIGMA_Y, n), rng.uniform(-0.9, 0.9, n))
    points = tuple(c[:500] * 1.3 for c in coords)
    results = []
    for ctx in (xo.ContextCpu(), test_context):
        fmap = _map(_context=ctx, nx=41, ny=37, nz=9, solver="FFTSolver2p5D")
        fmap.update_from_particles(x_p=coords[0], y_p=coords[1], z_p=coords[2],
                                   ncharges_p=np.ones(n), q0_coulomb=QELEM)
        values = fmap.get_values_at_points(*(ctx.nparray_to_context_array(p) for p in points))
        results.append([ctx.nparray_from_context_array(v) for v in values])
    for cpu, other in zip(*results):
        # atomic additions in another order: round-off only
        assert np.allclose(other, cpu, rtol=1e-11, atol=1e-11 * np.max(np.abs(cpu)))
