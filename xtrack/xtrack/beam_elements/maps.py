"""Maps given by their coefficients: Taylor maps and the line segment map.

`FirstOrderTaylorMap` and `SecondOrderTaylorMap` apply a polynomial map to
the six coordinates; `LineSegmentMap` is the parametric map of a segment of
a ring (betatron rotation from the optics functions, chromaticity, amplitude
detuning, dispersion, synchrotron motion, energy changes, damping and
noise), see `line_segment_map.h`.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = ["FirstOrderTaylorMap", "SecondOrderTaylorMap", "LineSegmentMap"]


def _matrix(owner, name, value, shape):
    arr = np.array(value, dtype=float)
    if arr.shape != shape:
        raise ValueError(f"{owner}: {name} must have shape {shape}, got {arr.shape}.")
    return arr


class FirstOrderTaylorMap(BeamElement):
    """First order Taylor map in (x, px, y, py, tau, ptau), tau = zeta/beta0:

    z_out[i] = m0[i] + sum_j m1[i, j] z_in[j].

    Parameters
    ----------
    length : float, default 0
        Length [m] (added to s).
    m0 : array_like (6,), default zeros
        Zero order coefficients.
    m1 : array_like (6, 6), default identity
        First order coefficients.
    radiation_flag : int, default 0
        Synchrotron radiation; only 0 (off) is supported here.
    """

    _xofields = {"length": xo.Float64, "m0": xo.Float64[6], "m1": xo.Float64[6, 6],
                 "radiation_flag": xo.Int64}
    isthick = True
    _extra_c_sources = [_HERE / "first_order_taylor_map.h"]

    def __init__(self, length=0.0, m0=None, m1=None, radiation_flag=0, **kwargs):
        if "_xobject" not in kwargs:
            name = type(self).__name__
            if radiation_flag not in (0, False):
                raise NotImplementedError(f"{name}: radiation_flag={radiation_flag!r} is not "
                                          "supported (only 0).")
            kwargs.update(
                length=length, radiation_flag=0,
                m0=np.zeros(6) if m0 is None else _matrix(name, "m0", m0, (6,)),
                m1=np.eye(6) if m1 is None else _matrix(name, "m1", m1, (6, 6)))
        super().__init__(**kwargs)


class SecondOrderTaylorMap(BeamElement):
    """Second order Taylor map in z = (x, px, y, py, zeta, pzeta):

    z_out[i] = k[i] + sum_j R[i, j] z[j] + sum_jl T[i, j, l] z[j] z[l].

    Parameters
    ----------
    length : float, default 0
        Length [m] (added to s).
    k : array_like (6,), default zeros
        Zero order coefficients.
    R : array_like (6, 6), default identity
        First order coefficients.
    T : array_like (6, 6, 6), default zeros
        Second order coefficients.
    """

    _xofields = {"k": xo.Float64[6], "R": xo.Float64[6, 6], "T": xo.Float64[6, 6, 6],
                 "length": xo.Float64}
    isthick = True
    _extra_c_sources = [_HERE / "second_order_taylor_map.h"]

    def __init__(self, length=0.0, k=None, R=None, T=None, **kwargs):
        if "_xobject" not in kwargs:
            name = type(self).__name__
            kwargs.update(
                length=length,
                k=np.zeros(6) if k is None else _matrix(name, "k", k, (6,)),
                R=np.eye(6) if R is None else _matrix(name, "R", R, (6, 6)),
                T=np.zeros((6, 6, 6)) if T is None else _matrix(name, "T", T, (6, 6, 6)))
        super().__init__(**kwargs)

    @classmethod
    def from_line(cls, line, start, end, twiss_table=None, **kwargs):
        """Map of a part of a line (finite differences around the closed orbit)."""
        from ..twiss.taylor_map import second_order_taylor_map_from_line  # owned by twiss/

        return second_order_taylor_map_from_line(cls, line, start, end, twiss_table=twiss_table,
                                                 **kwargs)

    def _host(self, name):
        return np.array(self._context.nparray_from_context_array(getattr(self, name)), dtype=float)

    def scale_coordinates(self, scale_x=1, scale_px=1, scale_y=1, scale_py=1, scale_zeta=1,
                          scale_pzeta=1):
        """The same map in the scaled coordinates z' = S z, S = diag(scale_*).

        Returns
        -------
        SecondOrderTaylorMap
            k' = S k, R' = S R S^-1, T'[i,j,l] = S_i T[i,j,l] / (S_j S_l).
        """
        s = np.array([scale_x, scale_px, scale_y, scale_py, scale_zeta, scale_pzeta], dtype=float)
        if np.any(s == 0):
            raise ValueError(f"SecondOrderTaylorMap.scale_coordinates: scales must be non-zero, got {s}.")
        k, R, T = self._host("k"), self._host("R"), self._host("T")
        return type(self)(length=self.length, k=s * k, R=s[:, None] * R / s[None, :],
                          T=s[:, None, None] * T / (s[None, :, None] * s[None, None, :]),
                          _context=self._context)


# ------------------------------------------------------------- LineSegmentMap
_LONGITUDINAL_MODES = {"frozen": 0, "linear_fixed_qs": 1, "nonlinear": 2, "linear_fixed_rf": 3}
_PLANES = ("x", "px", "y", "py", "zeta", "pzeta")


def _pair(owner, name, value):
    """(entry, exit) values from a float or a pair."""
    arr = np.atleast_1d(np.array(value, dtype=float))
    if arr.shape == (1,):
        return np.array([arr[0], arr[0]])
    if arr.shape != (2,):
        raise ValueError(f"{owner}: {name} must be a float or a pair (entry, exit), got {value!r}.")
    return arr


class LineSegmentMap(BeamElement):
    """Parametric map of a segment of a ring (linear optics plus effects).

    Steps, in this order: (1) the closed orbit (`x_ref`... at the entry) and
    the dispersion at the entry are removed, with the symplectic zeta term
    zeta += (dpx x - dx px + dpy y - dy py)/rvv; (2) betatron rotation from
    the Twiss functions at entry and exit by the phase advance
    2 pi (q + sum_n coeffs_dq[n] delta^n + det * J), J the actions at the
    entry; (3) dispersion and closed orbit at the exit are added back, with
    zeta -= (dpx x - dx px + dpy y - dy py)/rvv; (4) longitudinal map;
    (5) energy_increment (px, py unchanged); (6) energy_ref_increment (new
    reference, betatron amplitudes scaled by sqrt(p0_old/p0_new)); (7)
    damping: z -> damping_factors z; (8) Gaussian noise; (9) s += length.

    Longitudinal modes: 'frozen' (nothing); 'linear_fixed_qs': rotation in
    (zeta, pzeta) by 2 pi qs with beta function bets (< 0 below transition),
    inside the bucket of length `bucket_length` [s] when > 0; 'nonlinear':
    half slippage, RF kicks q V sin(lag + phase - 2 pi f zeta/(beta0 c)),
    half slippage, slippage dzeta = -L_slip (alpha_c - 1/gamma0^2) delta;
    'linear_fixed_rf': the 'linear_fixed_qs' rotation with qs and bets of
    the linearised RF (S. Y. Lee, "Accelerator Physics", sec. 3.I).

    Parameters
    ----------
    length : float, default 0
        Length [m].
    qx, qy : float, default 0
        Tunes (phase advances / 2 pi) of the segment.
    betx, bety : float or pair, default 1
        Beta functions at entry and exit [m].
    alfx, alfy : float or pair, default 0
        Alpha functions at entry and exit.
    dx, dpx, dy, dpy : float or pair, default 0
        Dispersion [m] and its derivative at entry and exit.
    x_ref, px_ref, y_ref, py_ref : float or pair, default 0
        Reference (closed) orbit at entry and exit [m], [1].
    longitudinal_mode : str, optional
        'frozen', 'linear_fixed_qs', 'nonlinear' or 'linear_fixed_rf'
        (default: 'linear_fixed_qs' if qs is given, 'nonlinear' if
        voltage_rf is given, else 'frozen').
    qs, bets : float
        Synchrotron tune and beta function [m] ('linear_fixed_qs').
    bucket_length : float, optional
        Bucket length [s] for 'linear_fixed_qs' (no wrapping by default).
    momentum_compaction_factor : float
        For 'nonlinear' and 'linear_fixed_rf'.
    slippage_length : float, optional
        [m], default `length`.
    voltage_rf, frequency_rf, lag_rf : list of float
        RF voltages [V], frequencies [Hz] and lags [deg].
    phase_rf : list of float, optional
        RF phases [rad], added to the lags.
    dqx, dqy : float or list of float, default 0
        First order chromaticities, or [dq, ddq, dddq, ...] (derivatives
        of the tune with respect to delta).
    ddqx, ddqy : float, default 0
        Second order chromaticities d^2q/ddelta^2.
    dnqx, dnqy : list of float, optional
        [q, dq, ddq, ...]: tune and chromaticities to any order (instead of
        qx, dqx, ddqx).
    det_xx, det_xy, det_yx, det_yy : float, default 0
        Amplitude detuning dq/dJ [1/m].
    energy_increment : float, default 0
        Energy added to each particle [eV].
    energy_ref_increment : float, default 0
        Energy added to the reference particle [eV].
    damping_rate_x, ..., damping_rate_pzeta : float, default 0
        Uncorrelated damping: z -> (1 - rate) z.
    gauss_noise_ampl_x, ..., gauss_noise_ampl_pzeta : float, default 0
        R.m.s. of uncorrelated Gaussian noise added to each coordinate.
    damping_matrix : array_like (6, 6), optional
        Correlated damping: z -> (1 + damping_matrix) z.
    gauss_noise_matrix : array_like (6, 6), optional
        Covariance matrix of correlated Gaussian noise.
    """

    _xofields = {
        "length": xo.Float64, "qx": xo.Float64, "qy": xo.Float64,
        "coeffs_dqx": xo.Float64[:], "coeffs_dqy": xo.Float64[:],
        "betx": xo.Float64[2], "bety": xo.Float64[2], "alfx": xo.Float64[2], "alfy": xo.Float64[2],
        "dx": xo.Float64[2], "dpx": xo.Float64[2], "dy": xo.Float64[2], "dpy": xo.Float64[2],
        "x_ref": xo.Float64[2], "px_ref": xo.Float64[2], "y_ref": xo.Float64[2],
        "py_ref": xo.Float64[2],
        "det_xx": xo.Float64, "det_xy": xo.Float64, "det_yx": xo.Float64, "det_yy": xo.Float64,
        "energy_increment": xo.Float64, "energy_ref_increment": xo.Float64,
        "longitudinal_mode_flag": xo.Int64, "qs": xo.Float64, "bets": xo.Float64,
        "bucket_length": xo.Float64, "momentum_compaction_factor": xo.Float64,
        "slippage_length": xo.Float64,
        "voltage_rf": xo.Float64[:], "frequency_rf": xo.Float64[:], "lag_rf": xo.Float64[:],
        "phase_rf": xo.Float64[:],
        "uncorrelated_rad_damping": xo.Int64, "correlated_rad_damping": xo.Int64,
        "damping_factors": xo.Float64[6, 6],
        "uncorrelated_gauss_noise": xo.Int64, "correlated_gauss_noise": xo.Int64,
        "gauss_noise_ampl": xo.Float64[6], "gauss_noise_matrix": xo.Float64[6, 6],
        "_noise_factor": xo.Float64[6, 6],
    }
    isthick = True
    needs_rng = True
    _skip_in_to_dict = ["_noise_factor"]
    _extra_c_sources = [_HERE / "_gauss_random.h", _HERE / "line_segment_map.h"]

    def __init__(self, length=0.0, qx=0, qy=0, betx=1.0, bety=1.0, alfx=0.0, alfy=0.0, dx=0.0,
                 dpx=0.0, dy=0.0, dpy=0.0, x_ref=0.0, px_ref=0.0, y_ref=0.0, py_ref=0.0,
                 longitudinal_mode=None, qs=None, bets=None, momentum_compaction_factor=None,
                 slippage_length=None, voltage_rf=None, frequency_rf=None, lag_rf=None,
                 dqx=0.0, dqy=0.0, ddqx=0.0, ddqy=0.0, dnqx=None, dnqy=None, det_xx=0.0,
                 det_xy=0.0, det_yy=0.0, det_yx=0.0, energy_increment=0.0,
                 energy_ref_increment=0.0, damping_rate_x=0.0, damping_rate_px=0.0,
                 damping_rate_y=0.0, damping_rate_py=0.0, damping_rate_zeta=0.0,
                 damping_rate_pzeta=0.0, gauss_noise_ampl_x=0.0, gauss_noise_ampl_px=0.0,
                 gauss_noise_ampl_y=0.0, gauss_noise_ampl_py=0.0, gauss_noise_ampl_zeta=0.0,
                 gauss_noise_ampl_pzeta=0.0, damping_matrix=None, gauss_noise_matrix=None,
                 **kwargs):
        if "_xobject" in kwargs:
            super().__init__(**kwargs)
            return
        name = type(self).__name__
        # keys of the dict format (to_dict output)
        coeffs_dqx = kwargs.pop("coeffs_dqx", None)
        coeffs_dqy = kwargs.pop("coeffs_dqy", None)
        mode_flag = kwargs.pop("longitudinal_mode_flag", None)
        phase_rf = kwargs.pop("phase_rf", None)
        bucket_length = kwargs.pop("bucket_length", None)
        damping_factors = kwargs.pop("damping_factors", None)
        gauss_noise_ampl = kwargs.pop("gauss_noise_ampl", None)
        flags = {k: kwargs.pop(k, None) for k in ("uncorrelated_rad_damping", "correlated_rad_damping",
                                                  "uncorrelated_gauss_noise", "correlated_gauss_noise")}

        # tunes and chromaticities: coeffs[n] multiplies delta^n
        def coeffs(plane, q, dq, ddq, dnq, given):
            if given is not None:
                return np.array(given, dtype=float)
            if dnq is not None:
                if q not in (0, None) or dq not in (0, None) or ddq not in (0, None):
                    raise ValueError(f"{name}: dnq{plane} excludes q{plane}, dq{plane}, ddq{plane}.")
                from math import factorial
                return np.array([c / factorial(n) for n, c in enumerate(dnq)], dtype=float)
            if np.ndim(dq) > 0:  # [dq, ddq, dddq, ...]: derivatives of q
                if ddq not in (0, None):
                    raise ValueError(f"{name}: a list dq{plane} excludes ddq{plane}.")
                from math import factorial
                return np.array([q] + [c / factorial(n + 1) for n, c in enumerate(dq)], dtype=float)
            return np.array([q, dq, ddq / 2.0], dtype=float)
        cx = coeffs("x", qx, dqx, ddqx, dnqx, coeffs_dqx)
        cy = coeffs("y", qy, dqy, ddqy, dnqy, coeffs_dqy)
        while len(cx) > 1 and cx[-1] == 0:
            cx = cx[:-1]
        while len(cy) > 1 and cy[-1] == 0:
            cy = cy[:-1]

        # longitudinal mode
        if mode_flag is not None:
            if longitudinal_mode is not None and _LONGITUDINAL_MODES.get(longitudinal_mode) != mode_flag:
                raise ValueError(f"{name}: longitudinal_mode={longitudinal_mode!r} and "
                                 f"longitudinal_mode_flag={mode_flag!r} disagree.")
            if mode_flag not in _LONGITUDINAL_MODES.values():
                raise ValueError(f"{name}: longitudinal_mode_flag must be one of "
                                 f"{sorted(_LONGITUDINAL_MODES.values())}, got {mode_flag!r}.")
        else:
            if longitudinal_mode is None:
                longitudinal_mode = ("linear_fixed_qs" if qs is not None else
                                     "nonlinear" if voltage_rf is not None else "frozen")
            if longitudinal_mode not in _LONGITUDINAL_MODES:
                raise ValueError(f"{name}: longitudinal_mode must be one of "
                                 f"{sorted(_LONGITUDINAL_MODES)}, got {longitudinal_mode!r}.")
            mode_flag = _LONGITUDINAL_MODES[longitudinal_mode]
        if mode_flag == 1:
            if qs is None or bets is None:
                raise ValueError(f"{name}: longitudinal_mode='linear_fixed_qs' needs qs and bets.")
            if bucket_length is None:
                bucket_length = -1.0
        if mode_flag in (2, 3):
            if momentum_compaction_factor is None or voltage_rf is None or frequency_rf is None:
                raise ValueError(f"{name}: longitudinal_mode={longitudinal_mode or mode_flag!r} needs "
                                 "momentum_compaction_factor, voltage_rf and frequency_rf.")
            if slippage_length is None:
                slippage_length = length
        rf = [np.atleast_1d(np.array(v if v is not None else [0.0], dtype=float))
              for v in (voltage_rf, frequency_rf)]
        n_rf = len(rf[0])
        lag = np.atleast_1d(np.array(lag_rf if lag_rf is not None else [0.0] * n_rf, dtype=float))
        phase = np.atleast_1d(np.array(phase_rf if phase_rf is not None else [0.0] * n_rf, dtype=float))
        for what, arr in (("frequency_rf", rf[1]), ("lag_rf", lag), ("phase_rf", phase)):
            if len(arr) != n_rf:
                raise ValueError(f"{name}: {what} must have the length of voltage_rf ({n_rf}), "
                                 f"got {len(arr)}.")

        # damping and noise
        rates = np.array([damping_rate_x, damping_rate_px, damping_rate_y, damping_rate_py,
                          damping_rate_zeta, damping_rate_pzeta], dtype=float)
        ampl = np.array([gauss_noise_ampl_x, gauss_noise_ampl_px, gauss_noise_ampl_y,
                         gauss_noise_ampl_py, gauss_noise_ampl_zeta, gauss_noise_ampl_pzeta],
                        dtype=float)
        if damping_matrix is not None and np.any(rates != 0):
            raise ValueError(f"{name}: damping_matrix excludes the damping_rate_* arguments.")
        if gauss_noise_matrix is not None and np.any(ampl != 0):
            raise ValueError(f"{name}: gauss_noise_matrix excludes the gauss_noise_ampl_* arguments.")
        if damping_factors is None:
            if damping_matrix is not None:
                damping_factors = np.eye(6) + _matrix(name, "damping_matrix", damping_matrix, (6, 6))
                flags["correlated_rad_damping"] = flags["correlated_rad_damping"] or 1
            else:
                damping_factors = np.diag(1.0 - rates)
                if np.any(rates != 0):
                    flags["uncorrelated_rad_damping"] = flags["uncorrelated_rad_damping"] or 1
        if gauss_noise_ampl is None:
            gauss_noise_ampl = ampl
            if np.any(ampl != 0):
                flags["uncorrelated_gauss_noise"] = flags["uncorrelated_gauss_noise"] or 1
        if gauss_noise_matrix is not None:
            gauss_noise_matrix = _matrix(name, "gauss_noise_matrix", gauss_noise_matrix, (6, 6))
            if np.any(gauss_noise_matrix != 0):
                flags["correlated_gauss_noise"] = flags["correlated_gauss_noise"] or 1
        else:
            gauss_noise_matrix = np.zeros((6, 6))
        kwargs.update(
            length=length, qx=cx[0], qy=cy[0], coeffs_dqx=cx, coeffs_dqy=cy,
            betx=_pair(name, "betx", betx), bety=_pair(name, "bety", bety),
            alfx=_pair(name, "alfx", alfx), alfy=_pair(name, "alfy", alfy),
            dx=_pair(name, "dx", dx), dpx=_pair(name, "dpx", dpx),
            dy=_pair(name, "dy", dy), dpy=_pair(name, "dpy", dpy),
            x_ref=_pair(name, "x_ref", x_ref), px_ref=_pair(name, "px_ref", px_ref),
            y_ref=_pair(name, "y_ref", y_ref), py_ref=_pair(name, "py_ref", py_ref),
            det_xx=det_xx, det_xy=det_xy, det_yx=det_yx, det_yy=det_yy,
            energy_increment=energy_increment, energy_ref_increment=energy_ref_increment,
            longitudinal_mode_flag=mode_flag, qs=qs or 0.0, bets=bets or 0.0,
            bucket_length=bucket_length if bucket_length is not None else 0.0,
            momentum_compaction_factor=momentum_compaction_factor or 0.0,
            slippage_length=slippage_length or 0.0,
            voltage_rf=rf[0], frequency_rf=rf[1], lag_rf=lag, phase_rf=phase,
            damping_factors=_matrix(name, "damping_factors", damping_factors, (6, 6)),
            gauss_noise_ampl=_matrix(name, "gauss_noise_ampl", gauss_noise_ampl, (6,)),
            gauss_noise_matrix=gauss_noise_matrix,
            _noise_factor=_noise_factor(name, gauss_noise_matrix),
            **{k: int(bool(v)) for k, v in flags.items()})
        super().__init__(**kwargs)

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, _offset=None):
        """Element from a dict in the JSON format (absent fields take their defaults:
        no `longitudinal_mode_flag` means 'frozen', whatever the RF lists hold)."""
        dct = dict(dct)
        if "longitudinal_mode" not in dct:
            dct.setdefault("longitudinal_mode_flag", 0)
        return super().from_dict(dct, _context=_context, _buffer=_buffer, _offset=_offset)

    @property
    def longitudinal_mode(self):
        """Name of the longitudinal mode."""
        return {v: k for k, v in _LONGITUDINAL_MODES.items()}[int(self.longitudinal_mode_flag)]


def _noise_factor(owner, cov):
    """L with L L^T = cov (cov symmetric positive semi-definite), for z += L g."""
    if not np.allclose(cov, cov.T, rtol=1e-12, atol=0):
        raise ValueError(f"{owner}: gauss_noise_matrix must be symmetric.")
    if not np.any(cov):
        return np.zeros((6, 6))
    w, v = np.linalg.eigh(cov)
    if np.any(w < -1e-12 * max(abs(w).max(), 1e-300)):
        raise ValueError(f"{owner}: gauss_noise_matrix must be positive semi-definite, "
                         f"eigenvalues {w}.")
    return v * np.sqrt(np.clip(w, 0, None))
