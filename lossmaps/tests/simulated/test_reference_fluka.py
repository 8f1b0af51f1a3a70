"""The FLUKA fixture reproduces expected_public.json (section 'fluka').

Tolerance rtol 1e-9: sums of the fort.208 energies (16 significant digits in
the file) and of P_tot x weight; only summation order differs from the
reference computation, which changes the 1e-15 digits.
"""

import numpy as np

import lossmaps as lm

RTOL = 1e-9


def test_fort208_lines_and_per_collimator_sums(fluka_map, expected):
    exp = expected["fluka"]
    assert fluka_map.fort208_lines == exp["fort208_lines_total"]
    summary = fluka_map.coll_summary
    hit = summary[summary["nabs"] > 0]
    assert dict(zip(hit["collname"], hit["nabs"])) == exp["collimators_nucleons"]
    energies = dict(zip(hit["collname"], hit["energy"]))
    assert energies.keys() == exp["collimators_energy_GeV"].keys()
    for name, value in exp["collimators_energy_GeV"].items():
        np.testing.assert_allclose(energies[name], value, rtol=RTOL, err_msg=name)
    np.testing.assert_allclose(summary["energy"].sum(), exp["collimator_energy_total_GeV"], rtol=RTOL)
    assert summary["nabs"].sum() == exp["collimator_nucleons_total"]


def test_aperture_losses_and_energy(fluka_map, expected):
    exp = expected["fluka"]
    per_run = fluka_map.aperture_losses.groupby("run").size()
    assert [int(per_run.get(i, 0)) for i in range(3)] == [
        exp["aperture_losses_per_run"][r] for r in exp["runs"]]
    np.testing.assert_allclose(fluka_map.aperture_losses["energy"].sum(),
                               exp["aperture_energy_total_GeV"], rtol=RTOL)
    assert len(fluka_map.aperture_binned) == exp["aperture_bins_nonempty"]
    np.testing.assert_allclose(fluka_map.losses.lossmap.total_loss, exp["total_energy_GeV"], rtol=RTOL)


def test_energy_weighted_max_and_ds_inefficiency(fluka_map, expected):
    exp = expected["fluka"]
    assert fluka_map.quantity == "energy"
    np.testing.assert_allclose(fluka_map.max_loss, exp["collimator_max_per_m"]["E_per_m_GeV"], rtol=RTOL)
    row = fluka_map.losses.lossmap.max_inefficiency_row(fluka_map.roi)
    np.testing.assert_allclose(row["losses"], exp["ds_ineff_coll_max_energy"]["value"], rtol=RTOL)
    np.testing.assert_allclose(row["s"], exp["ds_ineff_coll_max_energy"]["s_centre"], rtol=RTOL)


def test_count_weighted_ds_inefficiency(fluka_inputs, expected):
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_FLUKA(**fluka_inputs, quantity="counts")
    exp = expected["fluka"]["ds_ineff_coll_max_counts"]
    row = lossmap.losses.lossmap.max_inefficiency_row(lossmap.roi)
    np.testing.assert_allclose(row["losses"], exp["value"], rtol=RTOL)
    np.testing.assert_allclose(row["s"], exp["s_centre"], rtol=RTOL)
