"""The cpymad importer under the module path ``xtrack.mad_loader``.

Implemented in `xtrack.madx.cpymad_import` (`MadLoader`, the helpers
`add_lists` and `non_zero_len`); this path is the one lattice scripts use.
"""

from .madx.cpymad_import import MadLoader, add_lists, line_from_madx_sequence, non_zero_len

__all__ = ["MadLoader", "add_lists", "line_from_madx_sequence", "non_zero_len"]
