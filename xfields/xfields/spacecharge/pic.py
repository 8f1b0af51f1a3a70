"""PICCollection and replace_spacecharge_with_PIC.

Building a Poisson solver (the FFT of the integrated Green function on the
doubled grid and the work array of the transforms) costs more than a solve,
and a ring has hundreds of space-charge kicks whose beam sizes differ only a
little. The collection therefore offers grids of a few half-widths,
``n_lims_x`` by ``n_lims_y`` values spread over the range needed, and all
the PIC elements with the same half-widths share one solver.
"""

import numpy as np

from ..beam_elements.spacecharge import SpaceChargeBiGaussian
from ..beam_elements.spacecharge3d import SpaceCharge3D
from ..fields.trilinear_fieldmap import SOLVERS, TriLinearInterpolatedFieldMap

__all__ = ["PICCollection", "replace_spacecharge_with_PIC"]


def _z_limits(owner, z_range):
    if np.ndim(z_range) == 0:  # a full extent, centred on the bunch
        if z_range is None or not float(z_range) > 0:
            raise ValueError(f"{owner}: z_range must be (z_min, z_max) [m] or a positive extent, "
                             f"got {z_range!r}.")
        return (-0.5 * float(z_range), 0.5 * float(z_range))
    if len(z_range) != 2 or not float(z_range[1]) > float(z_range[0]):
        raise ValueError(f"{owner}: z_range must be (z_min, z_max) [m] with z_min < z_max, "
                         f"got {z_range!r}.")
    return (float(z_range[0]), float(z_range[1]))


class PICCollection:
    """Particle-in-cell elements on grids of a few sizes, sharing their solvers.

    Parameters
    ----------
    nx_grid, ny_grid, nz_grid : int
        Nodes of every grid.
    x_lim_min, x_lim_max : float
        Smallest and largest horizontal half-width of the grids [m].
    n_lims_x : int
        Number of horizontal half-widths, evenly spread between the two.
    y_lim_min, y_lim_max, n_lims_y
        The same vertically.
    z_range : tuple of float
        (z_min, z_max) [m] of every grid (or a float: the full extent, centred).
    solver : str, default 'FFTSolver2p5D'
        'FFTSolver2p5D' or 'FFTSolver3D'.
    apply_z_kick : bool, default False
        Whether the elements kick longitudinally.
    gamma0 : float, optional
        Relativistic gamma, required with 'FFTSolver3D'.
    """

    def __init__(self, nx_grid, ny_grid, nz_grid, x_lim_min, x_lim_max, n_lims_x, y_lim_min,
                 y_lim_max, n_lims_y, z_range, solver="FFTSolver2p5D", apply_z_kick=False,
                 gamma0=None, _context=None, _buffer=None):
        owner = type(self).__name__
        if solver not in SOLVERS:
            raise ValueError(f"{owner}: solver={solver!r}; allowed: {list(SOLVERS)}.")
        for name, value in (("n_lims_x", n_lims_x), ("n_lims_y", n_lims_y)):
            if int(value) != value or int(value) < 1:
                raise ValueError(f"{owner}: {name} must be an integer >= 1, got {value!r}.")
        for axis, lo, hi in (("x", x_lim_min, x_lim_max), ("y", y_lim_min, y_lim_max)):
            if not 0 < float(lo) <= float(hi):
                raise ValueError(f"{owner}: need 0 < {axis}_lim_min <= {axis}_lim_max [m], got "
                                 f"{axis}_lim_min={lo!r}, {axis}_lim_max={hi!r}.")
        self.nx_grid, self.ny_grid, self.nz_grid = int(nx_grid), int(ny_grid), int(nz_grid)
        self.x_lims = np.linspace(float(x_lim_min), float(x_lim_max), int(n_lims_x))
        self.y_lims = np.linspace(float(y_lim_min), float(y_lim_max), int(n_lims_y))
        self.z_range = _z_limits(owner, z_range)
        self.solver = solver
        self.apply_z_kick = bool(apply_z_kick)
        self.gamma0 = gamma0
        self._context = _context if _context is not None else (
            _buffer.context if _buffer is not None else None)
        self._buffer = _buffer
        self._solvers = {}

    def get_index_for_lims(self, x_lim, y_lim):
        """(ix, iy) of the smallest offered half-widths covering x_lim, y_lim (the largest if none)."""
        ix = min(int(np.searchsorted(self.x_lims, x_lim * (1 - 1e-12))), len(self.x_lims) - 1)
        iy = min(int(np.searchsorted(self.y_lims, y_lim * (1 - 1e-12))), len(self.y_lims) - 1)
        return ix, iy

    def get_pic(self, x_lim, y_lim, length=0.0):
        """A new SpaceCharge3D on the grid (+-x_lims[ix], +-y_lims[iy], z_range) covering the limits.

        Elements on the same grid share one solver.
        """
        ix, iy = self.get_index_for_lims(x_lim, y_lim)
        xl, yl = self.x_lims[ix], self.y_lims[iy]
        shared = self._solvers.get((ix, iy))
        scale = (1.0, 1.0, float(self.gamma0)) if self.solver == "FFTSolver3D" else (1.0, 1.0, 1.0)
        if self.solver == "FFTSolver3D" and not (self.gamma0 is not None and self.gamma0 >= 1):
            raise ValueError(f"{type(self).__name__}: solver='FFTSolver3D' needs gamma0 >= 1, "
                             f"got {self.gamma0!r}.")
        fieldmap = TriLinearInterpolatedFieldMap(
            _context=self._context, x_range=(-xl, xl), y_range=(-yl, yl), z_range=self.z_range,
            nx=self.nx_grid, ny=self.ny_grid, nz=self.nz_grid,
            solver=shared if shared is not None else self.solver,
            scale_coordinates_in_solver=scale)
        self._solvers[(ix, iy)] = fieldmap.solver
        return SpaceCharge3D(_context=self._context, _buffer=self._buffer, update_on_track=True,
                             length=length, apply_z_kick=self.apply_z_kick, fieldmap=fieldmap,
                             gamma0=self.gamma0)

    @property
    def num_solvers(self):
        """Solvers built so far (one per grid size in use)."""
        return len(self._solvers)


