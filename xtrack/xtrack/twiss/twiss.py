"""`line.twiss(...)`: argument validation, periodic/open dispatch, chromatic and global quantities."""

from dataclasses import replace

import numpy as np

from .periodic import (CLIGHT, TwissOptions, _one_turn_matrix, _ref_values, _reference,
                       compute_twiss_columns, off_momentum_solutions, periodic_solution)
from .table import TwissInit, TwissTable

__all__ = ["twiss_line"]

_METHODS = ("4d", "6d")

_COLUMN_ORDER = ["name", "s", "x", "px", "y", "py", "zeta", "delta", "ptau", "pzeta",
                 "betx", "bety", "alfx", "alfy", "gamx", "gamy", "dx", "dpx", "dy", "dpy",
                 "dzeta", "mux", "muy", "muzeta", "bets",
                 "ax_chrom", "bx_chrom", "ay_chrom", "by_chrom", "wx_chrom", "wy_chrom",
                 "ddx", "ddpx", "ddy", "ddpy",
                 "betx1", "betx2", "bety1", "bety2", "alfx1", "alfx2", "alfy1", "alfy2",
                 "gamx1", "gamx2", "gamy1", "gamy2", "W_matrix"]


def _index_of(line, where, what):
    names = line.element_names
    if where is None:
        return None
    from ..match.targets import END, START  # the xt.START / xt.END range markers

    if where is START:
        return 0
    if where is END:
        return len(names)
    if isinstance(where, str):
        if where == "_end_point":
            return len(names)
        if where not in line.element_dict and "::" in where:
            base, k = where.rsplit("::", 1)  # the k-th occurrence of a repeated name
            found = [ii for ii, nn in enumerate(names) if nn == base]
            if k.isdigit() and int(k) < len(found):
                return found[int(k)]
        if where not in line.element_dict:
            import difflib

            close = difflib.get_close_matches(where, names, n=3)
            raise KeyError(f"twiss: {what}={where!r} is not an element of the line"
                           + (f"; close matches: {close}" if close else "") + ".")
        return names.index(where)
    if isinstance(where, (int, np.integer)) and not isinstance(where, bool):
        return int(where) % (len(names) + 1)
    raise TypeError(f"twiss: {what} must be an element name or index, got {where!r}.")


def twiss_line(line, method=None, start=None, end=None, init=None, init_at=None, reverse=False,
               at_elements=None, only_orbit=False, compute_chromatic_properties=None,
               strengths=False, chrom=None, disable_apertures=True, chi=None, charge_ratio=None,
               mass_ratio=None, **kwargs):
    """Compute the twiss table of `line` (see `Line.twiss` for the parameters).

    chrom : bool, optional
        Short name of `compute_chromatic_properties` (give one of them).
    disable_apertures : bool, default True
        Track the optics particles with the local and the global apertures
        ignored (an orbit outside an aperture is still computed); False makes a
        particle lost on an aperture an error.
    chi, charge_ratio, mass_ratio : float, optional
        Track another species than the reference particle's (one or two of
        them, see `Particles._update_chi_charge_ratio`); the reference
        particle of the line is not changed.
    """
    if chrom is not None:
        if compute_chromatic_properties is not None and bool(chrom) != bool(compute_chromatic_properties):
            raise ValueError(f"twiss: chrom={chrom!r} contradicts compute_chromatic_properties="
                             f"{compute_chromatic_properties!r}; give one of them.")
        compute_chromatic_properties = bool(chrom)
    if chi is not None or charge_ratio is not None or mass_ratio is not None:
        kwargs["particle_ref"] = _species_reference(line, kwargs.get("particle_ref"), chi,
                                                    charge_ratio, mass_ratio)
    with _optics_tracking(line, disable_apertures):
        return _twiss_line(line, method, start, end, init, init_at, reverse, at_elements, only_orbit,
                           compute_chromatic_properties, strengths, **kwargs)


def _species_reference(line, particle_ref, chi, charge_ratio, mass_ratio):
    """Copy of the reference particle with the species ratios changed."""
    ref = particle_ref if particle_ref is not None else line.particle_ref
    if ref is None:
        raise ValueError("twiss: chi/charge_ratio/mass_ratio need a reference particle; set "
                         "line.particle_ref or give particle_ref=...")
    ref = ref.copy()
    ref._update_chi_charge_ratio(chi=chi, charge_ratio=charge_ratio, mass_ratio=mass_ratio)
    return ref


