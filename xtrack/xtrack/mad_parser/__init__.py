"""MAD-X reading under the module path ``xtrack.mad_parser``.

- `parse.MadxParser`: MAD-X text into a structured description (element
  classes, sequences, parameter updates, beams) with live expressions;
- `loader.MadxLoader`: the interpreter that builds an Environment
  (implemented in `xtrack.madx.loader`).
"""

from .loader import MADLoaderWarning, MadxLoader
from .parse import MadxParser, warn

__all__ = ["MadxLoader", "MADLoaderWarning", "MadxParser", "warn"]
