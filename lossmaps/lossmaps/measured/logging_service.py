"""Optional dependencies of the measured path: pyspark and the NXCALS client.

Imported here only, so that their absence gives one clear message with the fix
instead of an ImportError traceback (STYLE §6).
"""

import pandas as pd

from ..errors import LoggingServiceUnavailableError

__all__ = ["require_pyspark", "nxcals_variable_query", "local_spark_session"]

_NO_CLIENT = (
    "the logging-service (NXCALS) client is not available in this Python environment "
    "(module 'nxcals' not importable), so BLM data cannot be read from the logging "
    "service. On SWAN, choose the 'NXCals and Spark 3' software stack and connect to "
    "the NXCALS Spark cluster; offline, load logged files with "
    "MeasuredLossMap.load_data_files(...) or pass source=<Parquet path or Spark "
    "DataFrame> to load_data(spark, ...)"
)


def require_pyspark():
    """Return the ``pyspark.sql.functions`` module, or raise with the install command."""
    try:
        from pyspark.sql import functions
    except ImportError:
        raise LoggingServiceUnavailableError(
            "pyspark is not installed; install it with `pip install 'lossmaps[spark]'` "
            "(or `pip install pyspark`), or load local files with load_data_files(...)"
        ) from None
    return functions


def _utc_text(ns):
    return pd.Timestamp(ns, tz="UTC").strftime("%Y-%m-%d %H:%M:%S.%f") + f"{ns % 1000:03d}"


def nxcals_variable_query(spark, variable, ranges_ns):
    """Spark DataFrame of ``variable`` in the given UTC ranges from the logging service.

    One query per range (a far-away background window is not read through the
    gap), unioned. Rows have the NXCALS columns ``nxcals_variable_name``,
    ``nxcals_timestamp``, ``nxcals_value``.

    Raises
    ------
    LoggingServiceUnavailableError
        If the NXCALS client cannot be imported.
    """
    try:
        from nxcals.api.extraction.data.builders import DataQuery
    except ImportError:
        raise LoggingServiceUnavailableError(_NO_CLIENT) from None
    frames = [
        DataQuery.builder(spark).variables().system("CMW").nameEq(variable)
        .timeWindow(_utc_text(lo), _utc_text(hi)).build()
        for lo, hi in ranges_ns
    ]
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


def local_spark_session(cores=1, app_name="lossmaps", warm_up=True):
    """A small local Spark session for offline work, tests and benchmarks.

    ``local[cores]``, one shuffle partition per core, no UI nor progress bars, session time zone
    UTC (so Spark never shifts logged time stamps), Spark's own logging at ERROR.

    Parameters
    ----------
    cores : int, default 1
        Worker threads.
    app_name : str
    warm_up : bool, default True
        Run a one-row Arrow query once, so that the JVM's one-time start-up of
        the query and Arrow code paths (~5 s) is paid here, not by the first
        loss map (as in a long-lived SWAN session).
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(f"local[{int(cores)}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(int(cores)))
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    if warm_up:
        session.range(1).toArrow()
    return session
