"""Time-dependent thin kicks driven by the turn number: AC dipole and exciter.

Both read `at_turn` of each particle; the `Exciter` also its arrival time
(`zeta`).
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = ["ACDipole", "Exciter"]


def acdipole_effective_gradient(natural_q, driven_q, beta):
    """Thin gradient [1/m] that moves the tune `natural_q` to `driven_q`.

    ``2 (cos 2 pi Q_d - cos 2 pi Q) / (beta sin 2 pi Q)`` (R. Miyamoto et al.,
    PRST-AB 11, 084002 (2008)); the kick is ``px += eff_grad x``.
    """
    return 2 * (np.cos(2 * np.pi * driven_q) - np.cos(2 * np.pi * natural_q)) / (
        beta * np.sin(2 * np.pi * natural_q))


class ACDipole(BeamElement):
    """AC dipole: a per-turn oscillating dipole kick with a ramp (MAD-X ACDIPOLE).

    Parameters
    ----------
    volt : float, default 0
        Amplitude [MV]; the kick is ``0.3 volt / p0c[GeV]`` [rad].
    freq : float, default 0
        Frequency in units of the revolution frequency (driving tune).
    lag : float, default 0
        Phase [2 pi].
    ramp : sequence of 4 int, default [0, 0, 0, 0]
        Turns [start of ramp-up, end of ramp-up, start of ramp-down, end of
        ramp-down]; all zeros: no ramp, full amplitude.
    plane : {'h', 'v'} (aliases 'x', 'y'), default 'h'
        Plane of the kick.
    twiss_mode : bool, default False
        Act as the thin effective gradient `eff_grad` (for optics).
    eff_grad : float, optional
        Effective gradient [1/m]; by default computed from `natural_q`,
        `freq` and `beta_at_acdipole` when those are given.
    natural_q : float, optional
        Natural (fractional) tune in the plane of the kick.
    beta_at_acdipole : float, optional
        Beta function at the element [m].
    """

    _xofields = {
        "volt": xo.Float64,      # [MV] amplitude
        "freq": xo.Float64,      # [1/turn] driving tune
        "lag": xo.Float64,       # [2 pi] phase
        "ramp": xo.Int64[:],     # [turn] ramp schedule (4 values)
        "_plane": xo.Int64,      # plane code (see `plane`)
        "twiss_mode": xo.Int64,  # 1: act as the effective gradient
        "eff_grad": xo.Float64,  # [1/m] effective gradient (twiss mode)
    }
    plane = EnumProperty("_plane", {"h": 0, "v": 1, "x": 0, "y": 1})
    _extra_c_sources = [_HERE / "ac_dipole.h"]

    def __init__(self, *args, natural_q=None, beta_at_acdipole=None, _xobject=None, **kwargs):
        if _xobject is not None:
            super().__init__(*args, _xobject=_xobject, **kwargs)
            return
        ramp = kwargs.pop("ramp", None)
        ramp = np.zeros(4, dtype=np.int64) if ramp is None else np.asarray(ramp)
        if ramp.shape != (4,) or np.any(ramp != np.round(ramp)):
            raise ValueError(f"ACDipole: ramp must be 4 integer turns, got {ramp.tolist()!r}.")
        kwargs["ramp"] = ramp.astype(np.int64)
        kwargs["twiss_mode"] = int(bool(kwargs.get("twiss_mode", False)))
        if (natural_q is None) != (beta_at_acdipole is None):
            raise ValueError("ACDipole: natural_q and beta_at_acdipole must be given together "
                             f"(got natural_q={natural_q!r}, beta_at_acdipole={beta_at_acdipole!r}).")
        if natural_q is not None:
            if "eff_grad" in kwargs:
                raise ValueError("ACDipole: give either eff_grad or natural_q with beta_at_acdipole.")
            kwargs["eff_grad"] = acdipole_effective_gradient(
                natural_q, kwargs.get("freq", 0.0), beta_at_acdipole)
        super().__init__(*args, **kwargs)

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        out["twiss_mode"] = bool(out["twiss_mode"])
        return out


class Exciter(BeamElement):
    """Thin multipole whose strengths follow a sampled waveform.

    ``knl(t) = knl * samples[i]`` with the sample index
    ``i = floor(sampling_frequency ((at_turn - start_turn) / frev - zeta / (beta0 c)))``;
    no kick outside ``0 <= i < nduration``; the waveform repeats over the
    duration.

    Parameters
    ----------
    samples : array
        Waveform (stored as float32).
    nsamples : int, optional
        Number of samples; alone it reserves zeroed samples to fill later.
    sampling_frequency : float, default 0
        Sampling frequency [Hz].
    frev : float, default 0
        Revolution frequency [Hz].
    knl, ksl : array, default [0]
        Integrated normal / skew strengths [m^-n] scaled by the waveform.
    start_turn : int, default 0
        Turn at which the reference particle sees sample 0.
    duration : float, optional
        Duration of the excitation [s] (default nsamples / sampling_frequency).
    nduration : int, optional
        Duration in samples (alternative to `duration`).
    order : int, optional
        Multipole order (read-only, ``max(len(knl), len(ksl)) - 1``); accepted
        when consistent, for dicts.
    """

    _xofields = {
        "order": xo.Int64,                # highest multipole order
        "nsamples": xo.Int64,             # number of samples
        "nduration": xo.Int64,            # duration in samples
        "sampling_frequency": xo.Float64,  # [Hz]
        "frev": xo.Float64,               # [Hz] revolution frequency
        "start_turn": xo.Int64,           # [turn] start of the excitation
        "knl": xo.Float64[:],             # [m^-n] normal strengths
        "ksl": xo.Float64[:],             # [m^-n] skew strengths
        "samples": xo.Float32[:],         # [1] waveform
    }
    _extra_c_sources = [_HERE / "exciter.h"]

    def __init__(self, *args, samples=None, nsamples=None, duration=None, nduration=None,
                 knl=None, ksl=None, order=None, _xobject=None, **kwargs):
        if _xobject is not None:
            super().__init__(*args, _xobject=_xobject, **kwargs)
            return
        if samples is not None:
            samples = np.asarray(samples, dtype=np.float32).ravel()
            if nsamples is not None and int(nsamples) != len(samples):
                raise ValueError(f"Exciter: nsamples={nsamples!r} differs from len(samples)={len(samples)}.")
            nsamples = len(samples)
        elif nsamples is not None:
            samples = np.zeros(int(nsamples), dtype=np.float32)
        else:
            samples = np.zeros(0, dtype=np.float32)
            nsamples = 0
        fs = kwargs.get("sampling_frequency", 0.0)
        if duration is not None and nduration is not None:
            raise ValueError("Exciter: give duration or nduration, not both.")
        if duration is not None:
            nduration = int(round(duration * fs))
        if nduration is None:
            nduration = nsamples
        knl = np.atleast_1d(np.asarray([0.0] if knl is None else knl, dtype=float))
        ksl = np.atleast_1d(np.asarray([0.0] if ksl is None else ksl, dtype=float))
        n = max(len(knl), len(ksl))
        if order is not None:
            if int(order) != order or order < 0:
                raise ValueError(f"Exciter: order must be an integer >= 0, got {order!r}.")
            n = max(n, int(order) + 1)
        knl = np.concatenate([knl, np.zeros(n - len(knl))])
        ksl = np.concatenate([ksl, np.zeros(n - len(ksl))])
        super().__init__(*args, samples=samples, nsamples=int(nsamples), nduration=int(nduration),
                         knl=knl, ksl=ksl, order=n - 1, **kwargs)

    @property
    def duration(self):
        """Duration of the excitation [s]."""
        return self.nduration / self.sampling_frequency if self.sampling_frequency else 0.0
