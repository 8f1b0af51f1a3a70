"""Enumerations of the loss-map data model (names as in the user manual).

Every enum is a ``str`` enum: its value is a short, stable string that is
written to CSV/Parquet files and read back with ``EnumClass(value)``.
"""

from enum import Enum

__all__ = [
    "LMType",
    "Machine",
    "Particle",
    "BeamProcess",
    "Beam",
    "Plane",
    "RFsweep",
    "Losses",
    "BLMintegrated",
]


class _StrEnum(str, Enum):
    """String-valued enum whose ``str()`` is its value (useful in captions, CSV)."""

    def __str__(self):
        return self.value


class Beam(_StrEnum):
    """Which beam a loss map concerns."""

    BEAM1 = "B1"
    BEAM2 = "B2"
    BOTH = "both"


class Plane(_StrEnum):
    """Transverse plane of the excitation."""

    HORIZONTAL = "H"
    VERTICAL = "V"
    BOTH = "both"


class RFsweep(_StrEnum):
    """Sign of the RF-frequency sweep of an off-momentum loss map."""

    POS = "pos"
    NEG = "neg"
    NONE = "none"


class LMType(_StrEnum):
    """Kind of loss map.

    ``B1H``/``B1V``/``B2H``/``B2V`` are betatron loss maps of one beam and plane;
    ``DPpos``/``DPneg`` off-momentum loss maps (RF sweep, both beams). ``Dpneg``
    is an alias of ``DPneg`` (spelling of the manual). For ``OTHER``, the derived
    fields ``beam``, ``plane``, ``rfsweep`` are set by hand.
    """

    B1H = "B1H"
    B1V = "B1V"
    B2H = "B2H"
    B2V = "B2V"
    DPpos = "DPpos"
    DPneg = "DPneg"
    Dpneg = "DPneg"  # alias: the manual spells it both ways
    OTHER = "OTHER"

    @property
    def derived(self):
        """``(beam, plane, rfsweep)`` implied by this type, or ``None`` for OTHER.

        Off-momentum maps act on both beams at once (the RF sweep is common);
        their losses are driven by horizontal dispersion, hence ``Plane.HORIZONTAL``.
        """
        return _LMTYPE_DERIVED.get(self)


_LMTYPE_DERIVED = {
    LMType.B1H: (Beam.BEAM1, Plane.HORIZONTAL, RFsweep.NONE),
    LMType.B1V: (Beam.BEAM1, Plane.VERTICAL, RFsweep.NONE),
    LMType.B2H: (Beam.BEAM2, Plane.HORIZONTAL, RFsweep.NONE),
    LMType.B2V: (Beam.BEAM2, Plane.VERTICAL, RFsweep.NONE),
    LMType.DPpos: (Beam.BOTH, Plane.HORIZONTAL, RFsweep.POS),
    LMType.DPneg: (Beam.BOTH, Plane.HORIZONTAL, RFsweep.NEG),
}


class Machine(_StrEnum):
    """Accelerator; its facts (circumference, regions...) are in :mod:`lossmaps.machines`."""

    LHC = "LHC"
    HLLHC = "HLLHC"
    SPS = "SPS"
    FCCEE = "FCCEE"
    FCCHH = "FCCHH"


class Particle(_StrEnum):
    """Beam particle species."""

    PROTON = "proton"
    LEAD_ION = "Pb208"
    LEAD_PSI = "Pb208_PSI"  # partially stripped lead ions (Gamma Factory tests)


class BeamProcess(_StrEnum):
    """Phase of the machine cycle during which the loss map was taken."""

    INJECTION = "injection"
    START_OF_RAMP = "start_of_ramp"
    RAMP = "ramp"
    FLAT_TOP = "flat_top"
    SQUEEZE = "squeeze"
    STABLE_BEAMS_XRP_OUT = "stable_beams_xrp_out"
    STABLE_BEAMS = "stable_beams"


class Losses(Enum):
    """Type of a row of the canonical losses table.

    A plain (not ``str``) enum on purpose: pandas >= 3 turns object columns of
    ``str`` instances into its string dtype, which would drop the enum members
    from the ``losses_type`` column. ``Losses('coll')`` converts from the value.

    ``COLL`` collimator (or collimator BLM), ``COLD`` superconducting aperture,
    ``WARM`` normal-conducting aperture, ``XRP`` Roman pots, ``UNKNOWN`` anything
    that cannot be classified (e.g. aperture bins when no machine is set).
    """

    COLL = "coll"
    COLD = "cold"
    WARM = "warm"
    XRP = "xrp"
    UNKNOWN = "unknown"

    def __str__(self):
        return self.value

    def __lt__(self, other):
        # declaration order, so that pandas can sort (groupby, pivot) on the column
        if not isinstance(other, Losses):
            return NotImplemented
        order = list(Losses)
        return order.index(self) < order.index(other)


class BLMintegrated(_StrEnum):
    """BLM running sum (integration window); the value is the NXCALS variable.

    The mapping RSxx <-> window follows the window durations (lossmaps-formats
    §5.2). ``RS_10ms`` is listed by the manual next to ``RS_10ms24``; whether it
    is a separate variable is unverified, here it is an alias of RS06.
    """

    RS_40us = "LHC.BLMI:LOSS_RS01"
    RS_80us = "LHC.BLMI:LOSS_RS02"
    RS_320us = "LHC.BLMI:LOSS_RS03"
    RS_640us = "LHC.BLMI:LOSS_RS04"
    RS_2ms56 = "LHC.BLMI:LOSS_RS05"
    RS_10ms24 = "LHC.BLMI:LOSS_RS06"
    RS_10ms = "LHC.BLMI:LOSS_RS06"  # alias, see class docstring
    RS_81ms92 = "LHC.BLMI:LOSS_RS07"
    RS_655m36 = "LHC.BLMI:LOSS_RS08"
    RS_1s31072 = "LHC.BLMI:LOSS_RS09"
    RS_5s24288 = "LHC.BLMI:LOSS_RS10"
    RS_20s97152 = "LHC.BLMI:LOSS_RS11"
    RS_83s88608 = "LHC.BLMI:LOSS_RS12"
    # Aliases by running-sum number, as the logging variables and the
    # operators name them (lossmaps-formats §5.2): BLMintegrated.RS09 is
    # BLMintegrated.RS_1s31072.
    RS01 = "LHC.BLMI:LOSS_RS01"
    RS02 = "LHC.BLMI:LOSS_RS02"
    RS03 = "LHC.BLMI:LOSS_RS03"
    RS04 = "LHC.BLMI:LOSS_RS04"
    RS05 = "LHC.BLMI:LOSS_RS05"
    RS06 = "LHC.BLMI:LOSS_RS06"
    RS07 = "LHC.BLMI:LOSS_RS07"
    RS08 = "LHC.BLMI:LOSS_RS08"
    RS09 = "LHC.BLMI:LOSS_RS09"
    RS10 = "LHC.BLMI:LOSS_RS10"
    RS11 = "LHC.BLMI:LOSS_RS11"
    RS12 = "LHC.BLMI:LOSS_RS12"

    @property
    def variable(self):
        """NXCALS variable name, e.g. ``'LHC.BLMI:LOSS_RS09'``."""
        return self.value

    @property
    def running_sum(self):
        """Running-sum index 1...12."""
        return int(self.value[-2:])

    @property
    def window_s(self):
        """Integration window [s]: 40 us times the power-of-two factor of the sum."""
        factors = (1, 2, 8, 16, 64, 256, 2048, 16384, 32768, 131072, 524288, 2097152)
        return 40e-6 * factors[self.running_sum - 1]
