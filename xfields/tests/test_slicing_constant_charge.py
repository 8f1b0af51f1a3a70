"""Slices of equal charge: the analytic Gaussian slicing and the macro-particle slicing."""

import numpy as np
import pytest
import xtrack as xt
from scipy.integrate import quad

from xfields.slicing import constant_charge_slicing_gaussian, slice_moments_equal_charge


@pytest.mark.parametrize("num_slices", [2, 5, 8])
def test_gaussian_slices_hold_equal_charge_around_their_centroid(num_slices):
    sigma_z, total = 0.08, 2.3e11
    centroids, cuts, per_slice = constant_charge_slicing_gaussian(total, sigma_z, num_slices)
    assert centroids.shape == (num_slices,) and cuts.shape == (num_slices - 1,)
    assert np.all(np.diff(cuts) > 0)
    assert np.sum(per_slice) == pytest.approx(total, rel=1e-14)
    density = lambda z: total * np.exp(-0.5 * (z / sigma_z) ** 2) / (sigma_z * np.sqrt(2 * np.pi))
    edges = np.concatenate([[-12 * sigma_z], cuts, [12 * sigma_z]])
    for k in range(num_slices):
        charge = quad(density, edges[k], edges[k + 1], epsabs=0, epsrel=1e-12)[0]
        first = quad(lambda z: z * density(z), edges[k], edges[k + 1],
                     epsabs=1e-12 * total * sigma_z, epsrel=1e-12)[0]
        assert charge == pytest.approx(per_slice[k], rel=1e-9)
        assert edges[k] < centroids[k] < edges[k + 1]
        assert centroids[k] == pytest.approx(first / charge, rel=1e-9, abs=1e-10 * sigma_z)
    np.testing.assert_allclose(centroids, -centroids[::-1], atol=1e-15)


def test_single_slice_is_the_whole_bunch():
    centroids, cuts, per_slice = constant_charge_slicing_gaussian(1e11, 0.1, 1)
    assert centroids.tolist() == [0.0] and cuts.size == 0 and per_slice.tolist() == [1e11]


@pytest.mark.parametrize("kwargs, message", [
    (dict(N_part_tot=1e11, sigmaz=0.0, N_slices=3), "sigmaz=0.0 must be > 0"),
    (dict(N_part_tot=1e11, sigmaz=0.1, N_slices=0), "N_slices=0 must be an integer >= 1"),
    (dict(N_part_tot=1e11, sigmaz=0.1, N_slices=2.5), "N_slices=2.5 must be an integer >= 1"),
])
def test_bad_slicing_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        constant_charge_slicing_gaussian(**kwargs)


def test_macro_particle_slices_recover_the_moments():
    rng = np.random.default_rng(3)
    n = 200_000
    sx, spx, r = 2e-5, 3e-6, 0.4
    x = sx * rng.standard_normal(n)
    px = spx * (r * x / sx + np.sqrt(1 - r * r) * rng.standard_normal(n))
    zeta = 0.1 * rng.standard_normal(n)
    p = xt.Particles(p0c=7e12, x=x, px=px, y=1e-5 * rng.standard_normal(n), zeta=zeta,
                     weight=5e5)
    p.state[:10] = 0  # lost particles do not count
    num, centroids, moments = slice_moments_equal_charge(p, 4)
    assert np.sum(num) == pytest.approx((n - 10) * 5e5)
    assert np.all(np.diff(centroids["zeta"]) < 0)  # head first
    np.testing.assert_allclose(moments["11"], sx ** 2, rtol=0.03)
    np.testing.assert_allclose(moments["12"], r * sx * spx, rtol=0.08)
    np.testing.assert_allclose(moments["33"], 1e-10, rtol=0.03)
    np.testing.assert_allclose(moments["13"], 0, atol=0.02 * sx * 1e-5)
    with pytest.raises(ValueError, match="cannot fill num_slices=300000"):
        slice_moments_equal_charge(p, 300_000)


def test_temp_slicer_slices_head_first_with_equal_weights():
    from xfields.slicing import TempSlicer

    slicer = TempSlicer(n_slices=6, sigma_z=0.05, mode="unicharge")
    centroids, cuts, _ = constant_charge_slicing_gaussian(1.0, 0.05, 6)
    np.testing.assert_array_equal(slicer.bin_centers, centroids[::-1])
    assert np.sum(slicer.bin_weights) == pytest.approx(1.0, rel=1e-15)
    assert np.all(np.diff(slicer.bin_edges) < 0) and slicer.bin_edges.size == 7
    # each centroid lies in its own slice
    np.testing.assert_array_equal(slicer.slice_indices(slicer.bin_centers), np.arange(6))
    with pytest.raises(ValueError, match=r"mode='shatilov' is not available; allowed: \['unicharge'\]"):
        TempSlicer(n_slices=3, sigma_z=0.05, mode="shatilov")
