"""``MeasuredLossMap``: a loss map from logged BLM data (logging service or files).

Time conventions (manual; lossmaps-formats §5.4): ``timestamp`` is the START of
the window ``[timestamp, timestamp + duration]``; the background is the first
``bckgr_aq`` acquisitions from ``tback_start`` (default ``timestamp``). Times
are given and returned in local CERN time (naive input = ``Europe/Zurich``) and
kept in UTC inside. Old-style (< 2020) loss maps, identified by the time of the
peak, are built with :meth:`MeasuredLossMap.from_old_style`.
"""

import numbers
import pathlib
import warnings

import numpy as np

import pandas as pd

from ..enums import BLMintegrated, Machine
from ..errors import BLMMetadataError, LossMapsWarning
from ..lossmap import LossMap
from ..table import BACKGROUND, TIME
from ..timeconv import seconds_to_timedelta, to_local, to_utc
from . import per_time
from .local_files import read_local_acquisitions
from .metadata import resolve_blm_metadata
from .spark_source import read_spark_acquisitions
from .table import blm_losses_table
from .window import AcquisitionWindow, select_acquisitions

__all__ = ["MeasuredLossMap", "DEFAULT_BLM_INTEGRATION_TIME"]

DEFAULT_BLM_INTEGRATION_TIME = BLMintegrated.RS_1s31072  # RS09, the manual's default


def _integration_time(value):
    """Accept a BLMintegrated member, its name (``'RS_1s31072'``), ``'RS09'`` or the variable."""
    if isinstance(value, BLMintegrated):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text in BLMintegrated.__members__:
            return BLMintegrated[text]
        for member in BLMintegrated:
            if text in (member.value, f"RS{member.running_sum:02d}"):
                return member
    allowed = ", ".join(f"BLMintegrated.{m}" for m in BLMintegrated.__members__)
    raise ValueError(
        f"blm_integration_time must be one of {allowed} (or 'RS01'...'RS12'), got {value!r}"
    )


def _bckgr_aq(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"bckgr_aq must be a positive number of acquisitions, got {value!r}")
    return int(value)


