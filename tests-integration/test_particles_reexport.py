"""``xtrack.Particles`` is xpart's class (ARCHITECTURE.md), not a copy."""

import xpart
import xtrack


def test_xtrack_particles_is_xpart_particles():
    assert xtrack.Particles is xpart.Particles


def test_reference_particle_through_xtrack_namespace():
    p = xtrack.Particles("proton", p0c=7e12, x=[1e-3, -1e-3])
    assert p.x.tolist() == [1e-3, -1e-3]
    # Proton at 7 TeV/c: gamma0 = sqrt(1 + (p0c/mass0)^2), mass0 = 938.272089 MeV.
    assert abs(p.gamma0[0] - (1 + (7e12 / p.mass0) ** 2) ** 0.5) < 1e-9
