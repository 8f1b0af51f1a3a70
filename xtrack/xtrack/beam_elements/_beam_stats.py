"""Beam statistics from weighted raw moments (used by BeamStatsMonitor).

All statistics are population (weighted) moments: with N = sum(w),
mean(c) = sum(w c)/N, cov(a, b) = sum(w a b)/N - mean(a) mean(b).
Empty records (N = 0) give 0.

Projected emittances are the determinants of the 2x2 covariance blocks,
eps = sqrt(<a a><b b> - <a b>^2), for (x, px), (y, py), (zeta, pzeta).

Normal-mode emittances and the "covariance optics" follow from the 6x6
covariance matrix Sigma of (x, px, y, py, zeta, pzeta): with a symplectic
W (W^T S W = S) and Sigma = W diag(e1, e1, e2, e2, e3, e3) W^T, one has
Sigma S = W (E S) W^-1, so the eigenvalues of Sigma S are +-i e_k and the
eigenvector of +i e_k is w_2k + i w_2k+1 (A. Wolski, "Beam Dynamics in High
Energy Particle Accelerators", ch. 7; same normal form as twiss' W_matrix).
Each eigenvector is scaled to w_2k^T S w_2k+1 = 1 and rotated so that
W[2k, 2k+1] = 0, W[2k, 2k] > 0 (Courant-Snyder phase), then
beta = W[2k,2k]^2 + W[2k,2k+1]^2, alpha = -(W[2k,2k] W[2k+1,2k] +
W[2k,2k+1] W[2k+1,2k+1]); the dispersion (dx, dpx, dy, dpy) is the
transverse part of the longitudinal eigenplane at zeta = 0, pzeta = 1.
Normalised emittances are geometric ones times the mean beta0*gamma0.
"""

import numpy as np

COORDINATES = ("x", "px", "y", "py", "zeta", "delta", "pzeta")
COVARIANCE_ORDER = ("x", "px", "y", "py", "zeta", "pzeta")
PLANES = {"x": ("x", "px"), "y": ("y", "py"), "zeta": ("zeta", "pzeta")}


def second_moment_name(a, b):
    """Raw field name of sum(w a b), in the storage order of COORDINATES."""
    if COORDINATES.index(a) > COORDINATES.index(b):
        a, b = b, a
    return f"sum_{a}_{b}"


RAW_FIELDS = (("num_particles", "sum_beta0_gamma0", "sum_charge_ratio", "sum_mass_ratio")
              + tuple(f"sum_{c}" for c in COORDINATES)
              + tuple(f"sum_{a}_{b}" for i, a in enumerate(COORDINATES) for b in COORDINATES[i:]))

STAT_GROUPS = {
    "normal_mode_emittances": ("gemitt_x", "gemitt_y", "gemitt_zeta",
                               "nemitt_x", "nemitt_y", "nemitt_zeta"),
    "covariance_optics": ("betx", "alfx", "bety", "alfy", "betzeta", "alfzeta",
                          "dx", "dpx", "dy", "dpy"),
}
_NORMAL_MODE_STATS = set(STAT_GROUPS["normal_mode_emittances"] + STAT_GROUPS["covariance_optics"])
_FULL_6D = (("num_particles", "sum_beta0_gamma0") + tuple(f"sum_{c}" for c in COVARIANCE_ORDER)
            + tuple(second_moment_name(a, b) for i, a in enumerate(COVARIANCE_ORDER)
                    for b in COVARIANCE_ORDER[i:]))

DEFAULT_STATS = (("num_particles",) + tuple(f"mean_{c}" for c in COORDINATES[:6])
                 + tuple(f"sigma_{c}" for c in COORDINATES[:6]))