class _optics_tracking:
    """Context: the line's tracker skips the user's monitors (the optics particles must not
    enter their records) and, with `disable_apertures`, ignores local and global apertures;
    the flags are restored on exit."""

    _APERTURE_FLAGS = ("XS_FLAG_IGNORE_GLOBAL_APERTURE", "XS_FLAG_IGNORE_LOCAL_APERTURE")

    def __init__(self, line, disable_apertures=True):
        self.line, self.saved = line, None
        self.names = ("XS_FLAG_IGNORE_MONITORS",) + (self._APERTURE_FLAGS if disable_apertures else ())

    def __enter__(self):
        flags = self.line._ensure_tracker().track_flags
        self.saved = (flags, {f: getattr(flags, f) for f in self.names})
        for f in self.names:
            setattr(flags, f, True)
        return self

    def __exit__(self, *exc):
        flags, values = self.saved
        for f, v in values.items():
            setattr(flags, f, v)
        return False


def _twiss_line(line, method, start, end, init, init_at, reverse, at_elements, only_orbit,
                compute_chromatic_properties, strengths, **kwargs):
    option_names = set(TwissOptions.__dataclass_fields__) - {"method", "only_orbit",
                                                              "compute_chromatic_properties"}
    init_names = {"betx", "alfx", "bety", "alfy", "dx", "dpx", "dy", "dpy", "x", "px", "y", "py",
                  "zeta", "delta", "mux", "muy", "muzeta", "bets", "ax_chrom", "bx_chrom",
                  "ay_chrom", "by_chrom"}
    ignored = {"freeze_longitudinal", "skip_global_quantities", "use_full_inverse",
               "values_at_element_exit", "search_for_t_rev", "eneloss_and_damping",
               "radiation_method", "matrix_responsiveness_tol", "matrix_stability_tol",
               "group_compound_elements", "only_markers", "at_s", "_continue_if_lost",
               "_keep_initial_particles", "_initial_particles", "_ebe_monitor", "ele_co",
               "include_collective", "coupling_edw_teng", "compute_R_element_by_element",
               "compute_lattice_functions", "only_twiss_init", "only_orbit", "periodic_mode",
               "_context", "hide_thin_groups", "polarization", "spin"}
    opts_kwargs, init_values, extra = {}, {}, {}
    for key, value in kwargs.items():
        if key in option_names:
            opts_kwargs[key] = value
        elif key in init_names:
            init_values[key] = value
        elif key in ignored:
            extra[key] = value
        else:
            import difflib

            allowed = sorted(option_names | init_names | {"method", "start", "end", "init",
                                                          "init_at", "reverse", "at_elements",
                                                          "only_orbit", "strengths", "chrom",
                                                          "compute_chromatic_properties",
                                                          "disable_apertures", "chi",
                                                          "charge_ratio", "mass_ratio"})
            close = difflib.get_close_matches(key, allowed, n=1)
            raise TypeError(f"twiss() got an unexpected keyword {key!r}"
                            + (f"; did you mean {close[0]!r}?" if close else "") + ".")
    if extra.get("freeze_longitudinal") and method is None:
        method = "4d"
    defaults = dict(getattr(line, "_extra_config", {}).get("twiss_default", {}) or {})
    if method is None:
        method = defaults.get("method", "6d")
    if method not in _METHODS:
        raise ValueError(f"twiss: method must be one of {_METHODS}, got {method!r}.")
    opts = TwissOptions(method=method, only_orbit=bool(only_orbit),
                        compute_chromatic_properties=compute_chromatic_properties, **opts_kwargs)
    n = len(line.element_names)
    i_start = _index_of(line, start, "start") or 0
    i_end = _index_of(line, end, "end")
    if init is None and init_values:
        if "betx" not in init_values or "bety" not in init_values:
            raise ValueError("twiss: initial values need at least betx and bety "
                             f"(got {sorted(init_values)}).")
        init = TwissInit(**init_values)
    backward = _init_at_end(line, init_at, i_end)
    if isinstance(init, TwissTable):
        init = _init_from_table(line, init, init_at, start, i_start, i_end, backward)
    periodic = init is None or (isinstance(init, str) and init == "periodic")
    if isinstance(init, str) and init != "periodic":
        if init in ("full_periodic",):
            periodic = True
        else:
            raise ValueError(f"twiss: init must be a TwissInit, 'periodic' or None, got {init!r}.")
    if periodic:
        tw = _twiss_periodic(line, opts)
        if start is not None or end is not None:
            tw = _slice_rows(tw, i_start, n if i_end is None else i_end, line)
    else:
        # without start/end an open twiss runs over the whole line from its first element
        tw = _twiss_open(line, opts, init, i_start, n if i_end is None else i_end,
                         backward=backward)
        tw._data["completed_init"] = _completed_init(line, init, i_start,
                                                     n if i_end is None else i_end, backward)
    object.__setattr__(tw, "_line", line)  # for tw.add_strengths()
    if strengths:
        _add_strengths(tw, line)
    if at_elements is not None:
        tw = tw.rows[list(at_elements)]
    if reverse:
        tw = tw.reverse()
    return tw


