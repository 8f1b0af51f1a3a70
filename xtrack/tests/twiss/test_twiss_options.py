"""Twiss options beyond the optics themselves: apertures, species, chrom alias, init binding,
strengths added afterwards, row subsets of a periodic table."""

import numpy as np
import pytest

import xtrack as xt
from xtrack.twiss.closed_orbit import ClosedOrbitNotFound


def _proton_line(elements):
    line = xt.Line(elements=elements)
    line.particle_ref = xt.Particles(p0c=10e9, mass0=xt.PROTON_MASS_EV)
    return line


@pytest.mark.parametrize("aperture, x", [
    (None, 2.0),  # beyond the global |x| < 1 m limit of the line
    (xt.LimitRect(min_x=0.1), 0.0),
    (xt.LimitEllipse(a=0.01, b=0.01), 0.02),
    (xt.LimitRectEllipse(a=0.1, b=0.1), 0.2),
])
def test_twiss_ignores_apertures_unless_asked(aperture, x):
    line = _proton_line([xt.Drift(length=1.0)] + ([aperture] if aperture is not None else []))
    tw = line.twiss(betx=1, bety=1, x=x, px=1e-3)
    # a drift of 1 m: x grows by px L, whatever the aperture says
    np.testing.assert_allclose(tw.x[-1], x + 1e-3, rtol=0, atol=1e-15)
    assert not line.tracker.track_flags.XS_FLAG_IGNORE_LOCAL_APERTURE  # restored after the twiss
    with pytest.raises(AssertionError, match="lost"):
        line.twiss(betx=1, bety=1, x=x, px=1e-3, disable_apertures=False)
    with pytest.raises(ClosedOrbitNotFound):
        line.twiss(betx=1, bety=1, x=x, px=1e-3, disable_apertures=False)


def test_tracking_still_sees_the_apertures_after_a_twiss():
    line = _proton_line([xt.Drift(length=1.0), xt.LimitRect(min_x=0.1)])
    line.twiss(betx=1, bety=1)
    p = line.build_particles(x=[0.0, 0.2])
    line.track(p)
    assert list(p.state[np.argsort(p.particle_id)]) == [0, 1]


def _thin_fodo_ring():
    return _proton_line([xt.Drift(length=1), xt.Multipole(knl=[0, 0.1]),
                         xt.Drift(length=1), xt.Multipole(knl=[0, -0.1])] * 4)


def test_species_ratios_scale_the_rigidity():
    """A species with chi = q m0 / (q0 m) sees magnetic fields as the reference particle at
    1 + delta = 1 / chi (same p/q): tunes equal those at delta0 = 1/chi - 1."""
    line = _thin_fodo_ring()
    tw_delta = line.twiss4d(delta0=0.25, chrom=False)
    tw_ref = line.twiss4d(chrom=False)
    for kwargs, charge, mass in ((dict(chi=0.8), 1.0, 1.25),
                                 (dict(charge_ratio=0.8), 0.8, 1.0),
                                 (dict(mass_ratio=1.25), 1.0, 1.25)):
        tw = line.twiss4d(chrom=False, **kwargs)
        assert abs(tw.qx - tw_delta.qx) < 1e-12 and abs(tw.qy - tw_delta.qy) < 1e-12
        assert abs(tw.qx - tw_ref.qx) > 1e-3
        p = tw.particle_on_co
        np.testing.assert_allclose([p.chi[0], p.charge_ratio[0], p.mass_ratio[0]],
                                   [0.8, charge, mass], rtol=0, atol=1e-14)
    assert line.particle_ref.chi[0] == 1.0 and line.particle_ref.charge_ratio[0] == 1.0
    with pytest.raises(ValueError, match="chi"):
        line.twiss4d(chi=-1.0)


def test_chrom_is_compute_chromatic_properties():
    line = _thin_fodo_ring()
    assert "dqx" not in line.twiss4d(chrom=False)._data
    tw = line.twiss4d(chrom=True)
    assert np.isfinite(tw.dqx)
    with pytest.raises(ValueError, match="contradicts"):
        line.twiss4d(chrom=True, compute_chromatic_properties=False)


def test_supplied_init_is_left_unbound_and_the_table_keeps_a_bound_copy():
    line = _proton_line([xt.Marker(), xt.Drift(length=1), xt.Marker()])
    init = xt.TwissInit(betx=1.0, bety=2.0)
    assert init.element_name is None and init.reference_frame is None
    assert init._has_deferred_inputs()
    start = line.element_names[0]
    tw = line.twiss(method="4d", start=start, end=line.element_names[-1], init=init)
    assert init.element_name is None and init.reference_frame is None
    done = tw.completed_init
    assert done.element_name == start and done.reference_frame == "proper"
    assert not done._has_deferred_inputs()
    assert done.betx == pytest.approx(1.0) and done.bety == pytest.approx(2.0)
    # a drift of 1 m from a waist: beta = beta0 + L^2 / beta0
    np.testing.assert_allclose(tw.betx[-1], 2.0, rtol=1e-9)


def test_add_strengths_after_the_twiss():
    line = _thin_fodo_ring()
    tw = line.twiss4d(chrom=False)
    assert "k1l" not in tw._col_names
    assert tw.add_strengths() is tw
    np.testing.assert_allclose(tw.k1l[:8], [0, 0.1, 0, -0.1] * 2)
    np.testing.assert_allclose(tw.k1l, line.twiss4d(chrom=False, strengths=True).k1l)


def test_row_subset_is_not_periodic():
    line = _thin_fodo_ring()
    tw = line.twiss4d(chrom=False)
    assert tw.periodic is True
    sub = tw.rows[0:3]
    assert "periodic" not in sub._data and len(sub) == 3
    # a periodic twiss restricted to a range keeps being the periodic solution there
    names = line.element_names
    ranged = line.twiss4d(chrom=False, start=names[1], end=names[5])
    assert ranged.periodic is True
    np.testing.assert_allclose(ranged.betx, tw.betx[1:6], rtol=1e-14)
