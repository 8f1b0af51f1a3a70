"""Orbit and trajectory correction from the linear response of a reference twiss table.

Response of the orbit at monitor i to a kick theta_j at corrector j (linear
optics, e.g. S.Y. Lee, Accelerator Physics, ch. 2.IV; MAD-X CORRECT):

* closed orbit (periodic line, tune Q):
  ``x_i = sqrt(b_i b_j) / (2 sin(pi Q)) cos(|mu_i - mu_j| - pi Q) theta_j``
  (phases in radians);
* open line (trajectory): ``x_i = sqrt(b_i b_j) sin(mu_i - mu_j) theta_j``
  for monitors downstream of the corrector, 0 upstream.

A horizontal corrector kicks ``px`` by ``-knl[0]``, a vertical one ``py``
by ``+ksl[0]`` (thin multipole convention). Corrections are written into
knobs ``corr_x_<corrector>`` / ``corr_y_<corrector>`` added to the
corrector's field expression, so ``clear_correction_knobs`` undoes them.

Monitors may be misaligned (``monitor_alignment``: per monitor shift_x,
shift_y [m], rot_s_rad [rad]): a monitor reads the orbit in its own frame,
``u = cos(t) (x - sx) + sin(t) (y - sy)``, ``v = -sin(t) (x - sx) + cos(t) (y - sy)``.
"""

import copy

import numpy as np

__all__ = ["TrajectoryCorrection", "OrbitCorrectionSinglePlane", "correct_trajectory_line"]


def _positions(table, names):
    out = []
    for n in names:
        out.append(table._row_index(n) if hasattr(table, "_row_index") else list(table.name).index(n))
    return np.array(out, dtype=int)


def _micado(R, target, n_micado):
    """Greedy best-corrector selection (MICADO, B. Autin and Y. Marti, CERN ISR-MA/73-17)."""
    chosen = []
    for _ in range(min(n_micado, R.shape[1])):
        best, best_res = None, np.inf
        for j in range(R.shape[1]):
            if j in chosen:
                continue
            cols = chosen + [j]
            sol = np.linalg.lstsq(R[:, cols], target, rcond=None)[0]
            res = np.linalg.norm(R[:, cols] @ sol - target)
            if res < best_res:
                best, best_res = j, res
        chosen.append(best)
    kicks = np.zeros(R.shape[1])
    kicks[chosen] = np.linalg.lstsq(R[:, chosen], target, rcond=None)[0]
    return kicks


def _svd_solve(R, target, n_singular_values=None, rcond=None):
    U, S, Vt = np.linalg.svd(R, full_matrices=False)
    keep = np.ones(len(S), dtype=bool)
    if rcond is not None:
        keep &= S > rcond * S[0]
    if n_singular_values is not None:
        keep[n_singular_values:] = False
    keep &= S > 0
    return Vt[keep].T @ ((U[:, keep].T @ target) / S[keep])


