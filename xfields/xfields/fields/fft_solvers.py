"""Poisson solvers with open boundaries: FFTSolver3D and FFTSolver2p5D.

Hockney's method (R. W. Hockney and J. W. Eastwood, Computer Simulation
Using Particles, 1988, sec. 6-5-4): the free-space convolution
``phi = G * rho`` over an n-node grid equals the circular convolution over a
doubled grid of 2n nodes with ``rho`` zero-padded, so it is three FFTs of the
doubled grid (the transform of ``G``, the integrated Green function of
_integrated_green.py, is computed once per solver). FFTSolver2p5D solves the
2D Poisson equation in each z slice (a bunch long compared to its width);
FFTSolver3D the 3D one. The FFTs are those of the context (``plan_FFT``).
"""

import numpy as np
import xobjects as xo

from ._integrated_green import integrated_green_2d, integrated_green_3d

__all__ = ["FFTSolver3D", "FFTSolver2p5D"]


def _positive_cells(owner, **values):
    for name, value in values.items():
        if name.startswith("n"):
            if int(value) != value or int(value) < 2:
                raise ValueError(f"{owner}: {name} must be an integer >= 2, got {value!r}.")
        elif not float(value) > 0:
            raise ValueError(f"{owner}: {name} must be > 0 [m], got {value!r}.")


class _FFTSolverBase:
    """The doubled-grid convolution common to the solvers (see the module docstring)."""

    #: axes transformed (the others are independent problems)
    _fft_axes = (0, 1, 2)
    #: independent z slices solved two at a time, as real and imaginary part of one
    #: complex transform (the Green function is real, so they do not mix): half the FFTs
    _pack_pairs = False

    def __init__(self, dx, dy, dz, nx, ny, nz, context=None, fftplan=None):
        name = type(self).__name__
        _positive_cells(name, dx=dx, dy=dy, dz=dz, nx=nx, ny=ny, nz=nz)
        self.dx, self.dy, self.dz = float(dx), float(dy), float(dz)
        self.nx, self.ny, self.nz = int(nx), int(ny), int(nz)
        self.context = context if context is not None else xo.context_default
        # pyopencl arrays lack the slicing and broadcasting used here: the
        # convolution runs on the host for that context (see solve()).
        self._on_host = type(self.context).__name__ == "ContextPyopencl"
        work_shape = tuple(2 * n if ax in self._fft_axes else n
                           for ax, n in enumerate((self.nx, self.ny, self.nz)))
        if self._pack_pairs:
            work_shape = work_shape[:2] + ((self.nz + 1) // 2,)
        green = self._green().reshape(
            tuple(s if ax in self._fft_axes else 1 for ax, s in enumerate(work_shape)))
        green_hat = np.fft.fftn(green.astype(np.complex128), axes=self._fft_axes)
        self._lib = np if self._on_host else self.context.nplike_lib
        self._green_hat = green_hat if self._on_host else self.context.nparray_to_context_array(
            green_hat)
        self._work = self._lib.zeros(work_shape, dtype=np.complex128)
        if fftplan is None:
            if self._on_host:
                fftplan = xo.ContextCpu().plan_FFT(self._work, axes=self._fft_axes)
            else:
                fftplan = self.context.plan_FFT(self._work, axes=self._fft_axes)
        self.fftplan = fftplan

    def _green(self):
        raise NotImplementedError

    def solve(self, rho):
        """Potential [V] at the nodes of the grid of charge density `rho` [C/m^3].

        Parameters
        ----------
        rho : array, shape (nx, ny, nz)
            Charge density at the nodes (an array of the solver's context).

        Returns
        -------
        array, shape (nx, ny, nz), of the context
        """
        shape = (self.nx, self.ny, self.nz)
        if tuple(rho.shape) != shape:
            raise ValueError(f"{type(self).__name__}.solve: rho must have shape {shape}, "
                             f"got {tuple(rho.shape)}.")
        if self._on_host:
            rho = self.context.nparray_from_context_array(rho)
        work = self._work
        nx, ny, nz = shape
        work[...] = 0
        if self._pack_pairs:
            work[:nx, :ny, :] = rho[:, :, 0::2]
            work[:nx, :ny, :nz // 2] += 1j * rho[:, :, 1::2]
        else:
            work[:nx, :ny, :nz] = rho
        self.fftplan.transform(work)
        work *= self._green_hat
        self.fftplan.itransform(work)
        if self._pack_pairs:
            phi = self._lib.empty(shape, dtype=np.float64)
            phi[:, :, 0::2] = work[:nx, :ny, :].real
            phi[:, :, 1::2] = work[:nx, :ny, :nz // 2].imag
        else:
            phi = self._lib.ascontiguousarray(work[:nx, :ny, :nz].real)
        if self._on_host:
            return self.context.nparray_to_context_array(phi)
        return phi


class FFTSolver3D(_FFTSolverBase):
    """Open-boundary 3D Poisson solver (Hockney's doubled grid, integrated Green function).

    Parameters
    ----------
    dx, dy, dz : float
        Cell sizes [m] (for a relativistic bunch, dz in the rest frame:
        gamma0 times the laboratory one).
    nx, ny, nz : int
        Nodes of the grid, >= 2.
    context : XContext, optional
        Where the arrays and FFTs live (default ``xo.context_default``).
    fftplan : FFT plan, optional
        A plan of the doubled grid (2nx, 2ny, 2nz) complex, axes (0, 1, 2),
        to share between solvers of the same size.
    """

    _fft_axes = (0, 1, 2)

    def _green(self):
        return integrated_green_3d(self.dx, self.dy, self.dz, self.nx, self.ny, self.nz)


class FFTSolver2p5D(_FFTSolverBase):
    """2D open-boundary Poisson solver applied to every z slice of a 3D grid.

    The potential of each slice is that of an infinitely long beam of the
    slice's transverse density: the limit of a bunch long compared to its
    width. Parameters as :class:`FFTSolver3D` (dz is not used by the solve;
    the plan is for (2nx, 2ny, (nz + 1) // 2), axes (0, 1): slices are solved
    in pairs, as the real and imaginary parts of one transform).
    """

    _fft_axes = (0, 1)
    _pack_pairs = True

    def _green(self):
        return integrated_green_2d(self.dx, self.dy, self.nx, self.ny)

