"""ElectronLensInterpolated: the kick of a uniform round electron beam against
Gauss's law (linear inside, 1/r outside), a hollow beam against xt.Elens,
scalings with current, length and electron energy, no longitudinal effect,
dict round trip, inputs."""

import json

import numpy as np
import pytest
import xpart as xp
import xtrack as xt
from scipy.constants import c as CLIGHT
from scipy.constants import epsilon_0, m_e, e as QELEM
from xobjects.test_helpers import for_all_test_contexts

import xfields as xf

P0C = 450e9  # [eV], protons


def _grid(half_x=6e-3, half_y=5e-3, nx=121, ny=101):
    return np.linspace(-half_x, half_x, nx), np.linspace(-half_y, half_y, ny)


def _disc_density(xg, yg, radius, x0=0.0, y0=0.0, sub=10):
    """Uniform disc of unit integral: each node gets the fraction of its cell inside the disc.

    (Sampled on sub x sub points per cell: a plain inside/outside test of
    the nodes would make a staircase whose area, hence whose density, is
    off by about a percent.)
    """
    dx, dy = xg[1] - xg[0], yg[1] - yg[0]
    offsets = (np.arange(sub) + 0.5) / sub - 0.5
    X, Y = np.meshgrid(xg, yg, indexing="ij")
    rho = np.zeros_like(X)
    for ox in offsets:
        for oy in offsets:
            rho += np.hypot(X + ox * dx - x0, Y + oy * dy - y0) < radius
    return rho / (np.pi * radius ** 2 * sub ** 2 / (dx * dy) * dx * dy)


def _round_beam_kick(r, radius, current, length, voltage, beta_p):
    """|kick| [rad] of a uniform round electron beam: Gauss's law, E = lambda r_<^2 / (2 pi eps0 r R^2)."""
    gamma_e = 1 + voltage * QELEM / (m_e * CLIGHT ** 2)
    beta_e = np.sqrt(1 - 1 / gamma_e ** 2)
    lam = current / (beta_e * CLIGHT)
    field = lam / (2 * np.pi * epsilon_0) * np.where(r < radius, r / radius ** 2, 1 / r)
    return field * length * (1 + beta_e * beta_p) / (beta_p * P0C)


def _track(elem, x, y, **kwargs):
    part = xp.Particles(_context=elem._context, x=x, y=y, p0c=P0C, **kwargs)
    elem.track(part)
    return part


@for_all_test_contexts
def test_uniform_round_beam_against_gauss_law(test_context):
    xg, yg = _grid()
    dx = xg[1] - xg[0]
    radius = 2e-3
    elens = xf.ElectronLensInterpolated(_context=test_context, current=2.0, length=1.5,
                                        voltage=10e3, x_grid=xg, y_grid=yg,
                                        rho=_disc_density(xg, yg, radius))
    # points at many angles, inside and outside the beam, away from its edge
    # (where the staircase of the discretised disc is felt), and beyond the grid
    rng = np.random.default_rng(2)
    r = np.r_[rng.uniform(0.3e-3, radius - 3 * dx, 200), rng.uniform(radius + 3 * dx, 4.8e-3, 200),
              rng.uniform(7e-3, 2e-2, 50)]
    theta = rng.uniform(0, 2 * np.pi, r.size)
    x, y = r * np.cos(theta), r * np.sin(theta)
    part = _track(elens, x, y)
    part.move(_context=xp.Particles()._context)
    beta_p = float(part.beta0[0])
    expected = _round_beam_kick(r, radius, 2.0, 1.5, 10e3, beta_p)
    # attractive: towards the axis
    np.testing.assert_allclose(part.px, -expected * x / r, rtol=0, atol=1e-2 * expected.max())
    np.testing.assert_allclose(part.py, -expected * y / r, rtol=0, atol=1e-2 * expected.max())
    kick = np.hypot(part.px, part.py)
    np.testing.assert_allclose(kick[:400], expected[:400], rtol=1e-2)
    # beyond the grid: the line charge (that of the density as sampled), exactly
    assert abs(elens.rho_integral - 1) < 1e-3
    np.testing.assert_allclose(kick[400:], expected[400:] * elens.rho_integral, rtol=1e-9)
    np.testing.assert_array_equal(part.delta, 0.0)
    np.testing.assert_array_equal(part.zeta, 0.0)


def test_hollow_beam_against_elens():
    xg, yg = _grid(nx=161, ny=141)
    r1, r2 = 1.2e-3, 2.6e-3
    X, Y = np.meshgrid(xg, yg, indexing="ij")
    R = np.hypot(X, Y)
    rho = ((R > r1) & (R < r2)).astype(float)
    rho /= rho.sum() * (xg[1] - xg[0]) * (yg[1] - yg[0])
    elens = xf.ElectronLensInterpolated(current=0.8, length=2.0, voltage=8e3, x_grid=xg,
                                        y_grid=yg, rho=rho)
    ideal = xt.Elens(current=0.8, elens_length=2.0, voltage=8e3, inner_radius=r1,
                     outer_radius=r2)
    rng = np.random.default_rng(4)
    x, y = rng.uniform(-4.5e-3, 4.5e-3, (2, 2000))
    got, ref = _track(elens, x, y), _track(ideal, x, y)
    scale = np.max(np.hypot(ref.px, ref.py))
    # the ideal lens has kinks at the radii; 3% of the largest kick everywhere
    np.testing.assert_allclose(got.px, ref.px, rtol=0, atol=3e-2 * scale)
    np.testing.assert_allclose(got.py, ref.py, rtol=0, atol=3e-2 * scale)
    # no field inside the hollow beam
    inside = np.hypot(x, y) < r1 - 3 * (xg[1] - xg[0])
    assert np.max(np.hypot(got.px, got.py)[inside]) < 1e-2 * scale