class OrbitCorrectionSinglePlane:
    """Correction in one plane ('x' or 'y') with a fixed monitor and corrector set."""

    def __init__(self, line, plane, monitor_names, corrector_names, twiss_table, start=None,
                 end=None, n_micado=None, n_singular_values=None, rcond=None, monitor_alignment=None,
                 corrector_limits=None):
        if plane not in ("x", "y"):
            raise ValueError(f"plane must be 'x' or 'y', got {plane!r}")
        self.line = line
        self.plane = plane
        self.monitor_names = list(monitor_names)
        self.corrector_names = list(corrector_names)
        self.twiss_table = twiss_table
        self.start, self.end = start, end
        self.n_micado, self.n_singular_values, self.rcond = n_micado, n_singular_values, rcond
        self.corrector_limits = corrector_limits
        alignment = monitor_alignment or {}
        self.shift_x_monitors = np.array([alignment.get(m, {}).get("shift_x", 0.0) for m in self.monitor_names])
        self.shift_y_monitors = np.array([alignment.get(m, {}).get("shift_y", 0.0) for m in self.monitor_names])
        self.rot_s_rad_monitors = np.array([alignment.get(m, {}).get("rot_s_rad", 0.0) for m in self.monitor_names])
        tw = twiss_table
        self.s_monitors = np.array(tw["s", list(self.monitor_names)]) if self.monitor_names else np.zeros(0)
        self.s_correctors = np.array(tw["s", list(self.corrector_names)]) if self.corrector_names else np.zeros(0)
        self.response_matrix = self._response()
        self.correction_knob_names = [f"corr_{plane}_{c}" for c in self.corrector_names]
        self._position_before = None
        self._position_after = None
        self._install_knobs()

    def _response(self):
        tw = self.twiss_table
        p = self.plane
        im, ic = _positions(tw, self.monitor_names), _positions(tw, self.corrector_names)
        bet, mu = np.asarray(tw[f"bet{p}"]), 2 * np.pi * np.asarray(tw[f"mu{p}"])
        bm, bc = bet[im][:, None], bet[ic][None, :]
        dmu = mu[im][:, None] - mu[ic][None, :]
        if self.start is None:
            q = 2 * np.pi * float(tw[f"q{p}"])
            R = np.sqrt(bm * bc) / (2 * np.sin(q / 2)) * np.cos(np.abs(dmu) - q / 2)
        else:
            R = np.sqrt(bm * bc) * np.sin(dmu) * (im[:, None] > ic[None, :])
        # kick sign: knl[0] > 0 deflects towards -x; ksl[0] > 0 towards +y
        return -R if p == "x" else R

    def _install_knobs(self):
        line = self.line
        for corr, knob in zip(self.corrector_names, self.correction_knob_names):
            if knob in line.vars:
                continue
            line.vars[knob] = 0.0
            attr = "knl" if self.plane == "x" else "ksl"
            ref = getattr(line.ref[corr], attr)[0]
            old = ref._expr
            base = old if old is not None else float(getattr(line[corr], attr)[0])
            getattr(line.ref[corr], attr)[0] = base + line.vars[knob]

    def get_kick_values(self):
        """Correction kicks [rad] (values of the correction knobs) per corrector."""
        return np.array([self.line.vars[k]._value for k in self.correction_knob_names], dtype=float)

    def _read(self, tw):
        names = self.monitor_names
        x, y = np.asarray(tw["x", names], dtype=float), np.asarray(tw["y", names], dtype=float)
        dx, dy = x - self.shift_x_monitors, y - self.shift_y_monitors
        c, s = np.cos(self.rot_s_rad_monitors), np.sin(self.rot_s_rad_monitors)
        return c * dx + s * dy if self.plane == "x" else -s * dx + c * dy

    def correct(self, tw, n_micado=None, n_singular_values=None, rcond=None):
        """One correction step from the measured table `tw`; returns the kick changes."""
        n_micado = self.n_micado if n_micado is None else n_micado
        n_sv = self.n_singular_values if n_singular_values is None else n_singular_values
        rcond = self.rcond if rcond is None else rcond
        reading = self._read(tw)
        self._position_before = reading
        if n_micado is not None:
            dk = _micado(self.response_matrix, -reading, n_micado)
        else:
            dk = _svd_solve(self.response_matrix, -reading, n_singular_values=n_sv, rcond=rcond)
        new = self.get_kick_values() + dk
        if self.corrector_limits is not None:
            new = np.clip(new, *self.corrector_limits)
        for knob, value in zip(self.correction_knob_names, new):
            self.line.vars[knob] = float(value)
        return dk

    def clear_correction_knobs(self):
        for knob in self.correction_knob_names:
            self.line.vars[knob] = 0.0


def _pair(value):
    return value if isinstance(value, (tuple, list)) else (value, value)


