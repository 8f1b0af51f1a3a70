"""MAD-X ``beam`` command -> reference particle (`xtrack.Particles`).

MAD-X beam attributes (user's guide, "BEAM"): ``particle`` (proton,
electron, positron, antiproton, posmuon, negmuon, ion, or any name with
``mass`` [GeV] and ``charge`` [e]), and one of ``energy`` (total energy
[GeV]), ``pc`` [GeV], ``gamma``, ``beta``, ``brho`` [T m]. MAD-X's default
is a positron of 1 GeV total energy.

The kinematic attribute may be an expression of the variables
(``energy = e0``): `beam_particle_arguments` keeps it as one, so that the
environment's particle follows the variable (``env['e0'] = 8`` changes the
reference energy).
"""

from xdeps.refs import value_of
from xpart import ELECTRON_MASS_EV, MUON_MASS_EV, PROTON_MASS_EV, Particles

__all__ = ["particle_from_beam", "beam_particle_arguments", "beam_particle_name"]

_PARTICLES = {
    "proton": (PROTON_MASS_EV, 1.0), "antiproton": (PROTON_MASS_EV, -1.0),
    "electron": (ELECTRON_MASS_EV, -1.0), "positron": (ELECTRON_MASS_EV, 1.0),
    "posmuon": (MUON_MASS_EV, 1.0), "negmuon": (MUON_MASS_EV, -1.0),
}
_CLIGHT = 299792458.0
_GEV = 1e9


def beam_particle_name(sequence=None):
    """Name of the environment particle made from the beam of `sequence` (None: global beam)."""
    return "madx_beam" if sequence is None else f"madx_beam_for_{sequence}"


def beam_particle_arguments(beam):
    """Keyword arguments of `Particles` for a MAD-X beam (dict of its attributes).

    ``mass0`` [eV] and ``q0`` [e] are numbers; the one kinematic argument
    (``energy0``, ``p0c`` [eV], ``gamma0`` or ``beta0``) is a number or an
    expression of the variables when the beam gives one.
    """
    name = str(beam.get("particle", "positron")).lower()
    if name in _PARTICLES and "mass" not in beam:
        mass0, q0 = _PARTICLES[name]
    else:
        if "mass" not in beam:
            raise ValueError(f"beam: particle {name!r} is not one of {sorted(_PARTICLES)}; "
                             "give mass= [GeV] and charge= for other particles.")
        mass0 = float(value_of(beam["mass"])) * _GEV
        q0 = float(value_of(beam.get("charge", 1.0)))
    if "charge" in beam:
        q0 = float(value_of(beam["charge"]))
    if "energy" in beam:
        energy = beam["energy"]
        if float(value_of(energy)) * _GEV < mass0:
            raise ValueError(f"beam: energy = {float(value_of(energy))} GeV is below the rest mass "
                             f"{mass0 / _GEV} GeV of {name}.")
        kinematics = {"energy0": energy * _GEV}
    elif "pc" in beam:
        kinematics = {"p0c": beam["pc"] * _GEV}
    elif "gamma" in beam:
        kinematics = {"gamma0": beam["gamma"]}
    elif "beta" in beam:
        kinematics = {"beta0": beam["beta"]}
    elif "brho" in beam:
        kinematics = {"p0c": beam["brho"] * (abs(q0) * _CLIGHT)}
    else:
        kinematics = {"energy0": 1.0 * _GEV}
    return {"mass0": mass0, "q0": q0, **kinematics}


def particle_from_beam(beam):
    """Reference `Particles` of a MAD-X beam (its values now, no expressions)."""
    return Particles(**{k: float(value_of(v)) for k, v in beam_particle_arguments(beam).items()})
