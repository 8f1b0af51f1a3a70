"""LongitudinalProfileQGaussian: q-Gaussian line density of a bunch (frozen space charge).

The q-Gaussian spans parabolic (q = 0, finite support), Gaussian (q = 1) and
long-tailed (1 < q < 5/3) bunches with one parameter; ``sigma_z`` is always
the r.m.s. length. The density and its derivative are evaluated by the C
functions of qgaussian.h, also used inside the space-charge kernels.
"""

from math import gamma, isfinite, pi, sqrt
from pathlib import Path

import numpy as np
import xobjects as xo

__all__ = ["LongitudinalProfileQGaussian"]

_HERE = Path(__file__).resolve().parent

#: |q - 1| below which the exact Gaussian is used.
Q_TOL = 1e-6
#: Support of a profile without finite support (q >= 1) [m].
UNBOUNDED_SUPPORT = 1e10


def q_gaussian_parameters(sigma_z, q_parameter, q_tol=Q_TOL):
    """``(beta, C_q)`` of the q-Gaussian of r.m.s. length `sigma_z` [m].

    Notes
    -----
    Variance ``1 / (beta (5 - 3q))``; normalisation ``C_q`` of
    ``sqrt(beta) / C_q e_q(-beta z^2)`` from Umarov, Tsallis, Steinberg,
    Milan J. Math. 76 (2008) 307, eq. (20).
    """
    q = float(q_parameter)
    beta = 1.0 / (sigma_z ** 2 * (5.0 - 3.0 * q))
    if abs(q - 1.0) < q_tol:
        return beta, sqrt(pi)
    if q < 1.0:
        cq = 2.0 * sqrt(pi) * gamma(1.0 / (1.0 - q)) / (
            (3.0 - q) * sqrt(1.0 - q) * gamma((3.0 - q) / (2.0 * (1.0 - q))))
    else:
        cq = sqrt(pi) * gamma((3.0 - q) / (2.0 * (q - 1.0))) / (
            sqrt(q - 1.0) * gamma(1.0 / (q - 1.0)))
    return beta, cq


