"""TwissTable (an xdeps.Table) and TwissInit, the initial conditions of an open twiss."""

import numpy as np
import xdeps

__all__ = ["TwissTable", "TwissInit"]


class TwissTable(xdeps.Table):
    """Twiss results: one row per element entry plus `_end_point`, and scalars (tw.qx ...).

    Columns include name, s [m], x, px, y, py, zeta [m], delta, betx, bety [m],
    alfx, alfy, gamx, gamy [1/m], dx, dy [m], dpx, dpy, mux, muy, muzeta
    [2 pi], wx_chrom, wy_chrom, ax_chrom, bx_chrom, ay_chrom, by_chrom, the
    coupled functions betx1, betx2, bety1, bety2, and W_matrix (n, 6, 6).
    """

    def _new(self, data, col_names):
        new = super()._new(data, col_names)
        object.__setattr__(new, "_line", self.__dict__.get("_line"))
        return new

    def _select_rows(self, positions):
        # a subset of rows is no periodic solution any more
        new = super()._select_rows(positions)
        new._data.pop("periodic", None)
        return new

    def add_strengths(self, line=None):
        """Add the strength columns (k0l .. k3l, k0sl .. k3sl, angle_rad, length, prototype) of
        the elements of `line` (default: the line this table was computed on); returns self."""
        line = line if line is not None else self.__dict__.get("_line")
        if line is None:
            raise ValueError("add_strengths: this table does not know its line; give line=...")
        from .twiss import _add_strengths

        _add_strengths(self, line)
        return self

    def get_twiss_init(self, at_element):
        """TwissInit (closed orbit, W matrix, dispersion) at `at_element` (name or row index)."""
        i = self._row_index(at_element)
        names = ("x", "px", "y", "py", "zeta", "delta")
        orbit = {n: float(self._data[n][i]) for n in names}
        return TwissInit(
            element_name=str(self._data["name"][i]), s=float(self._data["s"][i]),
            W_matrix=np.array(self._data["W_matrix"][i]), particle_ref=self._data.get("particle_on_co"),
            betx=float(self._data["betx"][i]), alfx=float(self._data["alfx"][i]),
            bety=float(self._data["bety"][i]), alfy=float(self._data["alfy"][i]),
            dx=float(self._data["dx"][i]), dpx=float(self._data["dpx"][i]),
            dy=float(self._data["dy"][i]), dpy=float(self._data["dpy"][i]),
            mux=float(self._data["mux"][i]), muy=float(self._data["muy"][i]),
            muzeta=float(self._data["muzeta"][i]),
            ax_chrom=float(self._data["ax_chrom"][i]) if "ax_chrom" in self._data else 0.0,
            bx_chrom=float(self._data["bx_chrom"][i]) if "bx_chrom" in self._data else 0.0,
            ay_chrom=float(self._data["ay_chrom"][i]) if "ay_chrom" in self._data else 0.0,
            by_chrom=float(self._data["by_chrom"][i]) if "by_chrom" in self._data else 0.0,
            reference_frame=self._data.get("reference_frame", "proper"), **orbit)

    def _row_index(self, at_element):
        names = list(self._data["name"])
        if isinstance(at_element, str):
            if at_element not in names and f"{at_element}::0" in names:
                at_element = f"{at_element}::0"
            if at_element not in names:
                import difflib

                close = difflib.get_close_matches(at_element, names, n=3)
                raise KeyError(f"no row named {at_element!r} in the twiss table"
                               + (f"; close matches: {close}" if close else "") + ".")
            return names.index(at_element)
        from ..match.targets import END, START  # the xt.START / xt.END range markers

        if at_element is START:
            return 0
        if at_element is END:
            return len(names) - 1  # the _end_point row
        return int(at_element)

    def get_ibs_growth_rates(self, formalism, **kwargs):
        """Intra-beam scattering amplitude growth rates (Kx, Ky, Kz) [1/s] from these optics.

        Provided by xfields (``formalism`` = "nagaitsev" or "bjorken-mtingwa";
        the beam parameters are keyword arguments, see xfields); ImportError
        when xfields is not installed.
        """
        from ..extensions import get_extension

        return get_extension("TwissTable.get_ibs_growth_rates")(self, formalism, **kwargs)

    def get_summary(self):
        """Scalars of the table as a dict (name -> value)."""
        return {k: self._data[k] for k in self._scalar_names()
                if np.isscalar(self._data[k]) or isinstance(self._data[k], (int, float, str))}

    def get_R_matrix(self, start, end):
        """Linear transfer matrix from `start` to `end` from the W matrices and phases."""
        i0, i1 = self._row_index(start), self._row_index(end)
        W0, W1 = self._data["W_matrix"][i0], self._data["W_matrix"][i1]
        rot = np.zeros((6, 6))
        for k, mu in enumerate(("mux", "muy", "muzeta")):
            phi = 2 * np.pi * (self._data[mu][i1] - self._data[mu][i0])
            c, s = np.cos(phi), np.sin(phi)
            rot[2 * k:2 * k + 2, 2 * k:2 * k + 2] = [[c, s], [-s, c]]
        return W1 @ rot @ np.linalg.inv(W0)


