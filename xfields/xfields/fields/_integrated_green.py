"""Integrated Green functions of the Poisson equation on a uniform grid.

``phi_i = sum_j rho_j G(r_i - r_j)`` with ``G`` the Green function of the
free-space Laplacian integrated over one cell centred at the node offset
(the charge of a node is spread over its cell). Integrating the Green function
instead of sampling it keeps the near field exact for cells much flatter in
one direction than in another (aspect ratios of 10 or more, common in
accelerator bunches), where the sampled Green function fails:
R. D. Ryne, "On FFT-based convolutions and correlations, with application to
solving Poisson's equation in an open rectilinear domain", arXiv:1111.4971
(2011); J. Qiang et al., Phys. Rev. ST Accel. Beams 9, 044204 (2006).
The primitives below were checked against numerical quadrature.
"""

import numpy as np
from scipy.constants import epsilon_0


def _primitive_2d(x, y):
    """A function whose d^2/dxdy is ln(x^2 + y^2) (x, y never both 0 here)."""
    r2 = x * x + y * y
    return x * y * np.log(r2) - 3 * x * y + x * x * np.arctan(y / x) + y * y * np.arctan(x / y)


def _primitive_3d(x, y, z):
    """A function whose d^3/dxdydz is 1/sqrt(x^2 + y^2 + z^2) (no coordinate 0 here)."""
    r = np.sqrt(x * x + y * y + z * z)
    return (y * z * np.log(x + r) + x * z * np.log(y + r) + x * y * np.log(z + r)
            - 0.5 * x * x * np.arctan(y * z / (x * r)) - 0.5 * y * y * np.arctan(x * z / (y * r))
            - 0.5 * z * z * np.arctan(x * y / (z * r)))


def _cell_integrals(primitive, cells):
    """Integral of the Green function over the cells at offsets 0, d, ..., n d of each axis.

    ``cells`` is ((d, n), ...) per axis. The primitive is evaluated once on
    the corners ``(k - 1/2) d``, k = 0 .. n + 1, shared by neighbouring
    cells; the cell integrals are its mixed differences (inclusion-exclusion).
    """
    corners = [(np.arange(n + 2) - 0.5) * d for d, n in cells]
    values = primitive(*np.meshgrid(*corners, indexing="ij"))
    for axis in range(len(cells)):
        values = np.diff(values, axis=axis)
    return values


def _doubled(values, cells):
    """Values at offsets 0 .. n of each axis laid on the circular doubled grid of 2n nodes.

    Node k of the doubled grid is offset min(k, 2n - k): the Green function
    is even in each coordinate, and taking positive offsets also avoids the
    cancellation of ln(x + r) at x < 0.
    """
    index = [np.minimum(np.arange(2 * n), 2 * n - np.arange(2 * n)) for _, n in cells]
    return values[np.ix_(*index)]


def integrated_green_2d(dx, dy, nx, ny):
    """G on the doubled 2D grid, shape (2 nx, 2 ny): potential [V] at offset per C/m^3 of a node.

    Green function of the 2D Laplacian, ``-ln(r) / (2 pi eps0)``; ``phi``
    then solves ``d2phi/dx2 + d2phi/dy2 = -rho / eps0`` for each z.
    """
    cells = ((dx, nx), (dy, ny))
    box = _cell_integrals(_primitive_2d, cells)
    return -_doubled(box, cells) / (4 * np.pi * epsilon_0)  # -ln(r^2) / (4 pi eps0) integrated


def integrated_green_3d(dx, dy, dz, nx, ny, nz):
    """G on the doubled 3D grid, shape (2 nx, 2 ny, 2 nz): Green function 1 / (4 pi eps0 r)."""
    cells = ((dx, nx), (dy, ny), (dz, nz))
    box = _cell_integrals(_primitive_3d, cells)
    return _doubled(box, cells) / (4 * np.pi * epsilon_0)
