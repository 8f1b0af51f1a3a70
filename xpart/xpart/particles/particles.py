"""The `Particles` class: coordinates, reference and bookkeeping of a particle set.

Data live in one xobjects struct, `ParticlesData` (`Particles._XoStruct`,
built by the xobjects constructor from the field table of `fields.py`), in
a buffer of any context. Python methods work on
host copies of the arrays (views on the CPU) and write results back; kernels
read and write one particle at a time through the C API of
`local_particle.h`.
"""

import json

import numpy as np

import xobjects as xo

from .. import kinematics as kin
from ..constants import classical_radius, clight
from . import arrays, conversion
from .construction import DEFAULT_P0C, check_names, resolve_particle_fields
from .fields import (
    FIELD_BY_NAME,
    FIELDS,
    PER_PARTICLE,
    RNG_FIELDS,
    SCALARS,
    UNALLOCATED_STATE,
    xofields,
)
from .local_particle import gen_local_particle_api

__all__ = ["Particles", "reference_from_pdg_id"]

_ALLOC_KWARGS = ("_context", "_buffer", "_offset")
# setting one of these through the attribute keeps the momentum variables consistent
_CONSISTENT_SETTERS = {"delta": "update_delta", "pzeta": "update_pzeta",
                       "p0c": "_set_reference_p0c", "gamma0": "_set_reference_gamma0",
                       "beta0": "_set_reference_beta0"}
# item assignment on these arrays (p.delta[i] = v) goes through a consistent update
_LINKED = ("delta", "pzeta", "p0c", "gamma0", "beta0")


class _LinkedArray(np.ndarray):
    """CPU view of a per-particle quantity whose item assignment keeps the others consistent.

    ``p.delta[i] = v`` calls ``p.update_delta`` for the entries set (active
    particles only); ``p.p0c[i] = v`` (also gamma0, beta0, energy0,
    kinetic_energy0, rigidity0) updates the reference p0c, gamma0, beta0
    together. Reading, slicing and arithmetic give plain numpy arrays.
    """

    def __array_finalize__(self, obj):
        self._owner = None
        self._quantity = None

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        out = np.asarray(obj)
        return out[()] if return_scalar else out

    def __getitem__(self, index):
        return np.asarray(self)[index]

    def __setitem__(self, index, value):
        if self._owner is None:
            np.asarray(self)[index] = value
            return
        new = np.full(len(self), np.nan)
        new[index] = self._owner._to_host(value)
        self._owner._linked_update(self._quantity, new)

    def __repr__(self):
        return repr(np.asarray(self))

    def __reduce__(self):
        return np.asarray(self).__reduce__()


def _linked(owner, quantity, values):
    if type(values) is not np.ndarray:
        return values
    out = values.view(_LinkedArray)
    out._owner, out._quantity = owner, quantity
    return out


