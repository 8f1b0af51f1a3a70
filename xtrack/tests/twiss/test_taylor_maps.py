"""Second order maps of line sections: T matrix of a sextupole, maps of a section vs tracking,
a ring with its linear stretches replaced by maps."""

import numpy as np
import pytest

import xtrack as xt
from xtrack.twiss.taylor_map import compute_T_matrix, line_with_second_order_maps


def _fodo_with_octupoles(repeated=False):
    """Exactly linear ring (thick quadrupoles, expanded drifts) plus thick octupoles."""
    if repeated:
        elements = {"qf": xt.Quadrupole(k1=0.12, length=0.5), "qd": xt.Quadrupole(k1=-0.12, length=0.5),
                    "dd": xt.Drift(length=2.0), "mo": xt.Octupole(k3=3000.0, length=0.3),
                    "m1": xt.Marker()}
        names = ["qf", "dd", "qd", "dd"] * 8
        names[2:2] = ["mo"]
        names[8:8] = ["m1"]
        line = xt.Line(elements=elements, element_names=names)
    else:
        elements, names = {}, []
        for c in range(8):
            for name, el in ((f"qf{c}", xt.Quadrupole(k1=0.12, length=0.5)),
                             (f"d1{c}", xt.Drift(length=2.0)),
                             (f"qd{c}", xt.Quadrupole(k1=-0.12, length=0.5)),
                             (f"d2{c}", xt.Drift(length=2.0))):
                elements[name] = el
                names.append(name)
        elements.update(mo1=xt.Octupole(k3=3000.0, length=0.3),
                        mo2=xt.Octupole(k3=-2000.0, length=0.3), m1=xt.Marker())
        names[8:8] = ["mo1", "mo2", "m1"]
        line = xt.Line(elements=elements, element_names=names)
    line.particle_ref = xt.Particles(p0c=10e9)
    line.twiss_default["method"] = "4d"
    line.build_tracker()
    return line


def _track(line, turns=50):
    p = line.build_particles(x=2e-3, px=1e-5, y=-1.5e-3, py=2e-5)
    line.track(p, num_turns=turns)
    return np.array([getattr(p, c)[0] for c in ("x", "px", "y", "py")])


@pytest.mark.parametrize("repeated", [False, True])
def test_maps_between_kept_octupoles_reproduce_the_ring(repeated):
    line = _fodo_with_octupoles(repeated)
    split = ["m1", "mo", "dd::5"] if repeated else ["m1", "mo1", "mo2"]
    keep = line_with_second_order_maps(line, split)
    maps = line_with_second_order_maps(line, ["m1"])
    names = list(keep.element_names)
    for name in split:
        assert name in names
    if repeated:
        assert isinstance(keep["dd::5"], xt.Drift) and names[0] == "qf::0"
    else:  # no map for the empty stretches between adjacent kept elements
        assert names[names.index("mo1") + 1] == "mo2" and names[names.index("mo2") + 1] == "m1"
    for lm in (keep, maps):
        lm.twiss_default["method"] = "4d"
        lm.build_tracker()
    tw, tw_keep = line.twiss(), keep.twiss()
    assert abs(tw_keep.qx - tw.qx) < 1e-10 and abs(tw_keep.qy - tw.qy) < 1e-10
    np.testing.assert_allclose(tw_keep.s[-1], tw.s[-1], rtol=0, atol=1e-12)
    ref = _track(line)
    # kept octupoles: exact, the maps of the linear stretches carry no truncation
    np.testing.assert_allclose(_track(keep), ref, rtol=0, atol=1e-12)
    # octupoles inside a second order map lose their third order kick
    assert np.max(np.abs(_track(maps) - ref)) > 1e-5
    # the original line still tracks on its own elements
    np.testing.assert_allclose(_track(line), ref, rtol=0, atol=0)


def test_split_names_must_exist_and_be_unambiguous():
    line = _fodo_with_octupoles(repeated=True)
    with pytest.raises(ValueError, match="not present in the line"):
        line_with_second_order_maps(line, ["does_not_exist"])
    with pytest.raises(ValueError, match="not present in the line"):
        line_with_second_order_maps(line, ["dd"])  # placed 16 times: give 'dd::k'


def test_T_matrix_of_a_thin_sextupole():
    """dpx = -k2l/2 (x^2 - y^2), dpy = k2l x y: T[px, x, x] = -k2l/2, T[px, y, y] = k2l/2,
    T[py, x, y] = T[py, y, x] = k2l/2; everything else of second order vanishes."""
    k2l = 0.7
    line = xt.Line(elements=[xt.Multipole(knl=[0, 0, k2l])])
    line.particle_ref = xt.Particles(p0c=1e9)
    T = compute_T_matrix(line, particle_on_co=np.zeros(6))
    expected = np.zeros((6, 6, 6))
    expected[1, 0, 0], expected[1, 2, 2] = -k2l / 2, k2l / 2
    expected[3, 0, 2] = expected[3, 2, 0] = k2l / 2
    # the chromatic kick of a thin multipole: dpx = -k2l/2 (x^2 - y^2) is delta-independent in
    # these coordinates; zeta picks up nothing from a thin kick
    np.testing.assert_allclose(T, expected, rtol=0, atol=1e-6)


def test_map_of_a_section_agrees_with_tracking_to_third_order():
    line = xt.Line(elements=[xt.Drift(length=1.0), xt.Sextupole(k2=2.0, length=0.4),
                             xt.Quadrupole(k1=0.3, length=0.5), xt.Drift(length=1.0)])
    line.particle_ref = xt.Particles(p0c=1e9)
    line.build_tracker()
    tw = line.twiss4d(betx=1.0, bety=1.0)
    m = xt.SecondOrderTaylorMap.from_line(line, start=line.element_names[0], end="_end_point",
                                          twiss_table=tw)
    np.testing.assert_allclose(m.length, 2.9, rtol=1e-14)
    k, R, T = (np.asarray(getattr(m, n)) for n in ("k", "R", "T"))
    errors = []
    for amp in (2e-3, 1e-3):
        z = amp * np.array([1.0, 0.3, -0.8, 0.2, 0.0, 0.5])
        p = line.build_particles(x=z[0], px=z[1], y=z[2], py=z[3], zeta=z[4], delta=z[5])
        line.track(p)
        out = np.array([p.x[0], p.px[0], p.y[0], p.py[0], p.zeta[0], p.pzeta[0]])
        pz_in = xt.Particles(p0c=1e9, delta=z[5]).pzeta[0]
        zin = z.copy()
        zin[5] = pz_in
        errors.append(np.max(np.abs(k + R @ zin + np.einsum("ijl,j,l->i", T, zin, zin) - out)))
    # the remainder is third order: halving the amplitude divides it by ~8
    assert errors[0] < 1e-8 and 5 < errors[0] / errors[1] < 11
