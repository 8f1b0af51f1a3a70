"""``LossMap``: the fields common to simulated and measured loss maps.

A loss map is described by its type (``lmtype``), machine, particle, energy
[GeV], beta* [cm], beam process and a free description, and holds after loading
one canonical losses table (``losses``; columns documented in
:mod:`lossmaps.table`: ``s`` [m], ``name``, ``length`` [m], ``losses_type``
(:class:`~lossmaps.enums.Losses`), ``losses`` [per metre; Gy/s for BLMs],
optional ``time`` and ``background``). Subclasses (``SimulatedLossMap``,
``MeasuredLossMap``) add loaders and set the table with :meth:`_set_losses`.

``beam``, ``plane`` and ``rfsweep`` are derived from ``lmtype`` and may be set
by hand only when ``lmtype is LMType.OTHER``.
"""

import numbers

from . import accessor as _accessor  # noqa: F401  (registers .lossmap used below)
from .enums import Beam, BeamProcess, LMType, Machine, Particle, Plane, RFsweep
from .machines import get_machine
from .table import missing_columns

__all__ = ["LossMap"]


def _enum_or_none(name, enum, value):
    if value is None or isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(f"{enum.__name__}.{m.name}" for m in enum)
        raise ValueError(f"{name} must be one of {allowed} (or None), got {value!r}") from None


