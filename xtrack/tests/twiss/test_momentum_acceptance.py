"""Local momentum acceptance of a small ring with rectangular apertures, against the linear
off-momentum motion (dispersion orbit plus the betatron oscillation it launches)."""

import numpy as np
import pytest

import xtrack as xt
from xtrack.twiss.momentum_acceptance import get_local_momentum_acceptance

APERTURE = 0.02  # m, half width


@pytest.fixture(scope="module")
def ring():
    elements, names = {}, []

    def add(name, element):
        elements[name] = element
        names.append(name)

    for c in range(8):
        add(f"qf{c}", xt.Multipole(knl=[0, 0.3]))
        add(f"af{c}", xt.LimitRect(min_x=-APERTURE, max_x=APERTURE, min_y=-APERTURE, max_y=APERTURE))
        add(f"d1{c}", xt.Drift(length=1.0))
        add(f"b1{c}", xt.Bend(length=1.0, angle=2 * np.pi / 16, k0_from_h=True, model="full"))
        add(f"ab1{c}", xt.LimitRect(min_x=-APERTURE, max_x=APERTURE, min_y=-APERTURE, max_y=APERTURE))
        add(f"d2{c}", xt.Drift(length=1.0))
        add(f"qd{c}", xt.Multipole(knl=[0, -0.3]))
        add(f"ad{c}", xt.LimitRect(min_x=-APERTURE, max_x=APERTURE, min_y=-APERTURE, max_y=APERTURE))
        add(f"d3{c}", xt.Drift(length=1.0))
        add(f"b2{c}", xt.Bend(length=1.0, angle=2 * np.pi / 16, k0_from_h=True, model="full"))
        add(f"ab2{c}", xt.LimitRect(min_x=-APERTURE, max_x=APERTURE, min_y=-APERTURE, max_y=APERTURE))
        add(f"d4{c}", xt.Drift(length=1.0))
    line = xt.Line(elements=elements, element_names=names)
    line.particle_ref = xt.Particles(mass0=xt.ELECTRON_MASS_EV, p0c=1e9)
    line.build_tracker()
    return line, line.twiss4d()


def test_small_scan_survives_and_returns_its_limits(ring):
    line, tw = ring
    apertures = [n for n in line.element_names if n.startswith("a")]
    out = get_local_momentum_acceptance(line, elements=apertures, twiss=tw, nemitt_x=1e-6,
                                        nemitt_y=1e-8, delta_negative_limit=-1e-3,
                                        delta_positive_limit=1e-3, delta_step_size=5e-4, n_turns=64)
    assert list(out.name) == apertures
    np.testing.assert_allclose(out.s, [tw["s", n] for n in apertures], rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.delta_neg, -1e-3, rtol=0, atol=1e-15)
    np.testing.assert_allclose(out.delta_pos, 1e-3, rtol=0, atol=1e-15)


def test_acceptance_follows_the_dispersion_invariant(ring):
    """Starting on the closed orbit with delta, x oscillates around D(s) delta with the
    amplitude sqrt(beta(s) H0) |delta|, H0 = gamma D^2 + 2 alpha D D' + beta D'^2 at the start:
    the particle is lost once (|D(s)| + sqrt(beta(s) H0)) |delta| exceeds the aperture."""
    line, tw = ring
    starts = ["af0", "ab10", "ad3"]
    step = 2e-4
    out = get_local_momentum_acceptance(line, elements=starts, twiss=tw, nemitt_x=1e-6,
                                        nemitt_y=1e-8, delta_negative_limit=-0.006,
                                        delta_positive_limit=0.006, delta_step_size=step, n_turns=128)
    apertures = [i for i, n in enumerate(line.element_names) if n.startswith("a")]
    beta, disp = tw.betx[apertures], np.abs(tw.dx[apertures])
    for k, name in enumerate(starts):
        H0 = (tw["gamx", name] * tw["dx", name] ** 2 + 2 * tw["alfx", name] * tw["dx", name]
              * tw["dpx", name] + tw["betx", name] * tw["dpx", name] ** 2)
        predicted = APERTURE / np.max(disp + np.sqrt(beta * H0))
        # the scan grid (2e-4) and the phases reached in 128 turns put it at most two steps
        # below; the chromatic change of the optics at 4e-3 is below 1 %
        for measured in (out.delta_pos[k], -out.delta_neg[k]):
            assert predicted - 2 * step < measured < predicted * 1.01, (name, measured, predicted)


def test_offset_beyond_the_aperture_loses_everything(ring):
    line, tw = ring
    out = get_local_momentum_acceptance(line, elements=["af0", "ad0"], twiss=tw, nemitt_x=1e-6,
                                        nemitt_y=1e-8, x_offset=1.5 * APERTURE,
                                        delta_negative_limit=-1e-3, delta_positive_limit=1e-3,
                                        delta_step_size=1e-3, n_turns=8)
    np.testing.assert_array_equal(out.delta_neg, 0.0)
    np.testing.assert_array_equal(out.delta_pos, 0.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(delta_negative_limit=0.0), "delta_negative_limit must be < 0"),
    (dict(delta_positive_limit=0.0), "delta_positive_limit must be > 0"),
    (dict(delta_step_size=0.0), "delta_step_size must be > 0"),
    (dict(n_turns=0), "n_turns must be > 0"),
    (dict(x_offset=1e-3, x_norm_offset=1.0), "either x_offset or x_norm_offset"),
    (dict(elements="af0"), "iterable of strings"),
    (dict(elements=["af0", 3]), "must be strings"),
    (dict(elements=["nope"]), "not found in the line"),
    (dict(nemitt_x=None), "nemitt_x and nemitt_y must be provided"),
])
def test_arguments_are_checked(ring, kwargs, message):
    line, tw = ring
    args = dict(twiss=tw, nemitt_x=1e-6, nemitt_y=1e-8)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        get_local_momentum_acceptance(line, **args)
