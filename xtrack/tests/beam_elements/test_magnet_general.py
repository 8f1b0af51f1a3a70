import json

import numpy as np
import pytest
import xtrack as xt


def _particles():
    rng = np.random.default_rng(11)
    n = 50
    return xt.Particles(p0c=26e9, x=rng.normal(0, 1e-3, n), px=rng.normal(0, 1e-4, n),
                        y=rng.normal(0, 1e-3, n), py=rng.normal(0, 1e-4, n),
                        delta=rng.uniform(-1e-2, 1e-2, n))


def _same(a, b):
    for name in ("x", "px", "y", "py", "zeta", "delta", "s"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


@pytest.mark.parametrize("special,general", [
    (lambda: xt.Bend(length=3.0, angle=0.02, k1=0.01), lambda: xt.Magnet(length=3.0, angle=0.02, k0=0.02 / 3.0, k1=0.01)),
    (lambda: xt.Quadrupole(length=1.0, k1=0.05, model="bend-kick-bend"),
     lambda: xt.Magnet(length=1.0, k1=0.05, model="bend-kick-bend", edge_entry_active=0, edge_exit_active=0)),
])
def test_magnet_reduces_to_its_special_cases(special, general):
    p1, p2 = _particles(), _particles()
    special().track(p1)
    general().track(p2)
    _same(p1, p2)


def test_magnet_skew_strength_is_the_rotated_normal_one():
    # a skew quadrupole k1s equals a normal one rotated by -45 degrees about s
    p1, p2 = _particles(), _particles()
    xt.Magnet(length=1.0, k1s=0.03, integrator="uniform", num_multipole_kicks=20,
              model="drift-kick-drift-expanded").track(p1)
    xt.Magnet(length=1.0, k1=0.03, integrator="uniform", num_multipole_kicks=20,
              model="drift-kick-drift-expanded", rot_s_rad=-np.pi / 4).track(p2)
    for name in ("x", "px", "y", "py"):
        np.testing.assert_allclose(getattr(p1, name), getattr(p2, name), rtol=0, atol=1e-15)


def test_magnet_k0_follows_the_angle_until_given_and_round_trips():
    # as a Bend: without k0 the dipole field is the curvature (a sector bend)
    m = xt.Magnet(length=2.0, angle=0.1, k1=-0.3, model="rot-kick-rot", num_multipole_kicks=15)
    b = xt.Bend(length=2.0, angle=0.1, k1=-0.3, model="rot-kick-rot", num_multipole_kicks=15)
    assert m.k0_from_h and m.k0 == 0.0
    p1, p2 = (xt.Particles(p0c=1e9, x=[1e-3, -1e-3], px=1e-2, y=2e-3, py=2e-2, delta=1e-2)
              for _ in range(2))
    m.track(p1)
    b.track(p2)
    for name in ("x", "px", "y", "py", "zeta"):
        np.testing.assert_allclose(getattr(p1, name), getattr(p2, name), rtol=0, atol=1e-15)
    m = xt.Magnet(length=2.0, angle=0.01, k0=0.0, k3=5.0, k2s=0.1)
    assert not m.k0_from_h
    back = xt.Magnet.from_dict(json.loads(json.dumps(m.to_dict())))
    assert back.k3 == 5.0 and back.k2s == 0.1 and back.angle == 0.01 and back.k0 == 0.0
    assert not back.k0_from_h
    with pytest.raises(ValueError, match="model must be one of"):
        xt.Magnet(length=1.0, model="magic")