def _positive_or_none(name, unit, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number in {unit} (or None), got {value!r}")
    return float(value)


class _Field:
    """Metadata attribute validated on every assignment by ``convert(name, value)``."""

    def __init__(self, convert, doc):
        self._convert = convert
        self.__doc__ = doc

    def __set_name__(self, owner, name):
        self._name, self._attr = name, "_" + name

    def __get__(self, obj, objtype=None):
        return self if obj is None else getattr(obj, self._attr)

    def __set__(self, obj, value):
        setattr(obj, self._attr, self._convert(self._name, value))


def _enum(enum):
    return lambda name, value: _enum_or_none(name, enum, value)


def _positive(unit):
    return lambda name, value: _positive_or_none(name, unit, value)


class _DerivedField(_Field):
    """``beam``/``plane``/``rfsweep``: item ``index`` of ``lmtype.derived``, settable for OTHER only."""

    def __init__(self, index, enum, doc):
        super().__init__(_enum(enum), doc)
        self._index = index

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        derived = obj.lmtype.derived
        return derived[self._index] if derived is not None else getattr(obj, self._attr)

    def __set__(self, obj, value):
        derived = obj.lmtype.derived
        if derived is not None:
            raise AttributeError(
                f"{self._name} is derived from lmtype={obj.lmtype.name} "
                f"({derived[self._index].name}) and can only be set when lmtype is LMType.OTHER"
            )
        super().__set__(obj, value)


class LossMap:
    """Base class of loss maps; holds the metadata and the canonical losses table.

    Parameters
    ----------
    lmtype : LMType
        Kind of loss map (required).
    machine : Machine, optional
        Sets the circumference, warm regions, plot ranges and DS region.
    particle : Particle, optional
    energy : float, optional [GeV]
        Beam energy.
    betastar : float, optional [cm]
        beta* at the main interaction points.
    beam_process : BeamProcess, optional
    description : str, optional
        Free text shown in the caption.
    beam, plane, rfsweep : Beam, Plane, RFsweep, optional
        Only for ``lmtype=LMType.OTHER``; otherwise derived from ``lmtype``.
    roi : (float, float), optional [m]
        DS region of interest; default: the machine's DS region for ``beam``.
    """

    def __init__(
        self,
        lmtype,
        machine=None,
        particle=None,
        energy=None,
        betastar=None,
        beam_process=None,
        description="",
        beam=None,
        plane=None,
        rfsweep=None,
        roi=None,
    ):
        if lmtype is None:
            raise ValueError("lmtype is required; pass an LMType, e.g. LMType.B1H")
        self._beam = self._plane = self._rfsweep = None
        self.lmtype = lmtype
        self.machine = machine
        self.particle = particle
        self.energy = energy
        self.betastar = betastar
        self.beam_process = beam_process
        self.description = description
        for field, value in (("beam", beam), ("plane", plane), ("rfsweep", rfsweep)):
            if value is not None:
                setattr(self, field, value)
        self.roi = roi
        self._losses = None

    # -- metadata --------------------------------------------------------------
    @property
    def lmtype(self):
        """Kind of loss map (:class:`LMType`)."""
        return self._lmtype

    @lmtype.setter
    def lmtype(self, value):
        self._lmtype = _enum_or_none("lmtype", LMType, value)
        if self._lmtype is None:
            raise ValueError("lmtype must be an LMType, got None")

    @property
    def machine(self):
        """Accelerator (:class:`Machine` or None)."""
        return self._machine

    @machine.setter
    def machine(self, value):
        self._machine = _enum_or_none("machine", Machine, value)
        self._machine_changed()

    def _machine_changed(self):
        """Hook for subclasses whose loaded table depends on the machine facts."""

    particle = _Field(_enum(Particle), "Beam particle (:class:`Particle` or None).")
    beam_process = _Field(_enum(BeamProcess), "Machine-cycle phase (:class:`BeamProcess` or None).")
    energy = _Field(_positive("GeV"), "Beam energy [GeV] or None.")
    betastar = _Field(_positive("cm"), "beta* [cm] or None.")

    @property
    def description(self):
        """Free-text description (str)."""
        return self._description

    @description.setter
    def description(self, value):
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise TypeError(f"description must be a str, got {type(value).__name__}")
        self._description = value

    # -- fields derived from lmtype -----------------------------------------------
    beam = _DerivedField(0, Beam, "Beam (:class:`Beam`); settable only for ``LMType.OTHER``.")
    plane = _DerivedField(1, Plane, "Plane (:class:`Plane`); settable only for ``LMType.OTHER``.")
    rfsweep = _DerivedField(2, RFsweep,
                            "RF sweep (:class:`RFsweep`); settable only for ``LMType.OTHER``.")

    # -- machine-derived ranges ------------------------------------------------
    @property
    def machine_definition(self):
        """:class:`~lossmaps.machines.MachineDefinition` of ``machine`` (None if unset)."""
        return None if self._machine is None else get_machine(self._machine)

    @property
    def roi(self):
        """DS region of interest ``(s_min, s_max)`` [m], or None if undefined.

        Explicitly set value, else the machine's DS region for ``beam``.
        """
        if self._roi is not None:
            return self._roi
        definition = self.machine_definition
        return None if definition is None else definition.roi_for(self.beam)

    @roi.setter
    def roi(self, value):
        if value is not None:
            try:
                lo, hi = (float(v) for v in value)
            except (TypeError, ValueError):
                raise ValueError(f"roi must be a pair (s_min, s_max) in m, got {value!r}") from None
            value = (lo, hi)
        self._roi = value

    # -- data ----------------------------------------------------------------------
    @property
    def losses(self):
        """Canonical losses table (pandas.DataFrame, see :mod:`lossmaps.table`), or None."""
        return self._losses

    def _set_losses(self, table):
        """Install a canonical losses table (subclasses' loaders call this last)."""
        missing = missing_columns(table)
        if missing:
            raise ValueError(f"losses table lacks the canonical columns {missing}")
        self._losses = table

    def _require_losses(self, what):
        if self._losses is None:
            raise AttributeError(f"{what} needs loaded data: call one of the load_data_* methods first")
        return self._losses

    @property
    def max_loss(self):
        """Maximum collimator loss (per metre; Gy/s for BLMs)."""
        return self._require_losses("max_loss").lossmap.coll_max

    @property
    def DS_inefficiency(self):
        """Maximum cleaning inefficiency over the DS region (norm ``coll_max``), or None.

        None when no region of interest is defined (no machine, or beam BOTH).
        """
        losses = self._require_losses("DS_inefficiency")
        roi = self.roi
        if roi is None:
            return None
        return losses.lossmap.max_inefficiency(roi, norm="coll_max")

    def __repr__(self):
        loaded = "no data" if self._losses is None else f"{len(self._losses)} loss rows"
        machine = self._machine.name if self._machine is not None else None
        return f"{type(self).__name__}(lmtype={self._lmtype.name}, machine={machine}, {loaded})"
