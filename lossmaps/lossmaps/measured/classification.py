"""Classification of LHC beam-loss monitors by name: coll / cold / warm / xrp / other.

A monitor name reads ``BLM<T><I|L>.<cell><side><IP>.<beam><E|I><nn>_<element>``;
the type follows from the ``<element>`` part (lossmaps-formats §5.3, after the
operational pylossmap tool): ``coll`` for collimators and absorbers (``_TC*``,
``_TD*``), ``xrp`` for Roman pots, ``cold`` for superconducting magnets and
cryogenic elements, ``warm`` for normal-conducting ones, ``other`` otherwise.
Collimator and Roman-pot tags count anywhere in the element part; warm and
cold are decided by the first element, warm prefixes first (``_MQW`` before
the cold ``_MQ``).
"""

import numpy as np

from ..enums import Losses

__all__ = ["BLM_TYPES", "classify_blm", "classify_blms", "blm_type_to_losses"]

BLM_TYPES = ("coll", "cold", "warm", "xrp", "other")

_COLL = ("_TC", "_TD")
_XRP = ("_XRP",)
# Warm prefixes that would otherwise match a cold prefix (_MQW vs _MQ, _MBXW vs
# _MBX, _MBW vs _MB) are tested first.
_WARM = ("_MQW", "_TAN", "_MSI", "_MSD", "_MKI", "_MKD", "_MBXW", "_BSRT", "_BPMSW",
         "_MBW", "_BGI", "_X5FC")
_COLD = ("_MQ", "_MB", "_LE", "_DFBL", "_ACSGA", "_BKGD")

_TO_LOSSES = {
    "coll": Losses.COLL,
    "cold": Losses.COLD,
    "warm": Losses.WARM,
    "xrp": Losses.XRP,
    "other": Losses.UNKNOWN,
}


def classify_blm(name):
    """Type of one monitor from its name.

    Parameters
    ----------
    name : str
        Monitor name, e.g. ``'BLMTI.06L7.B1E10_TCP.C6L7.B1'``.

    Returns
    -------
    str
        One of :data:`BLM_TYPES`.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a BLM name (str), got {type(name).__name__} {name!r}")
    upper = name.upper()
    element = upper[upper.find("_"):] if "_" in upper else ""
    # Collimators and Roman pots are recognised anywhere in the element part
    # ("_MQML_XRP" is a pot monitor); warm and cold by the first element only,
    # so a monitor between two elements ("_MQXA_X5FCA.A4") takes the magnet's type.
    if any(tag in element for tag in _COLL):
        return "coll"
    if any(tag in element for tag in _XRP):
        return "xrp"
    if element.startswith(_WARM):
        return "warm"
    if element.startswith(_COLD):
        return "cold"
    return "other"


def classify_blms(names):
    """Types of many monitors, as a numpy array of str (see :func:`classify_blm`)."""
    return np.array([classify_blm(name) for name in names], dtype=object)


def blm_type_to_losses(kinds):
    """Map BLM types (``'coll'``, ...) to :class:`lossmaps.enums.Losses` members.

    Raises
    ------
    ValueError
        If a type is not one of :data:`BLM_TYPES`.
    """
    try:
        return [_TO_LOSSES[kind] for kind in kinds]
    except KeyError as error:
        raise ValueError(
            f"BLM type must be one of {', '.join(BLM_TYPES)}, got {error.args[0]!r}"
        ) from None
