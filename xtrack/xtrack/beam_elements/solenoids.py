"""Solenoids: uniform longitudinal field with optional embedded multipoles.

Body map, conventions and references in ``_solenoid.h``. Strengths: ``ks``
[rad/m] = B_s / (B rho); embedded multipoles ``knl``/``ksl`` [m^-n]
integrated over the element, MAD-X convention, applied as thin kicks
(``_multipole_kick.h``) between body steps.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["Solenoid", "UniformSolenoid", "VariableSolenoid"]

#: Embedded multipole arrays have at least this order (the established default).
_MIN_ORDER = 5
_MAX_ORDER = 20

_SOURCES = [_HERE / "_multipole_kick.h", _HERE / "_xy_shift_tilt.h", _HERE / "_solenoid.h"]

_COMMON_FIELDS = {
    "length": xo.Float64,
    "knl": xo.Float64[:], "ksl": xo.Float64[:],
    "num_multipole_kicks": xo.Int64,
    "radiation_flag": xo.Int64,
}
_AXIS_FIELDS = {
    "x0": xo.Float64, "y0": xo.Float64,
    "shift_x": xo.Float64, "shift_y": xo.Float64, "rot_s_rad": xo.Float64,
}


def _pad_multipoles(cls_name, kwargs):
    """Pad `knl`/`ksl` to a common length (order + 1 >= 6); `order` is derived."""
    knl, ksl = kwargs.pop("knl", None), kwargs.pop("ksl", None)
    knl = np.atleast_1d(np.asarray([] if knl is None else knl, dtype=float))
    ksl = np.atleast_1d(np.asarray([] if ksl is None else ksl, dtype=float))
    n = max(len(knl), len(ksl), _MIN_ORDER + 1)
    order = kwargs.pop("order", None)
    if order is not None:
        if int(order) != order or order < 0:
            raise ValueError(f"{cls_name}: order must be a non-negative integer, got {order!r}.")
        n = max(n, int(order) + 1)
    if n - 1 > _MAX_ORDER:
        raise ValueError(f"{cls_name}: order must be <= {_MAX_ORDER}, got {n - 1}.")
    kwargs["knl"] = np.concatenate([knl, np.zeros(n - len(knl))])
    kwargs["ksl"] = np.concatenate([ksl, np.zeros(n - len(ksl))])


def _check_radiation_flag(cls_name, kwargs):
    flag = kwargs.get("radiation_flag")
    if flag is not None:
        if flag not in (0, 1, False, True):
            raise ValueError(
                f"{cls_name}: radiation_flag must be 0 (off) or 1 (mean energy loss), got {flag!r}."
            )
        kwargs["radiation_flag"] = int(flag)


class _SolenoidBase(BeamElement):
    isthick = True
    allow_rot_and_shift = True
    has_backtrack = False
    _store_in_to_dict = ()

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            _pad_multipoles(type(self).__name__, kwargs)
            _check_radiation_flag(type(self).__name__, kwargs)
            for flag in ("edge_entry_active", "edge_exit_active"):
                if flag in kwargs:
                    kwargs[flag] = int(bool(kwargs[flag]))
        super().__init__(**kwargs)

    @property
    def order(self):
        """Highest order of the embedded multipoles (len(knl) - 1)."""
        return len(self.knl) - 1

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["order"] = self.order
        return out


class Solenoid(_SolenoidBase):
    """Solenoid (deprecated: use :class:`UniformSolenoid`).

    Parameters
    ----------
    length : float, default 0
        Length [m].
    ks : float, default 0
        Solenoid strength B_s / (B rho) [rad/m].
    ksi : float, default 0
        Integrated strength [rad], only for a thin solenoid (length 0):
        rotation of the transverse plane by ksi / (2 (1+delta)) (the
        focusing of a thin solenoid needs ks and the length separately and
        is not modelled).
    knl, ksl : array, default zeros(6)
        Embedded integrated multipoles [m^-n].
    order : int, optional
        Highest multipole order (pads `knl`/`ksl`).
    num_multipole_kicks : int, default 0
        Number of multipole kicks, equally spaced: body steps of length
        L / (n + 1) between them (one kick when 0 and multipoles are set).
    radiation_flag : int, default 0
        0: off; 1: mean synchrotron-radiation energy loss.
    """

    _xofields = {"ks": xo.Float64, "ksi": xo.Float64, **_COMMON_FIELDS}
    _extra_c_sources = _SOURCES + [_HERE / "solenoid.h"]

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs and kwargs.get("ksi") and kwargs.get("length"):
            raise ValueError(
                f"Solenoid: ksi (integrated strength) is only for a thin solenoid (length 0); "
                f"got ksi={kwargs['ksi']!r} with length={kwargs['length']!r}: give ks instead."
            )
        super().__init__(**kwargs)


class UniformSolenoid(_SolenoidBase):
    """Solenoid with a uniform longitudinal field between hard edges.

    Parameters
    ----------
    length : float, default 0
        Length [m].
    ks : float, default 0
        Solenoid strength B_s / (B rho) [rad/m].
    x0, y0 : float, default 0
        Position of the solenoid axis [m].
    edge_entry_active, edge_exit_active : bool, default True
        Hard-edge fringes. In canonical coordinates the fringe of a
        solenoid is the identity (see ``_solenoid.h``), so these flags only
        matter for slicing.
    knl, ksl : array, default zeros(6)
        Embedded integrated multipoles [m^-n].
    order : int, optional
        Highest multipole order (pads `knl`/`ksl`).
    num_multipole_kicks : int, default 0
        Number of multipole kicks, uniform splitting: body steps L/(2n),
        L/n, ..., L/n, L/(2n) (one kick when 0 and multipoles are set).
    radiation_flag : int, default 0
        0: off; 1: mean synchrotron-radiation energy loss.
    shift_x, shift_y : float, default 0
        Transverse misalignment [m].
    rot_s_rad : float, default 0
        Tilt about s [rad].
    """

    _xofields = {"ks": xo.Float64, **_COMMON_FIELDS, **_AXIS_FIELDS,
                 "edge_entry_active": xo.Int64, "edge_exit_active": xo.Int64}
    _extra_c_sources = _SOURCES + [_HERE / "uniform_solenoid.h"]

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            kwargs.setdefault("edge_entry_active", 1)
            kwargs.setdefault("edge_exit_active", 1)
        super().__init__(**kwargs)


class VariableSolenoid(_SolenoidBase):
    """Solenoid whose strength varies linearly from ``ks_profile[0]`` to ``ks_profile[-1]``.

    Tracked (as the established implementation) as a uniform solenoid of
    the mean strength (ks_profile[0] + ks_profile[-1]) / 2.

    Parameters
    ----------
    length : float, default 0
        Length [m].
    ks_profile : array of 2 floats, default [0, 0]
        Strength at the entry and at the exit [rad/m].
    x0, y0 : float, default 0
        Position of the solenoid axis [m].
    knl, ksl, order, num_multipole_kicks, radiation_flag, shift_x, shift_y, rot_s_rad
        As for :class:`UniformSolenoid`.
    """

    _xofields = {"ks_profile": xo.Float64[:], **_COMMON_FIELDS, **_AXIS_FIELDS}
    _extra_c_sources = _SOURCES + [_HERE / "variable_solenoid.h"]

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            profile = np.atleast_1d(np.asarray(kwargs.get("ks_profile", [0.0, 0.0]), dtype=float))
            if profile.ndim != 1 or len(profile) != 2:
                raise ValueError(
                    f"VariableSolenoid: ks_profile must be two values [ks_entry, ks_exit], "
                    f"got {kwargs.get('ks_profile')!r}."
                )
            kwargs["ks_profile"] = profile
        super().__init__(**kwargs)
