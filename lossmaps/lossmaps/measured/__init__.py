"""Measured loss maps from BLM data (logging service through Spark, or local files).

Main object: :class:`MeasuredLossMap`. Per-acquisition quantities are in
:mod:`lossmaps.measured.per_time`; BLM classification in
:mod:`lossmaps.measured.classification`; time conventions (local CERN time out,
UTC inside) in :mod:`lossmaps.timeconv`.
"""

from ..errors import (
    BLMMetadataError,
    EmptyWindowError,
    LoggingServiceUnavailableError,
    MeasuredDataError,
    MissingAcquisitionsError,
)
from .classification import classify_blm, classify_blms
from .lossmap import DEFAULT_BLM_INTEGRATION_TIME, MeasuredLossMap

__all__ = [
    "MeasuredLossMap",
    "DEFAULT_BLM_INTEGRATION_TIME",
    "classify_blm",
    "classify_blms",
    "MeasuredDataError",
    "EmptyWindowError",
    "MissingAcquisitionsError",
    "BLMMetadataError",
    "LoggingServiceUnavailableError",
]
