"""`TwissTable.get_ibs_growth_rates`: analytical IBS growth rates of a ring."""

from .beam_parameters import IBSBeamParameters
from .bjorken_mtingwa import bjorken_mtingwa_growth_rates
from .coulomb_logarithm import coulomb_logarithm
from .growth_rates import IBSAmplitudeGrowthRates, IBSEmittanceGrowthRates
from .nagaitsev import nagaitsev_growth_rates
from .ring_optics import RingOptics

__all__ = ["get_intrabeam_scattering_growth_rates", "normalize_formalism"]

_FORMALISMS = {"nagaitsev": nagaitsev_growth_rates,
               "bjorken-mtingwa": bjorken_mtingwa_growth_rates}
_ALIASES = {"nagaitsev": "nagaitsev", "bjorken-mtingwa": "bjorken-mtingwa",
            "bjorken_mtingwa": "bjorken-mtingwa", "b&m": "bjorken-mtingwa", "bm": "bjorken-mtingwa"}


def normalize_formalism(formalism):
    """'nagaitsev' or 'bjorken-mtingwa' from any accepted spelling (case-insensitive)."""
    key = formalism.lower().strip() if isinstance(formalism, str) else None
    if key not in _ALIASES:
        raise ValueError(f"formalism must be 'Nagaitsev' or 'Bjorken-Mtingwa' (also 'B&M'), "
                         f"case-insensitively, got {formalism!r}.")
    return _ALIASES[key]


def get_intrabeam_scattering_growth_rates(twiss, formalism, total_beam_intensity=None,
                                          gemitt_x=None, nemitt_x=None, gemitt_y=None,
                                          nemitt_y=None, sigma_delta=None, bunch_length=None,
                                          bunched=True, particles=None, **kwargs):
    """IBS amplitude growth rates of the beam in the ring described by `twiss`.

    Parameters
    ----------
    twiss : xtrack.TwissTable
        Periodic optics of the ring (``line.twiss4d()`` or ``line.twiss()``).
    formalism : str
        "Nagaitsev" (fast, no vertical dispersion) or "Bjorken-Mtingwa" (also
        "B&M"; with vertical dispersion), case-insensitively.
    total_beam_intensity : float
        Particles in the bunch (bunched) or in the ring (coasting).
    gemitt_x, nemitt_x, gemitt_y, nemitt_y : float
        Geometric or normalised r.m.s. emittances [m]: one of each pair.
    sigma_delta : float
        R.m.s. momentum spread.
    bunch_length : float
        R.m.s. bunch length [m] (bunched beams).
    bunched : bool, default True
        False: a coasting beam (the density is ``N / C``).
    particles : xtrack.Particles, optional
        Take ``gemitt_x``, ``gemitt_y``, ``sigma_delta`` and ``bunch_length``
        from these (alive) particles and the twiss optics, instead of the arguments.

    Returns
    -------
    IBSAmplitudeGrowthRates
        ``Kx``, ``Ky``, ``Kz`` [1/s]: amplitude growth rates (half the emittance
        rates; negative: damping). ``.to_emittance_growth_rates()`` converts.

    Raises
    ------
    ValueError
        Unknown formalism, missing or non-positive beam parameters.
    TypeError
        Unexpected keyword arguments.
    """
    if kwargs:
        raise TypeError(f"get_ibs_growth_rates() got unexpected keyword arguments {sorted(kwargs)}.")
    name = normalize_formalism(formalism)
    if particles is not None:
        from .beam_from_particles import beam_sizes_from_particles

        gemitt_x, gemitt_y, sigma_delta, bunch_length = beam_sizes_from_particles(twiss, particles)
        nemitt_x = nemitt_y = None
    optics = RingOptics.from_twiss(twiss)
    beam = IBSBeamParameters.from_inputs(
        beta0=optics.beta0, gamma0=optics.gamma0, circumference=optics.circumference,
        total_beam_intensity=total_beam_intensity, gemitt_x=gemitt_x, nemitt_x=nemitt_x,
        gemitt_y=gemitt_y, nemitt_y=nemitt_y, sigma_delta=sigma_delta,
        bunch_length=bunch_length, bunched=bunched)
    log = coulomb_logarithm(optics, beam)
    emittance_rates = _FORMALISMS[name](optics, beam, log)
    return IBSEmittanceGrowthRates(*emittance_rates).to_amplitude_growth_rates()
