"""The K2 fixture reproduces every number of expected_public.json (section 'k2').

Tolerance: rtol 1e-9. The expected values are sums of integers divided by
lengths read from the same files, so only float round-off (~1e-15) separates a
correct implementation from them; 1e-9 leaves room for summation order while
still catching any off-by-one bin or count.
"""

import numpy as np
import pytest

import lossmaps as lm
from lossmaps.table import LENGTH, LOSSES, NAME, S

RTOL = 1e-9


def test_per_run_aperture_counts(k2_map, expected):
    per_run = k2_map.aperture_losses.groupby("run").size()
    runs = expected["k2"]["runs"]
    counts = [int(per_run.get(i, 0)) for i in range(len(runs))]
    assert counts == [expected["k2"]["aperture_losses_per_run"][r] for r in runs]


def test_collimator_sums_and_totals(k2_map, expected):
    exp = expected["k2"]
    summary = k2_map.coll_summary
    assert len(summary) == exp["n_collimators_listed"]
    assert int(summary["nabs"].sum()) == exp["n_collimator_absorbed_total"]
    nonzero = summary[summary["nabs"] > 0]
    assert dict(zip(nonzero["collname"], nonzero["nabs"])) == exp["collimators_nonzero"]
    assert len(k2_map.aperture_losses) == exp["n_aperture_losses_total"]
    np.testing.assert_allclose(k2_map.losses.lossmap.total_loss, exp["total_losses"], rtol=RTOL)


def test_collimator_losses_are_per_metre(k2_map, expected):
    exp = expected["k2"]["collimator_max_per_m"]
    np.testing.assert_allclose(k2_map.max_loss, exp["value_per_m"], rtol=RTOL)
    assert k2_map.losses.lossmap.coll_max_name == exp["name"]
    row = k2_map.losses[k2_map.losses[NAME] == exp["name"]].iloc[0]
    np.testing.assert_allclose(row[LOSSES] * row[LENGTH], exp["nabs"], rtol=RTOL)


def test_aperture_bins(k2_map, expected):
    exp = expected["k2"]
    binned = k2_map.aperture_binned
    assert len(binned) == exp["aperture_bins_nonempty"]
    assert (binned["losses_type"] == lm.Losses.COLD).sum() == exp["aperture_bins_nonempty_cold"]
    assert (binned["losses_type"] == lm.Losses.WARM).sum() == exp["aperture_bins_nonempty_warm"]
    top = binned.loc[binned["n"].idxmax()]
    np.testing.assert_allclose(top["s"], exp["aperture_max_bin"]["s_centre"], rtol=RTOL)
    assert top["n"] == exp["aperture_max_bin"]["count"]
    by_type = binned.groupby(binned["losses_type"].map(str))["n"].sum()
    assert by_type.get("cold", 0) == exp["aperture_losses_cold"]
    assert by_type.get("warm", 0) == exp["aperture_losses_warm"]
    roi = expected["definitions"]["roi_ds_b1_m"]
    inside = binned[(binned["s"] >= roi[0]) & (binned["s"] <= roi[1])]
    assert inside["n"].sum() == exp["n_aperture_losses_in_roi"]


@pytest.mark.parametrize("norm", ["coll_max", "total", "max"])
def test_normalisations_and_ds_inefficiency(k2_map, expected, norm):
    exp = expected["k2"]
    accessor = k2_map.losses.lossmap
    np.testing.assert_allclose(accessor.normalisation(norm), exp["norm_values"][norm], rtol=RTOL)
    row = accessor.max_inefficiency_row(k2_map.roi, norm=norm)
    np.testing.assert_allclose(row[LOSSES], exp[f"ds_ineff_{norm}"]["value"], rtol=RTOL)
    np.testing.assert_allclose(row[S], exp[f"ds_ineff_{norm}"]["s_centre"], rtol=RTOL)


def test_ds_inefficiency_field_and_roi(k2_map, expected):
    defs = expected["definitions"]
    np.testing.assert_allclose(k2_map.roi, defs["roi_ds_b1_m"], rtol=RTOL)
    np.testing.assert_allclose(k2_map.DS_inefficiency, expected["k2"]["ds_ineff_coll_max"]["value"],
                               rtol=RTOL)
    to_arc = k2_map.losses.lossmap.max_inefficiency(defs["roi_ds_b1_to_arc_m"])
    np.testing.assert_allclose(to_arc, expected["k2"]["ds_ineff_coll_max_roi_to_arc"]["value"],
                               rtol=RTOL)


def test_xcoll_style_raw_collimator_norm(k2_map, expected):
    # xcoll normalises by the raw max count, not the per-metre max
    exp = expected["k2"]
    raw = k2_map.coll_summary["nabs"].max()
    assert raw == exp["norm_values"]["coll_max_raw"]
    ds = k2_map.losses.lossmap.max_inefficiency(k2_map.roi, norm="none") / raw
    np.testing.assert_allclose(ds, exp["ds_ineff_coll_max_raw"]["value"], rtol=RTOL)


def test_aperture_positions_use_the_entry_face_of_the_start_element(k2_inputs, expected):
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(**k2_inputs)
    aperture = lossmap.aperture_losses
    np.testing.assert_allclose(aperture["s"] - aperture["slos"],
                               expected["definitions"]["s_ref_entry_m"], rtol=RTOL)


def test_cycling_from_a_downstream_element_moves_every_loss(k2_inputs, k2_map, expected):
    # the exit convention of the README = start element 0.6 m further downstream;
    # bins move but the DS inefficiency (single-proton bins) is unchanged
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(**{**k2_inputs, "cycle_aperture_from": "TCP.B6L7.B1"})
    shift = lossmap.aperture_losses["s"] - k2_map.aperture_losses["s"]
    assert shift.min() > 1.0  # TCP.B6L7.B1 sits 2 m downstream of TCP.C6L7.B1
    np.testing.assert_allclose(lossmap.DS_inefficiency,
                               expected["k2"]["ds_ineff_coll_max_exit_convention"]["value"],
                               rtol=RTOL)


def test_exit_convention_numbers_of_the_readme(k2_map, expected):
    # exit convention: s_ref = S instead of S - L, i.e. every loss 0.6 m further
    from lossmaps.simulated.binning import bin_aperture_losses

    defs, exp = expected["definitions"], expected["k2"]
    aperture = k2_map.aperture_losses
    s_exit = aperture["s"] + (defs["s_ref_exit_m"] - defs["s_ref_entry_m"])
    bins = bin_aperture_losses(s_exit, aperture["weight"], aperture["energy"], aperture["element"],
                               defs["interpolation_m"])
    assert len(bins) == exp["aperture_bins_nonempty_exit_convention"]
    roi = defs["roi_ds_b1_m"]
    inside = bins[(bins["s"] >= roi[0]) & (bins["s"] <= roi[1])]
    top = inside.loc[inside["n"].idxmax()]
    ds = top["n"] / defs["interpolation_m"] / k2_map.max_loss
    np.testing.assert_allclose(ds, exp["ds_ineff_coll_max_exit_convention"]["value"], rtol=RTOL)
    np.testing.assert_allclose(top["s"], exp["ds_ineff_coll_max_exit_convention"]["s_centre"],
                               rtol=RTOL)
