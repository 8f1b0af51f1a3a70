"""TriLinearInterpolatedFieldMap: charge density and potential on a uniform 3D grid.

The map holds ``rho`` [C/m^3], ``phi`` [V] and the gradient of ``phi`` at
the nodes; particles are deposited with the cloud-in-cell weights, ``phi``
comes from a Poisson solver (FFTSolver2p5D or FFTSolver3D), its gradient from
centred differences, and values between nodes from trilinear interpolation
(all three in C kernels, trilinear_fieldmap.h, for every context). The
arrays are flat in the struct; the properties return (nx, ny, nz) views.
"""

from pathlib import Path

import numpy as np
import xobjects as xo
from scipy.constants import e as QELEM

from ._uniform_grid import GRID_XOFIELDS, UniformGrid3D, grid_fields
from .fft_solvers import FFTSolver2p5D, FFTSolver3D

__all__ = ["TriLinearInterpolatedFieldMap"]

_HERE = Path(__file__).resolve().parent

#: Quantities of get_values_at_points, in the order of XF_TRILINEAR_* in the header.
QUANTITIES = ("rho", "phi", "dphi_dx", "dphi_dy", "dphi_dz")
#: Solvers chosen by name.
SOLVERS = {"FFTSolver3D": FFTSolver3D, "FFTSolver2p5D": FFTSolver2p5D}

_PTR = dict(pointer=True)


