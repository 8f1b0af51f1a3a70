"""Optics of a ring as the IBS formalisms need them: arrays along s and ring averages.

The twiss table gives the optics at the entrance of every element; an IBS
rate is the ring average ``(1/C) int f(s) ds`` of a local rate. It is taken
as the sum over elements of the value at the entrance times the element
length (zero-length elements weigh nothing), the scheme the reference
growth rates of the established implementation follow.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["RingOptics"]

_COLUMNS = ("betx", "bety", "alfx", "alfy", "dx", "dpx", "dy", "dpy")


@dataclass(frozen=True)
class RingOptics:
    """Lattice functions along the ring and the reference particle.

    Attributes
    ----------
    betx, bety, alfx, alfy, dx, dpx, dy, dpy : ndarray, shape (n_elements,)
        Twiss functions at the element entrances ([m], [1], [m], [1]).
    ds : ndarray, shape (n_elements,)
        Element lengths [m].
    circumference : float
        [m].
    beta0, gamma0 : float
        Relativistic factors of the reference particle.
    mass0 : float
        Rest energy [eV].
    q0 : float
        Charge in units of e.
    r0 : float
        Classical radius ``q0^2 e^2 / (4 pi eps0 m c^2)`` [m].
    """

    betx: np.ndarray
    bety: np.ndarray
    alfx: np.ndarray
    alfy: np.ndarray
    dx: np.ndarray
    dpx: np.ndarray
    dy: np.ndarray
    dpy: np.ndarray
    ds: np.ndarray
    circumference: float
    beta0: float
    gamma0: float
    mass0: float
    q0: float
    r0: float

    @classmethod
    def from_twiss(cls, twiss):
        """Optics of a periodic `TwissTable` (its last row, the end point, is dropped)."""
        try:
            s = np.asarray(twiss["s"], dtype=float)
            cols = {k: np.asarray(twiss[k], dtype=float)[:-1] for k in _COLUMNS}
        except KeyError as err:
            raise ValueError(f"the twiss table lacks the column {err.args[0]!r} that IBS needs.") from None
        if len(s) < 2:
            raise ValueError(f"the twiss table has {len(s)} rows; IBS needs the optics of a ring.")
        ds = np.diff(s)
        circumference = float(s[-1] - s[0])
        if not circumference > 0:
            raise ValueError(f"the twiss table spans {circumference} m; IBS needs a ring of positive length.")
        if not np.all(cols["betx"] > 0) or not np.all(cols["bety"] > 0):
            raise ValueError("the twiss table has non-positive beta functions; IBS needs a stable (periodic) optics.")
        particle = twiss.particle_on_co
        mass0 = float(particle.mass0)
        q0 = float(particle.q0)
        r0 = float(np.atleast_1d(particle.get_classical_particle_radius0())[0])
        return cls(**cols, ds=ds, circumference=circumference, beta0=float(twiss.beta0),
                   gamma0=float(twiss.gamma0), mass0=mass0, q0=q0, r0=r0)

    def ring_average(self, values):
        """``(1/C) sum_i values_i ds_i``: the ring average of a quantity given per element."""
        return float(np.sum(np.asarray(values) * self.ds) / self.circumference)
