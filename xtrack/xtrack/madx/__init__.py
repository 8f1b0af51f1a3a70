"""MAD-X in and out: native reader (`load`), cpymad import, MAD-X writer.

- `load` (``xt.load``): MAD-X or JSON files/strings into an Environment;
- `environment_from_madx`: the entry of ``Environment.from_madx``;
- `MadxLoader`: the interpreter, for several files and fine control.
"""

from .load import load
from .loader import MADLoaderWarning, MadxLoader
from .source import MadxSyntaxError

__all__ = ["load", "MadxLoader", "MADLoaderWarning", "MadxSyntaxError", "environment_from_madx"]


def environment_from_madx(filename=None, madx=None, stdout=None, return_lines=False, **kwargs):
    """Environment from MAD-X file(s) read natively, or from a cpymad session.

    Parameters
    ----------
    filename : str, path or list, optional
        MAD-X file(s) read by the native loader.
    madx : cpymad.madx.Madx, optional
        A cpymad session: every sequence becomes a line through
        `Line.from_madx_sequence` (with `kwargs`).
    return_lines : bool
        Return the dict of lines instead of the environment (default False).
    """
    if (filename is None) == (madx is None):
        raise ValueError("from_madx: give either filename or madx (exactly one of them).")
    if filename is not None:
        env = load(file=filename, format="madx", **kwargs)
    else:
        from ..line.environment import Environment
        from .cpymad_import import line_from_madx_sequence

        lines = {name: line_from_madx_sequence(seq, **kwargs) for name, seq in madx.sequence.items()}
        env = Environment(lines=lines)
    return dict(env.lines) if return_lines else env