class TrajectoryCorrection:
    """Closed-orbit (periodic) or trajectory (open range start..end) correction of a line.

    Parameters
    ----------
    line : xtrack.Line
    start, end : str, optional
        Range of an open-line correction; both or neither (None: closed orbit).
    twiss_table : TwissTable, optional
        Reference optics for the response (default: twiss of the line now).
    monitor_names_x, corrector_names_x, monitor_names_y, corrector_names_y : list of str, optional
        Default ``line.steering_monitors_x`` etc.
    n_micado : int, optional
        Use MICADO with this number of correctors.
    n_singular_values : int or (int, int), optional
        Singular values kept (per plane).
    rcond : float or (float, float), optional
        Relative cutoff of the singular values.
    monitor_alignment : dict, optional
        monitor -> {'shift_x', 'shift_y', 'rot_s_rad'}.
    """

    def __init__(self, line, start=None, end=None, twiss_table=None, monitor_names_x=None,
                 corrector_names_x=None, monitor_names_y=None, corrector_names_y=None, n_micado=None,
                 n_singular_values=None, rcond=None, monitor_alignment=None):
        if (start is None) != (end is None):
            raise ValueError(f"TrajectoryCorrection: give both start and end or neither, got "
                             f"start={start!r}, end={end!r}")
        self.line, self.start, self.end = line, start, end
        if twiss_table is None:
            twiss_table = line.twiss4d() if start is None else None
            if twiss_table is None:
                raise ValueError("TrajectoryCorrection: an open-range correction needs twiss_table")
        if start is not None:
            # the optics of the range only, so that the phases grow from start to end
            init = twiss_table.get_twiss_init(start)
            twiss_table = line.twiss4d(start=start, end=end, init=init)
        self.twiss_table = twiss_table
        self._init = None if start is None else init
        n_sv, rc = _pair(n_singular_values), _pair(rcond)
        nm = _pair(n_micado)
        def getname(given, attr):
            names = given if given is not None else getattr(line, attr, None)
            return [] if names is None else [str(n) for n in names]  # lists or table name arrays
        limits = (getattr(line, "corrector_limits_x", None), getattr(line, "corrector_limits_y", None))
        self.x_correction = self.y_correction = None
        for i, p in enumerate("xy"):
            mons = getname(monitor_names_x if p == "x" else monitor_names_y, f"steering_monitors_{p}")
            cors = getname(corrector_names_x if p == "x" else corrector_names_y, f"steering_correctors_{p}")
            if not mons or not cors:
                continue
            if start is not None:
                mons, cors = _in_range(twiss_table, mons), _in_range(twiss_table, cors)
            corr = OrbitCorrectionSinglePlane(line, p, mons, cors, twiss_table, start=start, end=end,
                                              n_micado=nm[i], n_singular_values=n_sv[i], rcond=rc[i],
                                              monitor_alignment=monitor_alignment,
                                              corrector_limits=limits[i])
            setattr(self, f"{p}_correction", corr)

    def _measure(self, delta0=None):
        kw = {} if delta0 is None else {"delta0": delta0}
        if self.start is None:
            return self.line.twiss4d(**kw)
        init = copy.copy(self._init)  # shallow: the reference particle is shared, not copied
        for k in ("x", "px", "y", "py"):
            setattr(init, k, 0.0)
        if delta0 is not None:
            init.delta = delta0
        return self.line.twiss4d(start=self.start, end=self.end, init=init)

    def _planes(self, planes):
        planes = "xy" if planes is None else planes
        if planes not in ("x", "y", "xy"):
            raise ValueError(f"correct: planes must be 'x', 'y' or 'xy', got {planes!r}")
        return [c for p, c in (("x", self.x_correction), ("y", self.y_correction)) if p in planes and c]

    def correct(self, planes=None, n_micado=None, n_singular_values=None, rcond=None, n_iter="auto",
                verbose=False, stop_iter_factor=0.1, tol_position_std=1e-10, delta0=None):
        """Iterate corrections until the monitor rms stops improving (or `n_iter` times)."""
        corrs = self._planes(planes)
        nm, n_sv, rc = _pair(n_micado), _pair(n_singular_values), _pair(rcond)
        idx = {"x": 0, "y": 1}
        max_iter = 20 if n_iter == "auto" else int(n_iter)
        previous = None
        for it in range(max_iter):
            tw = self._measure(delta0)
            rms = []
            for c in corrs:
                i = idx[c.plane]
                c.correct(tw, n_micado=nm[i], n_singular_values=n_sv[i], rcond=rc[i])
                rms.append(float(np.std(c._position_before)))
            if verbose:
                print(f"Trajectory correction iteration {it}: rms " + ", ".join(f"{r:.3e}" for r in rms))
            total = float(np.sum(rms))
            if n_iter == "auto" and (total < tol_position_std or
                                     (previous is not None and total > (1 - stop_iter_factor) * previous)):
                break
            previous = total
        tw = self._measure(delta0)
        for c in corrs:
            c._position_after = c._read(tw)
        return self

    def thread(self, ds_thread=None, rcond_short=None, rcond_long=None):
        """Correct the trajectory along growing portions of the line (length `ds_thread` [m])."""
        line = self.line
        length = line.get_length()
        ds = length if ds_thread is None else float(ds_thread)
        init = copy.copy(self.twiss_table.get_twiss_init(0))
        for k in ("x", "px", "y", "py"):
            setattr(init, k, 0.0)
        s_end = ds
        while True:
            for rcond_now, short in ((rcond_short, True), (rcond_long, False)):
                for c in (self.x_correction, self.y_correction):
                    if c is None:
                        continue
                    lo = s_end - ds if short else -np.inf
                    m = (c.s_monitors < s_end) & (c.s_monitors >= lo)
                    k = (c.s_correctors < s_end) & (c.s_correctors >= lo)
                    if not m.any() or not k.any():
                        continue
                    tw = line.twiss4d(start=xt_start(), end="_end_point", init=init)
                    reading = c._read(tw)[m]
                    R = _open_response(c, self.twiss_table)[np.ix_(m, k)]
                    dk = _svd_solve(R, -reading, rcond=rcond_now)
                    values = c.get_kick_values()
                    values[k] += dk
                    for knob, v in zip(c.correction_knob_names, values):
                        line.vars[knob] = float(v)
                    c._position_before = c._read(tw)
            if s_end >= length:
                break
            s_end = min(s_end + ds, length)
        return self

    def clear_correction_knobs(self):
        """Set every correction knob to zero (removes the applied corrections)."""
        for c in (self.x_correction, self.y_correction):
            if c is not None:
                c.clear_correction_knobs()


