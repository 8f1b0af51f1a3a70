"""Readers of the simulation output formats (one module per format).

Each reader parses one file, validates every line, and raises
:class:`~lossmaps.errors.LossMapFormatError` naming the file, the 1-based line
number and what was expected. Names are kept as written; callers match them
case-insensitively. Formats: ``lossmaps-formats.md`` §1-4.
"""

from .fluka import read_collgaps, read_fort208
from .k2 import read_aperture_losses, read_coll_summary
from .tfs import read_tfs
from .xcoll_json import read_xcoll_json

__all__ = [
    "read_aperture_losses",
    "read_coll_summary",
    "read_collgaps",
    "read_fort208",
    "read_tfs",
    "read_xcoll_json",
]