class TriLinearInterpolatedFieldMap(UniformGrid3D, xo.HybridClass):
    """Charge density, potential and field of a bunch on a uniform 3D grid.

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
    rho : array_like, shape (nx, ny, nz), optional
        Initial charge density [C/m^3].
    phi : array_like, shape (nx, ny, nz), optional
        Initial potential [V]; default: solved from `rho` when a solver is given.
    solver : str or solver object, optional
        'FFTSolver2p5D', 'FFTSolver3D' or a solver (with ``solve(rho)``).
    scale_coordinates_in_solver : tuple of 3 float, default (1, 1, 1)
        Cell sizes seen by the solver are these times dx, dy, dz (gamma0 on
        z: the 3D potential of a relativistic bunch, solved in its rest frame).
    updatable : bool, default True
        Whether rho and phi may be updated after construction.
    fftplan : FFT plan, optional
        Passed to the solver built from a name.
    """

    _xofields = {
        **GRID_XOFIELDS,
        "rho": xo.Float64[:],     # [C/m^3] charge density, flat, x fastest
        "phi": xo.Float64[:],     # [V] potential
        "dphi_dx": xo.Float64[:],  # [V/m] potential gradient
        "dphi_dy": xo.Float64[:],
        "dphi_dz": xo.Float64[:],
    }
    _rename = {name: f"_{name}_flat" for name in QUANTITIES}
    _extra_c_sources = [_HERE / "trilinear_fieldmap.h"]
    _kernels = {
        "TriLinearInterpolatedFieldMap_deposit": xo.Kernel(
            args=[xo.Arg(xo.ThisClass, name="fmap"), xo.Arg(xo.Int64, name="num_points"),
                  xo.Arg(xo.Float64, name="x", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="y", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="z", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="weight", const=True, **_PTR),
                  xo.Arg(xo.Int64, name="state", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="charge_per_weight")],
            n_threads="num_points"),
        "TriLinearInterpolatedFieldMap_interpolate": xo.Kernel(
            args=[xo.Arg(xo.ThisClass, name="fmap"), xo.Arg(xo.Int64, name="num_points"),
                  xo.Arg(xo.Float64, name="x", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="y", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="z", const=True, **_PTR),
                  xo.Arg(xo.Int64, name="num_quantities"),
                  xo.Arg(xo.Int64, name="quantities", const=True, **_PTR),
                  xo.Arg(xo.Float64, name="out", **_PTR)],
            n_threads="num_points"),
        "TriLinearInterpolatedFieldMap_gradient": xo.Kernel(
            args=[xo.Arg(xo.ThisClass, name="fmap"), xo.Arg(xo.Int64, name="num_nodes")],
            n_threads="num_nodes"),
    }

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None,
                 x_range=None, y_range=None, z_range=None, nx=None, ny=None, nz=None,
                 dx=None, dy=None, dz=None, x_grid=None, y_grid=None, z_grid=None,
                 rho=None, phi=None, solver=None, scale_coordinates_in_solver=(1.0, 1.0, 1.0),
                 updatable=True, fftplan=None, **kwargs):
        self.updatable = bool(updatable)
        self.scale_coordinates_in_solver = tuple(float(s) for s in scale_coordinates_in_solver)
        self.solver = None
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        if "x_min" in kwargs:  # from to_dict(): the raw fields, arrays flat
            super().__init__(_context=_context, _buffer=_buffer, _offset=_offset, nx=nx, ny=ny,
                             nz=nz, dx=dx, dy=dy, dz=dz, rho=rho, phi=phi, **kwargs)
            if solver is not None:
                self.solver = self.generate_solver(solver, fftplan)
            return
        owner = type(self).__name__
        grid = grid_fields(owner, x_grid, y_grid, z_grid, x_range, y_range, z_range, nx, ny, nz,
                           dx, dy, dz)
        size = grid["nx"] * grid["ny"] * grid["nz"]
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset, **grid, rho=size,
                         phi=size, dphi_dx=size, dphi_dy=size, dphi_dz=size, **kwargs)
        if solver is not None:
            self.solver = self.generate_solver(solver, fftplan)
        if rho is not None:
            self.update_rho(rho, force=True)
        if phi is not None:
            self.update_phi(phi, force=True)
        elif rho is not None and self.solver is not None:
            self.update_phi_from_rho()

    # ------------------------------------------------------------- views
    def _view(self, name):
        return getattr(self, f"_{name}_flat").reshape(self.shape, order="F")

    rho = property(lambda self: self._view("rho"), doc="Charge density [C/m^3], (nx, ny, nz) view.")
    phi = property(lambda self: self._view("phi"), doc="Potential [V], (nx, ny, nz) view.")
    dphi_dx = property(lambda self: self._view("dphi_dx"), doc="d phi / dx [V/m], (nx, ny, nz) view.")
    dphi_dy = property(lambda self: self._view("dphi_dy"), doc="d phi / dy [V/m], (nx, ny, nz) view.")
    dphi_dz = property(lambda self: self._view("dphi_dz"), doc="d phi / dz [V/m], (nx, ny, nz) view.")

    # ------------------------------------------------------------ solver
    def generate_solver(self, solver, fftplan=None):
        """A solver for this grid: `solver` itself, or built from its name."""
        if not isinstance(solver, str):
            if not hasattr(solver, "solve"):
                raise TypeError(f"{type(self).__name__}: solver must be one of {list(SOLVERS)} or "
                                f"an object with solve(rho), got {type(solver).__name__}.")
            return solver
        if solver not in SOLVERS:
            raise ValueError(f"{type(self).__name__}: solver={solver!r}; allowed: {list(SOLVERS)} "
                             f"or a solver object.")
        sx, sy, sz = self.scale_coordinates_in_solver
        return SOLVERS[solver](self.dx * sx, self.dy * sy, self.dz * sz, self.nx, self.ny, self.nz,
                               context=self._context, fftplan=fftplan)

    # ----------------------------------------------------------- updates
    def _check_updatable(self, force):
        if not (self.updatable or force):
            raise RuntimeError(f"{type(self).__name__}: the map was built with updatable=False.")

    def _set_grid_array(self, name, values):
        values = np.asarray(self._context.nparray_from_context_array(values)
                            if not isinstance(values, np.ndarray) else values, dtype=float)
        if values.shape != self.shape:
            raise ValueError(f"{type(self).__name__}: {name} must have shape {self.shape}, "
                             f"got {values.shape}.")
        flat = self._context.nparray_to_context_array(np.ravel(values, order="F").copy())
        getattr(self, f"_{name}_flat")[:] = flat

    def _update_grid_array(self, name, values, reset, force):
        self._check_updatable(force)
        if not reset:  # add to what is there
            values = self._context.nparray_from_context_array(self._view(name)) + np.asarray(values)
        self._set_grid_array(name, values)

    def update_rho(self, rho, reset=True, force=False):
        """Set (or with reset=False add to) the charge density [C/m^3], shape (nx, ny, nz)."""
        self._update_grid_array("rho", rho, reset, force)

    def update_phi(self, phi, reset=True, force=False):
        """Set (or add to) the potential [V], shape (nx, ny, nz), and recompute its gradient."""
        self._update_grid_array("phi", phi, reset, force)
        self.update_gradient()

    def update_gradient(self):
        """dphi_dx, dphi_dy, dphi_dz from phi (centred differences, one-sided on the faces)."""
        size = self.nx * self.ny * self.nz
        self.get_kernel("TriLinearInterpolatedFieldMap_gradient")(fmap=self._xobject,
                                                                  num_nodes=size)

    def update_phi_from_rho(self, solver=None):
        """Solve the Poisson equation of rho (with `solver`, default the map's) into phi."""
        if solver is not None:
            self.solver = self.generate_solver(solver)
        if self.solver is None:
            raise ValueError(f"{type(self).__name__}.update_phi_from_rho: no solver; give "
                             f"solver= one of {list(SOLVERS)} or a solver object.")
        phi = self.solver.solve(self.rho)
        if self._on_opencl:  # no Fortran-order ravel of pyopencl arrays: through the host
            self._set_grid_array("phi", phi)
        else:
            self._phi_flat[:] = self._context.nplike_lib.ravel(phi, order="F")
        self.update_gradient()

    @property
    def _on_opencl(self):
        return type(self._context).__name__ == "ContextPyopencl"

    def update_from_particles(self, particles=None, x_p=None, y_p=None, z_p=None, ncharges_p=None,
                              q0_coulomb=None, reset=True, update_phi=True, solver=None,
                              force=False):
        """Deposit charges (cloud-in-cell) into rho and, by default, solve for phi.

        Parameters
        ----------
        particles : xpart.Particles, optional
            The alive particles (state > 0) deposit ``weight * q0 * e`` at (x, y, zeta).
        x_p, y_p, z_p : arrays, optional
            Positions [m] (instead of `particles`), with `ncharges_p` and `q0_coulomb`.
        ncharges_p : array
            Number of elementary charges of each point (its weight).
        q0_coulomb : float
            Charge [C] of one elementary charge of the points.
        reset : bool, default True
            Start from rho = 0 (else add to it).
        update_phi : bool, default True
            Solve for phi (and its gradient) after the deposit.
        solver : str or solver object, optional
            Solver for this update (default the map's).
        force : bool, default False
            Update even a map built with updatable=False.
        """
        self._check_updatable(force)
        ctx = self._context
        if particles is not None:
            x, y, z, weight, state = (particles.x, particles.y, particles.zeta, particles.weight,
                                      particles.state)
            num = particles._capacity
            q0 = particles.q0  # a scalar of the particle set (a device array on GPU contexts)
            q0 = q0.get() if hasattr(q0, "get") else q0
            charge_per_weight = float(np.atleast_1d(q0)[0]) * QELEM
        else:
            if x_p is None or y_p is None or z_p is None or ncharges_p is None or q0_coulomb is None:
                raise ValueError(f"{type(self).__name__}.update_from_particles: give particles, or "
                                 f"x_p, y_p, z_p, ncharges_p and q0_coulomb.")
            x, y, z, weight = (self._on_context(a) for a in (x_p, y_p, z_p, ncharges_p))
            num = len(x)
            if not len(y) == len(z) == len(weight) == num:
                raise ValueError(f"{type(self).__name__}.update_from_particles: x_p, y_p, z_p and "
                                 f"ncharges_p must have the same length.")
            state = ctx.nparray_to_context_array(np.ones(num, dtype=np.int64))
            charge_per_weight = float(q0_coulomb)
        if reset:
            self._rho_flat[:] = 0.0
        self.get_kernel("TriLinearInterpolatedFieldMap_deposit")(
            fmap=self._xobject, num_points=num, x=x, y=y, z=z, weight=weight, state=state,
            charge_per_weight=charge_per_weight)
        if update_phi:
            self.update_phi_from_rho(solver=solver)

    def _on_context(self, values):
        if isinstance(values, np.ndarray) or np.isscalar(values) or isinstance(values, (list, tuple)):
            return self._context.nparray_to_context_array(np.ascontiguousarray(values, dtype=float))
        return values

    # ----------------------------------------------------- interpolation
    def get_values_at_points(self, x, y, z, return_rho=True, return_phi=True, return_dphi_dx=True,
                             return_dphi_dy=True, return_dphi_dz=True):
        """Trilinear interpolation at points (zero outside the grid).

        Returns
        -------
        tuple of context arrays
            The requested quantities, in the order rho, phi, dphi_dx, dphi_dy, dphi_dz.
        """
        wanted = [q for q, on in zip(QUANTITIES, (return_rho, return_phi, return_dphi_dx,
                                                  return_dphi_dy, return_dphi_dz)) if on]
        if not wanted:
            raise ValueError(f"{type(self).__name__}.get_values_at_points: nothing requested "
                             f"(all return_* are False).")
        ctx = self._context
        x, y, z = (self._on_context(np.atleast_1d(a) if not hasattr(a, "shape") else a)
                   for a in (x, y, z))
        num = len(x)
        if not len(y) == len(z) == num:
            raise ValueError(f"{type(self).__name__}.get_values_at_points: x, y and z must have "
                             f"the same length, got {len(x)}, {len(y)}, {len(z)}.")
        codes = ctx.nparray_to_context_array(
            np.array([QUANTITIES.index(q) for q in wanted], dtype=np.int64))
        out = ctx.zeros(num * len(wanted), dtype=np.float64)
        self.get_kernel("TriLinearInterpolatedFieldMap_interpolate")(
            fmap=self._xobject, num_points=num, x=x, y=y, z=z, num_quantities=len(wanted),
            quantities=codes, out=out)
        out = out.reshape(num, len(wanted))
        return tuple(out[:, jj] for jj in range(len(wanted)))

    # -------------------------------------------------------------- dicts
    def to_dict(self, **kwargs):
        """Fields (arrays flat, x fastest) and ``updatable``; from_dict rebuilds the same map."""
        out = super().to_dict(**kwargs)
        out["updatable"] = self.updatable
        out["scale_coordinates_in_solver"] = list(self.scale_coordinates_in_solver)
        return out

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, _offset=None):
        """Map from :meth:`to_dict` output (the solver is rebuilt by SpaceCharge3D when needed)."""
        kwargs = {k: v for k, v in dct.items() if k != "__class__"}
        return cls(_context=_context, _buffer=_buffer, _offset=_offset, **kwargs)
