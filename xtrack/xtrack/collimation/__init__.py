"""Collimation studies without another package: black-absorber jaws from a settings table.

``install_black_absorbers`` turns the collimators of a line into rotated
aperture pairs at gaps computed from the line's twiss and the normalised
emittances; the installed collimators are recorded in
``line.metadata['black_absorbers']`` for loss maps.
"""

from .black_absorbers import METADATA_KEY, install_black_absorbers

__all__ = ["install_black_absorbers", "METADATA_KEY"]
