"""Per-acquisition quantities and the *_per_time normalisations on the BLM fixture."""

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.measured import MeasuredLossMap, per_time


@pytest.fixture(scope="module")
def lossmap(measured_info, measured_dir, blm_files):
    result = MeasuredLossMap(timestamp=measured_info["timestamp_local"], lmtype=lm.LMType.B1H)
    result.load_data_files(measured_dir / "blm_data_RS09.parquet", **blm_files)
    return result


def test_total_loss_per_time_subtracts_background_means(lossmap, expected_measured):
    losses = lossmap.losses
    subtracted = per_time.total_loss_per_time(losses)
    raw = per_time.total_loss_per_time(losses, background_std=None)
    background = losses[losses["background"]].groupby("name")["losses"].mean().sum()
    # Subtracting each monitor's mean lowers every acquisition's total by the same amount.
    np.testing.assert_allclose(raw - subtracted, background, rtol=1e-9)
    np.testing.assert_allclose(subtracted[lossmap.t_max_loss],
                               expected_measured["default"]["total_loss_bgsub_at_tmax"], rtol=1e-9)
    assert list(subtracted.index) == list(per_time.timestamps(losses))


def test_accessor_properties_call_per_time(lossmap):
    accessor = lossmap.losses.lossmap
    assert accessor.t_max_loss == lossmap.t_max_loss
    pd.testing.assert_series_equal(accessor.max_loss_per_time, per_time.max_loss_per_time(lossmap.losses))
    assert accessor.timestamps.equals(per_time.timestamps(lossmap.losses))


def test_max_loss_per_type_is_consistent(lossmap):
    by_type = per_time.max_loss_per_time_per_type(lossmap.losses)
    assert set(by_type.columns) == {lm.Losses.COLL, lm.Losses.COLD, lm.Losses.WARM, lm.Losses.XRP,
                                    lm.Losses.UNKNOWN}
    np.testing.assert_allclose(by_type.max(axis=1), per_time.max_loss_per_time(lossmap.losses), rtol=0)
    np.testing.assert_allclose(by_type[lm.Losses.COLL].max(), lossmap.max_loss, rtol=0)
    t_types = per_time.t_max_loss_per_type(lossmap.losses)
    assert t_types[lm.Losses.COLL] == lossmap.t_max_loss
    assert str(t_types[lm.Losses.COLD].tz) == "Europe/Zurich"


@pytest.mark.parametrize(
    "norm, reduce",
    [("coll_max_per_time", "coll_max"), ("max_per_time", "max"), ("total_per_time", "sum")],
)
def test_per_time_normalisation_is_one_per_acquisition(lossmap, norm, reduce):
    normalised = lossmap.losses.lossmap.inefficiency(norm=norm)
    groups = normalised.groupby("time")
    if reduce == "coll_max":
        values = normalised[normalised["losses_type"] == lm.Losses.COLL].groupby("time")["losses"].max()
    elif reduce == "max":
        values = groups["losses"].max()
    else:
        values = groups["losses"].sum()
    # Each acquisition divided by its own normalisation: exactly one up to rounding.
    np.testing.assert_allclose(values.to_numpy(), 1.0, rtol=1e-12)
    assert len(values) == 30


def test_per_time_needs_time_column_and_matching_types(lossmap):
    timeless = lossmap.losses.drop(columns=["time"])
    with pytest.raises(lm.MeasuredOnlyError, match="t_max_loss"):
        per_time.t_max_loss(timeless)
    no_coll = lossmap.losses[lossmap.losses["losses_type"] != lm.Losses.COLL]
    with pytest.raises(ValueError, match="no rows of losses type.*COLL"):
        per_time.t_max_loss(no_coll)
    with pytest.raises(TypeError, match="needs a losses DataFrame"):
        per_time.timestamps([1, 2])