def _all_stat_names():
    names = ["num_particles", "sum_charge_ratio", "mean_charge_ratio", "sum_mass_ratio",
             "mean_mass_ratio"]
    names += [f"mean_{c}" for c in COORDINATES] + [f"sigma_{c}" for c in COORDINATES]
    names += [f"cov_{a}_{b}" for i, a in enumerate(COORDINATES) for b in COORDINATES[i + 1:]]
    for plane in PLANES:
        names += [f"gemitt_{plane}_projected", f"nemitt_{plane}_projected"]
    names += sorted(_NORMAL_MODE_STATS, key=lambda n: (STAT_GROUPS["normal_mode_emittances"]
                                                       + STAT_GROUPS["covariance_optics"]).index(n))
    return tuple(names)


STAT_NAMES = _all_stat_names()


def expand_stats(stats, owner="BeamStatsMonitor"):
    """Tuple of statistic names (groups expanded, duplicates dropped, order kept)."""
    if isinstance(stats, str):
        stats = [stats]
    out = []
    for name in stats:
        for item in STAT_GROUPS.get(name, (name,)):
            if item not in STAT_NAMES:
                raise ValueError(f"{owner}: unknown statistic {item!r}; allowed: "
                                 f"{', '.join(STAT_NAMES + tuple(STAT_GROUPS))}.")
            if item not in out:
                out.append(item)
    return tuple(out)


def raw_fields_for(stat):
    """Raw sums needed by statistic `stat`."""
    fields = ["num_particles"]
    if stat in ("sum_charge_ratio", "mean_charge_ratio"):
        fields.append("sum_charge_ratio")
    elif stat in ("sum_mass_ratio", "mean_mass_ratio"):
        fields.append("sum_mass_ratio")
    elif stat.startswith("mean_"):
        fields.append(f"sum_{stat[5:]}")
    elif stat.startswith("sigma_"):
        c = stat[6:]
        fields += [f"sum_{c}", second_moment_name(c, c)]
    elif stat.startswith("cov_"):
        a, b = _cov_pair(stat)
        fields += [f"sum_{a}", f"sum_{b}", second_moment_name(a, b)]
    elif stat.endswith("_projected"):
        plane = stat.split("_")[1]
        a, b = PLANES[plane]
        fields += [f"sum_{a}", f"sum_{b}", second_moment_name(a, a), second_moment_name(b, b),
                   second_moment_name(a, b)]
        if stat.startswith("nemitt"):
            fields.append("sum_beta0_gamma0")
    elif stat in _NORMAL_MODE_STATS:
        fields += list(_FULL_6D)
    return fields


def _cov_pair(stat):
    rest = stat[4:]
    for a in COORDINATES:
        if rest.startswith(a + "_") and rest[len(a) + 1:] in COORDINATES:
            return a, rest[len(a) + 1:]
    raise ValueError(f"unknown covariance statistic {stat!r}.")


def has_full_6d(raw):
    """True when the raw sums of the full 6D covariance are present."""
    return all(raw.get(f) is not None for f in _FULL_6D)


def _safe_div(num, den):
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _mean(raw, c):
    return _safe_div(raw[f"sum_{c}"], raw["num_particles"])


def _cov(raw, a, b):
    n = raw["num_particles"]
    return _safe_div(raw[second_moment_name(a, b)], n) - _mean(raw, a) * _mean(raw, b)


