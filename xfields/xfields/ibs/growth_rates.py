"""Result objects of the analytical IBS computations: growth rates and their conventions.

Two conventions are in use. Xsuite returns *amplitude* growth rates, the
convention of synchrotron-radiation damping rates:
``K_u = (1 / sqrt(eps_u)) d sqrt(eps_u) / dt`` (and ``K_z`` for the momentum
spread, ``(1 / sigma_delta) d sigma_delta / dt``). MAD-X and most papers give
*emittance* growth rates, ``(1 / eps_u) d eps_u / dt``, which are twice the
amplitude ones. Growth times are the inverses of the rates. A negative rate is
damping.
"""

from dataclasses import dataclass

__all__ = ["IBSGrowthRates", "IBSAmplitudeGrowthRates", "IBSEmittanceGrowthRates"]


@dataclass(frozen=True, eq=False)
class IBSGrowthRates:
    """Horizontal, vertical and longitudinal IBS growth rates [1/s].

    Attributes
    ----------
    Kx, Ky, Kz : float
        Growth rates [1/s] in the convention of the subclass (amplitude or
        emittance). ``Tx``, ``Ty``, ``Tz`` are the same numbers under the names
        MAD-X uses for inverse growth times.
    """

    Kx: float
    Ky: float
    Kz: float

    #: "amplitude" or "emittance"; set by the subclasses.
    convention = None
    #: Emittance rate / this convention's rate.
    _to_emittance_factor = None

    def __post_init__(self):
        for name in ("Kx", "Ky", "Kz"):
            object.__setattr__(self, name, float(getattr(self, name)))

    # MAD-X names of the same rates (1/tau).
    @property
    def Tx(self):
        """Horizontal growth rate [1/s] (same as `Kx`)."""
        return self.Kx

    @property
    def Ty(self):
        """Vertical growth rate [1/s] (same as `Ky`)."""
        return self.Ky

    @property
    def Tz(self):
        """Longitudinal growth rate [1/s] (same as `Kz`)."""
        return self.Kz

    def _scaled(self, factor):
        return (self.Kx * factor, self.Ky * factor, self.Kz * factor)

    def to_amplitude_growth_rates(self):
        """The same rates as an `IBSAmplitudeGrowthRates` [1/s]."""
        return IBSAmplitudeGrowthRates(*self._scaled(self._to_emittance_factor / 2.0))

    def to_emittance_growth_rates(self):
        """The same rates as an `IBSEmittanceGrowthRates` [1/s]."""
        return IBSEmittanceGrowthRates(*self._scaled(self._to_emittance_factor))

    def to_amplitude_growth_times(self):
        """Amplitude growth times ``(tau_x, tau_y, tau_z)`` [s] (inf for a zero rate)."""
        return _inverse(self.to_amplitude_growth_rates())

    def to_emittance_growth_times(self):
        """Emittance growth times ``(tau_x, tau_y, tau_z)`` [s] (inf for a zero rate)."""
        return _inverse(self.to_emittance_growth_rates())

    def as_tuple(self):
        """``(Kx, Ky, Kz)`` [1/s]."""
        return (self.Kx, self.Ky, self.Kz)

    def __eq__(self, other):
        if not isinstance(other, IBSGrowthRates):
            return NotImplemented
        mine = self.to_amplitude_growth_rates().as_tuple()
        theirs = other.to_amplitude_growth_rates().as_tuple()
        # The factor-2 conversions are exact in binary floating point.
        return mine == theirs

    def __hash__(self):
        return hash(self.to_amplitude_growth_rates().as_tuple())

    def __repr__(self):
        return (f"{type(self).__name__}(Kx={self.Kx:.6g}, Ky={self.Ky:.6g}, Kz={self.Kz:.6g}) "
                f"[1/s, {self.convention} convention]")


def _inverse(rates):
    return tuple(float("inf") if k == 0 else 1.0 / k for k in rates.as_tuple())


class IBSAmplitudeGrowthRates(IBSGrowthRates):
    """IBS amplitude growth rates (Xsuite's convention) [1/s]."""

    convention = "amplitude"
    _to_emittance_factor = 2.0


class IBSEmittanceGrowthRates(IBSGrowthRates):
    """IBS emittance growth rates (MAD-X's convention, twice the amplitude rates) [1/s]."""

    convention = "emittance"
    _to_emittance_factor = 1.0
