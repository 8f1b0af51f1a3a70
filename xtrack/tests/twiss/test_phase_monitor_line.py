"""xpart.PhaseMonitor on a tracked reference ring: single-particle tunes equal the twiss tunes."""

import numpy as np
from numpy.testing import assert_allclose

import xpart as xp


def test_phase_monitor_tunes_match_twiss_on_fodo_ring(fodo):
    tw = fodo.twiss(method="4d")
    # small amplitudes: the detuning with amplitude is negligible against the tolerance
    p = fodo.build_particles(x_norm=[0.1, 0.2], y_norm=[0.3, 0.1], nemitt_x=1e-6, nemitt_y=1e-6,
                             method="4d")
    mon = xp.PhaseMonitor(line=fodo, num_particles=2, twiss=tw)
    for _ in range(8):
        mon.measure(p)
        fodo.track(p, freeze_longitudinal=True)
    assert_allclose(mon.qx, np.mod(tw.qx, 1), rtol=0, atol=1e-4)
    assert_allclose(mon.qy, np.mod(tw.qy, 1), rtol=0, atol=1e-4)
