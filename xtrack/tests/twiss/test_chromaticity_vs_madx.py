"""Linear chromaticity against MAD-X and PTC on a low-energy ring with inclined pole faces.

MAD-X's dq1 is dQ/dpt; ours dQ/ddelta; d(delta)/d(pt) = 1/beta0 at pt = 0, so
dqx = dq1 * beta0 exactly for the linear chromaticity. Golden values: MAD-X
5.09.03 ``twiss`` (first-order chromatic functions) and ``ptc_twiss`` (exact,
model 2, nst 20, icase 56) through cpymad 1.20, both times beta0; they agree
to 1e-13. (MAD-X's ``twiss, chrom``, a finite difference in deltap, gives
-0.605/-0.846 here: its off-momentum edge matrix, see
tools/compare_madx_twiss.py.)
"""

import numpy as np
import pytest

import xtrack as xt

RING = """
qf: multipole, knl={0, 0.15}; qd: multipole, knl={0, -0.15};
b: sbend, l=1, angle=0.2, e1=0.1, e2=0.05;
r: sequence, l=40; qf, at=0; b, at=5; qd, at=10; b, at=15; qf, at=20; b, at=25; qd, at=30; b, at=35;
endsequence;
beam, particle=proton, pc=0.5;
"""
MADX_DQ = (-0.6649628749799105, -0.9066096183941507)  # MAD-X twiss dq1, dq2 times beta0
PTC_DQ = (-0.6649628749798941, -0.9066096183941551)  # ptc_twiss dq1, dq2 times beta0


@pytest.fixture(scope="module")
def ring():
    line = xt.load(string=RING, format="madx")["r"]
    assert line.particle_ref.beta0[0] == pytest.approx(0.470287, abs=1e-6)  # low energy: beta0 matters
    return line


def test_exact_edges_give_madx_and_ptc_chromaticity(ring):
    ring.configure_bend_model(edge="full")
    try:
        tw = ring.twiss(method="4d")
    finally:
        ring.configure_bend_model(edge="linear")
    np.testing.assert_allclose([tw.dqx, tw.dqy], MADX_DQ, rtol=0, atol=1e-6)
    np.testing.assert_allclose([tw.dqx, tw.dqy], PTC_DQ, rtol=0, atol=1e-6)


def test_chromaticity_is_the_tune_derivative_in_delta(ring):
    # our dqx is dQ/ddelta: a finite difference of tunes at delta0 = +-1e-5 gives it
    for edge in ("linear", "full"):
        ring.configure_bend_model(edge=edge)
        tw = ring.twiss(method="4d")
        plus = ring.twiss(method="4d", delta0=1e-5)
        minus = ring.twiss(method="4d", delta0=-1e-5)
        np.testing.assert_allclose((plus.qx - minus.qx) / 2e-5, tw.dqx, rtol=0, atol=1e-5)
        np.testing.assert_allclose((plus.qy - minus.qy) / 2e-5, tw.dqy, rtol=0, atol=1e-5)
    ring.configure_bend_model(edge="linear")