class Particles(xo.HybridClass):
    """Coordinates and other data of a set of particles.

    Parameters can be provided as arrays of the same length or as scalars
    (broadcast to all particles). Quantities not provided take default
    values or are computed from the others; redundant inputs must agree.

    Parameters
    ----------
    _capacity : int, optional
        Maximum number of particles that can be stored (default: the number
        of particles). A species name (e.g. 'proton', 'electron', 'Pb208')
        may be given here instead, setting mass0, q0 and pdg_id.
    _no_reorganize : bool, default False
        If True, lost particles are not moved to the end of the arrays.
    s : array_like of float, optional
        Reference accumulated path length [m].
    x, y : array_like of float, optional
        Horizontal, vertical position [m].
    px, py : array_like of float, optional
        Px / (m/m0 p0c), Py / (m/m0 p0c).
    delta : array_like of float, optional
        (Pc m0/m - p0c) / p0c.
    ptau : array_like of float, optional
        (Energy m0/m - Energy0) / p0c.
    pzeta : array_like of float, optional
        ptau / beta0.
    rvv : array_like of float, optional
        beta / beta0.
    rpp : array_like of float, optional
        m/m0 P0c / Pc = 1 / (1 + delta).
    zeta : array_like of float, optional
        s - beta0 c t [m].
    tau : array_like of float, optional
        s / beta0 - c t [m].
    mass0 : float, optional
        Reference rest mass [eV] (default: proton).
    q0 : float, optional
        Reference charge [e] (default 1).
    p0c : array_like of float, optional
        Reference momentum [eV] (default 1e9 if no reference energy is given).
    energy0 : array_like of float, optional
        Reference total energy [eV].
    gamma0, beta0 : array_like of float, optional
        Reference relativistic gamma and beta.
    mass_ratio : array_like of float, optional
        m / m0 (rest masses).
    chi : array_like of float, optional
        q/q0 m0/m = charge_ratio / mass_ratio.
    charge_ratio : array_like of float, optional
        q / q0.
    particle_id : array_like of int, optional
        Identifier (default 0 ... n-1).
    at_turn : array_like of int, optional
        Number of tracked turns.
    state : array_like of int, optional
        > 0 alive, <= 0 lost.
    pdg_id : array_like of int or str, optional
        PDG id (0: undefined); a species name sets mass0 and q0 too.
    weight : array_like of float, optional
        Number of real particles represented.
    at_element : array_like of int, optional
        Last element passed.
    parent_particle_id : array_like of int, optional
        Identifier of the parent particle (default: particle_id).
    t_sim : float, optional
        Simulation frame time [s].
    _context, _buffer, _offset : optional
        Where to allocate (xobjects context or buffer).

    Raises
    ------
    TypeError
        Unknown keyword (close matches are suggested).
    ValueError
        Arrays of different lengths, capacity too small, or redundant
        quantities that disagree.
    """

    _c_type_name = "ParticlesData"
    _xofields = xofields()
    _extra_c_sources = [gen_local_particle_api()]

    @classmethod
    def _make_field_property(cls, field):
        """Attribute of one field: the active window of per-particle arrays (`_get_field`);
        setting delta, pzeta or a reference quantity keeps the related fields consistent."""
        name = field.name
        updater = _CONSISTENT_SETTERS.get(name)

        def fget(self):
            return self._get_field(name)

        if updater is None:
            def fset(self, value):
                self._set_field(name, value)
        else:
            def fset(self, value):
                getattr(self, updater)(value)

        return property(fget, fset, doc=field.describe())

    def __init__(self, _capacity=None, _no_reorganize=False, **kwargs):
        if kwargs.get("_xobject") is not None:
            self._wrap_xobject(kwargs.pop("_xobject"), kwargs)
            return
        if isinstance(_capacity, str):
            if kwargs.get("pdg_id") is not None:
                raise ValueError(f"species given twice: {_capacity!r} and pdg_id={kwargs['pdg_id']!r}")
            kwargs["pdg_id"], _capacity = _capacity, None
        alloc = {k: kwargs.pop(k, None) for k in _ALLOC_KWARGS}
        values, n = resolve_particle_fields(kwargs)
        capacity = n if _capacity is None else _capacity
        if isinstance(capacity, bool) or not isinstance(capacity, (int, np.integer)) or capacity < n:
            raise ValueError(f"_capacity must be an integer >= the number of particles ({n}), "
                             f"got {_capacity!r}")
        self._xobject = type(self)._XoStruct(
            _struct_values(values, n, int(capacity)), _context=alloc["_context"],
            _buffer=alloc["_buffer"], _offset=alloc["_offset"])
        self._owns_xobject = alloc["_offset"] is None
        self._bind()
        self._num_active_particles = -1
        self._num_lost_particles = -1
        self._no_reorganize = bool(_no_reorganize)
        if not _no_reorganize:
            self.reorganize()

    # ------------------------------------------------------------------ memory
    def _bind(self):
        """Show every slot of `_xobject`, the `ParticlesData` struct holding the data."""
        self._capacity = len(self._xobject.state)
        self._window = (0, self._capacity)

    def _wrap_xobject(self, xobject, kwargs):
        """Dress an existing `ParticlesData` struct (no copy)."""
        if kwargs:
            raise TypeError(f"Particles(_xobject=...) excludes other arguments, got {sorted(kwargs)}")
        super().__init__(_xobject=xobject)
        self._bind()
        self._count_particles()

    def _count_particles(self):
        """Recount the active and the lost particles from `state`."""
        state = self._host("state")
        self._num_active_particles = int(arrays.active_mask(state).sum())
        self._num_lost_particles = int(arrays.lost_mask(state).sum())

    @staticmethod
    def _write_host(view, host):
        """Write a host array into a context array view."""
        if isinstance(view, np.ndarray):
            view[...] = host
        else:  # pyopencl and cupy arrays
            view.set(np.ascontiguousarray(host, dtype=view.dtype))

    def _get_field(self, name):
        value = getattr(self._xobject, name)
        if not FIELD_BY_NAME[name].per_particle:
            return value
        start, stop = self._window
        if name in _LINKED:
            return _linked(self, name, value[start:stop])
        return value[start:stop]

    def _linked_update(self, quantity, new):
        """Item assignment on a linked array: `new` holds NaN where nothing was set."""
        if quantity in ("delta", "pzeta", "ptau"):
            start, stop = self._window
            new = np.where(self._host("state")[start:stop] > 0, new, np.nan)
            getattr(self, f"update_{quantity}")(new)
            return
        keep = np.isnan(new)
        old = {"p0c": self.p0c, "gamma0": self.gamma0, "beta0": self.beta0,
               "energy0": self.energy0, "kinetic_energy0": self.kinetic_energy0,
               "rigidity0": self.rigidity0}[quantity]
        self._set_reference(quantity, np.where(keep, np.asarray(old, dtype=float), new))

    def _set_reference(self, quantity, value):
        """Set the reference p0c, gamma0, beta0 (consistently) from one reference quantity."""
        from .construction import _check_reference_input

        mass0 = self.mass0
        value = np.asarray(self._to_host(value), dtype=float)
        if quantity == "rigidity0":
            quantity, value = "p0c", value * clight * self.q0
        elif quantity == "kinetic_energy0":
            quantity, value = "energy0", value + mass0
        _check_reference_input(quantity, value, mass0)
        if quantity == "p0c":
            p0c = value
            _, beta0, gamma0 = kin.reference_from_p0c(p0c, mass0)
        elif quantity == "energy0":
            p0c, beta0, gamma0 = kin.reference_from_energy0(value, mass0)
        elif quantity == "gamma0":
            p0c, beta0, _ = kin.reference_from_gamma0(value, mass0)
            gamma0 = value
        else:
            p0c, gamma0, _ = kin.reference_from_beta0(value, mass0)
            beta0 = value
        for name, v in (("p0c", p0c), ("gamma0", gamma0), ("beta0", beta0)):
            self._set_field(name, np.broadcast_to(v, (self._window[1] - self._window[0],)))

    def _set_reference_p0c(self, value):
        self._set_reference("p0c", value)

    def _set_reference_gamma0(self, value):
        self._set_reference("gamma0", value)

    def _set_reference_beta0(self, value):
        self._set_reference("beta0", value)

    def _set_field(self, name, value):
        if not FIELD_BY_NAME[name].per_particle:
            setattr(self._xobject, name, value)
            return
        start, stop = self._window
        self._set_host_items(name, slice(start, stop), self._to_host(value))

    def _to_host(self, arr):
        if isinstance(arr, np.ndarray) or np.isscalar(arr):
            return np.asarray(arr)
        return self._context.nparray_from_context_array(arr)

    def _host(self, name):
        """Host array of a field over the whole capacity (a view on the CPU); scalars as numbers."""
        value = getattr(self._xobject, name)
        return value if not FIELD_BY_NAME[name].per_particle else self._to_host(value)

    def _host_all(self):
        return {f.name: self._host(f.name) for f in FIELDS}

    def _store_host(self, name, host):
        """Write a host array (whole capacity) into a field."""
        self._write_host(getattr(self._xobject, name), host)

    def _set_host_items(self, name, index, values):
        """``field[index] = values`` over the whole capacity of a per-particle field."""
        view = getattr(self._xobject, name)
        if isinstance(view, np.ndarray):
            view[index] = values
        else:  # a host copy, written back whole
            host = self._to_host(view)
            host[index] = values
            self._write_host(view, host)

    def _permute(self, order):
        for name in PER_PARTICLE:
            host = self._host(name)
            self._store_host(name, host[order])

    # ------------------------------------------------------------ derived values
    @property
    def ptau(self):
        """(Energy m0/m - Energy0) / p0c = pzeta beta0; setting it calls `update_ptau`."""
        return _linked(self, "ptau", np.asarray(self.pzeta * self.beta0))

    @ptau.setter
    def ptau(self, value):
        self.update_ptau(value)

    @property
    def energy0(self):
        """Reference total energy [eV]; setting it (or items of it) updates p0c, gamma0, beta0."""
        return _linked(self, "energy0", np.asarray((self.p0c**2 + self.mass0**2) ** 0.5))

    @energy0.setter
    def energy0(self, value):
        self._set_reference("energy0", value)

    @property
    def rigidity0(self):
        """Magnetic rigidity of the reference particle [T m], p0c / (c q0)."""
        return _linked(self, "rigidity0", np.asarray(self.p0c / clight / self.q0))

    @rigidity0.setter
    def rigidity0(self, value):
        self._set_reference("rigidity0", value)

    @property
    def tau(self):
        """Time variable tau = s / beta0 - c t = zeta / beta0 [m]."""
        return self.zeta / self.beta0

    @property
    def mass_ratio(self):
        """Mass ratio m / m0 = charge_ratio / chi."""
        return self.charge_ratio / self.chi

    def _update_chi_charge_ratio(self, chi=None, charge_ratio=None, mass_ratio=None):
        """Change the species: give one or two of chi, charge_ratio (q / q0), mass_ratio (m / m0).

        chi = charge_ratio / mass_ratio; a ratio not given keeps its value
        (chi alone keeps charge_ratio, so the mass follows).
        """
        given = {k: v for k, v in (("chi", chi), ("charge_ratio", charge_ratio),
                                   ("mass_ratio", mass_ratio)) if v is not None}
        if not given or len(given) == 3:
            raise ValueError("_update_chi_charge_ratio: give one or two of chi, charge_ratio, "
                             f"mass_ratio, got {sorted(given)}.")
        for name, value in given.items():
            if np.any(np.asarray(value, dtype=float) <= 0):
                raise ValueError(f"_update_chi_charge_ratio: {name} must be > 0, got {value!r}.")
        mass = given.get("mass_ratio")
        charge = given.get("charge_ratio")
        if chi is not None:
            if charge is None:
                charge = self._host("charge_ratio") if mass is None else chi * mass
        else:
            if charge is None:
                charge = self._host("charge_ratio")
            if mass is None:
                mass = self._host("charge_ratio") / self._host("chi")
            chi = np.asarray(charge, dtype=float) / np.asarray(mass, dtype=float)
        self.charge_ratio = np.broadcast_to(np.asarray(charge, dtype=float), (self._capacity,)).copy()
        self.chi = np.broadcast_to(np.asarray(chi, dtype=float), (self._capacity,)).copy()

    @property
    def mass(self):
        """Rest mass of each particle [eV]."""
        return self.mass_ratio * self.mass0

    @property
    def charge(self):
        """Charge of each particle [e]."""
        return self.charge_ratio * self.q0

    @property
    def energy(self):
        """Total energy of each particle [eV]: m/m0 (energy0 + ptau p0c)."""
        return self.mass_ratio * (self.energy0 + self.ptau * self.p0c)

    @property
    def kinetic_energy0(self):
        """Kinetic energy of the reference particle [eV]; settable as energy0."""
        return _linked(self, "kinetic_energy0", np.asarray(self.energy0 - self.mass0))

    @kinetic_energy0.setter
    def kinetic_energy0(self, value):
        self._set_reference("kinetic_energy0", value)

    def update_p0c_and_energy_deviations(self, p0c=None, energy0=None, gamma0=None, beta0=None,
                                         kinetic_energy0=None, rigidity0=None):
        """Change the reference (one quantity given) keeping each particle's total energy.

        p0c, gamma0 and beta0 take the new reference; delta, ptau, pzeta, rpp
        and rvv are recomputed so that the momentum of each particle is
        unchanged. px, py and zeta are not changed. Lost particles keep
        their reference and coordinates.
        """
        given = {k: v for k, v in dict(p0c=p0c, energy0=energy0, gamma0=gamma0, beta0=beta0,
                                       kinetic_energy0=kinetic_energy0,
                                       rigidity0=rigidity0).items() if v is not None}
        if len(given) != 1:
            raise ValueError(f"give exactly one reference quantity, got {sorted(given) or 'none'}")
        (quantity, value), = given.items()
        start, stop = self._window
        active = self._host("state")[start:stop] > 0
        old = {k: np.array(self._to_host(getattr(self, k)), dtype=float)
               for k in ("p0c", "gamma0", "beta0", "delta")}
        ppc = old["p0c"] * old["delta"] + old["p0c"]
        current = np.array(self._to_host(getattr(self, quantity)), dtype=float)
        self._set_reference(quantity, np.where(active, np.broadcast_to(value, current.shape), current))
        new_p0c = np.asarray(self._to_host(self.p0c), dtype=float)
        self.update_delta(np.where(active, (ppc - new_p0c) / new_p0c, np.nan))

    def get_classical_particle_radius0(self):
        """Classical radius of the reference particle [m], q0^2 e / (4 pi eps0 mass0)."""
        return classical_radius(self.q0, self.mass0)

    # ------------------------------------------------------------ reorganisation
    def reorganize(self):
        """Move active particles to the start of the arrays, lost ones after them.

        The relative order inside each group is kept.

        Returns
        -------
        n_active : int
            Number of active particles.
        n_lost : int
            Number of lost particles.
        """
        order, n_active, n_lost = arrays.reorganize_order(self._host("state"))
        if order is not None:
            self._permute(order)
        self._num_active_particles, self._num_lost_particles = n_active, n_lost
        return n_active, n_lost

    def hide_lost_particles(self, _assume_reorganized=False):
        """Show only the active particles in the per-particle arrays."""
        if not _assume_reorganized:
            self.reorganize()
        self._window = (0, self._num_active_particles)

    def unhide_lost_particles(self):
        """Show all the particles again after `hide_lost_particles`."""
        self._window = (0, self._capacity)

    def hide_first_n_particles(self, num_particles):
        """Hide the first `num_particles` particles from the per-particle arrays."""
        if not 0 <= num_particles <= self._capacity:
            raise ValueError(f"num_particles must be in [0, {self._capacity}], got {num_particles!r}")
        self._window = (int(num_particles), self._capacity)

    def unhide_first_n_particles(self):
        """Show the particles hidden by `hide_first_n_particles`."""
        self._window = (0, self._capacity)

    def sort(self, by="particle_id", interleave_lost_particles=False):
        """Sort the particles (in place) by a given variable.

        Parameters
        ----------
        by : str, default 'particle_id'
            Name of the variable to sort by.
        interleave_lost_particles : bool, default False
            If True, lost particles are sorted among the active ones; else
            they follow the active particles.

        Returns
        -------
        sorted_index : ndarray of int
            Old index of each particle in the new order.
        """
        if not hasattr(self, by) or by.startswith("_"):
            raise KeyError(f"cannot sort by {by!r}: not a particle variable")
        self.unhide_lost_particles()
        keys = self._to_host(getattr(self, by))
        if np.ndim(keys) != 1:
            raise KeyError(f"cannot sort by {by!r}: not a per-particle variable")
        order = arrays.sort_order(keys, self._host("state"), interleave_lost_particles)
        self._permute(order)
        self._count_particles()
        return order

    # ------------------------------------------------------ consistent updates
    def _update_masked(self, new_value, compute):
        """Write compute(new values) where new_value is not NaN."""
        new_value = np.broadcast_to(np.asarray(self._to_host(new_value), dtype=float),
                                    (self._window[1] - self._window[0],))
        start, stop = self._window
        full = np.full(self._capacity, np.nan)
        full[start:stop] = new_value
        mask = ~np.isnan(full)
        beta0 = self._host("beta0")
        results = compute(full[mask], beta0[mask])
        for name, values in results.items():
            self._set_host_items(name, mask, values)

    def update_delta(self, new_delta_value):
        """Set delta and update pzeta (ptau), rpp and rvv; NaN entries are left unchanged."""
        self._update_masked(new_delta_value, kin.momentum_from_delta)

    def update_ptau(self, new_ptau_value):
        """Set ptau and update delta, rpp and rvv; NaN entries are left unchanged."""
        def compute(ptau, beta0):
            out = kin.momentum_from_delta(kin.delta_from_ptau(ptau, beta0), beta0)
            out["pzeta"] = ptau / beta0
            return out
        self._update_masked(new_ptau_value, compute)

    def update_pzeta(self, new_pzeta_value):
        """Set pzeta and update delta, rpp and rvv; NaN entries are left unchanged."""
        def compute(pzeta, beta0):
            out = kin.momentum_from_delta(kin.delta_from_pzeta(pzeta, beta0), beta0)
            out["pzeta"] = pzeta
            return out
        self._update_masked(new_pzeta_value, compute)

    def update_p0c(self, new_p0c_value):
        """Change the reference momentum keeping each particle's physical momentum.

        gamma0 and beta0 follow p0c; delta, px and py are rescaled to the new
        reference and zeta is scaled by new beta0 / old beta0 (tau kept).
        NaN entries are left unchanged.
        """
        mass0 = self.mass0

        def compute(new_p0c, _beta0):
            return {"p0c": new_p0c}
        old = {k: self._host(k).copy() for k in ("p0c", "beta0", "delta", "px", "py", "zeta")}
        self._update_masked(new_p0c_value, compute)
        new_p0c = self._host("p0c").copy()
        changed = new_p0c != old["p0c"]
        _, beta0, gamma0 = kin.reference_from_p0c(new_p0c, mass0)
        ratio = old["p0c"] / new_p0c
        ppc = old["p0c"] * old["delta"] + old["p0c"]
        updates = {"beta0": beta0, "gamma0": gamma0, "px": old["px"] * ratio,
                   "py": old["py"] * ratio, "zeta": old["zeta"] * beta0 / old["beta0"]}
        for name, values in updates.items():
            self._set_host_items(name, changed, values[changed])
        delta = np.where(changed, (ppc - new_p0c) / new_p0c, np.nan)
        self._update_masked(delta[self._window[0]:self._window[1]], kin.momentum_from_delta)

    def update_gamma0(self, new_gamma0_value):
        """Change the reference gamma0 (p0c and beta0 follow), as `update_p0c`."""
        p0c, _, _ = kin.reference_from_gamma0(np.asarray(new_gamma0_value, dtype=float), self.mass0)
        self.update_p0c(p0c)

    def update_beta0(self, new_beta0_value):
        """Change the reference beta0 (p0c and gamma0 follow), as `update_p0c`."""
        p0c, _, _ = kin.reference_from_beta0(np.asarray(new_beta0_value, dtype=float), self.mass0)
        self.update_p0c(p0c)

    def add_to_energy(self, delta_energy, pz_only=False):
        """Add delta_energy [eV] to the total energy of each particle.

        delta, ptau, rvv and rpp are updated; px and py are scaled so that
        the direction of motion is kept, unless `pz_only`. Lost particles are
        not changed.
        """
        state = self._host("state")
        de = np.broadcast_to(np.asarray(self._to_host(delta_energy), dtype=float), (self._capacity,))
        active = arrays.active_mask(state)
        ptau = self._host("pzeta") * self._host("beta0")
        new_ptau = np.where(active, ptau + de * self._host("chi") / self._host("charge_ratio")
                            / self._host("p0c"), np.nan)
        old_rpp = self._host("rpp").copy()
        self._window, window = (0, self._capacity), self._window
        try:
            self.update_ptau(new_ptau)
        finally:
            self._window = window
        if not pz_only:
            factor = np.where(active, old_rpp / self._host("rpp"), 1.0)
            for name in ("px", "py"):
                self._store_host(name, self._host(name) * factor)

    # ------------------------------------------------------- dict and pandas
    def to_dict(self, copy_to_cpu=True, remove_underscored=None, remove_unused_space=None,
                remove_redundant_variables=None, keep_rng_state=None, compact=False):
        """Convert the particles to a dictionary.

        Parameters
        ----------
        copy_to_cpu : bool, default True
            Return numpy arrays (always done: arrays on other contexts are
            copied to the host).
        remove_underscored : bool, optional
            Remove underscored variables (default True).
        remove_unused_space : bool, optional
            Drop the unallocated slots (default: `compact`).
        remove_redundant_variables : bool, optional
            Drop gamma0, beta0, pzeta, rpp, rvv (default: `compact`).
        keep_rng_state : bool, optional
            Keep the random-generator state (default: not `compact`).
        compact : bool, default False
            Minimise the size of the dictionary.

        Returns
        -------
        dct : dict
        """
        opts = conversion.dict_options(remove_underscored, remove_unused_space,
                                       remove_redundant_variables, keep_rng_state, compact)
        return conversion.select_dict(self._host_all(), **opts)

    @classmethod
    def from_dict(cls, dct, load_rng_state=True, **kwargs):
        """Create a Particles object from a dictionary.

        Parameters
        ----------
        dct : dict
            Output of `to_dict` (or any consistent subset of the fields).
        load_rng_state : bool, default True
            Load the random-generator state from the dictionary.
        **kwargs
            `_context`, `_buffer`, `_offset`, `_capacity`, `_no_reorganize`.

        Returns
        -------
        particles : Particles
        """
        check_names(kwargs, ("_context", "_buffer", "_offset", "_capacity", "_no_reorganize"),
                    "Particles.from_dict()")
        dct = {k: v for k, v in dct.items() if k != "__class__"}
        if not load_rng_state:
            dct = {k: v for k, v in dct.items() if k not in RNG_FIELDS}
        return cls(**kwargs, **dct)

    @classmethod
    def from_json(cls, filename, **kwargs):
        """Load particles saved with `to_json` (arguments as `from_dict`)."""
        with open(filename) as fid:
            return cls.from_dict(json.load(fid), **kwargs)

    def to_json(self, filename, indent=None, **kwargs):
        """Save the particles to a JSON file.

        Parameters
        ----------
        filename : str or path
            File to write.
        indent : int, optional
            Indentation of the JSON text.
        **kwargs
            Passed to `to_dict`.
        """
        with open(filename, "w") as fid:
            json.dump(self.to_dict(**kwargs), fid, cls=conversion.JsonEncoder, indent=indent)

    def to_pandas(self, remove_underscored=None, remove_unused_space=None,
                  remove_redundant_variables=None, keep_rng_state=None, compact=False):
        """Convert the particles to a pandas DataFrame, one row per particle.

        Options as `to_dict`; scalar quantities (mass0, q0, ...) become
        constant columns.
        """
        import pandas as pd

        dct = self.to_dict(remove_underscored=remove_underscored,
                           remove_unused_space=remove_unused_space,
                           remove_redundant_variables=remove_redundant_variables,
                           keep_rng_state=keep_rng_state, compact=compact)
        n = len(dct["state"])
        return pd.DataFrame({k: (np.full(n, v) if k in SCALARS else v) for k, v in dct.items()})

    @classmethod
    def from_pandas(cls, df, _context=None, _buffer=None, _offset=None, load_rng_state=True, **kwargs):
        """Create a Particles object from a pandas DataFrame (as written by `to_pandas`)."""
        return cls.from_dict(conversion.dataframe_to_dict(df), load_rng_state=load_rng_state,
                             _context=_context, _buffer=_buffer, _offset=_offset, **kwargs)

    @property
    def per_particle_vars(self):
        """``[(xobjects scalar type, name), ...]`` of the per-particle fields, in storage order."""
        scalar = {np.float64: xo.Float64, np.int64: xo.Int64, np.uint32: xo.UInt32}
        return [(scalar[FIELD_BY_NAME[name].dtype], name) for name in PER_PARTICLE]

    def get_table(self):
        """Table (pandas DataFrame) of the particle coordinates, one row per particle."""
        return self.to_pandas()

    def to_table(self):
        """Table (pandas DataFrame) of the particle coordinates, one row per particle."""
        return self.get_table()

    def init_pipeline(self, name):
        """Name these particles for a pipeline (xtrack.PipelineManager finds them by `name`)."""
        if not isinstance(name, str) or not name:
            raise TypeError(f"init_pipeline: name must be a non-empty string, got {name!r}.")
        self.name = name

    # ---------------------------------------------------- sets of particles
    def copy(self, _context=None, _buffer=None, _offset=None):
        """Return a copy, on the same context or on another one.

        Parameters
        ----------
        _context : xobjects context, optional
            Destination context (default: the context of this object).
        _buffer : xobjects buffer, optional
            Destination buffer.
        """
        if _offset is not None:
            raise ValueError("copy(_offset=...) is not supported; give _buffer instead")
        return super().copy(_context=_context, _buffer=_buffer)

    def filter(self, mask):
        """Return a new Particles object with the particles where `mask` is True.

        Parameters
        ----------
        mask : array of bool, shape (_capacity,) or the shown length
        """
        mask = np.asarray(self._to_host(mask), dtype=bool)
        start, stop = self._window
        if mask.shape != (stop - start,):
            raise ValueError(f"mask must have {stop - start} entries (one per particle), "
                             f"got shape {mask.shape}")
        full = np.zeros(self._capacity, dtype=bool)
        full[start:stop] = mask
        dct = self.to_dict(keep_rng_state=True)
        for name in PER_PARTICLE:
            dct[name] = dct[name][full]
        return type(self).from_dict(dct, _context=self._context)

    @classmethod
    def merge(cls, lst, _context=None, _buffer=None, _offset=None):
        """Merge a list of Particles objects into a new one.

        All must have the same mass0 and q0; unallocated slots are dropped.
        """
        lst = list(lst)
        if not lst:
            raise ValueError("merge needs at least one Particles object, got an empty list")
        dcts = [p.to_dict(remove_unused_space=True, keep_rng_state=True) for p in lst]
        for name in ("mass0", "q0"):
            values = {d[name] for d in dcts}
            if len(values) > 1:
                raise ValueError(f"cannot merge particles with different {name}: {sorted(values)}")
        merged = {name: dcts[0][name] for name in SCALARS if name in dcts[0]}
        for name in PER_PARTICLE:
            merged[name] = np.concatenate([d[name] for d in dcts])
        if _context is None and _buffer is None:
            _context = lst[0]._context
        return cls.from_dict(merged, _context=_context, _buffer=_buffer, _offset=_offset)

    def add_particles(self, part, keep_lost=False):
        """Add the particles of `part` into the unused slots of this object.

        Parameters
        ----------
        part : Particles
            Particles to add (same mass0 and q0).
        keep_lost : bool, default False
            Also add the lost particles of `part`.

        Raises
        ------
        ValueError
            If the capacity is too small or the references differ.
        """
        for name in ("mass0", "q0"):
            if getattr(part, name) != getattr(self, name):
                raise ValueError(f"cannot add particles with {name}={getattr(part, name)!r} "
                                 f"to particles with {name}={getattr(self, name)!r}")
        other = part._host_all()
        state = other["state"]
        take = (state > 0) | (arrays.lost_mask(state) if keep_lost else False)
        self.unhide_lost_particles()
        n_active, n_lost = self.reorganize()
        free = self._capacity - n_active - n_lost
        n_new = int(take.sum())
        if n_new > free:
            raise ValueError(f"not enough space to add {n_new} particles: {free} free slots "
                             f"(capacity {self._capacity}); create the object with a larger _capacity")
        first = n_active + n_lost
        for name in PER_PARTICLE:
            self._set_host_items(name, slice(first, first + n_new), other[name][take])
        self.reorganize()

    def remove_unused_space(self):
        """Return a new Particles object without the unallocated slots."""
        return type(self).from_dict(self.to_dict(remove_unused_space=True, keep_rng_state=True),
                                    _context=self._context)

    def get_active_particle_id_range(self):
        """Range of particle_id of the active particles.

        Returns
        -------
        (int, int)
            Smallest id and largest id + 1, usable as `range(*result)`.
        """
        ids = self._host("particle_id")[arrays.active_mask(self._host("state"))]
        if ids.size == 0:
            raise ValueError("no active particles: the particle_id range is undefined")
        return int(ids.min()), int(ids.max()) + 1

    def show(self):
        """Print the reference and the coordinates of every particle."""
        print(f"Particles: {self._num_active_particles} active, {self._num_lost_particles} lost, "
              f"capacity {self._capacity}, mass0={self.mass0} eV, q0={self.q0} e")
        df = self.to_pandas(remove_unused_space=True)
        cols = ["particle_id", "state", "at_turn", "at_element", "s", "x", "px", "y", "py",
                "zeta", "delta", "p0c", "charge_ratio", "chi"]
        print(df[cols].to_string(index=False))

    def _init_random_number_generator(self, seeds=None):
        """Seed the per-particle random generator (four 32-bit words per particle).

        Parameters
        ----------
        seeds : array_like of int, optional
            One seed per particle (default: drawn from numpy's global
            generator). The words satisfy the lower bounds of the combined
            Tausworthe generator used by the kernels (L'Ecuyer 1999).
        """
        from .random import seed_states

        states = seed_states(self._capacity, seeds)
        for name, words in zip(RNG_FIELDS, states, strict=True):
            self._store_host(name, words)

    def __repr__(self):
        return (f"<{type(self).__name__}: {self._num_active_particles} active / "
                f"capacity {self._capacity} on {type(self._context).__name__}>")