class LongitudinalProfileQGaussian(xo.HybridClass):
    """q-Gaussian longitudinal line density.

    Parameters
    ----------
    number_of_particles : float
        Particles in the bunch (integral of the line density).
    sigma_z : float
        R.m.s. bunch length [m], > 0.
    z0 : float, default 0
        Centre of the profile [m].
    q_parameter : float, default 1
        Tsallis q, allowed ``q < 5/3`` (finite r.m.s.): 1 Gaussian, < 1
        compact support, > 1 long tails.

    Examples
    --------
    >>> prof = LongitudinalProfileQGaussian(number_of_particles=1e11, sigma_z=0.2)
    >>> float(prof.line_density(np.array([0.0]))[0]) == 1e11 / (np.sqrt(2 * np.pi) * 0.2)
    True
    """

    _xofields = {
        "number_of_particles": xo.Float64,  # [1] integral of the line density
        "_sigma_z": xo.Float64,             # [m] r.m.s. length
        "_z0": xo.Float64,                  # [m] centre
        "_q_param": xo.Float64,             # [1] Tsallis q
        "_cq_param": xo.Float64,            # [1] normalisation C_q
        "_beta_param": xo.Float64,          # [1/m^2] q-Gaussian beta
        "_sqrt_beta_param": xo.Float64,     # [1/m]
        "_support_min": xo.Float64,         # [m] density is 0 below
        "_support_max": xo.Float64,         # [m] and above
        "_q_tol": xo.Float64,               # [1] Gaussian when |q - 1| is below
    }
    _extra_c_sources = [_HERE / "qgaussian.h"]
    _kernels = {
        name: xo.Kernel(args=[xo.Arg(xo.ThisClass, name="prof"), xo.Arg(xo.Int64, name="n"),
                              xo.Arg(xo.Float64, pointer=True, name="z"),
                              xo.Arg(xo.Float64, pointer=True, name="res")],
                        n_threads="n")
        for name in ("line_density_qgauss", "line_derivative_qgauss")
    }

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None,
                 number_of_particles=None, sigma_z=None, z0=0.0, q_parameter=1.0, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        stored = {k: kwargs.pop(k) for k in list(kwargs) if k in self._stored_names()}
        if kwargs:
            from xobjects.types.base import unknown_name_error

            raise unknown_name_error("LongitudinalProfileQGaussian", next(iter(kwargs)),
                                     ["number_of_particles", "sigma_z", "z0", "q_parameter"])
        if stored:  # from to_dict(): the stored parameters, as they are
            super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                             number_of_particles=number_of_particles, **stored)
            return
        if number_of_particles is None or sigma_z is None:
            raise ValueError("LongitudinalProfileQGaussian: number_of_particles and sigma_z are "
                             f"required, got number_of_particles={number_of_particles}, "
                             f"sigma_z={sigma_z}.")
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         number_of_particles=number_of_particles,
                         **self._parameters(sigma_z, z0, q_parameter))

    @classmethod
    def _stored_names(cls):
        return {f.name for f in cls._XoStruct._fields} - {"number_of_particles"}

    @staticmethod
    def _parameters(sigma_z, z0, q_parameter):
        """The stored fields of the profile (sigma_z, z0, q) after checking them."""
        sigma_z, z0, q = float(sigma_z), float(z0), float(q_parameter)
        if not (sigma_z > 0 and isfinite(sigma_z)):
            raise ValueError(f"LongitudinalProfileQGaussian: sigma_z must be > 0 [m], got {sigma_z}.")
        if not q < 5.0 / 3.0:
            raise ValueError(f"LongitudinalProfileQGaussian: q_parameter={q} must be < 5/3 "
                             f"(finite r.m.s. length).")
        beta, cq = q_gaussian_parameters(sigma_z, q)
        if q < 1.0 and abs(q - 1.0) >= Q_TOL:
            half_width = 1.0 / sqrt(beta * (1.0 - q))
            support = (z0 - half_width, z0 + half_width)
        else:
            support = (-UNBOUNDED_SUPPORT, UNBOUNDED_SUPPORT)
        return dict(_sigma_z=sigma_z, _z0=z0, _q_param=q, _cq_param=cq, _beta_param=beta,
                    _sqrt_beta_param=sqrt(beta), _support_min=support[0],
                    _support_max=support[1], _q_tol=Q_TOL)

    def _set(self, **changes):
        new = {"sigma_z": self.sigma_z, "z0": self.z0, "q_parameter": self.q_parameter, **changes}
        for key, value in self._parameters(**new).items():
            setattr(self._xobject, key, value)

    @property
    def sigma_z(self):
        """R.m.s. length [m]."""
        return self._xobject._sigma_z

    @sigma_z.setter
    def sigma_z(self, value):
        self._set(sigma_z=value)

    @property
    def z0(self):
        """Centre [m]."""
        return self._xobject._z0

    @z0.setter
    def z0(self, value):
        self._set(z0=value)

    @property
    def q_parameter(self):
        """Tsallis q."""
        return self._xobject._q_param

    @q_parameter.setter
    def q_parameter(self, value):
        self._set(q_parameter=value)

    def _evaluate(self, kernel_name, z):
        ctx = self._context
        host_input = isinstance(z, (np.ndarray, list, tuple, float, int))
        z_dev = ctx.nparray_to_context_array(np.ascontiguousarray(z, dtype=float)) if host_input else z
        res = ctx.zeros(len(z_dev), dtype=np.float64)
        self.get_kernel(kernel_name)(prof=self._xobject, n=len(z_dev), z=z_dev, res=res)
        return res

    def line_density(self, z):
        """Line density [1/m] at `z` (array [m], on the profile's context or numpy)."""
        return self._evaluate("line_density_qgauss", z)

    def line_derivative(self, z):
        """d(line density)/dz [1/m^2] at `z` (array [m])."""
        return self._evaluate("line_derivative_qgauss", z)
