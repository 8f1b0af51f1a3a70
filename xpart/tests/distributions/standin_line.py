"""A stand-in for an xtrack line: linear one-turn map with known optics.

It exposes what the xpart generators use (`twiss`, `build_particles`,
`particle_ref`, `elements` with one RF cavity) and nothing else, so the
generators are tested without xtrack. The optics at the start are given;
the second twiss row is at the end of a drift of length `drift_length`.
"""

from types import SimpleNamespace

import numpy as np

import xpart as xp


class StandInCavity:
    """What the generators read from a cavity: voltage [V], frequency [Hz], lag [deg]."""

    def __init__(self, voltage, frequency, lag):
        self.voltage, self.frequency, self.lag = voltage, frequency, lag


class StandInLine:
    """Linear ring with uncoupled optics; SPS-like numbers by default."""

    def __init__(self, betx=50.0, alfx=1.5, bety=20.0, alfy=-0.7, dx=2.0, x_co=1e-3, px_co=-2e-5,
                 circumference=6911.5, momentum_compaction_factor=1.92e-3, harmonic=4620,
                 voltage=4.5e6, lag=180.0, p0c=26e9, drift_length=3.0):
        self.particle_ref = xp.Particles(p0c=p0c)
        beta0 = self.particle_ref.beta0[0]
        frequency = harmonic * beta0 * 299792458.0 / circumference
        self.elements = [StandInCavity(voltage, frequency, lag)]
        self.optics = dict(betx=betx, alfx=alfx, bety=bety, alfy=alfy, dx=dx, x=x_co, px=px_co)
        self.circumference = circumference
        self.momentum_compaction_factor = momentum_compaction_factor
        self.drift_length = drift_length

    def twiss(self, **kwargs):
        o, length = self.optics, self.drift_length
        rows = {"name": ["start", "after_drift"], "s": [0.0, length]}
        for plane in ("x", "y"):
            bet, alf = o[f"bet{plane}"], o[f"alf{plane}"]
            gam = (1 + alf**2) / bet
            rows[f"bet{plane}"] = [bet, bet - 2 * alf * length + gam * length**2]
            rows[f"alf{plane}"] = [alf, alf - gam * length]
        rows["x"] = [o["x"], o["x"] + o["px"] * length]
        rows["px"] = [o["px"], o["px"]]
        rows["y"] = [0.0, 0.0]
        rows["py"] = [0.0, 0.0]
        tw = SimpleNamespace(**{k: np.array(v) for k, v in rows.items()})
        tw.circumference = self.circumference
        tw.momentum_compaction_factor = self.momentum_compaction_factor
        tw.beta0 = self.particle_ref.beta0[0]
        tw.gamma0 = self.particle_ref.gamma0[0]
        return tw

    def build_particles(self, x_norm=0, px_norm=0, y_norm=0, py_norm=0, zeta=0, delta=0,
                        nemitt_x=None, nemitt_y=None, weight=None, particle_ref=None,
                        at_element=None, match_at_s=None, particle_on_co=None, R_matrix=None,
                        _context=None, _buffer=None, _offset=None, **kwargs):
        """Normalised -> physical coordinates with the optics of the start.

        With match_at_s the normalised coordinates refer to that point of the
        drift and the particles are transported back to the start.
        """
        ref = particle_ref or self.particle_ref
        bg = ref.beta0[0] * ref.gamma0[0]
        tw = self.twiss()
        row = 1 if match_at_s is not None else 0
        coords = {}
        for plane, a, pa, nemitt in (("x", x_norm, px_norm, nemitt_x), ("y", y_norm, py_norm, nemitt_y)):
            bet, alf = getattr(tw, f"bet{plane}")[row], getattr(tw, f"alf{plane}")[row]
            eps = nemitt / bg
            u = np.sqrt(bet * eps) * np.asarray(a)
            pu = np.sqrt(eps / bet) * (np.asarray(pa) - alf * np.asarray(a))
            coords[plane], coords["p" + plane] = u, pu
        coords["x"] = coords["x"] + tw.x[row] + self.optics["dx"] * np.asarray(delta)
        coords["px"] = coords["px"] + tw.px[row]
        if match_at_s is not None:
            for plane in ("x", "y"):
                coords[plane] = coords[plane] - coords["p" + plane] * self.drift_length
        return xp.Particles(_context=_context, mass0=ref.mass0, q0=ref.q0, p0c=ref.p0c[0],
                            zeta=zeta, delta=delta, weight=weight, **coords)
