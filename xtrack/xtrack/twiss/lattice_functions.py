"""Lattice functions from the normalising matrix W(s) at every element.

W(s) = M(0 -> s) W(0) is obtained by tracking particles displaced along
the columns of W(0); at each point W(s) = W_n(s) Rot(mu(s)) with W_n in
normal form. Uncoupled and coupled (Mais-Ripken-like, per mode) functions:
  betx1 = W00^2 + W01^2, betx2 = W02^2 + W03^2,
  bety1 = W20^2 + W21^2, bety2 = W22^2 + W23^2,
  alfx = -(W00 W10 + W01 W11), gamx = W10^2 + W11^2 (and y alike);
phase advances mu = atan2(W[2k, 2k+1], W[2k, 2k]) / (2 pi), unwrapped
(Wolski, Phys. Rev. ST Accel. Beams 9, 024001 (2006)).
"""

import numpy as np

__all__ = ["lattice_functions_from_W", "propagate_W"]


def propagate_W(record, co_index_pairs, scales):
    """W(s), shape (n_points, 6, 6), from the tracked +- displaced particles.

    record : dict coordinate -> (n_particles, n_points), coordinates
        (x, px, y, py, zeta, pzeta) wanted in that order.
    co_index_pairs : list of (i_plus, i_minus) per W column (None: column unused).
    scales : displacement (amplitude) of each column.
    """
    names = ("x", "px", "y", "py", "zeta", "pzeta")
    n_points = record["x"].shape[1]
    Ws = np.zeros((n_points, 6, 6))
    for col, pair in enumerate(co_index_pairs):
        if pair is None:
            continue
        ip, im = pair
        for row, name in enumerate(names):
            Ws[:, row, col] = (record[name][ip] - record[name][im]) / (2 * scales[col])
    return Ws


def _phase(Ws, k):
    return np.unwrap(np.arctan2(Ws[:, 2 * k, 2 * k + 1], Ws[:, 2 * k, 2 * k])) / (2 * np.pi)


def lattice_functions_from_W(Ws, longitudinal=True):
    """Dict of columns: betx, alfx, gamx, bety, alfy, gamy, mux, muy, muzeta, coupled betas."""
    W = Ws
    out = {}
    out["betx"] = W[:, 0, 0] ** 2 + W[:, 0, 1] ** 2
    out["bety"] = W[:, 2, 2] ** 2 + W[:, 2, 3] ** 2
    out["alfx"] = -(W[:, 0, 0] * W[:, 1, 0] + W[:, 0, 1] * W[:, 1, 1])
    out["alfy"] = -(W[:, 2, 2] * W[:, 3, 2] + W[:, 2, 3] * W[:, 3, 3])
    out["gamx"] = W[:, 1, 0] ** 2 + W[:, 1, 1] ** 2
    out["gamy"] = W[:, 3, 2] ** 2 + W[:, 3, 3] ** 2
    out["betx1"] = out["betx"]
    out["betx2"] = W[:, 0, 2] ** 2 + W[:, 0, 3] ** 2
    out["bety1"] = W[:, 2, 0] ** 2 + W[:, 2, 1] ** 2
    out["bety2"] = out["bety"]
    out["alfx1"] = out["alfx"]
    out["alfx2"] = -(W[:, 0, 2] * W[:, 1, 2] + W[:, 0, 3] * W[:, 1, 3])
    out["alfy1"] = -(W[:, 2, 0] * W[:, 3, 0] + W[:, 2, 1] * W[:, 3, 1])
    out["alfy2"] = out["alfy"]
    out["gamx1"] = out["gamx"]
    out["gamx2"] = W[:, 1, 2] ** 2 + W[:, 1, 3] ** 2
    out["gamy1"] = W[:, 3, 0] ** 2 + W[:, 3, 1] ** 2
    out["gamy2"] = out["gamy"]
    mux, muy = _phase(W, 0), _phase(W, 1)
    out["mux"] = mux - mux[0]
    out["muy"] = muy - muy[0]
    if longitudinal:
        muz = _phase(W, 2)
        out["muzeta"] = muz - muz[0]
        out["bets"] = W[:, 4, 4] ** 2 + W[:, 4, 5] ** 2
    else:
        out["muzeta"] = np.zeros(len(W))
        out["bets"] = np.ones(len(W))
    return out