def _twiss_periodic(line, opts):
    ref = _reference(line, opts)
    co, R, W, steps, adapted = periodic_solution(line, opts, co_guess=_guess(opts))
    cols = compute_twiss_columns(line, co, W, opts)
    chrom = opts.compute_chromatic_properties
    chrom = (not opts.only_orbit) if chrom is None else bool(chrom)
    data = _assemble(line, cols, 0, len(line.element_names), ref, opts)
    data.update(_particle_on_co(line, co, ref))
    data["R_matrix"] = R
    data["steps_r_matrix"] = steps
    data["R_matrix_steps_adapted"] = adapted
    data["method"] = opts.method
    data["periodic"] = True
    if not opts.only_orbit:
        _global_quantities(line, data, cols, co, R, W, opts, ref)
        if chrom:
            _chromatic(line, data, co, W, opts)
    return _make_table(data)


def _completed_init(line, init, i_start, i_end, backward):
    """Copy of the caller's TwissInit bound to the line: element name and reference frame
    filled in (the caller's object is left as given)."""
    done = init.copy()
    names = line.element_names
    at = i_end if backward else i_start
    done.element_name = "_end_point" if at >= len(names) else names[at]
    if done.reference_frame is None:
        done.reference_frame = "proper"
    return done


def _init_at_end(line, init_at, i_end):
    """True when the initial conditions are given at the end of the range (a backward twiss)."""
    if init_at is None:
        return False
    if str(init_at) in ("end", "END", "_end_point"):
        return True
    if str(init_at) in ("start", "START"):
        return False
    n = len(line.element_names)
    return _index_of(line, init_at, "init_at") == (n if i_end is None else i_end) != 0


def _init_from_table(line, table, init_at, start, i_start, i_end, backward):
    """TwissInit taken from a twiss table at the start of this twiss, or at its end (backward)."""
    n = len(line.element_names)
    if backward:
        stop = n if i_end is None else i_end
        at = "_end_point" if stop == n else line.element_names[stop]
    else:
        if init_at is not None and str(init_at) not in ("start", "START") \
                and _index_of(line, init_at, "init_at") != i_start:
            raise NotImplementedError(f"twiss: init_at={init_at!r} is neither the start nor the end "
                                      "of the range: give the initial conditions at one of them.")
        at = start if start is not None else line.element_names[i_start]
    return table.get_twiss_init(at_element=at)


def _twiss_open(line, opts, init, i_start, i_end, backward=False):
    """Twiss from initial conditions at the start (or, `backward`, at the end) of [i_start, i_end]."""
    if not isinstance(init, TwissInit):
        raise TypeError(f"twiss: init must be a TwissInit, got {type(init).__name__}.")
    ref = _reference(line, opts)
    co = init.orbit()
    W = np.array(init.W_matrix, dtype=float)
    if i_end < i_start:
        raise ValueError(f"twiss: end (index {i_end}) lies before start (index {i_start}).")
    cols = compute_twiss_columns(line, co, W, opts, ele_start=i_start, ele_stop=i_end,
                                 backtrack=backward)
    data = _assemble(line, cols, i_start, i_end, ref, opts)
    for mu, value in (("mux", init.mux), ("muy", init.muy), ("muzeta", init.muzeta)):
        if mu in data:
            # the phases are those given where the initial conditions are
            data[mu] = data[mu] - (data[mu][-1] if backward else 0.0) + value
    data.update(_particle_on_co(line, co, ref))
    data["method"] = opts.method
    data["periodic"] = False
    vals = _ref_values(ref)
    data.update({"p0c": vals["p0c"], "gamma0": vals["gamma0"], "beta0": vals["beta0"],
                 "circumference": (length := line.get_length()), "line_length": length})
    if not opts.only_orbit:
        data["qx"], data["qy"] = float(data["mux"][-1]), float(data["muy"][-1])
        if opts.compute_chromatic_properties:
            _chromatic_open(line, data, co, W, init, opts, i_start, i_end, backward)
    return _make_table(data)


