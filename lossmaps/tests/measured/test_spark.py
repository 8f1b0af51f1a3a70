"""Loading through a real local Spark session over Parquet data in the logged layout."""

import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.measured import MeasuredLossMap
from lossmaps.measured.spark_source import blm_window_query
from lossmaps.timeconv import to_utc

pytestmark = [
    pytest.mark.spark,
    # pyspark 4 warns that pandas >= 3 is not yet fully supported whenever it
    # checks the pandas version; informative only, our Spark path uses Arrow.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

VARIABLE = "LHC.BLMI:LOSS_RS09"


def _map(info, **kwargs):
    return MeasuredLossMap(timestamp=info["timestamp_local"], lmtype=lm.LMType.B1H, **kwargs)


def test_spark_load_equals_local_load_and_fixture(spark, measured_info, measured_dir, blm_files,
                                                  expected_measured):
    nxcals = measured_dir / "LHC.BLMI_LOSS_RS09.nxcals.parquet"
    through_spark = _map(measured_info)
    through_spark.load_data(spark, source=nxcals, **blm_files)
    local = _map(measured_info)
    local.load_data_files(nxcals, **blm_files)
    pd.testing.assert_frame_equal(through_spark.losses, local.losses)
    assert through_spark.t_max_loss == pd.Timestamp(expected_measured["default"]["t_max_loss_utc"])
    assert through_spark.source == str(nxcals)


def test_query_pushes_window_and_variable_filters_down(spark, measured_info, measured_dir):
    lossmap = _map(measured_info, tback_start=measured_info["alt_tback_start_local"])
    ranges = lossmap.window().query_ranges_ns()
    query = blm_window_query(spark, VARIABLE, ranges, measured_dir / "LHC.BLMI_LOSS_RS09.nxcals.parquet")
    plan = query._jdf.queryExecution().executedPlan().toString()
    pushed = plan[plan.index("PushedFilters"):]
    assert "nxcals_timestamp" in pushed and "EqualTo(nxcals_variable_name" in pushed
    # Only the background span (5 s before T0) and the 30 s window come back,
    # never the whole file (41 acquisitions).
    start = to_utc(measured_info["alt_tback_start_local"], "t").value
    end = to_utc(measured_info["timestamp_local"], "t").value + 30 * 10**9
    table = query.toArrow()
    times = table.column("nxcals_timestamp").to_numpy()
    assert table.num_rows == 35 and times.min() >= start and times.max() <= end
    assert table.column_names == ["nxcals_timestamp", "nxcals_value"]


def test_spark_reads_getter_layout(spark, measured_info, measured_dir, blm_files, expected_measured,
                                  tmp_path):
    # Spark reads microsecond time stamps only (nanosecond Parquet times are
    # refused), so the getter layout is written the way Spark itself writes it.
    frame = pd.read_parquet(measured_dir / "blm_data_RS09.parquet")
    frame["timestamp"] = frame["timestamp"].astype("datetime64[us, UTC]")
    path = tmp_path / "getter.parquet"
    frame.to_parquet(path)
    lossmap = _map(measured_info)
    lossmap.load_data(spark, "RS09", source=path, **blm_files)
    assert len(lossmap.losses.lossmap.timestamps) == expected_measured["n_acquisitions_in_window"]
    assert lossmap.DS_inefficiency == pytest.approx(expected_measured["default"]["ds_ineff_coll_max"],
                                                    rel=1e-9)
