"""hkick/vkick columns of line.get_table(attr=True): the kicks that bend the orbit."""

import numpy as np
import xtrack as xt


def test_hkick_is_angle_minus_dipole_field():
    line = xt.Line(
        elements=[xt.Bend(length=1.0, angle=0.2),                  # field follows h: no kick
                  xt.Bend(length=1.0, angle=0.3, k0=0.15),         # under-powered bend
                  xt.Multipole(knl=[0.1], hxl=0.1),                # thin bend, field = curvature
                  xt.Multipole(knl=[-0.3], ksl=[0.4], length=1.0)],  # kicker (MAD-X hkick = -knl[0])
        element_names=["b1", "b2", "m1", "k1"])
    line["b2"].rot_s_rad = -0.8  # the columns are in the element frame
    tt = line.get_table(attr=True)
    np.testing.assert_allclose(tt["hkick"][:4], [0.0, 0.15, 0.0, 0.3], rtol=0, atol=1e-15)
    np.testing.assert_allclose(tt["vkick"][:4], [0.0, 0.0, 0.0, 0.4], rtol=0, atol=1e-15)
    # the orbit kick of an under-powered bend is its hkick (short bend: px = (h - k0) L)
    p = xt.Particles(p0c=1e9)
    short = xt.Bend(length=1e-4, angle=0.3e-4, k0=0.15, edge_entry_active=0, edge_exit_active=0)
    short.track(p)
    line = xt.Line(elements=[short], element_names=["b"])
    np.testing.assert_allclose(p.px[0], line.get_table(attr=True)["hkick"][0], rtol=1e-8)
