"""`PhaseMonitor`: betatron tunes of individual particles from their normalised phases.

At every `measure(particles)` the particles (at the start of the line) are
mapped to linear normalised coordinates, Z = W^-1 (X - X_co), with the one-turn
normal form W and the closed orbit X_co of the line's twiss at its first
element. In these coordinates one turn is a rotation by 2 pi Q in each plane
(the convention of the W columns: x_n = sqrt(2J) cos(phi), px_n = -sqrt(2J) sin(phi)),
so the phase phi = atan2(-px_n, x_n) of each particle advances by 2 pi Q per
turn; the tune of a particle is the mean of its phase advances between
successive measurements, taken modulo one.
"""

import numpy as np

_COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def _first(value):
    return float(np.asarray(value).ravel()[0])


class PhaseMonitor:
    """Record the normalised phases of `num_particles` particles, turn after turn.

    Parameters
    ----------
    line : Line
        The tracked line (its twiss is computed when `twiss` is not given).
    num_particles : int
        Particles with particle_id 0 .. num_particles-1 are recorded (others are ignored).
    twiss : TwissTable, optional
        Optics of the line: its first row gives W_matrix and the closed orbit.

    Attributes
    ----------
    phase_x, phase_y : ndarray (n_measurements, num_particles)
        Normalised phases [rad] at each measurement (NaN for particles lost or absent).
    qx, qy : ndarray (num_particles,)
        Mean phase advance per measurement interval / 2 pi, modulo 1 (NaN before two
        measurements).
    """

    def __init__(self, line=None, num_particles=None, twiss=None):
        if num_particles is None or isinstance(num_particles, bool) or int(num_particles) != num_particles \
                or int(num_particles) < 1:
            raise ValueError(f"PhaseMonitor: num_particles must be a positive integer, got {num_particles!r}.")
        if twiss is None:
            if line is None:
                raise ValueError("PhaseMonitor needs line=... or twiss=... (the optics of the line).")
            twiss = line.twiss()
        self.num_particles = int(num_particles)
        W = np.asarray(twiss.W_matrix, dtype=float)[0]
        if W.shape != (6, 6):
            raise ValueError(f"PhaseMonitor: twiss.W_matrix rows must be 6x6, got {W.shape}.")
        self._W_inv = np.linalg.inv(W)
        self._co = self._closed_orbit(twiss)
        self._phases = []

    @staticmethod
    def _closed_orbit(twiss):
        names = _COORDS if "pzeta" in getattr(twiss, "_col_names", ()) or hasattr(twiss, "pzeta") \
            else _COORDS[:5] + ("delta",)  # delta = pzeta to first order (a table without pzeta)
        return np.array([_first(getattr(twiss, n)) for n in names])

    def measure(self, particles):
        """Add one measurement of the particles' phases (call once per turn, at the line start)."""
        coords = np.array([np.asarray(particles._to_host(getattr(particles, n)), dtype=float)
                           for n in _COORDS])
        pid = np.asarray(particles._to_host(particles.particle_id))
        alive = np.asarray(particles._to_host(particles.state)) > 0
        Z = self._W_inv @ (coords - self._co[:, None])
        row = np.full((2, self.num_particles), np.nan)
        keep = alive & (pid >= 0) & (pid < self.num_particles)
        row[0, pid[keep]] = np.arctan2(-Z[1, keep], Z[0, keep])
        row[1, pid[keep]] = np.arctan2(-Z[3, keep], Z[2, keep])
        self._phases.append(row)

    def _phase(self, plane):
        if not self._phases:
            return np.zeros((0, self.num_particles))
        return np.array([p[plane] for p in self._phases])

    @property
    def phase_x(self):
        return self._phase(0)

    @property
    def phase_y(self):
        return self._phase(1)

    def _tune(self, phase):
        if len(phase) < 2:
            return np.full(self.num_particles, np.nan)
        advance = np.mod(np.diff(phase, axis=0) / (2 * np.pi), 1.0)
        return np.mean(advance, axis=0)

    @property
    def qx(self):
        return self._tune(self.phase_x)

    @property
    def qy(self):
        return self._tune(self.phase_y)
