"""``backwards`` reflects every position (s -> C - s); ``append`` adds a second load."""

import numpy as np
import pytest

import lossmaps as lm

COLL = """# icoll collname nimp nabs imp_av imp_sig length
 1 tcp.c6l7.b1  10  6 0.0 0.0 0.600
 2 tcsg.a4r7.b1  2  2 0.0 0.0 1.000
"""
APER = ("# turn block bezid bez slos partid x[m] xp y[m] yp P_tot[GeV/c] dE[eV] dT[s] A Z Q PDGid\n"
        " 1 1 1 mq.8r7.b1 105.02 1 0 0 0 0 6800 0 0 1 1 1 2212\n"
        " 2 1 1 mq.8r7.b1 105.07 2 0 0 0 0 6800 0 0 1 1 1 2212\n")


def _load(writer, mini_tfs, backwards):
    lossmap = lm.SimulatedLossMap(lmtype="OTHER")
    lossmap.load_data_K2(posfile=mini_tfs, aperfiles=[writer("a.dat", APER)],
                         collfiles=[writer("c.dat", COLL)], cycle_aperture_from="TCP.C6L7.B1",
                         backwards=backwards)
    return lossmap


def test_b2_reflection_of_collimators_aperture_and_layout(writer, mini_tfs):
    forward = _load(writer, mini_tfs, backwards=False)
    backward = _load(writer, mini_tfs, backwards=True)
    # slos is relative to the TCP entry (100.0 m): 205.02 / 205.07 m, one 0.1 m bin
    np.testing.assert_allclose(forward.aperture_losses["s"], [205.02, 205.07])
    np.testing.assert_allclose(backward.aperture_losses["s"], [794.98, 794.93])
    np.testing.assert_allclose(forward.aperture_binned["s"], [205.05])
    np.testing.assert_allclose(backward.aperture_binned["s"], [794.95])
    coll_f = forward.losses.set_index("name")["s"]
    coll_b = backward.losses.set_index("name")["s"]
    np.testing.assert_allclose(coll_b["tcp.c6l7.b1"], 1000.0 - coll_f["tcp.c6l7.b1"])
    np.testing.assert_allclose(coll_b["tcsg.a4r7.b1"], 1000.0 - coll_f["tcsg.a4r7.b1"])
    # the layout extent [S - L, S] maps to [C - S, C - S + L]
    tcp = backward.positions.set_index("NAME").loc["TCP.C6L7.B1"]
    np.testing.assert_allclose([tcp["s_start"], tcp["s_end"]], [899.4, 900.0])
    # losses themselves are untouched by the reflection
    np.testing.assert_allclose(sorted(forward.losses["losses"]), sorted(backward.losses["losses"]))


def test_cycle_positions_from_rebases_the_lattice(writer, mini_tfs):
    lossmap = lm.SimulatedLossMap(lmtype="B1H")
    lossmap.load_data_K2(posfile=mini_tfs, aperfiles=[], collfiles=[writer("c.dat", COLL)],
                         cycle_positions_from="IP5")
    s = lossmap.losses.set_index("name")["s"]
    np.testing.assert_allclose(s["tcp.c6l7.b1"], (100.3 - 500.0) % 1000.0)
    np.testing.assert_allclose(s["tcsg.a4r7.b1"], (300.5 - 500.0) % 1000.0)


def test_append_two_beams(k2_inputs, k2_map):
    both = lm.SimulatedLossMap(lmtype=lm.LMType.OTHER, machine=lm.Machine.LHC)
    both.beam = lm.Beam.BOTH
    both.load_data_K2(**k2_inputs)
    both.load_data_K2(**k2_inputs, backwards=True, append=True)
    table = both.losses
    assert both.n_runs == 12
    np.testing.assert_allclose(table.lossmap.total_loss, 2 * 3773, rtol=1e-12)
    assert (table["losses_type"] == lm.Losses.COLL).sum() == 2 * 46
    assert len(both.aperture_binned) == 2 * len(k2_map.aperture_binned)
    assert len(both.aperture_losses) == 2 * len(k2_map.aperture_losses)
    assert len(both.positions) == len(k2_map.positions)  # layout of the first load
    assert len(both.coll_summary) == 2 * len(k2_map.coll_summary)
    # the B1 half is unchanged; the maximum stays the same TCP (two entries now)
    b1_roi = k2_map.roi
    np.testing.assert_allclose(table.lossmap.max_inefficiency(b1_roi), k2_map.DS_inefficiency)
    reflected = both.aperture_binned["s"].to_numpy()
    c = both.circumference
    assert np.isin(np.round(c - k2_map.aperture_losses["s"].to_numpy(), 6),
                   np.round(both.aperture_losses["s"].to_numpy(), 6)).all()
    assert reflected.min() < b1_roi[0]  # the reflected bins lie in the B2 half of the ring


def test_append_refuses_different_binning(k2_inputs):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    lossmap.load_data_K2(**k2_inputs)
    table = lossmap.losses
    with pytest.raises(lm.LossMapsError, match="interpolation differs"):
        lossmap.load_data_K2(**k2_inputs, interpolation=0.2, append=True)
    assert lossmap.losses is table


def test_append_without_previous_data_is_a_plain_load(k2_inputs, k2_map):
    lossmap = lm.SimulatedLossMap(lmtype="B1H", machine="LHC")
    lossmap.load_data_K2(**k2_inputs, append=True)
    np.testing.assert_allclose(lossmap.losses["losses"], k2_map.losses["losses"])
