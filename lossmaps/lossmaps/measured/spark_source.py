"""Reading logged BLM data through a Spark session.

The query selects the variable and the time windows only, and projects the
time and vector columns only, so Spark pushes both filters down to the Parquet
scan (visible as ``PushedFilters`` in the physical plan) and a 30 s window never
pulls more than that window. The rows come back as Arrow, not through pandas.
"""

import functools
import operator
import pathlib

import pandas as pd
import pyarrow as pa

from .layout import (
    ELEMENTS,
    GETTER_VALUES,
    NXCALS_VALUE,
    NXCALS_VARIABLE,
    acquisitions_from_arrow,
    detect_layout,
    time_column,
)
from .logging_service import nxcals_variable_query, require_pyspark

__all__ = ["blm_window_query", "read_spark_acquisitions"]


def _bounds(layout, column, lo, hi, functions):
    if layout == "nxcals":
        return (column >= lo) & (column <= hi)
    # Spark timestamps have microsecond resolution: widen to whole microseconds.
    start = pd.Timestamp(lo - lo % 1000, tz="UTC").to_pydatetime()
    end = pd.Timestamp(hi - hi % 1000 + (1000 if hi % 1000 else 0), tz="UTC").to_pydatetime()
    return (column >= functions.lit(start)) & (column <= functions.lit(end))


def blm_window_query(spark, variable, ranges_ns, source=None):
    """Spark DataFrame selecting ``variable`` in the time ranges (lazy, not collected).

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    variable : str
        Logged variable, e.g. ``'LHC.BLMI:LOSS_RS09'``.
    ranges_ns : list of (int, int)
        Inclusive UTC ranges [ns since the epoch].
    source : str, pathlib.Path or pyspark.sql.DataFrame, optional
        Parquet data in a logged layout; default: the logging service (NXCALS).

    Returns
    -------
    pyspark.sql.DataFrame
        Columns: the time column and the vector column of the layout.
    """
    functions = require_pyspark()
    if source is None:
        frame = nxcals_variable_query(spark, variable, ranges_ns)
    elif isinstance(source, (str, pathlib.Path)):
        frame = spark.read.parquet(str(source))
    else:
        frame = source
    layout = detect_layout(frame.columns, source if source is not None else variable)
    time = functions.col(time_column(layout))
    condition = functools.reduce(
        operator.or_, [_bounds(layout, time, lo, hi, functions) for lo, hi in ranges_ns]
    )
    if layout == "nxcals" and NXCALS_VARIABLE in frame.columns:
        condition = (functions.col(NXCALS_VARIABLE) == variable) & condition
    values = (functions.col(NXCALS_VALUE).getField(ELEMENTS).alias(NXCALS_VALUE)
              if layout == "nxcals" else functions.col(GETTER_VALUES))
    return frame.where(condition).select(time, values)


def read_spark_acquisitions(spark, variable, ranges_ns, source=None):
    """Collect the query of :func:`blm_window_query` as ``(times_ns, values)``."""
    query = blm_window_query(spark, variable, ranges_ns, source)
    if hasattr(query, "toArrow"):  # pyspark >= 4.0
        table = query.toArrow()
    else:  # pragma: no cover - pyspark 3.5
        table = pa.Table.from_pandas(query.toPandas(), preserve_index=False)
    return acquisitions_from_arrow(table, f"Spark query of {variable}")
