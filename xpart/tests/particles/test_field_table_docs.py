"""The Particles field table is declared with xo.Field metadata, once."""

import numpy as np

import xobjects as xo
import xpart as xp
from xpart.particles.fields import FIELDS


def test_table_entries_are_xobjects_fields_carried_into_the_struct():
    struct = xp.Particles._XoStruct
    for f in FIELDS:
        assert isinstance(f, xo.Field)
        stored = getattr(struct, f.name)
        assert (stored.unit, stored.doc) == (f.unit, f.doc), f.name
        # per-particle quantities are arrays of the declared dtype, scalars plain
        item = getattr(stored.ftype, "_itemtype", stored.ftype)
        assert item._dtype == np.dtype(f.dtype) and (item is not stored.ftype) == f.per_particle
    assert struct.x.describe() == "horizontal position [m]"
    assert struct.mass0.describe() == "reference rest mass [eV]"


def test_attributes_are_documented_and_every_public_field_is_in_the_docstring():
    doc = xp.Particles.__doc__
    params = doc.split("Parameters\n----------\n")[1].split("Raises\n------")[0]
    for f in FIELDS:
        assert getattr(xp.Particles, f.name).__doc__ == f.describe()
        if not f.name.startswith("_"):
            assert f"\n{f.name} :" in "\n" + params or f", {f.name}" in params \
                or f"{f.name}," in params, f.name
    # fields the hand-written text does not describe come from the table
    assert "spin_x : array of Float64, optional\n    spin vector, x component [1]" in params
    assert "_rng_s1" not in doc


def test_field_attributes_keep_their_behaviour():
    p = xp.Particles(p0c=7e12, x=[1e-3, 2e-3], delta=[0.0, 1e-3])
    p.delta = [1e-4, 2e-4]  # consistent update through the table's attribute
    assert np.allclose(p.rpp, 1 / (1 + np.array([1e-4, 2e-4])), rtol=0, atol=1e-15)
    p.p0c = 6e12
    assert np.allclose(p.beta0 * p.gamma0 * p.mass0, 6e12, rtol=1e-14)
    p.x = 5e-3
    assert p.x.tolist() == [5e-3, 5e-3]
