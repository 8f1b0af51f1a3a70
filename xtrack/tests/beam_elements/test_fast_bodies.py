"""The fast magnet bodies (_curved_body.h, _straight_magnet.h) give the same
bits as the generic engine of _magnet_body.h.

`line.config["XTRACK_MAGNET_GENERIC_BODY"] = True` compiles the line kernel
with the fast curved-body plan switched off; both kernels must agree particle
by particle, bit for bit, on every model and integrator that the fast path
takes (and trivially on those it leaves to the engine).
"""

import numpy as np
import pytest
import xtrack as xt

COORDS = ("x", "px", "y", "py", "zeta", "delta", "s")


def _particles(n=40, seed=7):
    rng = np.random.default_rng(seed)
    return xt.Particles(p0c=450e9, x=rng.normal(0, 2e-3, n), px=rng.normal(0, 2e-4, n),
                        y=rng.normal(0, 2e-3, n), py=rng.normal(0, 2e-4, n),
                        zeta=rng.normal(0, 1e-2, n), delta=rng.normal(0, 1e-3, n))


def _track(elements, generic, num_turns=3):
    line = xt.Line(elements=elements, element_names=[f"e{ii}" for ii in range(len(elements))])
    line.config["XTRACK_MAGNET_GENERIC_BODY"] = generic
    line.build_tracker()
    p = _particles()
    line.track(p, num_turns=num_turns)
    return np.array([getattr(p, c) for c in COORDS])


def _bends():
    common = dict(length=2.5, edge_entry_angle=0.01, edge_exit_angle=-0.02)
    yield xt.Bend(angle=0.02, k0_from_h=True, **common)                      # LHC-like default
    yield xt.Bend(angle=0.3, k0=0.11, k1=0.05, k2=0.3, knl=[0, 0, 0.1, 1.], ksl=[0, 1e-3], **common)
    yield xt.Bend(angle=0.2, k0=0.08, num_multipole_kicks=20, integrator="yoshida4", **common)
    yield xt.Bend(angle=0.2, k0_from_h=True, model="rot-kick-rot", integrator="yoshida4",
                  num_multipole_kicks=5, **common)
    yield xt.Bend(angle=-0.15, k0_from_h=True, k1=-0.2, model="full", shift_x=1e-3, rot_s_rad=0.1,
                  **common)
    yield xt.Bend(angle=0.1, k0_from_h=True, model="bend-kick-bend", **common)   # generic engine
    yield xt.Bend(angle=0.1, k0_from_h=True, integrator="teapot", num_multipole_kicks=4, **common)


def _magnets():
    yield xt.Magnet(length=1.5, h=0.05, k0=0.05, k1=0.02, k3=5., knl=[0, 0, 0.2], ksl=[0, 0, 0, 0.3])
    yield xt.Magnet(length=1.5, h=0.05, k0=0.04, k0s=1e-3, k1s=0.01, model="rot-kick-rot-high-order",
                    integrator="yoshida6", num_multipole_kicks=14)
    yield xt.Magnet(length=1.5, h=0.0, k0=0.01, model="rot-kick-rot", integrator="yoshida4")


def _rbends():
    yield xt.RBend(length=2., angle=0.1, k0_from_h=True, k1=0.03, edge_entry_angle=0.01)
    yield xt.RBend(length=2., angle=0.1, k0_from_h=True, num_multipole_kicks=10, integrator="yoshida4")


@pytest.mark.parametrize("element", list(_bends()) + list(_magnets()) + list(_rbends()),
                         ids=lambda e: type(e).__name__)
def test_fast_curved_body_is_bit_identical_to_generic_engine(element):
    fast = _track([element.copy()], generic=False)
    generic = _track([element.copy()], generic=True)
    assert np.all(np.isfinite(fast))
    assert not np.array_equal(fast, _particles_coords()), "the element must act on the particles"
    np.testing.assert_array_equal(fast, generic)


def _particles_coords():
    p = _particles()
    return np.array([getattr(p, c) for c in COORDS])


def test_fast_body_on_a_ring_of_bends_and_quadrupoles():
    cell = [xt.Bend(length=3., angle=0.05, k0_from_h=True, edge_entry_angle=0.025, edge_exit_angle=0.025),
            xt.Drift(length=0.5), xt.Quadrupole(length=0.4, k1=0.3), xt.Drift(length=0.5),
            xt.Bend(length=3., angle=0.05, k0_from_h=True, k1=0.01), xt.Drift(length=0.5),
            xt.Quadrupole(length=0.4, k1=-0.3), xt.Sextupole(length=0.2, k2=2.), xt.Drift(length=0.5)]
    np.testing.assert_array_equal(_track(cell, generic=False, num_turns=20),
                                  _track([e.copy() for e in cell], generic=True, num_turns=20))
