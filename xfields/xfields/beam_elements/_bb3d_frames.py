"""Slices of the strong bunch between the accelerator frame and the boosted frame.

Hirata's boost (K. Hirata, H. Moshammer, F. Ruggiero, Part. Accel. 40 (1993)
205, eqs. 5-7), the same map as the particles' in _boost.h, applied to the
slice centroids; the second moments of (x, px, y, py) go through its
linear part at zero momenta: positions unchanged, momenta divided by cos(phi).
"""

import numpy as np

MOMENT_NAMES = ("11", "12", "13", "14", "22", "23", "24", "33", "34", "44")


def _momentum_power(ij):
    """How many of the two indices are momenta (2 = px, 4 = py)."""
    return sum(1 for k in ij if k in "24")


def boost_moments(moments, cos_phi):
    """``{'11': Sigma_11, ...}`` in the accelerator frame -> boosted frame."""
    return {ij: np.asarray(v, dtype=float) / cos_phi ** _momentum_power(ij)
            for ij, v in moments.items()}


def unboost_moments(moments, cos_phi):
    """Inverse of :func:`boost_moments`."""
    return {ij: np.asarray(v, dtype=float) * cos_phi ** _momentum_power(ij)
            for ij, v in moments.items()}


def boost_centroids(centroids, trig):
    """Centroids ``{'x','px','y','py','zeta','pzeta'}`` [m, 1] -> boosted frame.

    `trig` holds ``_sin_phi, _cos_phi, _tan_phi, _sin_alpha, _cos_alpha``. The
    energy variable of the boost is taken as pzeta (it enters the map only at
    second order in the slice momenta).
    """
    sphi, cphi, tphi = trig["_sin_phi"], trig["_cos_phi"], trig["_tan_phi"]
    sa, ca = trig["_sin_alpha"], trig["_cos_alpha"]
    x, px, y, py, z, d = (np.asarray(centroids[c], dtype=float)
                          for c in ("x", "px", "y", "py", "zeta", "pzeta"))
    h = d + 1 - np.sqrt((1 + d) ** 2 - px ** 2 - py ** 2)
    px_s = (px - h * ca * tphi) / cphi
    py_s = (py - h * sa * tphi) / cphi
    d_s = d - px * ca * tphi - py * sa * tphi + h * tphi ** 2
    pz_s = np.sqrt((1 + d_s) ** 2 - px_s ** 2 - py_s ** 2)
    hx, hy, hs = px_s / pz_s, py_s / pz_s, 1 - (1 + d_s) / pz_s
    return {
        "x": tphi * ca * z + (1 + hx * ca * sphi) * x + hx * sa * sphi * y,
        "px": px_s,
        "y": tphi * sa * z + hy * ca * sphi * x + (1 + hy * sa * sphi) * y,
        "py": py_s,
        "zeta": z / cphi + hs * ca * sphi * x + hs * sa * sphi * y,
        "pzeta": d_s,
    }