def _guess(opts):
    if opts.co_guess is None:
        return None
    g = opts.co_guess
    if hasattr(g, "x") and hasattr(g, "_context"):
        from .one_turn_matrix import coords_of_particle

        return coords_of_particle(g)
    if isinstance(g, dict):
        return np.array([float(g.get(k, 0.0)) for k in ("x", "px", "y", "py", "zeta", "delta")])
    return np.asarray(g, dtype=float)


def _assemble(line, cols, i_start, i_end, ref, opts):
    names = list(line.element_names[i_start:i_end]) + ["_end_point"]
    # one pass over the elements (reading 13,000 lengths costs ~50 ms): entries and the end
    s_exit = np.asarray(line.get_s_elements(mode="downstream"), dtype=float)
    s_all = np.concatenate([[0.0], s_exit]) if len(s_exit) else np.zeros(1)
    s = s_all[i_start:i_end + 1] if i_end < len(line.element_names) else \
        np.concatenate([s_all[i_start:len(line.element_names)], [s_all[-1]]])
    if i_end < len(line.element_names):
        names = list(line.element_names[i_start:i_end]) + [line.element_names[i_end]]
    from .particles_io import tracker_cache

    cache = tracker_cache(line).setdefault("row_names", {})
    key = (i_start, i_end, len(line.element_names))
    if key not in cache:  # the names of a tracked line change only with a new tracker
        cache[key] = np.array(_unique_names(names), dtype=object)
    data = {"name": cache[key].copy(), "s": s}
    data.update(cols)
    vals = _ref_values(ref)
    data["ptau"] = data["pzeta"] * vals["beta0"]
    data["reference_frame"] = "proper"
    data["values_at"] = "entry"
    return data


def _unique_names(names):
    """Names of elements placed several times get '::k' (k-th occurrence, from 0), as in xtrack."""
    from collections import Counter

    total = Counter(names)
    seen = Counter()
    out = []
    for name in names:
        if total[name] > 1:
            out.append(f"{name}::{seen[name]}")
            seen[name] += 1
        else:
            out.append(name)
    return out


def _particle_on_co(line, co, ref):
    from xpart import Particles

    vals = _ref_values(ref)
    species = {}
    for name in ("chi", "charge_ratio"):  # the species tracked (twiss(chi=...) or particle_ref)
        value = getattr(ref, name, None)
        if value is not None:
            species[name] = float(np.atleast_1d(ref._context.nparray_from_context_array(value)
                                                if not isinstance(value, np.ndarray) else value)[0])
    p = Particles(mass0=vals["mass0"], q0=vals["q0"], p0c=vals["p0c"], **species,
                  **{k: co[i] for i, k in enumerate(("x", "px", "y", "py", "zeta", "delta"))})
    return {"particle_on_co": p}


def _global_quantities(line, data, cols, co, R, W, opts, ref):
    vals = _ref_values(ref)
    length = float(data["s"][-1])  # the periodic table spans the whole line
    data["qx"] = float(cols["mux"][-1])
    data["qy"] = float(cols["muy"][-1])
    data["qs"] = 0.0 if opts.method == "4d" else float(abs(cols["muzeta"][-1]))
    data["bets0"] = float(cols["bets"][0])
    data["circumference"] = length
    data["line_length"] = length
    data["T_rev0"] = data["t_rev0"] = length / (vals["beta0"] * CLIGHT)
    data["p0c"], data["gamma0"], data["beta0"] = vals["p0c"], vals["gamma0"], vals["beta0"]
    slip_dzeta = _slip_dzeta_ddelta(line, co, R, opts, ref)
    data["slip_factor_dzeta_ddelta"] = data["slip_factor_dz_ddelta"] = slip_dzeta
    data["slip_factor"] = -slip_dzeta / length
    data["momentum_compaction_factor"] = data["slip_factor"] + 1 / vals["gamma0"] ** 2
    cmin = _c_minus(R)
    data["c_minus"] = abs(cmin)
    data["c_minus_re_0"], data["c_minus_im_0"] = cmin.real, cmin.imag