def _struct_values(values, n, capacity):
    """Constructor values of `ParticlesData` for `n` particles in `capacity` slots.

    With no spare slot, the arrays and broadcast scalars of `values` go to
    xobjects as they are (written once into the buffer, broadcasts as fills).
    Spare slots are unallocated (`state` = UNALLOCATED_STATE) and keep the
    reference of the first particle, so that updates never divide by 0.
    """
    if capacity == n:
        return values
    if n:
        ref = {k: values[k][0] for k in ("p0c", "beta0", "gamma0")}
    else:
        _, beta0, gamma0 = kin.reference_from_p0c(DEFAULT_P0C, values["mass0"])
        ref = {"p0c": DEFAULT_P0C, "beta0": beta0, "gamma0": gamma0}
    out = dict(values)
    for f in FIELDS:
        if f.per_particle:
            spare = UNALLOCATED_STATE if f.name == "state" else ref.get(f.name, f.fill)
            out[f.name] = np.concatenate([values[f.name], np.broadcast_to(spare, capacity - n)])
    return out


def reference_from_pdg_id(pdg_id, **kwargs):
    """Return the reference particle of a species given by name or PDG id.

    Parameters
    ----------
    pdg_id : str or int
        Species name ('proton', 'electron', 'Pb208', ...) or PDG id.
    **kwargs
        Further `Particles` arguments (p0c, energy0, ...).

    Returns
    -------
    Particles
        One particle with mass0, q0 and pdg_id of the species.
    """
    from ..species import species_from_pdg_id

    if not isinstance(pdg_id, str):
        pdg_id = species_from_pdg_id(int(pdg_id)).name
    return Particles(pdg_id=pdg_id, **kwargs)