def replace_spacecharge_with_PIC(line, n_sigmas_range_pic_x, n_sigmas_range_pic_y, nx_grid,
                                 ny_grid, nz_grid, n_lims_x, n_lims_y, z_range,
                                 solver="FFTSolver2p5D", _context=None, _buffer=None):
    """Replace the SpaceChargeBiGaussian elements of `line` by PIC elements (SpaceCharge3D).

    Each grid spans at least ``|centre| + n_sigmas * sigma`` on each side,
    from the sizes of the element it replaces; the half-widths are those of a
    PICCollection spanning the smallest to the largest needed.

    Parameters
    ----------
    line : xtrack.Line
        Line with SpaceChargeBiGaussian elements (its tracker is discarded).
    n_sigmas_range_pic_x, n_sigmas_range_pic_y : float
        Half-width of the grids in r.m.s. beam sizes.
    nx_grid, ny_grid, nz_grid : int
        Nodes of the grids.
    n_lims_x, n_lims_y : int
        Number of different half-widths offered in x and y.
    z_range : tuple of float
        (z_min, z_max) [m] of the grids (or a float: the full extent, centred).
    solver : str, default 'FFTSolver2p5D'
        'FFTSolver2p5D' or 'FFTSolver3D' (gamma0 from the line's reference particle).

    Returns
    -------
    pic_collection : PICCollection
    all_pics : list of SpaceCharge3D
        The new elements, in line order (same names and lengths as those replaced).
    """
    if getattr(line, "tracker", None) is not None:
        line.discard_tracker()
    names = [name for name in dict.fromkeys(line.element_names)
             if isinstance(line.element_dict[name], SpaceChargeBiGaussian)]
    if not names:
        raise ValueError("replace_spacecharge_with_PIC: the line has no SpaceChargeBiGaussian "
                         "element; install them first (xf.install_spacecharge_frozen).")
    for name, value in (("n_sigmas_range_pic_x", n_sigmas_range_pic_x),
                        ("n_sigmas_range_pic_y", n_sigmas_range_pic_y)):
        if not float(value) > 0:
            raise ValueError(f"replace_spacecharge_with_PIC: {name} must be > 0, got {value!r}.")
    old = [line.element_dict[name] for name in names]
    x_lims = [abs(e.mean_x) + n_sigmas_range_pic_x * e.sigma_x for e in old]
    y_lims = [abs(e.mean_y) + n_sigmas_range_pic_y * e.sigma_y for e in old]
    gamma0 = None
    if solver == "FFTSolver3D":
        gamma0 = float(np.atleast_1d(line.particle_ref.gamma0)[0])
    pic_collection = PICCollection(
        nx_grid, ny_grid, nz_grid, x_lim_min=min(x_lims), x_lim_max=max(x_lims), n_lims_x=n_lims_x,
        y_lim_min=min(y_lims), y_lim_max=max(y_lims), n_lims_y=n_lims_y, z_range=z_range,
        solver=solver, apply_z_kick=any(e.apply_z_kick for e in old), gamma0=gamma0,
        _context=_context, _buffer=_buffer)
    all_pics = []
    for name, element, x_lim, y_lim in zip(names, old, x_lims, y_lims):
        pic = pic_collection.get_pic(x_lim, y_lim, length=element.length)
        pic.apply_z_kick = int(element.apply_z_kick)
        line.element_dict[name] = pic
        all_pics.append(pic)
    return pic_collection, all_pics
