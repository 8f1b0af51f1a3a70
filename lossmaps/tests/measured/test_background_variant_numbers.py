"""Every number of the three background variants of ``expected_public.json``.

'default' (mean background), 'default_std2_ddof0' and 'default_std2_ddof1'
(mean + 2 sigma, population and sample std) are compared field by field at
the acquisition of the largest loss, through the public accessor, so that
no variant of the fixture's expected numbers goes unchecked.
"""

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.measured import MeasuredLossMap

RTOL = 1e-9  # same values in double precision, only the summation order differs
VARIANTS = {"default": (0, 0), "default_std2_ddof0": (2, 0), "default_std2_ddof1": (2, 1)}


@pytest.fixture(scope="module")
def lossmap(measured_info, measured_dir, blm_files):
    out = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype=lm.LMType.B1H,
                          duration=measured_info["duration_s"], bckgr_aq=measured_info["bckgr_aq"])
    out.load_data_files(measured_dir / "blm_data_RS09.parquet", **blm_files)
    return out


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_background_variant_reproduces_every_expected_number(lossmap, expected_measured, variant):
    expected = expected_measured[variant]
    std, ddof = VARIANTS[variant]
    t_max = pd.Timestamp(expected["t_max_loss_utc"])
    assert lossmap.t_max_loss == t_max
    subtracted = lossmap.losses.lossmap.data_background_sub(std, ddof=ddof)
    background = subtracted.loc[subtracted["background"], "time"].unique()
    assert [str(t) for t in pd.DatetimeIndex(background).sort_values().tz_convert("UTC")] == \
        expected["background_acquisitions_utc"]
    at = subtracted.drop(columns=["background"]).lossmap.at_time(t_max)
    coll = at[at["losses_type"] == lm.Losses.COLL]
    np.testing.assert_allclose(coll["losses"].max(), expected["max_loss_coll_bgsub_Gy_s"], rtol=RTOL)
    assert coll.loc[coll["losses"].idxmax(), "name"] == expected["max_loss_coll_blm"]
    raw = lossmap.losses.lossmap.at_time(t_max)
    np.testing.assert_allclose(raw.loc[raw["losses_type"] == lm.Losses.COLL, "losses"].max(),
                               expected["max_loss_coll_raw_Gy_s"], rtol=RTOL)
    np.testing.assert_allclose(at["losses"].sum(), expected["total_loss_bgsub_at_tmax"], rtol=RTOL)
    np.testing.assert_allclose(at["losses"].clip(lower=0).sum(),
                               expected["total_loss_bgsub_at_tmax_clipped"], rtol=RTOL)
    np.testing.assert_allclose(at["losses"].max(), expected["max_loss_any_bgsub_at_tmax"], rtol=RTOL)
    assert at.loc[at["losses"].idxmax(), "name"] == expected["max_loss_any_blm"]
    roi = lossmap.roi
    for norm, key in (("coll_max", "ds_ineff_coll_max"), ("total", "ds_ineff_total"),
                      ("max", "ds_ineff_max")):
        np.testing.assert_allclose(at.lossmap.max_inefficiency(roi, norm=norm), expected[key],
                                   rtol=RTOL, err_msg=f"{variant} {key}")
    row = at.lossmap.max_inefficiency_row(roi)
    assert row["name"] == expected["ds_blm"]
    np.testing.assert_allclose(row["s"], expected["ds_blm_dcum_m"], rtol=RTOL)
