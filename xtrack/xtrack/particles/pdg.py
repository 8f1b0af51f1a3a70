"""`xtrack.particles.pdg` is xpart's PDG module (names, charges, masses of PDG ids)."""

import sys

from xpart import pdg as _pdg

sys.modules[__name__] = _pdg