def test_scalings_symmetry_and_offset():
    xg, yg = _grid(nx=81, ny=101)
    # centred on a node: the sampled disc is as symmetric as the disc
    x0, y0 = xg[44], yg[47]
    rho = _disc_density(xg, yg, 1.5e-3, x0=x0, y0=y0)
    base = dict(length=1.0, x_grid=xg, y_grid=yg, rho=rho)
    x, y = np.array([x0 + 1e-3, x0 - 1e-3, x0, 3e-3]), np.array([y0, y0, y0, 1e-3])
    one = _track(xf.ElectronLensInterpolated(current=1.0, voltage=5e3, **base), x, y)
    # mirror points about the beam centre get opposite kicks; the centre none
    np.testing.assert_allclose(one.px[0], -one.px[1], rtol=1e-6)
    assert abs(one.px[2]) < 1e-6 * abs(one.px[0])
    assert abs(one.py[2]) < 1e-6 * abs(one.px[0])
    # linear in the current and the length
    three = _track(xf.ElectronLensInterpolated(current=3.0, voltage=5e3, **base), x, y)
    np.testing.assert_allclose(three.px, 3 * one.px, rtol=1e-12)
    base["length"] = 0.5
    half = _track(xf.ElectronLensInterpolated(current=1.0, voltage=5e3, **base), x, y)
    np.testing.assert_allclose(half.py, 0.5 * one.py, rtol=1e-12)
    # electron speed: kick ~ (1 + beta_e beta_p) / beta_e
    base["length"] = 1.0
    fast = _track(xf.ElectronLensInterpolated(current=1.0, voltage=50e3, **base), x, y)
    betas = []
    for volts in (5e3, 50e3):
        gamma_e = 1 + volts * QELEM / (m_e * CLIGHT ** 2)
        betas.append(np.sqrt(1 - 1 / gamma_e ** 2))
    beta_p = float(one.beta0[0])
    ratio = ((1 + betas[1] * beta_p) / betas[1]) / ((1 + betas[0] * beta_p) / betas[0])
    np.testing.assert_allclose(fast.px, ratio * one.px, rtol=1e-8)
    # the current can be changed afterwards without a new solve
    elens = xf.ElectronLensInterpolated(current=1.0, voltage=5e3, **base)
    elens.current = 3.0
    np.testing.assert_allclose(_track(elens, x, y).px, three.px, rtol=1e-12)


def test_dict_round_trip():
    xg, yg = _grid(nx=41, ny=31)
    rho = _disc_density(xg, yg, 2e-3)
    elens = xf.ElectronLensInterpolated(current=1.2, length=2.0, voltage=12e3, x_grid=xg,
                                        y_grid=yg, rho=rho)
    dct = json.loads(json.dumps(elens.to_dict(), default=lambda a: np.asarray(a).tolist()))
    assert dct["__class__"] == "ElectronLensInterpolated"
    back = xf.ElectronLensInterpolated.from_dict(dct)
    x, y = np.array([1e-3, -2.5e-3, 8e-3]), np.array([0.2e-3, 1e-3, -9e-3])
    a, b = _track(elens, x, y), _track(back, x, y)
    np.testing.assert_array_equal(a.px, b.px)
    np.testing.assert_array_equal(a.py, b.py)
    assert back.current == 1.2 and back.voltage == 12e3 and back.fieldmap.nx == 41


def test_bad_input():
    xg, yg = _grid(nx=21, ny=11)
    rho = np.ones((21, 11))
    with pytest.raises(ValueError, match="voltage must be > 0"):
        xf.ElectronLensInterpolated(current=1.0, length=1.0, voltage=0.0, x_grid=xg, y_grid=yg,
                                    rho=rho)
    with pytest.raises(ValueError, match=r"rho must have shape \(nx, ny\) = \(21, 11\)"):
        xf.ElectronLensInterpolated(current=1.0, length=1.0, voltage=1e3, x_grid=xg, y_grid=yg,
                                    rho=rho.T)
    with pytest.raises(ValueError, match="positive integral"):
        xf.ElectronLensInterpolated(current=1.0, length=1.0, voltage=1e3, x_grid=xg, y_grid=yg,
                                    rho=0 * rho)
    with pytest.raises(ValueError, match="length is required"):
        xf.ElectronLensInterpolated(current=1.0, voltage=1e3, x_grid=xg, y_grid=yg, rho=rho)