class MeasuredLossMap(LossMap):
    """Loss map measured by the beam-loss monitors.

    Parameters
    ----------
    timestamp : str, datetime or pandas.Timestamp
        Start of data taking (identifies the loss map); naive = local CERN time.
    lmtype : LMType
        Kind of loss map.
    duration : float, default 30 [s]
        Length of the loss-map window.
    tback_start : str, datetime or pandas.Timestamp, optional
        Start of the background acquisitions; default ``timestamp``.
    bckgr_aq : int, default 10
        Number of background acquisitions (about seconds at 1 Hz).
    machine : Machine, default Machine.LHC
        The BLM vector of the logging service is the LHC's.
    **metadata
        ``particle``, ``energy`` [GeV], ``betastar`` [cm], ``beam_process``,
        ``description``, ``beam``/``plane``/``rfsweep`` (``LMType.OTHER`` only),
        ``roi``: see :class:`lossmaps.LossMap`.

    Examples
    --------
    >>> import lossmaps as lm                                   # doctest: +SKIP
    >>> ThisLM = lm.MeasuredLossMap(timestamp='2021-10-26 21:45:05',
    ...                             lmtype=lm.LMType.B1H)       # doctest: +SKIP
    >>> ThisLM.load_data(spark)                                 # doctest: +SKIP
    """

    def __init__(self, timestamp, lmtype, duration=30, tback_start=None, bckgr_aq=10,
                 machine=Machine.LHC, **metadata):
        # Validate the measurement fields before the base class stores anything.
        start = to_utc(timestamp, "timestamp")
        length = seconds_to_timedelta(duration, "duration")
        background = start if tback_start is None else to_utc(tback_start, "tback_start")
        count = _bckgr_aq(bckgr_aq)
        super().__init__(lmtype, machine=machine, **metadata)
        self._timestamp, self._duration = start, length
        self._tback_start, self._bckgr_aq = background, count
        self._tback_start_given = tback_start is not None
        self._blm_integration_time = None
        self._source = None
        self._defaults_applied = []

    @classmethod
    def from_old_style(cls, timestamp, tback_start, lmtype, shift=5, duration=30, **kwargs):
        """Loss map identified the pre-2020 way: ``timestamp`` is the peak of the losses.

        The window is made to start ``shift`` seconds before the peak, and the
        background, given explicitly then, starts at ``tback_start`` (manual,
        "Old style lossmaps").

        Parameters
        ----------
        timestamp : time
            Time of the peak losses (old-style identifier), local CERN time if naive.
        tback_start : time
            Start of the background acquisitions.
        shift : float, default 5 [s]
            How long before the peak the window starts.
        duration : float, default 30 [s]
        """
        peak = to_utc(timestamp, "timestamp")
        start = peak - seconds_to_timedelta(shift, "shift", allow_zero=True)
        return cls(timestamp=start, lmtype=lmtype, duration=duration,
                   tback_start=tback_start, **kwargs)

    # -- measurement fields (local CERN time out) ----------------------------------------
    @property
    def timestamp(self):
        """Start of the loss-map window (pandas.Timestamp, Europe/Zurich)."""
        return to_local(self._timestamp)

    @timestamp.setter
    def timestamp(self, value):
        start = to_utc(value, "timestamp")
        if not self._tback_start_given:
            self._tback_start = start
        self._timestamp = start

    @property
    def duration(self):
        """Length of the loss-map window [s]."""
        return self._duration.total_seconds()

    @duration.setter
    def duration(self, value):
        self._duration = seconds_to_timedelta(value, "duration")

    @property
    def tback_start(self):
        """Start of the background acquisitions (pandas.Timestamp, Europe/Zurich)."""
        return to_local(self._tback_start)

    @tback_start.setter
    def tback_start(self, value):
        self._tback_start = to_utc(value, "tback_start")
        self._tback_start_given = True

    @property
    def bckgr_aq(self):
        """Number of background acquisitions."""
        return self._bckgr_aq

    @bckgr_aq.setter
    def bckgr_aq(self, value):
        self._bckgr_aq = _bckgr_aq(value)

    @property
    def BLM_integration_time(self):
        """Running sum loaded (:class:`BLMintegrated`), None before loading."""
        return self._blm_integration_time

    blm_integration_time = BLM_integration_time

    @property
    def source(self):
        """Where the data were loaded from (str), None before loading."""
        return self._source

    @property
    def defaults_applied(self):
        """Documented defaults applied while loading (list of str; empty if none).

        NaN marks a missing element of a logged BLM vector (lossmaps-formats
        §5): such values stay NaN and are left out of sums, maxima and
        background means. Each load with any announces it with a
        :class:`~lossmaps.errors.LossMapsWarning`; the store keeps the list.
        """
        return list(self._defaults_applied)

    def window(self, max_gap=2.0):
        """The :class:`~lossmaps.measured.window.AcquisitionWindow` of this loss map."""
        return AcquisitionWindow(
            start=self._timestamp, duration=self._duration, tback_start=self._tback_start,
            bckgr_aq=self._bckgr_aq, max_gap=seconds_to_timedelta(max_gap, "max_gap"),
        )

    # -- loading ----------------------------------------------------------------------------
    def load_data(self, spark, blm_integration_time=DEFAULT_BLM_INTEGRATION_TIME, *,
                  source=None, names=None, positions=None, max_gap=2.0):
        """Load the BLM data of the window through a Spark session.

        Parameters
        ----------
        spark : pyspark.sql.SparkSession
            Session connected to the logging service (SWAN ``spark``), or any
            session when ``source`` is given.
        blm_integration_time : BLMintegrated, default BLMintegrated.RS_1s31072 (RS09)
            Running sum, i.e. the logged variable.
        source : path or pyspark.sql.DataFrame, optional
            Parquet data in a logged layout instead of the logging service.
        names, positions : path, folder or DataFrame
            BLM names (vector order) and positions, versioned in time (see
            :mod:`lossmaps.measured.metadata`).
        max_gap : float, default 2 [s]
            Longest stretch without acquisition accepted inside the window.

        Raises
        ------
        LoggingServiceUnavailableError
            If neither ``source`` nor the logging-service client is available.
        EmptyWindowError, MissingAcquisitionsError, BLMMetadataError
        """
        if spark is None or not hasattr(spark, "read"):
            raise TypeError(
                f"spark must be a pyspark SparkSession, got {type(spark).__name__}; "
                "to load local files use load_data_files(...)"
            )
        label = "logging service" if source is None else (
            str(source) if isinstance(source, (str, pathlib.Path)) else "Spark DataFrame")
        self._load(lambda variable, ranges: read_spark_acquisitions(spark, variable, ranges, source),
                   blm_integration_time, names, positions, max_gap, label)

    def load_data_files(self, data, *, names, positions,
                        blm_integration_time=DEFAULT_BLM_INTEGRATION_TIME, max_gap=2.0):
        """Load the BLM data of the window from local Parquet/CSV files (no Spark).

        Parameters
        ----------
        data : path or pandas.DataFrame
            Parquet file/folder or CSV file in a logged layout (NXCALS rows or
            ``timestamp``/``vals``).
        names, positions, blm_integration_time, max_gap
            As in :meth:`load_data`.
        """
        label = str(data) if isinstance(data, (str, pathlib.Path)) else "DataFrame"
        self._load(lambda variable, ranges: read_local_acquisitions(data, variable, ranges),
                   blm_integration_time, names, positions, max_gap, label)

    def _load(self, read, blm_integration_time, names, positions, max_gap, label):
        integration = _integration_time(blm_integration_time)
        window = self.window(max_gap)
        if names is None or positions is None:
            missing = [p for p, v in (("names", names), ("positions", positions)) if v is None]
            raise BLMMetadataError(
                f"{' and '.join(missing)} must be given: BLM names in vector order "
                "(index,name) and positions (name,dcum[,type]), as files, folders of "
                "versions or DataFrames"
            )
        times, values = read(integration.variable, window.query_ranges_ns())
        keep, background = select_acquisitions(times, window, integration.variable,
                                               None if label == "DataFrame" else label)
        times, values, background = times[keep], values[keep], background[keep]
        self._defaults_applied = _missing_values_notes(values, label)
        first = pd.Timestamp(int(times[0]), tz="UTC")
        machine = self.machine_definition
        metadata = resolve_blm_metadata(names, positions, first, values.shape[1],
                                        None if machine is None else machine.circumference)
        self._set_losses(blm_losses_table(times, values, background, metadata))
        self._blm_integration_time = integration
        self._source = label

    # -- results --------------------------------------------------------------------------
    def _set_losses(self, table):
        super()._set_losses(table)
        self._subtracted_cache = {}

    def _subtracted(self, background_std):
        """Background-subtracted table, computed once per ``background_std``.

        The results below all start from it; recomputing it for every quantity
        would dominate the analysis time (~10^5 rows).
        """
        losses = self._require_losses("background subtraction")
        cache = self._subtracted_cache
        if background_std not in cache:
            cache[background_std] = losses.lossmap.data_background_sub(background_std)
        return cache[background_std]

    def _in_window(self, frame):
        """Rows of the loss-map window: background acquisitions taken before or after
        it (old-style maps) serve the subtraction only, never as the loss-map peak."""
        times = frame[TIME]
        return frame[(times >= self._timestamp) & (times <= self._timestamp + self._duration)]

    def _t_max(self, background_std):
        window = self._in_window(self._subtracted(background_std))
        return per_time.t_max_loss(window, background_std=None)

    @property
    def t_max_loss(self):
        """Acquisition with the largest background-subtracted collimator loss (local time)."""
        return self._t_max(0)

    @property
    def max_loss(self):
        """Largest background-subtracted collimator loss over the window [Gy/s]."""
        return float(per_time.coll_max_per_time(self._in_window(self._subtracted(0))).max())

    def losses_at(self, timestamp=None, background_std=0):
        """Background-subtracted rows of one acquisition, without the ``background`` flag.

        Parameters
        ----------
        timestamp : time, optional
            Nearest acquisition to this time; default :attr:`t_max_loss`.
        background_std : float, default 0
            Background level in sigma.
        """
        frame = self._subtracted(background_std)
        target = self._t_max(background_std) if timestamp is None else timestamp
        # Dropping the flag stops later accessor calls from subtracting twice.
        return frame.drop(columns=[BACKGROUND]).lossmap.at_time(target)

    def ds_inefficiency(self, norm="coll_max", background_std=0, timestamp=None):
        """Largest inefficiency of the cold BLMs in the DS region at one acquisition.

        Parameters
        ----------
        norm : str, default 'coll_max'
            Normalisation (see :mod:`lossmaps.accessor`), computed at that acquisition.
        background_std : float, default 0
        timestamp : time, optional
            Default :attr:`t_max_loss`.

        Returns
        -------
        float or None
            Ratio of BLM signals (dimensionless); None without region of interest.
        """
        roi = self.roi
        if roi is None:
            return None
        return self.losses_at(timestamp, background_std).lossmap.max_inefficiency(roi, norm=norm)

    @property
    def DS_inefficiency(self):
        """DS inefficiency (norm ``coll_max``) at :attr:`t_max_loss`, or None."""
        return self.ds_inefficiency()

    def measurement_fields(self):
        """Measurement metadata as plain values (ISO times with offset), e.g. for storage."""
        return {
            "timestamp": self.timestamp.isoformat(),
            "duration": self.duration,
            "tback_start": self.tback_start.isoformat(),
            "tback_start_given": self._tback_start_given,
            "bckgr_aq": self.bckgr_aq,
            "blm_integration_time": (None if self._blm_integration_time is None
                                     else self._blm_integration_time.name),
            "source": self._source,
            "defaults_applied": list(self._defaults_applied),
        }

    def _restore_measurement(self, fields, losses):
        """Install stored measurement fields and table (used by the loss-map store)."""
        self._blm_integration_time = (None if fields.get("blm_integration_time") is None
                                      else BLMintegrated[fields["blm_integration_time"]])
        self._source = fields.get("source")
        self._defaults_applied = list(fields.get("defaults_applied", ()))
        self._tback_start_given = bool(fields.get("tback_start_given", True))
        self._set_losses(losses)


def _missing_values_notes(values, label):
    """Note (and warn) NaN elements, the logged mark of a missing BLM value, in the window."""
    missing = np.isnan(values)
    if not missing.any():
        return []
    rows = int(missing.any(axis=1).sum())
    note = (f"{label}: {int(missing.sum())} BLM values are NaN (missing elements, in {rows} of "
            f"{len(values)} acquisitions); left out of sums, maxima and background means")
    warnings.warn(note, LossMapsWarning, stacklevel=4)
    return [note]