def _c_minus(R):
    """Closest tune approach from the off-diagonal blocks of the one-turn matrix.

    |c-| = sqrt(det(m + n^+)) / (pi (sin mu1 + sin mu2)) (Persson & Tomas,
    Phys. Rev. ST AB 17, 051004 (2014)); here from the coupling block norm.
    """
    m = R[0:2, 2:4]
    n = R[2:4, 0:2]
    J = np.array([[0, 1], [-1, 0]])
    nbar = -J @ n.T @ J
    H = m + nbar
    det = np.linalg.det(H)
    cos_x, cos_y = np.trace(R[0:2, 0:2]) / 2, np.trace(R[2:4, 2:4]) / 2
    if abs(det) < 1e-30:
        return 0.0 + 0.0j
    denom = np.pi * (np.sqrt(max(1 - cos_x ** 2, 0)) + np.sqrt(max(1 - cos_y ** 2, 0)))
    return complex(np.sqrt(abs(det)) / denom if denom > 0 else 0.0)


def _slip_dzeta_ddelta(line, co, R, opts, ref):
    """d zeta / d delta over one turn with the energy frozen, along the off-momentum orbits.

    The orbits at delta_co -+ delta_disp start on the periodic 4d dispersion
    (x, px, y, py) = D pzeta, D = (1 - R4)^-1 r of the one-turn matrix tracked
    with the energy frozen (in 6d one more such matrix at the 6d orbit: the 6d
    matrix carries the RF through the dispersion at the cavities, which moves
    the SPS slip by 2e-5 relative). They are tracked through the whole turn
    with freeze_longitudinal: the energy is restored after every element (RF
    kicks undone) while zeta follows the path length and the velocity, so the
    zeta difference is the slip of the lattice alone. Thick cavities keep
    their drift (skipping them loses L / gamma0^2 per cavity).
    eta = -(d zeta / d delta) / C and alpha_c = eta + 1 / gamma0^2 then follow
    from zeta = s - beta0 c t (path length C (1 + alpha_c delta), velocity
    beta0 (1 + delta / gamma0^2) to first order).
    """
    from .particles_io import track_coords
    from .propagation import pzeta_from_delta

    if opts.method != "4d":
        R, _, _ = _one_turn_matrix(line, co, opts, ref, freeze=True)
    disp = np.linalg.solve(np.eye(4) - R[:4, :4], R[:4, 5])
    beta0 = _ref_values(ref)["beta0"]
    dd = opts.delta_disp
    coords = []
    for sign in (-1.0, 1.0):
        c = co.copy()
        c[:4] += disp * (pzeta_from_delta(co[5] + sign * dd, beta0) - pzeta_from_delta(co[5], beta0))
        c[5] = co[5] + sign * dd
        coords.append(c)
    X = np.column_stack(coords)
    final, _ = track_coords(line, X, freeze_longitudinal=True, particle_ref=ref)
    return float((final[4][1] - X[4][1] - (final[4][0] - X[4][0])) / (2 * dd))


def _chromatic(line, data, co, W, opts):
    """dqx, dqy, ddqx, ddqy and the Montague functions from twiss at delta_co -+ delta_chrom."""
    tws = []
    opts_off = replace(opts, compute_chromatic_properties=False, method=opts.method)
    for co_d, R_d, W_d, _, _ in off_momentum_solutions(line, opts, co, W, opts.method):
        tws.append(compute_twiss_columns(line, co_d, W_d, opts_off))
    _fill_chromatic(data, tws, opts.delta_chrom)


def _fill_chromatic(data, tws, delta_chrom):
    minus, plus = tws
    two_d = 2 * delta_chrom
    for p in ("x", "y"):
        q0 = data[f"q{p}"] if f"q{p}" in data else data[f"mu{p}"][-1]
        qm, qp = minus[f"mu{p}"][-1], plus[f"mu{p}"][-1]
        data[f"dq{p}"] = float((qp - qm) / two_d)
        data[f"ddq{p}"] = float((qp - 2 * q0 + qm) / delta_chrom ** 2)
        # the functions of the mean of the two off-momentum optics, as the established
        # implementation (MAD8 physics manual 6.3 with centred differences)
        bet = (plus[f"bet{p}"] + minus[f"bet{p}"]) / 2
        alf = (plus[f"alf{p}"] + minus[f"alf{p}"]) / 2
        # per unit of the local momentum difference: in 6d the RF changes it along the turn
        local_d = plus["delta"] - minus["delta"]
        dbet = (plus[f"bet{p}"] - minus[f"bet{p}"]) / local_d
        dalf = (plus[f"alf{p}"] - minus[f"alf{p}"]) / local_d
        b = dbet / bet
        a = dalf - alf * b
        data[f"b{p}_chrom"], data[f"a{p}_chrom"] = b, a
        data[f"w{p}_chrom"] = np.sqrt(a * a + b * b)
        data[f"dd{p}"] = (plus[f"d{p}"] - minus[f"d{p}"]) / two_d
        data[f"ddp{p}"] = (plus[f"dp{p}"] - minus[f"dp{p}"]) / two_d


