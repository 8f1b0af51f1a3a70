"""The particle class and its helpers under the module path `xtrack.particles`.

xpart owns them (ARCHITECTURE.md); this module re-exports its public names
so that scripts importing from `xtrack.particles` keep working.
"""

from xpart import *  # noqa: F401,F403
from xpart import __all__ as _xpart_all

__all__ = list(_xpart_all)

from . import masses  # noqa: E402 - module path xtrack.particles.masses of existing scripts
from . import pdg  # noqa: E402,F401 - module path xtrack.particles.pdg of existing scripts
