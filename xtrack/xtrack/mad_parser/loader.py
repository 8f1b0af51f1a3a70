"""`MadxLoader` and `MADLoaderWarning` at the path ``xtrack.mad_parser.loader``.

The interpreter lives in `xtrack.madx.loader`; this module is the public
path under which lattice scripts and tests import it.
"""

from ..madx.loader import MADLoaderWarning, MadxLoader

__all__ = ["MadxLoader", "MADLoaderWarning"]
