"""BiGaussianFieldMap: the field of a transverse Gaussian bunch of unit line density.

Used by SpaceChargeBiGaussian (the kernel in bigaussian_fieldmap.h reads it);
its centre and sizes are what the quasi-frozen model updates.
"""

from pathlib import Path

import xobjects as xo

__all__ = ["BiGaussianFieldMap"]

_HERE = Path(__file__).resolve().parent


class BiGaussianFieldMap(xo.HybridClass):
    """Potential gradient of a bi-Gaussian distribution of 1 C/m (Bassetti-Erskine).

    Parameters
    ----------
    mean_x, mean_y : float, default 0
        Centre of the distribution [m].
    sigma_x, sigma_y : float
        R.m.s. sizes [m], > 0.
    min_sigma_diff : float, default 1e-10
        Round-beam field when ``|sigma_x - sigma_y|`` is below this [m].
    updatable : bool, default True
        Whether the centre and sizes may be changed after construction.
    """

    _xofields = {
        "mean_x": xo.Float64,          # [m] centre
        "mean_y": xo.Float64,          # [m]
        "sigma_x": xo.Float64,         # [m] r.m.s. size
        "sigma_y": xo.Float64,         # [m]
        "min_sigma_diff": xo.Float64,  # [m] round-beam threshold
        "_updatable": xo.Int64,        # 1: centre and sizes may change
    }
    _extra_c_sources = [_HERE / "bigaussian_fieldmap.h"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, mean_x=0.0,
                 mean_y=0.0, sigma_x=None, sigma_y=None, min_sigma_diff=1e-10, updatable=True,
                 _updatable=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        for name, value in (("sigma_x", sigma_x), ("sigma_y", sigma_y)):
            if value is None or not float(value) > 0:
                raise ValueError(f"BiGaussianFieldMap: {name} must be > 0 [m], got {value}.")
        updatable = bool(updatable if _updatable is None else _updatable)
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset, mean_x=mean_x,
                         mean_y=mean_y, sigma_x=sigma_x, sigma_y=sigma_y,
                         min_sigma_diff=min_sigma_diff, _updatable=int(updatable), **kwargs)

    @property
    def updatable(self):
        """True when centre and sizes may change (quasi-frozen space charge)."""
        return bool(self._xobject._updatable)
