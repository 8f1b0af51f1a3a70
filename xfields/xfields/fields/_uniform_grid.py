"""Nodes of a uniform 3D grid (x_min + i dx, i < nx, ...), shared by the field maps."""

import numpy as np
import xobjects as xo

#: Fields of a uniform grid in the struct of a field map.
GRID_XOFIELDS = {
    "x_min": xo.Float64,  # [m] first node
    "y_min": xo.Float64,
    "z_min": xo.Float64,
    "dx": xo.Float64,     # [m] node spacing
    "dy": xo.Float64,
    "dz": xo.Float64,
    "nx": xo.Int64,       # nodes per axis
    "ny": xo.Int64,
    "nz": xo.Int64,
}


def grid_1d(owner, axis, grid=None, limits=None, n=None, d=None):
    """(first node [m], spacing [m], number of nodes) of one axis, from one of the descriptions.

    ``grid`` (equispaced nodes), or ``limits`` = (min, max) with ``n`` nodes
    or spacing ``d`` (rounded so that the nodes span the limits exactly).
    """
    if grid is not None:
        grid = np.asarray(grid, dtype=float)
        steps = np.diff(grid)
        if grid.ndim != 1 or grid.size < 2 or not np.all(steps > 0) or not np.allclose(
                steps, steps[0], rtol=1e-9, atol=0):
            raise ValueError(f"{owner}: {axis}_grid must be an increasing equispaced array of "
                             f"at least 2 nodes.")
        return float(grid[0]), float(steps[0]), int(grid.size)
    if limits is None or len(limits) != 2 or not float(limits[1]) > float(limits[0]):
        raise ValueError(f"{owner}: give {axis}_grid, or {axis}_range = (min, max) with min < max "
                         f"and n{axis} or d{axis}; got {axis}_range={limits!r}.")
    lo, hi = float(limits[0]), float(limits[1])
    if (n is None) == (d is None):
        raise ValueError(f"{owner}: give exactly one of n{axis} and d{axis} with {axis}_range "
                         f"(got n{axis}={n!r}, d{axis}={d!r}).")
    if n is None:
        if not float(d) > 0:
            raise ValueError(f"{owner}: d{axis} must be > 0 [m], got {d!r}.")
        n = int(np.ceil((hi - lo) / float(d) - 1e-9)) + 1
    if int(n) != n or int(n) < 2:
        raise ValueError(f"{owner}: n{axis} must be an integer >= 2, got {n!r}.")
    n = int(n)
    return lo, (hi - lo) / (n - 1), n


def grid_fields(owner, x_grid=None, y_grid=None, z_grid=None, x_range=None, y_range=None,
                z_range=None, nx=None, ny=None, nz=None, dx=None, dy=None, dz=None):
    """The GRID_XOFIELDS values (x_min, ..., nz) of the three axes described as for grid_1d."""
    out = {}
    for axis, grid, limits, n, d in (("x", x_grid, x_range, nx, dx), ("y", y_grid, y_range, ny, dy),
                                     ("z", z_grid, z_range, nz, dz)):
        out[f"{axis}_min"], out[f"d{axis}"], out[f"n{axis}"] = grid_1d(owner, axis, grid, limits,
                                                                       n, d)
    return out


class UniformGrid3D:
    """Mixin of the grid properties of a hybrid class with fields x_min, dx, nx, ... z_min, dz, nz."""

    def _nodes(self, axis):
        first, step, n = (getattr(self, f"{axis}_min"), getattr(self, f"d{axis}"),
                          getattr(self, f"n{axis}"))
        return first + step * np.arange(n)

    def _limits(self, axis):
        nodes = self._nodes(axis)
        return (float(nodes[0]), float(nodes[-1]))

    x_grid = property(lambda self: self._nodes("x"), doc="Horizontal nodes [m].")
    y_grid = property(lambda self: self._nodes("y"), doc="Vertical nodes [m].")
    z_grid = property(lambda self: self._nodes("z"), doc="Longitudinal nodes [m].")
    x_range = property(lambda self: self._limits("x"), doc="(first, last) horizontal node [m].")
    y_range = property(lambda self: self._limits("y"), doc="(first, last) vertical node [m].")
    z_range = property(lambda self: self._limits("z"), doc="(first, last) longitudinal node [m].")

    @property
    def shape(self):
        """(nx, ny, nz)."""
        return (int(self.nx), int(self.ny), int(self.nz))
