"""Rest masses and other constants of the particle species (xpart's), under `xtrack.particles.masses`."""

from xpart.constants import *  # noqa: F401,F403