def compute_stat(stat, raw):
    """Statistic `stat` from the raw sums `raw` (dict of arrays of equal shape)."""
    n = raw["num_particles"]
    if stat == "num_particles":
        return np.array(n, dtype=float)
    if stat in ("sum_charge_ratio", "sum_mass_ratio"):
        return np.array(raw[stat], dtype=float)
    if stat in ("mean_charge_ratio", "mean_mass_ratio"):
        return _safe_div(raw["sum_" + stat[5:]], n)
    if stat.startswith("mean_"):
        return _mean(raw, stat[5:])
    if stat.startswith("sigma_"):
        c = stat[6:]
        return np.sqrt(np.maximum(_cov(raw, c, c), 0.))
    if stat.startswith("cov_"):
        return _cov(raw, *_cov_pair(stat))
    if stat.endswith("_projected"):
        kind, plane = stat.split("_")[:2]
        a, b = PLANES[plane]
        det = _cov(raw, a, a) * _cov(raw, b, b) - _cov(raw, a, b) ** 2
        eps = np.sqrt(np.maximum(det, 0.))
        if kind == "nemitt":
            eps = eps * _safe_div(raw["sum_beta0_gamma0"], n)
        return eps
    if stat in _NORMAL_MODE_STATS:
        shape = np.shape(n)
        flat = {k: np.ravel(v) for k, v in raw.items() if v is not None}
        out = np.zeros(int(np.prod(shape)))
        for ii in range(out.size):
            if flat["num_particles"][ii] == 0:
                continue
            result = optics_from_moments({k: v[ii] for k, v in flat.items()})
            out[ii] = result[stat]
        return out.reshape(shape)
    raise ValueError(f"unknown statistic {stat!r}.")


def covariance_matrix(raw):
    """6x6 covariance of (x, px, y, py, zeta, pzeta) for one record."""
    sigma = np.zeros((6, 6))
    for i, a in enumerate(COVARIANCE_ORDER):
        for j, b in enumerate(COVARIANCE_ORDER):
            sigma[i, j] = _cov(raw, a, b)
    return sigma


def _symplectic_form():
    s = np.zeros((6, 6))
    for k in range(3):
        s[2 * k, 2 * k + 1] = 1.
        s[2 * k + 1, 2 * k] = -1.
    return s


def normal_form(sigma):
    """(emittances (3,), W (6, 6)) with sigma = W diag(e1,e1,e2,e2,e3,e3) W^T."""
    s = _symplectic_form()
    values, vectors = np.linalg.eig(sigma @ s)
    candidates = [ii for ii in np.argsort(-values.imag)[:3]]
    w = np.zeros((6, 6))
    eps = np.zeros(3)
    free = [0, 1, 2]
    amplitude = {ii: [np.sum(np.abs(vectors[2 * k:2 * k + 2, ii]) ** 2) for k in range(3)]
                 for ii in candidates}
    assignment = {}
    for ii in sorted(candidates, key=lambda i: -max(amplitude[i])):  # greedy: dominant plane first
        plane = max(free, key=lambda k: amplitude[ii][k])
        free.remove(plane)
        assignment[plane] = ii
    for k, ii in assignment.items():
        v = vectors[:, ii]
        q = v.real @ s @ v.imag
        if q < 0:
            v = np.conj(v)
            q = -q
        v = v / np.sqrt(q)
        v = v * np.exp(-1j * np.angle(v[2 * k]))
        w[:, 2 * k] = v.real
        w[:, 2 * k + 1] = v.imag
        eps[k] = abs(values[ii].imag)
    return eps, w


def optics_from_moments(raw):
    """Normal-mode emittances and optics of one record (dict of scalar raw sums)."""
    sigma = covariance_matrix(raw)
    eps, w = normal_form(sigma)
    bg = raw["sum_beta0_gamma0"] / raw["num_particles"]
    out = {"status": "ok", "covariance_order": COVARIANCE_ORDER, "covariance_matrix": sigma,
           "W_matrix": w}
    for k, plane in enumerate(("x", "y", "zeta")):
        out[f"gemitt_{plane}"] = eps[k]
        out[f"nemitt_{plane}"] = eps[k] * bg
        a, b = 2 * k, 2 * k + 1
        out[f"bet{plane}"] = w[a, a] ** 2 + w[a, b] ** 2
        out[f"alf{plane}"] = -(w[a, a] * w[b, a] + w[a, b] * w[b, b])
    # longitudinal eigenplane point with zeta = 0, pzeta = 1
    coef = np.linalg.solve(w[4:6, 4:6], np.array([0., 1.]))
    disp = w[:4, 4:6] @ coef
    for name, value in zip(("dx", "dpx", "dy", "dpy"), disp):
        out[name] = value
    return out
