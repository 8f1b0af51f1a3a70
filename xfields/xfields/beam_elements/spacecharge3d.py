"""SpaceCharge3D: particle-in-cell space charge.

Before each passage (``update_on_track``) the tracked particles are deposited
on the grid of the element's TriLinearInterpolatedFieldMap, the Poisson
equation is solved (FFTSolver2p5D or FFTSolver3D) and the potential
gradient is differentiated; then every particle gets the kick of the
interpolated gradient (spacecharge3d.h). With ``update_on_track=False`` the
map is frozen (its rho/phi as given). The element is thin: it integrates
`length` of machine without advancing s.
"""

from pathlib import Path

import xobjects as xo
from xtrack.beam_elements.base import BeamElement

from ..fields.trilinear_fieldmap import SOLVERS, TriLinearInterpolatedFieldMap

__all__ = ["SpaceCharge3D"]

_HERE = Path(__file__).resolve().parent


class SpaceCharge3D(BeamElement):
    """Space-charge kick of the tracked bunch itself, from a particle-in-cell field map.

    Parameters
    ----------
    update_on_track : bool, default True
        True: recompute the field map from the tracked particles at each
        passage (the element is then collective). False: frozen map.
    length : float
        Length of machine the kick integrates [m].
    apply_z_kick : bool, default True
        Also apply the longitudinal kick.
    fieldmap : TriLinearInterpolatedFieldMap, optional
        The map to use (instead of the grid arguments below).
    x_range, y_range, z_range : tuple of float
        (min, max) [m] of the grid nodes.
    nx, ny, nz : int
        Nodes per axis (or dx, dy, dz: spacings [m]; or x_grid, y_grid,
        z_grid: equispaced nodes [m]).
    rho : array, optional
        Initial charge density at the nodes [C/m^3], shape (nx, ny, nz).
    phi : array, optional
        Initial potential at the nodes [V]; default solved from rho.
    solver : str or solver object
        'FFTSolver2p5D', 'FFTSolver3D' or a solver object; may be omitted
        for a frozen map whose phi is given.
    gamma0 : float
        Relativistic gamma of the bunch, required with 'FFTSolver3D' (the
        Poisson equation is solved in the rest frame, z stretched by gamma0).
    fftplan : FFT plan, optional
        Plan of the solver's doubled grid, shared between elements.
    """

    _xofields = {
        "fieldmap": TriLinearInterpolatedFieldMap._XoStruct,  # grid with rho, phi, grad phi
        "length": xo.Float64,                                  # [m] integrated length
        "apply_z_kick": xo.Int64,                              # 1: longitudinal kick too
    }
    _depends_on = [TriLinearInterpolatedFieldMap]
    _extra_c_sources = [_HERE / "spacecharge3d.h"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None,
                 update_on_track=True, length=None, apply_z_kick=True, fieldmap=None,
                 x_range=None, y_range=None, z_range=None, nx=None, ny=None, nz=None, dx=None,
                 dy=None, dz=None, x_grid=None, y_grid=None, z_grid=None, rho=None, phi=None,
                 solver=None, gamma0=None, fftplan=None, **kwargs):
        self.update_on_track = bool(update_on_track)
        if _xobject is not None:
            super().__init__(_xobject=_xobject, **kwargs)
            return
        if length is None:
            raise ValueError("SpaceCharge3D: length [m] is required.")
        if isinstance(solver, str) and solver not in SOLVERS:
            raise ValueError(f"SpaceCharge3D: solver={solver!r}; allowed: {list(SOLVERS)} or a "
                             f"solver object.")
        if self.update_on_track and solver is None and not (
                isinstance(fieldmap, TriLinearInterpolatedFieldMap) and fieldmap.solver is not None):
            raise ValueError(f"SpaceCharge3D: update_on_track=True needs a solver "
                             f"({list(SOLVERS)} or a solver object).")
        scale = (1.0, 1.0, 1.0)
        if solver == "FFTSolver3D":
            if gamma0 is None or not float(gamma0) >= 1:
                raise ValueError(f"SpaceCharge3D: solver='FFTSolver3D' needs gamma0 >= 1 (the "
                                 f"relativistic gamma of the bunch), got gamma0={gamma0!r}.")
            scale = (1.0, 1.0, float(gamma0))
        if fieldmap is None:
            if _context is None and _buffer is not None:
                _context = _buffer.context
            fieldmap = TriLinearInterpolatedFieldMap(
                _context=_context, x_range=x_range, y_range=y_range, z_range=z_range, nx=nx,
                ny=ny, nz=nz, dx=dx, dy=dy, dz=dz, x_grid=x_grid, y_grid=y_grid, z_grid=z_grid,
                rho=rho, phi=phi, solver=solver, scale_coordinates_in_solver=scale,
                updatable=self.update_on_track, fftplan=fftplan)
        else:
            if isinstance(fieldmap, dict):
                fieldmap = TriLinearInterpolatedFieldMap.from_dict(fieldmap, _context=_context)
            if not isinstance(fieldmap, TriLinearInterpolatedFieldMap):
                raise TypeError(f"SpaceCharge3D: fieldmap must be a TriLinearInterpolatedFieldMap "
                                f"(or its dict), got {type(fieldmap).__name__}.")
            if solver is not None:
                if solver == "FFTSolver3D":
                    fieldmap.scale_coordinates_in_solver = scale
                fieldmap.solver = fieldmap.generate_solver(solver, fftplan)
        self._solver_name = solver if isinstance(solver, str) else None
        self._gamma0 = None if gamma0 is None else float(gamma0)
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         fieldmap=fieldmap._xobject, length=float(length),
                         apply_z_kick=int(bool(apply_z_kick)), **kwargs)
        # the struct holds a copy of the map's data, and the tracker may move
        # it: the Python-side state of the map (solver, flags) stays here
        self._fieldmap_state = {"solver": fieldmap.solver, "updatable": fieldmap.updatable,
                                "scale_coordinates_in_solver": fieldmap.scale_coordinates_in_solver}

    @property
    def fieldmap(self):
        """The element's TriLinearInterpolatedFieldMap (rho, phi and grad phi on the grid)."""
        view = self._xobject.fieldmap  # a TriLinearInterpolatedFieldMap on the element's data
        for name, value in getattr(self, "_fieldmap_state", {}).items():
            setattr(view, name, value)
        return view

    @property
    def iscollective(self):
        """True when the map is updated from the tracked particles (they are needed all at once)."""
        return self.update_on_track

    def track(self, particles, **kwargs):
        """Kick `particles` (with update_on_track, from the map of these very particles)."""
        if self.update_on_track:
            self.fieldmap.update_from_particles(particles=particles)
        return super().track(particles, **kwargs)

    # ------------------------------------------------------------ dicts
    def to_dict(self, **kwargs):
        """Fields (the map with its arrays), update_on_track and the solver's name."""
        out = super().to_dict(**kwargs)
        out["update_on_track"] = self.update_on_track
        if self._solver_name is not None:
            out["solver"] = self._solver_name
        if self._gamma0 is not None:
            out["gamma0"] = self._gamma0
        return out

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, _offset=None):
        """Element from :meth:`to_dict` output."""
        kwargs = {k: v for k, v in dct.items() if k != "__class__"}
        return cls(_context=_context, _buffer=_buffer, _offset=_offset, **kwargs)
