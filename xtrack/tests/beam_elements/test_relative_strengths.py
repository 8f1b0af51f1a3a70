"""knl_rel/ksl_rel of thick magnets: multipoles relative to the main integrated strength."""

import numpy as np
import pytest
import xtrack as xt

REL = dict(knl=[0.01, 0.02, 0.03, 0.04], ksl=[0.05, 0.06, 0.07, 0.08],
           knl_rel=[0.1, 0.2, 0.3, 0.4], ksl_rel=[0.5, 0.6, 0.7, 0.8])

CASES = [
    (xt.Quadrupole, dict(length=2, k1=0.3, k1s=0.2), 0.3 * 2),
    (xt.Sextupole, dict(length=2, k2=0.3, k2s=0.2), 0.3 * 2),
    (xt.Octupole, dict(length=2, k3=0.3, k3s=0.2), 0.3 * 2),
    (xt.Bend, dict(length=2, angle=0.2, k1=0.03), 0.2),          # k0 = h: main = angle
    (xt.Bend, dict(length=2, angle=0.2, k0=0.05), 0.05 * 2),     # explicit k0
    (xt.RBend, dict(length_straight=2, angle=0.2, k1=0.03, rbend_model="curved-body"), 0.2),
    (xt.RBend, dict(length_straight=2, angle=0.2, rbend_model="straight-body"), 0.2),
]


def _track(element):
    p = xt.Particles(p0c=5e9, x=[1e-3, -2e-3], px=[1e-4, 0], y=[5e-4, 1e-3], py=[0, -1e-4],
                     delta=[0, 1e-3])
    element.track(p)
    return np.array([p.x, p.px, p.y, p.py, p.zeta])


@pytest.mark.parametrize("cls, kwargs, main", CASES)
def test_relative_multipoles_are_total_strengths(cls, kwargs, main):
    element = cls(**kwargs, **REL)
    knl, ksl = element.get_total_knl_ksl()
    np.testing.assert_allclose(knl[:4], np.array(REL["knl"]) + np.array(REL["knl_rel"]) * main,
                               rtol=1e-14)
    np.testing.assert_allclose(ksl[:4], np.array(REL["ksl"]) + np.array(REL["ksl_rel"]) * main,
                               rtol=1e-14)
    # tracking with the relative arrays is tracking with the total strengths
    plain = cls(**kwargs, knl=knl, ksl=ksl)
    np.testing.assert_array_equal(_track(element), _track(plain))
    # the relative arrays survive the established JSON format
    back = cls.from_dict(element.to_dict())
    np.testing.assert_array_equal(back.knl_rel, element.knl_rel)


def test_relative_arrays_pad_with_knl_and_default_to_zero():
    q = xt.Quadrupole(length=1.0, k1=0.1, knl_rel=[0, 0, 0, 0, 0, 0, 0, 1e-3])
    assert len(q.knl) == len(q.knl_rel) == len(q.ksl_rel) == 8 and q.order == 7
    q = xt.Quadrupole(length=1.0, k1=0.1, knl=[0, 0, 1e-2])
    np.testing.assert_array_equal(q.get_total_knl_ksl()[0], q.knl)
    q.k1 = 0.2
    q.knl_rel[2] = 0.5
    np.testing.assert_allclose(q.get_total_knl_ksl()[0][2], 1e-2 + 0.5 * 0.2)


def test_multipole_total_uses_its_main_order():
    m = xt.Multipole(knl=[0, 2], ksl=[0, 1], knl_rel=[0, 0.1, 0.05], ksl_rel=[0.2], main_order=1)
    knl, ksl = m.get_total_knl_ksl()
    np.testing.assert_allclose(knl, [0, 2.2, 0.1])
    np.testing.assert_allclose(ksl, [0.4, 1, 0])
