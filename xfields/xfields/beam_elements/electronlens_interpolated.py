"""ElectronLensInterpolated: electron lens of a given transverse electron density.

The density is turned once, at construction, into the 2D potential per
unit line charge (FFTSolver2p5D: open boundaries), stored on a
TriCubicInterpolatedFieldMap; the kick (electronlens_interpolated.h) is the
C1 tricubic interpolation of its gradient, scaled by the current, the
electron speed and the length, so that they can be changed afterwards
without a new solve.
"""

from pathlib import Path

import numpy as np
import xobjects as xo
from xtrack.beam_elements.base import BeamElement

from ..fields.fft_solvers import FFTSolver2p5D
from ..fields._uniform_grid import grid_1d
from ..fields.tricubic_fieldmap import TriCubicInterpolatedFieldMap

__all__ = ["ElectronLensInterpolated"]

_HERE = Path(__file__).resolve().parent


def potential_per_line_charge(rho, dx, dy):
    """2D open-boundary potential [V m/C] of a transverse density `rho` [1/m^2] (nx, ny) of 1 C/m."""
    nx, ny = rho.shape
    solver = FFTSolver2p5D(dx, dy, 1.0, nx, ny, 2, context=xo.ContextCpu())
    return solver.solve(np.repeat(rho[:, :, None], 2, axis=2))[:, :, 0]


class ElectronLensInterpolated(BeamElement):
    """Thin kick of an electron lens whose transverse electron density is given on a grid.

    Parameters
    ----------
    current : float
        Electron current [A].
    length : float
        Length of the interaction [m].
    voltage : float
        Electron acceleration voltage [V] (kinetic energy e*voltage), > 0
        when a current is given.
    rho : array_like, shape (nx, ny)
        Transverse electron density [1/m^2], normalised to unit integral
        (sum(rho) dx dy = 1: the lens then carries `current`; another
        integral scales the charge with it).
    x_grid, y_grid : array_like
        Equispaced nodes [m] of `rho`.
    x_range, y_range, nx, ny, dx, dy :
        Instead of the grids: (min, max) [m] with the number of nodes or
        the spacing, as for the field maps.

    Outside the grid the kick is that of a line charge at the profile's centroid.
    """

    _xofields = {
        "current": xo.Float64,       # [A]
        "length": xo.Float64,        # [m]
        "voltage": xo.Float64,       # [V]
        "rho_integral": xo.Float64,  # sum(rho) dx dy: line charge per current/(beta_e c)
        "x_centroid": xo.Float64,    # [m] centroid of rho, for the field outside the grid
        "y_centroid": xo.Float64,
        "fieldmap": TriCubicInterpolatedFieldMap._XoStruct,  # potential per unit line charge
    }
    _depends_on = [TriCubicInterpolatedFieldMap]
    _extra_c_sources = [_HERE / "electronlens_interpolated.h"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, current=None,
                 length=None, voltage=None, rho=None, x_grid=None, y_grid=None, x_range=None,
                 y_range=None, nx=None, ny=None, dx=None, dy=None, fieldmap=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject, **kwargs)
            return
        name = type(self).__name__
        for label, value in (("current", current), ("length", length), ("voltage", voltage)):
            if value is None:
                raise ValueError(f"{name}: {label} is required.")
        if current != 0 and not float(voltage) > 0:
            raise ValueError(f"{name}: voltage must be > 0 [V] when a current is given (the "
                             f"electron speed follows from it), got voltage={voltage!r}.")
        if fieldmap is None:  # from the density
            fieldmap, moments = self._fieldmap_from_rho(_context, rho, x_grid, y_grid, x_range,
                                                        y_range, nx, ny, dx, dy)
            kwargs.update(moments)
        elif isinstance(fieldmap, dict):  # from to_dict()
            fieldmap = TriCubicInterpolatedFieldMap.from_dict(fieldmap, _context=_context)
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         current=float(current), length=float(length), voltage=float(voltage),
                         fieldmap=fieldmap._xobject, **kwargs)

    @staticmethod
    def _fieldmap_from_rho(context, rho, x_grid, y_grid, x_range, y_range, nx, ny, dx, dy):
        name = "ElectronLensInterpolated"
        if rho is None:
            raise ValueError(f"{name}: rho (transverse electron density [1/m^2], shape (nx, ny)) "
                             f"is required.")
        x0, ddx, nnx = grid_1d(name, "x", x_grid, x_range, nx, dx)
        y0, ddy, nny = grid_1d(name, "y", y_grid, y_range, ny, dy)
        rho = np.asarray(rho, dtype=float)
        if rho.shape != (nnx, nny):
            raise ValueError(f"{name}: rho must have shape (nx, ny) = {(nnx, nny)}, "
                             f"got {rho.shape}.")
        integral = float(np.sum(rho)) * ddx * ddy
        if not integral > 0:
            raise ValueError(f"{name}: rho must have a positive integral, got {integral!r}.")
        phi = potential_per_line_charge(rho, ddx, ddy)
        fieldmap = TriCubicInterpolatedFieldMap(
            _context=context, x_range=(x0, x0 + ddx * (nnx - 1)), nx=nnx,
            y_range=(y0, y0 + ddy * (nny - 1)), ny=nny, z_range=(0.0, 1.0), nz=2,
            phi=np.repeat(phi[:, :, None], 2, axis=2))
        xx = x0 + ddx * np.arange(nnx)
        yy = y0 + ddy * np.arange(nny)
        total = float(np.sum(rho))
        moments = {"rho_integral": integral,
                   "x_centroid": float(np.sum(rho.sum(axis=1) * xx)) / total,
                   "y_centroid": float(np.sum(rho.sum(axis=0) * yy)) / total}
        return fieldmap, moments

    @property
    def fieldmap(self):
        """The potential per unit line charge [V m/C] (a TriCubicInterpolatedFieldMap, nz = 2)."""
        return self._xobject.fieldmap
