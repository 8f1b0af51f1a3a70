"""The beam that IBS acts on: validated inputs of the growth-rate computations.

`get_ibs_growth_rates` accepts the documented wide signature (normalised or
geometric emittances, bunched or coasting); it is bundled here once into an
`IBSBeamParameters`, the only object the formalisms see.
"""

from dataclasses import dataclass
import math

__all__ = ["IBSBeamParameters"]


@dataclass(frozen=True)
class IBSBeamParameters:
    """Beam parameters of an IBS computation (all validated, SI units).

    Attributes
    ----------
    num_particles : float
        Particles in the bunch (bunched) or in the ring (coasting).
    gemitt_x, gemitt_y : float
        Geometric r.m.s. emittances [m].
    sigma_delta : float
        R.m.s. relative momentum spread.
    bunch_length : float
        R.m.s. bunch length [m]; for a coasting beam, the length
        ``C / (2 sqrt(pi))`` of a Gaussian bunch with the same line density
        ``N / C`` at its peak.
    bunched : bool
        Whether the beam is bunched.
    """

    num_particles: float
    gemitt_x: float
    gemitt_y: float
    sigma_delta: float
    bunch_length: float
    bunched: bool

    @classmethod
    def from_inputs(cls, *, beta0, gamma0, circumference, total_beam_intensity=None,
                    gemitt_x=None, nemitt_x=None, gemitt_y=None, nemitt_y=None,
                    sigma_delta=None, bunch_length=None, bunched=True):
        """Validate the user-level inputs (exactly one emittance form per plane)."""
        if total_beam_intensity is None:
            raise ValueError("total_beam_intensity (particles in the beam) is required.")
        num_particles = _positive("total_beam_intensity", total_beam_intensity)
        betagamma = beta0 * gamma0
        ex = _emittance("x", gemitt_x, nemitt_x, betagamma)
        ey = _emittance("y", gemitt_y, nemitt_y, betagamma)
        if sigma_delta is None:
            raise ValueError("sigma_delta (r.m.s. momentum spread) is required.")
        sigd = _positive("sigma_delta", sigma_delta)
        if not isinstance(bunched, (bool, int)) or bunched not in (True, False):
            raise TypeError(f"bunched must be True or False, got {bunched!r}.")
        if bunched:
            if bunch_length is None:
                raise ValueError("bunch_length [m] (r.m.s.) is required for a bunched beam.")
            length = _positive("bunch_length", bunch_length)
        else:
            # Coasting: the Gaussian density N / (2 sqrt(pi) sigma_s) averaged over
            # a bunch becomes N / C (see e.g. the MAD-X IBS module documentation).
            length = circumference / (2.0 * math.sqrt(math.pi))
        return cls(num_particles=num_particles, gemitt_x=ex, gemitt_y=ey, sigma_delta=sigd,
                   bunch_length=length, bunched=bool(bunched))


def _positive(name, value):
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}.") from None
    if not out > 0 or not math.isfinite(out):
        raise ValueError(f"{name} must be a finite positive number, got {value!r}.")
    return out


def _emittance(plane, gemitt, nemitt, betagamma):
    if gemitt is not None and nemitt is not None:
        raise ValueError(f"give either gemitt_{plane} or nemitt_{plane}, not both "
                         f"(got gemitt_{plane}={gemitt!r}, nemitt_{plane}={nemitt!r}).")
    if gemitt is None and nemitt is None:
        raise ValueError(f"gemitt_{plane} or nemitt_{plane} [m] is required.")
    if gemitt is not None:
        return _positive(f"gemitt_{plane}", gemitt)
    return _positive(f"nemitt_{plane}", nemitt) / betagamma
