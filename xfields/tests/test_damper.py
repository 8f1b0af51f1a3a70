"""TransverseDamper: centroid amplitude decays by gain/2 per turn, bunch by bunch."""

import numpy as np
import pytest
import xtrack as xt
from scipy.signal import hilbert
from scipy.stats import linregress

import xfields as xf


def test_damper_damps_each_bunch_at_half_the_gain():
    rng = np.random.default_rng(1)
    n = 5000
    line = xt.Line(elements=[xt.LineSegmentMap(length=100.0, betx=70, bety=80, qx=62.31, qy=60.32)],
                   element_names=["otm"])
    line.particle_ref = xt.Particles(p0c=450e9)
    fs = np.zeros(10)
    fs[[0, 2]] = 1
    p = xt.Particles(p0c=450e9, x=rng.normal(0, 1e-3, 2 * n), px=rng.normal(0, 1e-5, 2 * n) + 1e-4,
                     y=rng.normal(0, 1e-3, 2 * n), py=rng.normal(0, 1e-5, 2 * n) + 1e-4,
                     zeta=np.r_[rng.normal(0, 0.05, n), rng.normal(-20, 0.05, n)])
    damper = xf.TransverseDamper(gain_x=0.02, gain_y=0.01, filling_scheme=fs, zeta_range=(-0.5, 0.5),
                                 num_slices=20, bunch_spacing_zeta=10.0)
    means = []
    for turn in range(300):
        line.track(p)
        damper.track(p, turn)
        front = p.zeta > -5
        means.append([p.x[front].mean(), p.x[~front].mean(), p.y[front].mean(), p.y[~front].mean()])
    means = np.array(means)
    turns = np.arange(50, 250)
    for col, gain in zip(range(4), [0.02, 0.02, 0.01, 0.01]):
        fit = linregress(turns, np.log(np.abs(hilbert(means[:, col]))[50:250]))
        # Finite slices and the incoherent spread leave a few % on the rate.
        assert -2 * fit.slope == pytest.approx(gain, rel=0.05)


def test_damper_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        xf.TransverseDamper(gain_x=0.1, gain_y=0.1, zeta_range=(-1, 1), num_slices=3, mode="bunch")
