"""generate_matched_gaussian_bunch(engine='linear'): longitudinal plane matched to the linear normal form."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import xpart as xp
import xtrack as xt


def _segment_ring():
    line = xt.Line(elements=[xt.LineSegmentMap(
        length=200., betx=4., alfx=-0.5, qx=0.27, bety=6., alfy=0.3, qy=0.29,
        longitudinal_mode="linear_fixed_rf", voltage_rf=8e6, frequency_rf=200e6, phase_rf=np.pi,
        slippage_length=200., momentum_compaction_factor=2e-3)])
    line.set_particle_ref("proton", p0c=26e9)
    return line


def test_linear_engine_gives_the_bunch_length_and_the_matched_momentum_spread():
    np.random.seed(3)
    line = _segment_ring()
    W = np.asarray(line.twiss(method="6d").W_matrix)[0]
    sigma_z = 0.15
    n = 40_000
    p = xp.generate_matched_gaussian_bunch(num_particles=n, nemitt_x=2e-6, nemitt_y=1e-6,
                                           sigma_z=sigma_z, line=line, engine="linear")
    zeta, pzeta = np.asarray(p.zeta), np.asarray(p.pzeta)
    # sample r.m.s. of a Gaussian: relative error ~ 1 / sqrt(2 n) = 0.35 %
    assert_allclose(np.std(zeta), sigma_z, rtol=2e-2)
    eps = sigma_z ** 2 / (W[4, 4] ** 2 + W[4, 5] ** 2)
    assert_allclose(np.std(pzeta), np.sqrt(eps * (W[5, 4] ** 2 + W[5, 5] ** 2)), rtol=2e-2)
    # matched: one turn leaves the longitudinal second moments unchanged (within sampling noise)
    cov0 = np.cov(zeta, pzeta)
    line.track(p)
    cov1 = np.cov(np.asarray(p.zeta), np.asarray(p.pzeta))
    assert_allclose(np.diag(cov1), np.diag(cov0), rtol=3e-2)


def test_linear_engine_bad_bunch_length():
    with pytest.raises(ValueError, match="sigma_z"):
        xp.generate_matched_gaussian_bunch(num_particles=10, nemitt_x=1e-6, nemitt_y=1e-6,
                                           sigma_z=-1., line=_segment_ring(), engine="linear")
