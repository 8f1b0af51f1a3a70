"""Polar grids, circular sectors, 2D Gaussians and pencils: statistics for a fixed seed.

Tolerances are 5 standard errors of the estimated quantity for the sample
size used (e.g. 5 / sqrt(N) for the mean of a unit-variance variable), so a
correct generator fails with probability < 1e-6 and a wrong one (shifted,
mis-scaled, wrong shape) fails.
"""

import numpy as np
import pytest

import xpart as xp

N = 200_000


def test_polar_grid_from_steps_and_counts():
    a1, a2, r, theta = xp.generate_2D_polar_grid(r_range=(1, 3), dr=0.5, theta_range=(0, np.pi / 2), ntheta=3)
    # arange excludes the stop: r = 1, 1.5, 2, 2.5; linspace includes it: 0, pi/4, pi/2
    assert len(a1) == 4 * 3
    np.testing.assert_allclose(np.unique(r), [1, 1.5, 2, 2.5])
    np.testing.assert_allclose(np.unique(theta), [0, np.pi / 4, np.pi / 2])
    np.testing.assert_allclose(np.hypot(a1, a2), r, rtol=1e-15)
    np.testing.assert_allclose(np.arctan2(a2, a1), theta, atol=1e-15)
    b1, _, rb, _ = xp.generate_2D_polar_grid(r_grid=[0.5, 1.0], theta_grid=[0.0])
    np.testing.assert_allclose(b1, [0.5, 1.0])


def test_polar_grid_rejects_ambiguous_input():
    with pytest.raises(ValueError, match="exactly one of dr and nr"):
        xp.generate_2D_polar_grid(r_range=(0, 1), dr=0.1, nr=4, theta_range=(0, 1), ntheta=2)
    with pytest.raises(ValueError, match="theta_grid, or theta_range"):
        xp.generate_2D_polar_grid(r_range=(0, 1), nr=4)


def test_uniform_circular_sector_is_uniform_in_area():
    np.random.seed(11)
    r0, r1 = 1.0, 2.0
    a1, a2, r, theta = xp.generate_2D_uniform_circular_sector(N, r_range=(r0, r1), theta_range=(0, np.pi))
    assert r.min() >= r0 and r.max() <= r1 and theta.min() >= 0 and theta.max() <= np.pi
    # r^2 uniform on [r0^2, r1^2]: mean (r0^2 + r1^2)/2, std (r1^2 - r0^2)/sqrt(12)
    std_r2 = (r1**2 - r0**2) / np.sqrt(12)
    assert abs(np.mean(r**2) - (r0**2 + r1**2) / 2) < 5 * std_r2 / np.sqrt(N)
    assert abs(np.mean(theta) - np.pi / 2) < 5 * (np.pi / np.sqrt(12)) / np.sqrt(N)
    np.testing.assert_allclose(np.hypot(a1, a2), r, rtol=1e-14)


def test_2d_gaussian_moments():
    np.random.seed(12)
    x1, x2 = xp.generate_2D_gaussian(N)
    cov = np.cov(np.vstack([x1, x2]))
    assert abs(x1.mean()) < 5 / np.sqrt(N) and abs(x2.mean()) < 5 / np.sqrt(N)
    # standard error of a variance: sqrt(2/N); of a covariance: sqrt(1/N)
    np.testing.assert_allclose(np.diag(cov), 1, atol=5 * np.sqrt(2 / N))
    assert abs(cov[0, 1]) < 5 / np.sqrt(N)


def _segment_mean(cut, r_max):
    """Mean x1 of the uniform circular segment x1 >= cut, r <= r_max (quadrature)."""
    x = np.linspace(cut, r_max, 200_001)
    chord = 2 * np.sqrt(np.clip(r_max**2 - x**2, 0, None))
    return np.trapezoid(x * chord, x) / np.trapezoid(chord, x)


@pytest.mark.parametrize("cut,dr", [(5.0, 0.2), (3.0, 1.5), (0.0, 1.0)])
def test_pencil_fills_the_segment_beyond_the_cut(cut, dr):
    np.random.seed(13)
    x1, x2 = xp.generate_2D_pencil(N, pos_cut_sigmas=cut, dr_sigmas=dr, side="+")
    assert len(x1) == N
    assert x1.min() >= cut
    assert np.hypot(x1, x2).max() <= cut + dr * (1 + 1e-12)
    # cut edge populated: the density at the cut is the largest, the gap to
    # the first particle is ~ (segment depth)/N
    assert x1.min() - cut < 1e3 * dr / N
    sigma = np.std(x1)
    assert abs(np.mean(x1) - _segment_mean(cut, cut + dr)) < 5 * sigma / np.sqrt(N)
    assert abs(np.mean(x2)) < 5 * np.std(x2) / np.sqrt(N)


def test_pencil_sides():
    np.random.seed(14)
    x1, _ = xp.generate_2D_pencil(1000, 4.0, 0.5, side="-")
    assert x1.max() <= -4.0
    y1, _ = xp.generate_2D_pencil(1001, 4.0, 0.5, side="+-")
    assert np.sum(y1 >= 4.0) == 500 and np.sum(y1 <= -4.0) == 501
    with pytest.raises(ValueError, match="side must be one of"):
        xp.generate_2D_pencil(10, 4.0, 0.5, side="left")
    with pytest.raises(ValueError, match="dr_sigmas must be positive"):
        xp.generate_2D_pencil(10, 4.0, -0.5)
