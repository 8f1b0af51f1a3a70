"""The field table of `Particles`: every stored quantity, declared once.

Each entry is an `xo.Field` (storage type, unit, meaning) that also knows
whether it is a scalar of the whole set or one value per particle and the
value of a particle that does not set it. The xobjects struct (`_xofields`),
the attribute docs, the C per-particle API, the dictionary conversion and
the docstring are all derived from this table.
"""

import numpy as np

import xobjects as xo

__all__ = ["Field", "FIELDS", "FIELD_BY_NAME", "PER_PARTICLE", "SCALARS",
           "UNALLOCATED_STATE", "RNG_FIELDS"]

# state of the slots beyond the particles (capacity > number of particles)
UNALLOCATED_STATE = -999999999

_XO_SCALAR = {np.float64: xo.Float64, np.int64: xo.Int64, np.uint32: xo.UInt32}
_C_TYPE = {np.float64: "double", np.int64: "int64_t", np.uint32: "uint32_t"}


class Field(xo.Field):
    """One stored quantity of `Particles`: an `xo.Field` of a scalar or a `[:]` array.

    Parameters
    ----------
    name : str
    dtype : numpy scalar type
        np.float64, np.int64 or np.uint32.
    per_particle : bool
        One value per particle (an array field) or one for the whole set.
    default : float
        Value where the constructor gets none (every particle, for arrays).
    unit, doc : str
        As for `xo.Field`.
    """

    def __init__(self, name, dtype, per_particle, default, unit, doc):
        scalar = _XO_SCALAR[dtype]
        # array fields get no xobjects default: Particles fills them itself
        super().__init__(scalar[:] if per_particle else scalar,
                         default=None if per_particle else default, unit=unit, doc=doc)
        self.name = name
        self.dtype = dtype
        self.per_particle = per_particle
        self.fill = default

    @property
    def c_type(self):
        """C type of one value."""
        return _C_TYPE[self.dtype]


_F, _I, _U = np.float64, np.int64, np.uint32
FIELDS = (
    Field("mass0", _F, False, 938272089.43, "eV", "reference rest mass"),
    Field("q0", _F, False, 1.0, "e", "reference charge"),
    Field("t_sim", _F, False, 0.0, "s", "simulation frame time (one revolution period)"),
    Field("reference_turns", _F, False, np.nan, "1", "turns of the energy program reference (NaN: unused)"),
    Field("start_tracking_at_element", _I, False, -1, "1", "element where tracking starts (-1: line start)"),
    Field("p0c", _F, True, 0.0, "eV", "reference momentum times c"),
    Field("gamma0", _F, True, 1.0, "1", "reference Lorentz factor"),
    Field("beta0", _F, True, 0.0, "1", "reference relativistic beta"),
    Field("s", _F, True, 0.0, "m", "reference accumulated path length"),
    Field("zeta", _F, True, 0.0, "m", "s - beta0 c t"),
    Field("x", _F, True, 0.0, "m", "horizontal position"),
    Field("y", _F, True, 0.0, "m", "vertical position"),
    Field("px", _F, True, 0.0, "1", "Px / (m/m0 p0c)"),
    Field("py", _F, True, 0.0, "1", "Py / (m/m0 p0c)"),
    Field("delta", _F, True, 0.0, "1", "(Pc m0/m - p0c) / p0c"),
    Field("pzeta", _F, True, 0.0, "1", "ptau / beta0"),
    Field("rpp", _F, True, 1.0, "1", "m/m0 P0c / Pc = 1 / (1 + delta)"),
    Field("rvv", _F, True, 1.0, "1", "beta / beta0"),
    Field("chi", _F, True, 1.0, "1", "q/q0 m0/m"),
    Field("charge_ratio", _F, True, 1.0, "1", "q / q0"),
    Field("weight", _F, True, 1.0, "1", "particle weight in number of particles"),
    Field("ax", _F, True, 0.0, "1", "normalised horizontal vector potential"),
    Field("ay", _F, True, 0.0, "1", "normalised vertical vector potential"),
    Field("spin_x", _F, True, 0.0, "1", "spin vector, x component"),
    Field("spin_y", _F, True, 0.0, "1", "spin vector, y component"),
    Field("spin_z", _F, True, 0.0, "1", "spin vector, s component"),
    Field("anomalous_magnetic_moment", _F, True, 0.0, "1", "anomalous magnetic moment (g-2)/2"),
    Field("pdg_id", _I, True, 0, "1", "PDG id of the species (0: undefined)"),
    Field("particle_id", _I, True, 0, "1", "identifier of the particle"),
    Field("at_element", _I, True, 0, "1", "index of the last element passed"),
    Field("at_turn", _I, True, 0, "1", "number of tracked turns"),
    Field("state", _I, True, 1, "1", "> 0 alive, <= 0 lost (value tells how)"),
    Field("parent_particle_id", _I, True, 0, "1", "identifier of the parent particle"),
    Field("_rng_s1", _U, True, 0, "1", "random generator state, word 1"),
    Field("_rng_s2", _U, True, 0, "1", "random generator state, word 2"),
    Field("_rng_s3", _U, True, 0, "1", "random generator state, word 3"),
    Field("_rng_s4", _U, True, 0, "1", "random generator state, word 4"),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
PER_PARTICLE = tuple(f.name for f in FIELDS if f.per_particle)
SCALARS = tuple(f.name for f in FIELDS if not f.per_particle)
RNG_FIELDS = ("_rng_s1", "_rng_s2", "_rng_s3", "_rng_s4")


def xofields():
    """Return the `_xofields` of `Particles`: the fields of the table, by name."""
    return {f.name: f for f in FIELDS}