class TwissInit:
    """Initial conditions of an open-line twiss.

    Parameters
    ----------
    element_name : str, optional
        Element where the conditions hold.
    betx, bety [m], alfx, alfy, dx, dy [m], dpx, dpy : float
        Uncoupled optics (used to build W when `W_matrix` is not given).
    x, px, y, py, zeta [m], delta : float
        Orbit.
    mux, muy, muzeta : float
        Phase advances at the point [2 pi].
    W_matrix : ndarray (6, 6), optional
        Full normalising matrix (coupled optics).
    reference_frame : {'proper', 'reverse'}, optional
        Frame of the values; None until a twiss binds the conditions to a line.
    """

    def __init__(self, element_name=None, s=0.0, x=0.0, px=0.0, y=0.0, py=0.0, zeta=0.0, delta=0.0,
                 betx=None, alfx=0.0, bety=None, alfy=0.0, bets=1.0, dx=0.0, dpx=0.0, dy=0.0, dpy=0.0,
                 dzeta=0.0, mux=0.0, muy=0.0, muzeta=0.0, ax_chrom=0.0, bx_chrom=0.0, ay_chrom=0.0,
                 by_chrom=0.0, ddx=0.0, ddpx=0.0, ddy=0.0, ddpy=0.0, W_matrix=None, particle_ref=None,
                 particle_on_co=None, line=None, reference_frame=None, **kwargs):
        if kwargs:
            import difflib

            key = next(iter(kwargs))
            allowed = ["element_name", "s", "x", "px", "y", "py", "zeta", "delta", "betx", "alfx",
                       "bety", "alfy", "bets", "dx", "dpx", "dy", "dpy", "mux", "muy", "muzeta",
                       "ax_chrom", "bx_chrom", "ay_chrom", "by_chrom", "W_matrix", "particle_on_co"]
            close = difflib.get_close_matches(key, allowed, n=1)
            raise TypeError(f"TwissInit() got an unexpected keyword {key!r}"
                            + (f"; did you mean {close[0]!r}?" if close else "") + ".")
        if W_matrix is None:
            if betx is None or bety is None:
                raise ValueError("TwissInit: give betx and bety (or W_matrix).")
            W_matrix = _uncoupled_W(betx, alfx, bety, alfy, dx, dpx, dy, dpy)
        self.element_name = element_name
        self.s = s
        self.x, self.px, self.y, self.py, self.zeta, self.delta = x, px, y, py, zeta, delta
        self.W_matrix = np.array(W_matrix, dtype=float)
        self.dx, self.dpx, self.dy, self.dpy, self.dzeta = dx, dpx, dy, dpy, dzeta
        self.mux, self.muy, self.muzeta = mux, muy, muzeta
        self.ax_chrom, self.bx_chrom, self.ay_chrom, self.by_chrom = ax_chrom, bx_chrom, ay_chrom, by_chrom
        self.ddx, self.ddpx, self.ddy, self.ddpy = ddx, ddpx, ddy, ddpy
        self.particle_ref = particle_ref
        self.reference_frame = reference_frame

    @property
    def betx(self):
        return float(self.W_matrix[0, 0] ** 2 + self.W_matrix[0, 1] ** 2)

    @property
    def bety(self):
        return float(self.W_matrix[2, 2] ** 2 + self.W_matrix[2, 3] ** 2)

    @property
    def alfx(self):
        W = self.W_matrix
        return float(-(W[0, 0] * W[1, 0] + W[0, 1] * W[1, 1]))

    @property
    def alfy(self):
        W = self.W_matrix
        return float(-(W[2, 2] * W[3, 2] + W[2, 3] * W[3, 3]))

    def _has_deferred_inputs(self):
        """True until the conditions are bound to a line (element name and reference frame set,
        as in `TwissTable.completed_init`)."""
        return self.element_name is None or self.reference_frame is None

    def orbit(self):
        """(x, px, y, py, zeta, delta) as an array."""
        return np.array([self.x, self.px, self.y, self.py, self.zeta, self.delta], dtype=float)

    def copy(self):
        """Independent copy (W matrix copied; the reference particle is shared, never edited)."""
        import copy

        new = copy.copy(self)
        new.W_matrix = np.array(self.W_matrix, dtype=float)
        return new

    def __repr__(self):
        return (f"TwissInit(element_name={self.element_name!r}, betx={self.betx:.6g}, "
                f"bety={self.bety:.6g}, x={self.x:.3g}, y={self.y:.3g})")


def _uncoupled_W(betx, alfx, bety, alfy, dx, dpx, dy, dpy):
    from .normal_form import normal_form_4d_with_dispersion

    W4 = np.zeros((4, 4))
    for k, (bet, alf) in enumerate(((betx, alfx), (bety, alfy))):
        if not bet > 0:
            raise ValueError(f"TwissInit: bet{'xy'[k]} must be > 0 [m], got {bet}.")
        sb = np.sqrt(bet)
        W4[2 * k:2 * k + 2, 2 * k:2 * k + 2] = [[sb, 0.0], [-alf / sb, 1.0 / sb]]
    return normal_form_4d_with_dispersion(W4, [dx, dpx, dy, dpy])