def _chromatic_open(line, data, co, W, init, opts, i_start, i_end, backward=False):
    tws = []
    for sign in (-1.0, 1.0):
        dd = sign * opts.delta_chrom
        c = co.copy()
        c[:4] += np.array([init.dx, init.dpx, init.dy, init.dpy]) * dd
        c[5] += dd
        W_d = np.array(W)
        # first-order chromatic change of W from the Montague functions at the start
        for k, (a, b) in enumerate(((init.ax_chrom, init.bx_chrom), (init.ay_chrom, init.by_chrom))):
            bet = W[2 * k, 2 * k] ** 2 + W[2 * k, 2 * k + 1] ** 2
            alf = -(W[2 * k, 2 * k] * W[2 * k + 1, 2 * k] + W[2 * k, 2 * k + 1] * W[2 * k + 1, 2 * k + 1])
            bet_d = bet * (1 + b * dd)
            alf_d = alf + (a + alf * b) * dd
            sb = np.sqrt(bet_d)
            W_d[2 * k:2 * k + 2, 2 * k:2 * k + 2] = [[sb, 0.0], [-alf_d / sb, 1 / sb]]
        o = replace(opts, compute_chromatic_properties=False)
        tws.append(compute_twiss_columns(line, c, W_d, o, ele_start=i_start, ele_stop=i_end,
                                         backtrack=backward))
    _fill_chromatic(data, tws, opts.delta_chrom)


def _make_table(data):
    cols = [c for c in _COLUMN_ORDER if c in data and np.ndim(data[c]) >= 1 and c != "particle_on_co"]
    n = len(data["name"])
    cols = [c for c in cols if len(data[c]) == n]
    return TwissTable(data, col_names=cols)


def _slice_rows(tw, i0, i1, line):
    positions = list(range(i0, i1 + 1)) if i1 >= i0 else None
    if positions is None:
        raise ValueError(f"twiss: end (index {i1}) lies before start (index {i0}).")
    out = tw._select_rows(np.array(positions))
    out._data["periodic"] = tw._data.get("periodic", True)  # a range of the periodic solution
    return out


def _add_strengths(tw, line):
    n = len(tw.name)
    names = ("k0l", "k1l", "k2l", "k3l", "k0sl", "k1sl", "k2sl", "k3sl", "angle_rad", "length")
    values = {attr: np.zeros(n) for attr in names}
    prototypes = np.full(n, None, dtype=object)
    for i, name in enumerate(tw.name):
        # rows of elements placed several times are named 'name::k'
        el = line.element_dict.get(name.split("::")[0] if name not in line.element_dict else name)
        if el is None:
            continue
        prototypes[i] = getattr(el, "prototype", None)
        if hasattr(el, "_table_values"):  # a slice: its part of the parent, as line.get_table(attr=True)
            from ..line.tables import _attr_values

            row = _attr_values(el, line.element_dict)
            for attr in names:
                values[attr][i] = row[attr]
            continue
        length = float(getattr(el, "length", 0.0) or 0.0) if getattr(el, "isthick", False) else 0.0
        values["length"][i] = length
        knl = np.atleast_1d(getattr(el, "knl", np.zeros(1)))
        ksl = np.atleast_1d(getattr(el, "ksl", np.zeros(1)))
        for order in range(4):
            k = float(getattr(el, f"k{order}", 0.0) or 0.0) if hasattr(el, f"k{order}") else 0.0
            ks = float(getattr(el, f"k{order}s", 0.0) or 0.0) if hasattr(el, f"k{order}s") else 0.0
            values[f"k{order}l"][i] = k * length + (knl[order] if order < len(knl) else 0.0)
            values[f"k{order}sl"][i] = ks * length + (ksl[order] if order < len(ksl) else 0.0)
        values["angle_rad"][i] = float(getattr(el, "angle", 0.0) or 0.0) if hasattr(el, "angle") \
            else float(getattr(el, "hxl", 0.0) or 0.0)
    for attr in names:
        tw[attr] = values[attr]
    tw["prototype"] = prototypes