def _open_response(corr, tw):
    p = corr.plane
    im, ic = _positions(tw, corr.monitor_names), _positions(tw, corr.corrector_names)
    bet, mu = np.asarray(tw[f"bet{p}"]), 2 * np.pi * np.asarray(tw[f"mu{p}"])
    R = np.sqrt(bet[im][:, None] * bet[ic][None, :]) * np.sin(mu[im][:, None] - mu[ic][None, :])
    R = R * (im[:, None] > ic[None, :])
    return -R if p == "x" else R


def _in_range(tw, names):
    present = set(str(n) for n in tw.name)
    return [n for n in names if n in present]


def xt_start():
    from .targets import START

    return START


def correct_trajectory_line(line, run=True, n_iter="auto", start=None, end=None, twiss_table=None,
                            planes=None, monitor_names_x=None, corrector_names_x=None,
                            monitor_names_y=None, corrector_names_y=None, n_micado=None,
                            n_singular_values=None, rcond=None, monitor_alignment=None):
    """Build a TrajectoryCorrection and (with `run`) correct; see `Line.correct_trajectory`."""
    correction = TrajectoryCorrection(line, start=start, end=end, twiss_table=twiss_table,
                                      monitor_names_x=monitor_names_x, corrector_names_x=corrector_names_x,
                                      monitor_names_y=monitor_names_y, corrector_names_y=corrector_names_y,
                                      n_micado=n_micado, n_singular_values=n_singular_values, rcond=rcond,
                                      monitor_alignment=monitor_alignment)
    if run:
        correction.correct(planes=planes, n_iter=n_iter)
    return correction
