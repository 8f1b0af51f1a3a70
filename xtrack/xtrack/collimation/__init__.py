"""Collimation studies without another package: black-absorber jaws from a settings table.

``install_black_absorbers`` turns the collimators of a line into rotated
aperture pairs at gaps computed from the line's twiss and the normalised
emittances; the installed collimators are recorded in
``line.metadata['black_absorbers']`` for loss maps;
``generate_pencil_on_collimator`` makes a halo just beyond one of them.
"""

from .black_absorbers import METADATA_KEY, install_black_absorbers
from .pencil import generate_pencil_on_collimator

__all__ = ["install_black_absorbers", "generate_pencil_on_collimator", "METADATA_KEY"]
