"""RF elements: accelerating cavity, crab cavity, RF multipole.

Phases: `lag` (and `pn`, `ps`) in degrees, `phase` (and `phase_n`,
`phase_s`) in radians; when both are given their effects add. The phase
seen by a particle is ``phi0 - 2 pi f zeta / (beta0 c)`` (see `_rf_kicks.h`).
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = ["Cavity", "CrabCavity", "RFMultipole"]

_RF_MODELS = {"adaptive": 0, "drift-kick-drift-expanded": 1, "drift-kick-drift-exact": 2}
_RF_INTEGRATORS = {"adaptive": 0, "teapot": 1, "uniform": 2, "yoshida-4": 3, "yoshida-6": 4,
                   "yoshida4": 3, "yoshida6": 4}

#: Fields shared by the cavities (name -> type); comments give unit and meaning.
_CAVITY_COMMON = {
    "length": xo.Float64,          # [m] length (0: thin)
    "frequency": xo.Float64,       # [Hz] RF frequency
    "lag": xo.Float64,             # [deg] phase seen by the reference particle
    "phase": xo.Float64,           # [rad] phase added to lag
    "absolute_time": xo.Int64,     # 1: phase from the absolute time (at_turn t_sim + t)
    "num_kicks": xo.Int64,         # number of kicks of a thick element (0: one)
    "_model": xo.Int64,            # drift model of a thick element (see `model`)
    "_integrator": xo.Int64,       # splitting of a thick element (see `integrator`)
    "shift_x": xo.Float64,         # [m] horizontal misalignment
    "shift_y": xo.Float64,         # [m] vertical misalignment
    "rot_s_rad": xo.Float64,       # [rad] tilt about s
}


class _ThickRF(BeamElement):
    """Common declarations of the cavities (no fields of its own)."""

    model = EnumProperty("_model", _RF_MODELS)
    integrator = EnumProperty("_integrator", _RF_INTEGRATORS)
    isthick = True
    allow_rot_and_shift = True
    has_backtrack = True  # opposite kicks, drifts over -length (_rf_thick.h)

    def __init__(self, *args, **kwargs):
        if "num_kicks" in kwargs and kwargs["num_kicks"] is not None and kwargs["num_kicks"] < 0:
            raise ValueError(f"{type(self).__name__}: num_kicks must be >= 0, got {kwargs['num_kicks']!r}.")
        super().__init__(*args, **kwargs)


class Cavity(_ThickRF):
    """RF cavity: energy kick ``dE = |q0| (q/q0) V sin(phi)``, thin or thick.

    Parameters
    ----------
    voltage : float, default 0
        Peak voltage [V].
    frequency : float, default 0
        RF frequency [Hz]. Used when `harmonic` is 0 or when the particles
        carry no revolution time (`t_sim` = 0, e.g. element tracked alone).
    harmonic : float, default 0
        Harmonic number; in a line the frequency is ``harmonic / t_sim``.
    lag : float, default 0
        Phase seen by the reference particle [deg] (0: zero crossing,
        90: on crest).
    lag_taper : float, default 0
        Phase added to `lag` [deg] (tapering).
    phase : float, default 0
        Phase added to `lag` [rad].
    length : float, default 0
        Length [m]; > 0 makes a thick cavity (drift-kick-drift).
    model : {'adaptive', 'drift-kick-drift-expanded', 'drift-kick-drift-exact'}
        Drift model of the thick cavity, default 'adaptive' (= expanded).
    integrator : {'adaptive', 'teapot', 'uniform', 'yoshida-4', 'yoshida-6'}
        Kick placement of the thick cavity, default 'adaptive' (= uniform).
    num_kicks : int, default 0
        Number of kicks (0: one).
    absolute_time : int, default 0
        1: the phase follows the absolute time ``at_turn t_sim + (s - zeta)/(beta0 c)``.
    shift_x, shift_y : float, default 0
        Transverse misalignment [m].
    rot_s_rad : float, default 0
        Tilt about s [rad].
    """

    _xofields = {
        "voltage": xo.Float64,     # [V] peak voltage
        "harmonic": xo.Float64,    # [1] harmonic number (0: use frequency)
        "lag_taper": xo.Float64,   # [deg] phase added to lag (tapering)
        **_CAVITY_COMMON,
    }
    _extra_c_sources = [_HERE / "cavity.h"]


class CrabCavity(_ThickRF):
    """Crab cavity: horizontal deflection ``dpx ~ V sin(phi)`` with its energy kick.

    Parameters
    ----------
    crab_voltage : float, default 0
        Peak transverse voltage [V].
    frequency : float, default 0
        RF frequency [Hz].
    lag : float, default 0
        Phase seen by the reference particle [deg].
    phase : float, default 0
        Phase added to `lag` [rad].
    length, model, integrator, num_kicks, absolute_time, shift_x, shift_y, rot_s_rad
        As for :class:`Cavity`.
    """

    _xofields = {
        "crab_voltage": xo.Float64,  # [V] peak transverse voltage
        **_CAVITY_COMMON,
    }
    _extra_c_sources = [_HERE / "crab_cavity.h"]


#: RFMultipole arrays are at least this long (order 5), as in the established format.
_RF_MULTIPOLE_MIN_LEN = 6
_RF_MULTIPOLE_ARRAYS = ("knl", "ksl", "pn", "ps", "phase_n", "phase_s")


class RFMultipole(BeamElement):
    """Thin multipole modulated by the RF phase, with an optional voltage.

    Parameters
    ----------
    knl, ksl : array, default [0]
        Integrated normal / skew strengths [m^-n], index n.
    pn, ps : array, default zeros
        Phases of the normal / skew components [deg].
    phase_n, phase_s : array, default zeros
        Phases of the normal / skew components [rad] (added to pn, ps).
    order : int, optional
        Multipole order; the arrays are padded with zeros to ``order + 1``
        (at least 6) entries. Default: from the longest array given.
    voltage : float, default 0
        Longitudinal voltage [V].
    frequency : float, default 0
        Frequency [Hz].
    lag : float, default 0
        Phase of the voltage [deg].
    phase : float, default 0
        Phase of the voltage [rad] (added to lag).
    shift_x, shift_y : float, default 0
        Misalignment [m].
    rot_s_rad : float, default 0
        Tilt about s [rad].
    """

    _xofields = {
        "voltage": xo.Float64,     # [V] longitudinal voltage
        "frequency": xo.Float64,   # [Hz] frequency
        "lag": xo.Float64,         # [deg] phase of the voltage
        "phase": xo.Float64,       # [rad] phase of the voltage, added to lag
        "order": xo.Int64,         # highest multipole order
        "knl": xo.Float64[:],      # [m^-n] normal strengths
        "ksl": xo.Float64[:],      # [m^-n] skew strengths
        "pn": xo.Float64[:],       # [deg] phases of the normal components
        "ps": xo.Float64[:],       # [deg] phases of the skew components
        "phase_n": xo.Float64[:],  # [rad] phases of the normal components
        "phase_s": xo.Float64[:],  # [rad] phases of the skew components
        "shift_x": xo.Float64,     # [m] horizontal misalignment
        "shift_y": xo.Float64,     # [m] vertical misalignment
        "rot_s_rad": xo.Float64,   # [rad] tilt about s
    }
    allow_rot_and_shift = True
    _extra_c_sources = [_HERE / "rf_multipole.h"]

    def __init__(self, *args, order=None, _xobject=None, **kwargs):
        if _xobject is not None:
            super().__init__(*args, _xobject=_xobject, **kwargs)
            return
        arrays = {}
        for name in _RF_MULTIPOLE_ARRAYS:
            value = kwargs.pop(name, None)
            arrays[name] = np.zeros(0) if value is None else np.atleast_1d(np.asarray(value, dtype=float))
            if arrays[name].ndim != 1:
                raise ValueError(f"RFMultipole: {name} must be a 1-d array, got shape {arrays[name].shape}.")
        length = max([_RF_MULTIPOLE_MIN_LEN] + [len(a) for a in arrays.values()])
        if order is not None:
            if int(order) != order or order < 0:
                raise ValueError(f"RFMultipole: order must be an integer >= 0, got {order!r}.")
            length = max(length, int(order) + 1)
        for name, value in arrays.items():
            padded = np.zeros(length)
            padded[:len(value)] = value
            kwargs[name] = padded
        super().__init__(*args, order=length - 1, **kwargs)
