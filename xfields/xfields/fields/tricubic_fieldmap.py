"""TriCubicInterpolatedFieldMap: a potential on a uniform 3D grid, C1 tricubic interpolation.

Each node holds the potential and its derivatives f_x, f_y, f_z, f_xy,
f_xz, f_yz, f_xyz, scaled to cell units (``_phi_taylor``, flat, 8 numbers
per node, x fastest); between nodes the potential is the tricubic
polynomial of Lekien and Marsden (2005) fixed by the 8 corners of the cell
(tricubic_fieldmap.h). Its gradient is continuous, so a kick from it is
a smooth function of the particle position, which trilinear interpolation
of a differentiated grid is not. The derivatives come either from the
user (``update_phi_taylor``) or from finite differences of the nodal
potential (``update_phi``).
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from ._uniform_grid import GRID_XOFIELDS, UniformGrid3D, grid_fields

__all__ = ["TriCubicInterpolatedFieldMap"]

_HERE = Path(__file__).resolve().parent
_PTR = dict(pointer=True)

#: Derivative orders (x, y, z) of the 8 data of a node, in storage order.
TAYLOR_ORDERS = ((0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1),
                 (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1))


def _derivative(values, step, axis):
    """d/d(axis) of nodal values: second-order centred differences, second-order one-sided on the faces."""
    if values.shape[axis] < 3:  # two nodes: the one slope there is
        return np.gradient(values, step, axis=axis, edge_order=1)
    return np.gradient(values, step, axis=axis, edge_order=2)


def taylor_from_phi(phi, dx, dy, dz):
    """(nx, ny, nz, 8) node data (in cell units) of nodal values `phi`, by finite differences."""
    out = np.empty(phi.shape + (8,))
    steps = (dx, dy, dz)
    for k, orders in enumerate(TAYLOR_ORDERS):
        values = phi
        scale = 1.0
        for axis, order in enumerate(orders):
            if order:
                values = _derivative(values, steps[axis], axis)
                scale *= steps[axis]
        out[..., k] = values * scale
    return out


class TriCubicInterpolatedFieldMap(UniformGrid3D, xo.HybridClass):
    """Potential on a uniform 3D grid with C1 tricubic interpolation (Lekien & Marsden 2005).

    Parameters
    ----------
    x_range, y_range, z_range : tuple of float
        (min, max) [m] of the nodes (with nx/dx, ny/dy, nz/dz).
    nx, ny, nz : int
        Nodes per axis, >= 2.
    dx, dy, dz : float
        Node spacings [m] (instead of nx, ny, nz).
    x_grid, y_grid, z_grid : array_like
        Equispaced nodes [m] (instead of the range and count).
    phi : array_like, shape (nx, ny, nz), optional
        Potential at the nodes; its derivatives are taken by finite differences.
    phi_taylor : array_like, shape (nx, ny, nz, 8), optional
        Node data instead of `phi`: f, f_x dx, f_y dy, f_z dz, f_xy dx dy,
        f_xz dx dz, f_yz dy dz, f_xyz dx dy dz.

    The map starts at zero; ``_phi_taylor`` is the flat node data that the
    kernels read (index ``8 * (ix + nx * (iy + ny * iz)) + k``).
    """

    _xofields = {
        **GRID_XOFIELDS,
        "phi_taylor": xo.Float64[:],  # 8 data per node, see the class docstring
    }
    _rename = {"phi_taylor": "_phi_taylor"}
    _extra_c_sources = [_HERE / "tricubic_fieldmap.h"]
    _kernels = {
        "TriCubicInterpolatedFieldMap_interpolate": xo.Kernel(
            args=[xo.Arg(xo.ThisClass, name="fmap"), xo.Arg(xo.Int64, name="num_points"),
                  xo.Arg(xo.Float64, name="x", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="y", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="z", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="out", **_PTR),
                  xo.Arg(xo.Int64, name="inside", **_PTR)],
            n_threads="num_points"),
    }

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None,
                 x_range=None, y_range=None, z_range=None, nx=None, ny=None, nz=None,
                 dx=None, dy=None, dz=None, x_grid=None, y_grid=None, z_grid=None,
                 phi=None, phi_taylor=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        if "x_min" in kwargs:  # from to_dict(): the raw fields, node data flat
            super().__init__(_context=_context, _buffer=_buffer, _offset=_offset, nx=nx, ny=ny,
                             nz=nz, dx=dx, dy=dy, dz=dz, phi_taylor=phi_taylor, **kwargs)
            return
        owner = type(self).__name__
        grid = grid_fields(owner, x_grid, y_grid, z_grid, x_range, y_range, z_range, nx, ny, nz,
                           dx, dy, dz)
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset, **grid,
                         phi_taylor=8 * grid["nx"] * grid["ny"] * grid["nz"], **kwargs)
        if phi is not None and phi_taylor is not None:
            raise ValueError(f"{owner}: give phi or phi_taylor, not both.")
        if phi is not None:
            self.update_phi(phi)
        elif phi_taylor is not None:
            self.update_phi_taylor(phi_taylor)

    @property
    def phi_taylor(self):
        """Node data, (nx, ny, nz, 8) view of ``_phi_taylor`` (see the class docstring)."""
        nx, ny, nz = self.shape
        return self._phi_taylor.reshape((nz, ny, nx, 8)).transpose(2, 1, 0, 3)

    @property
    def phi(self):
        """Potential at the nodes, (nx, ny, nz) view."""
        return self.phi_taylor[..., 0]

    # ----------------------------------------------------------- updates
    def update_phi_taylor(self, phi_taylor):
        """Set the node data, shape (nx, ny, nz, 8), in cell units (see the class docstring)."""
        ctx = self._context
        values = np.asarray(phi_taylor if isinstance(phi_taylor, np.ndarray)
                            else ctx.nparray_from_context_array(phi_taylor), dtype=float)
        if values.shape != self.shape + (8,):
            raise ValueError(f"{type(self).__name__}: phi_taylor must have shape "
                             f"{self.shape + (8,)}, got {values.shape}.")
        flat = np.ascontiguousarray(values.transpose(2, 1, 0, 3)).ravel()
        self._phi_taylor[:] = ctx.nparray_to_context_array(flat)

    def update_phi(self, phi):
        """Set the potential at the nodes, shape (nx, ny, nz); derivatives by finite differences.

        Second-order centred differences (one-sided on the faces), applied
        axis after axis for the mixed derivatives: a potential quadratic in
        each coordinate is reproduced exactly.
        """
        ctx = self._context
        values = np.asarray(phi if isinstance(phi, np.ndarray)
                            else ctx.nparray_from_context_array(phi), dtype=float)
        if values.shape != self.shape:
            raise ValueError(f"{type(self).__name__}: phi must have shape {self.shape}, "
                             f"got {values.shape}.")
        self.update_phi_taylor(taylor_from_phi(values, self.dx, self.dy, self.dz))

    # ----------------------------------------------------- interpolation
    def get_values_at_points(self, x, y, z, return_phi=True, return_dphi_dx=True,
                             return_dphi_dy=True, return_dphi_dz=True):
        """Tricubic interpolation of phi and its gradient at points (zero outside the grid).

        Returns
        -------
        tuple of context arrays
            The requested quantities, in the order phi, dphi_dx, dphi_dy, dphi_dz.
        """
        wanted = [jj for jj, on in enumerate((return_phi, return_dphi_dx, return_dphi_dy,
                                              return_dphi_dz)) if on]
        if not wanted:
            raise ValueError(f"{type(self).__name__}.get_values_at_points: nothing requested "
                             f"(all return_* are False).")
        ctx = self._context
        x, y, z = (ctx.nparray_to_context_array(np.ascontiguousarray(np.atleast_1d(a), dtype=float))
                   if isinstance(a, (np.ndarray, list, tuple, float, int)) else a for a in (x, y, z))
        num = len(x)
        if not len(y) == len(z) == num:
            raise ValueError(f"{type(self).__name__}.get_values_at_points: x, y and z must have "
                             f"the same length, got {len(x)}, {len(y)}, {len(z)}.")
        out = ctx.zeros(4 * num, dtype=np.float64)
        inside = ctx.zeros(num, dtype=np.int64)
        self.get_kernel("TriCubicInterpolatedFieldMap_interpolate")(
            fmap=self._xobject, num_points=num, x=x, y=y, z=z, out=out, inside=inside)
        out = out.reshape(num, 4)
        return tuple(out[:, jj] for jj in wanted)
