"""Changes of the reference: energy (momentum) and time.

The particles are not changed physically: their coordinates are
re-expressed with respect to the new reference (`LocalParticle_update_p0c`
keeps the momentum and the arrival time of each particle).
"""

from pathlib import Path

import xobjects as xo

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["ReferenceEnergyIncrease", "ReferenceEnergyChange", "TimeDelay"]


class ReferenceEnergyIncrease(BeamElement):
    """Increase of the reference momentum (acceleration, deceleration).

    Parameters
    ----------
    Delta_p0c : float, default 0
        Change of the reference momentum times c [eV] (negative: decrease).
    """

    _xofields = {"Delta_p0c": xo.Float64}  # [eV] change of p0c
    _extra_c_sources = [_HERE / "reference_energy_increase.h"]


class ReferenceEnergyChange(BeamElement):
    """Set the reference momentum to a given value.

    Parameters
    ----------
    p0c : float, default 0
        New reference momentum times c [eV]; must be > 0.
    """

    _xofields = {"p0c": xo.Float64}  # [eV] new reference momentum
    _extra_c_sources = [_HERE / "reference_energy_change.h"]

    def __init__(self, *args, _xobject=None, **kwargs):
        p0c = kwargs.get("p0c", None)
        if _xobject is None and p0c is not None and not p0c > 0:
            raise ValueError(f"ReferenceEnergyChange: p0c must be > 0 [eV], got {p0c!r}.")
        if _xobject is not None:
            kwargs["_xobject"] = _xobject
        super().__init__(*args, **kwargs)


class TimeDelay(BeamElement):
    """Delay of the particles in time: ``zeta -= shift_zeta``.

    Parameters
    ----------
    shift_zeta : float, default 0
        Delay expressed as a shift of zeta [m] (``beta0 c`` times the delay).
    """

    _xofields = {"shift_zeta": xo.Float64}  # [m] zeta shift (delay beta0 c dt)
    _extra_c_sources = [_HERE / "time_delay.h"]
