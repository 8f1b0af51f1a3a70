"""The xcoll JSON fixture gives the same loss map as the K2 runs of the same particles.

Tolerance rtol 1e-9 (sums of integer counts; collimator positions in the JSON
carry ~1e-10 m round-off from xtrack, irrelevant at this tolerance for counts).
"""

import numpy as np

import lossmaps as lm

RTOL = 1e-9


def test_json_totals(json_map, expected):
    exp = expected["xcoll_json"]
    assert json_map.coll_summary["nabs"].sum() == exp["collimator_n_total"]
    assert json_map.aperture_binned["n"].sum() == exp["aperture_n_total"]
    assert len(json_map.aperture_binned) == exp["aperture_bins_nonempty"]
    np.testing.assert_allclose(json_map.max_loss, exp["coll_max_per_m"]["value"], rtol=RTOL)
    assert json_map.losses.lossmap.coll_max_name == exp["coll_max_per_m"]["name"]
    np.testing.assert_allclose(json_map.DS_inefficiency, exp["ds_ineff_coll_max"]["value"], rtol=RTOL)
    row = json_map.losses.lossmap.max_inefficiency_row(json_map.roi)
    np.testing.assert_allclose(row["s"], exp["ds_ineff_coll_max"]["s_centre"], rtol=RTOL)


def test_json_and_k2_bins_coincide(json_map, k2_map):
    # same particles: identical aperture bins; collimator centres = TFS S - L/2 (1e-6 m
    # covers the JSON's float round-off of s)
    np.testing.assert_array_equal(json_map.aperture_binned["idx"], k2_map.aperture_binned["idx"])
    k2 = k2_map.losses[(k2_map.losses["losses_type"] == lm.Losses.COLL) & (k2_map.losses["losses"] > 0)]
    js = json_map.losses[json_map.losses["losses_type"] == lm.Losses.COLL]
    merged = k2.merge(js, on="name", suffixes=("_k2", "_json"))
    assert len(merged) == len(js)
    np.testing.assert_allclose(merged["s_k2"], merged["s_json"], atol=1e-6)
    np.testing.assert_allclose(merged["losses_k2"], merged["losses_json"], rtol=RTOL)
