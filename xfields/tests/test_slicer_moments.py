"""UniformBinSlicer: attribution to slices and slots, moments against numpy."""

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt
from xobjects.test_helpers import for_all_test_contexts

import xfields as xf


def _train(rng, n, offsets):
    zeta = np.concatenate([rng.uniform(-1.2, 1.2, n) + off for off in offsets])
    return xt.Particles(p0c=7e12, zeta=zeta, x=rng.normal(0, 1e-3, zeta.size),
                        px=rng.normal(0, 1e-5, zeta.size), y=rng.normal(0, 2e-3, zeta.size),
                        py=rng.normal(0, 2e-5, zeta.size), delta=rng.normal(0, 1e-4, zeta.size),
                        weight=rng.uniform(0.5, 2.0, zeta.size))


@for_all_test_contexts
def test_slicer_moments_match_numpy_per_slot_and_slice(test_context):
    rng = np.random.default_rng(3)
    spacing = 5.0
    p = _train(rng, 2000, [0.0, -2 * spacing])
    fs = np.array([1, 0, 1, 1])
    sl = xf.UniformBinSlicer(zeta_range=(-1, 1), num_slices=7, filling_scheme=fs,
                             bunch_spacing_zeta=spacing, _context=test_context)
    p.move(_context=test_context)
    sl.slice(p)
    sl.move(_context=xo.context_default)
    p.move(_context=xo.context_default)
    edges = np.linspace(-1, 1, 8)
    for ib, slot in enumerate([0, 2, 3]):
        z = p.zeta + slot * spacing
        for i in range(7):
            m = (z >= edges[i]) & (z < edges[i + 1])
            w = p.weight[m]
            assert sl.num_particles[ib, i] == pytest.approx(w.sum(), rel=1e-12, abs=1e-12)
            if w.sum() > 0:
                mean_x = (w * p.x[m]).sum() / w.sum()
                assert sl.mean("x")[ib, i] == pytest.approx(mean_x, rel=1e-10)
                cov = (w * p.x[m] * p.delta[m]).sum() / w.sum() - mean_x * (w * p.delta[m]).sum() / w.sum()
                assert sl.cov("x", "delta")[ib, i] == pytest.approx(cov, rel=1e-6, abs=1e-20)
    # the empty slot 3 has no particle
    assert np.all(sl.num_particles[2] == 0)
    # every alive particle inside a slice of a selected slot is counted once
    assert sl.num_particles.sum() == pytest.approx(
        p.weight[(np.abs(p.zeta) < 1) | (np.abs(p.zeta + 2 * spacing) < 1)].sum(), rel=1e-12)


def test_slicer_sum_of_parts_is_slice_of_whole():
    rng = np.random.default_rng(4)
    p = _train(rng, 500, [0.0])
    sl = xf.UniformBinSlicer(zeta_range=(-1, 1), num_slices=5)
    a, b, whole = sl.copy(), sl.copy(), sl.copy()
    a.slice(p.filter(p.x > 0))
    b.slice(p.filter(p.x <= 0))
    whole.slice(p)
    np.testing.assert_allclose((a + b).sum("x_px"), whole.sum("xpx"), rtol=1e-12, atol=1e-25)
    np.testing.assert_allclose(sum([a, b]).num_particles, whole.num_particles, rtol=1e-12)
    back = xf.UniformBinSlicer._from_npbuffer(whole._to_npbuffer())
    np.testing.assert_array_equal(back.std("y"), whole.std("y"))


def test_slicer_errors_name_the_parameter():
    with pytest.raises(ValueError, match="num_slices and dzeta"):
        xf.UniformBinSlicer(zeta_range=(-1, 1))
    with pytest.raises(ValueError, match="bunch_spacing_zeta"):
        xf.UniformBinSlicer(zeta_range=(-1, 1), num_slices=3, num_bunches=2)
    sl = xf.UniformBinSlicer(zeta_range=(-1, 1), num_slices=3)
    with pytest.raises(KeyError, match="close matches"):
        sl.mean("zetta")
