"""MAD-X ``beam`` command -> reference particle (`xtrack.Particles`).

MAD-X beam attributes (user's guide, "BEAM"): ``particle`` (proton,
electron, positron, antiproton, posmuon, negmuon, ion, or any name with
``mass`` [GeV] and ``charge`` [e]), and one of ``energy`` (total energy
[GeV]), ``pc`` [GeV], ``gamma``, ``beta``, ``brho`` [T m]. MAD-X's default
is a positron of 1 GeV total energy.
"""

import math

from xpart import ELECTRON_MASS_EV, MUON_MASS_EV, PROTON_MASS_EV, Particles

__all__ = ["particle_from_beam"]

_PARTICLES = {
    "proton": (PROTON_MASS_EV, 1.0), "antiproton": (PROTON_MASS_EV, -1.0),
    "electron": (ELECTRON_MASS_EV, -1.0), "positron": (ELECTRON_MASS_EV, 1.0),
    "posmuon": (MUON_MASS_EV, 1.0), "negmuon": (MUON_MASS_EV, -1.0),
}
_CLIGHT = 299792458.0


def particle_from_beam(beam):
    """Reference `Particles` of a MAD-X beam (dict of its attributes)."""
    name = str(beam.get("particle", "positron")).lower()
    if name in _PARTICLES and "mass" not in beam:
        mass0, q0 = _PARTICLES[name]
    else:
        if "mass" not in beam:
            raise ValueError(f"beam: particle {name!r} is not one of {sorted(_PARTICLES)}; "
                             "give mass= [GeV] and charge= for other particles.")
        mass0 = float(beam["mass"]) * 1e9
        q0 = float(beam.get("charge", 1.0))
    if "charge" in beam:
        q0 = float(beam["charge"])
    if "energy" in beam:
        energy = float(beam["energy"]) * 1e9
        if energy < mass0:
            raise ValueError(f"beam: energy = {energy / 1e9} GeV is below the rest mass "
                             f"{mass0 / 1e9} GeV of {name}.")
        p0c = math.sqrt(energy ** 2 - mass0 ** 2)
    elif "pc" in beam:
        p0c = float(beam["pc"]) * 1e9
    elif "gamma" in beam:
        gamma = float(beam["gamma"])
        p0c = mass0 * math.sqrt(gamma ** 2 - 1)
    elif "beta" in beam:
        beta = float(beam["beta"])
        p0c = mass0 * beta / math.sqrt(1 - beta ** 2)
    elif "brho" in beam:
        p0c = float(beam["brho"]) * abs(q0) * _CLIGHT
    else:
        energy = 1e9
        p0c = math.sqrt(energy ** 2 - mass0 ** 2)
    return Particles(mass0=mass0, q0=q0, p0c=p0c)
