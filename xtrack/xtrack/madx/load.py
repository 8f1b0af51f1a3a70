"""`xtrack.load`: one entry point for MAD-X and JSON inputs (file, URL or string)."""

import gzip
import io
import json
import os

__all__ = ["load"]

FORMATS = ("json", "madx", "python")
_SUFFIXES = {".py": "python", ".json": "json", ".madx": "madx", ".seq": "madx", ".str": "madx", ".mad": "madx",
             ".seqx": "madx", ".ele": "madx", ".strx": "madx", ".beam": "madx"}


def _format_of(path):
    name = os.fspath(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for suffix, fmt in _SUFFIXES.items():
        if name.endswith(suffix):
            return fmt
    return None


def _read_text(path):
    path = os.fspath(path)
    if path.startswith(("http://", "https://")):
        import requests

        response = requests.get(path)
        response.raise_for_status()
        data = response.content
    else:
        with open(path, "rb") as fid:
            data = fid.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode()


def _from_json_data(data):
    from ..beam_elements.base import element_class_by_name
    from ..line.environment import Environment
    from ..line.line import Line

    if not isinstance(data, dict):
        raise ValueError("Cannot determine class from json data: expected a JSON object.")
    cls = data.get("__class__")
    if data.get("xsuite_data_type") == "Environment" or cls in ("Environment", "Multiline") or "lines" in data:
        return Environment.from_dict(data)
    if cls == "Line" or "element_names" in data:
        return Line.from_dict(data)
    if cls is not None:
        return element_class_by_name(cls).from_dict(data)
    raise ValueError("Cannot determine class from json data: it has no '__class__', "
                     "'element_names' or 'lines' key.")


def load(file=None, string=None, format=None, timeout=5.0, **kwargs):
    """Load a lattice, environment or element from MAD-X or JSON.

    Parameters
    ----------
    file : str, path or list of them, optional
        File(s) or URL(s) to read; several MAD-X files are read in order
        into one environment (sequence, strengths, knobs, ...).
    string : str, optional
        The input text itself (then `format` is required).
    format : {'json', 'madx', 'python'}, optional
        Input format (default: from the file suffix: .json[.gz],
        .madx/.seq/.str, or .py: a lattice script that fills
        ``xt.get_environment()``).
    **kwargs
        Options of the MAD-X loader (`s_tol`, `default_to_zero`,
        `reverse_lines`, `install_apertures`, `_rbend_correct_k0`; see
        `xtrack.madx.MadxLoader`).

    Returns
    -------
    Environment, Line or element
        MAD-X input gives an `Environment` with one line per sequence.
    """
    if (file is None) == (string is None):
        raise ValueError("load: give either file or string (exactly one of them).")
    if format is not None and format not in FORMATS:
        raise ValueError(f"load: format must be one of {FORMATS}, got {format!r}.")
    files = None
    if file is not None:
        files = list(file) if isinstance(file, (list, tuple)) else [file]
        if format is None:
            formats = {_format_of(f) for f in files}
            if len(formats) != 1 or None in formats:
                raise ValueError(f"load: Format must be specified (cannot tell it from {files!r}); "
                                 f"use format= one of {FORMATS}.")
            format = formats.pop()
    elif format is None:
        raise ValueError(f"load: Format must be specified for a string, one of {FORMATS}.")

    if format == "python":
        from ..line.python_lattice import load_python

        if kwargs:
            raise TypeError(f"load: unexpected options for a Python lattice script: {sorted(kwargs)}")
        if files is not None and len(files) != 1:
            raise ValueError("load: a Python lattice script is a single file.")
        return load_python(files[0]) if files is not None else load_python(None, string=string)
    if format == "json":
        if kwargs:
            raise TypeError(f"load: unexpected options for JSON input: {sorted(kwargs)}")
        if files is not None:
            if len(files) != 1:
                raise ValueError("load: JSON input is a single file.")
            string = _read_text(files[0])
        return _from_json_data(json.load(io.StringIO(string)))

    from .loader import MadxLoader, _gc_paused

    rbend = kwargs.pop("_rbend_correct_k0", False)
    loader = MadxLoader(s_tol=kwargs.pop("s_tol", 1e-6),
                        default_to_zero=kwargs.pop("default_to_zero", True),
                        rbend_correct_k0=rbend,
                        reverse_lines=kwargs.pop("reverse_lines", None),
                        install_apertures=kwargs.pop("install_apertures", True))
    if kwargs:
        raise TypeError(f"load: unexpected MAD-X option(s) {sorted(kwargs)}; allowed: s_tol, "
                        "default_to_zero, reverse_lines, install_apertures, _rbend_correct_k0.")
    # one pause of the garbage collector for all files and the build (see MadxLoader.build)
    with _gc_paused():
        if files is not None:
            for f in files:
                path = os.fspath(f)
                if path.startswith(("http://", "https://")) or path.endswith(".gz"):
                    loader.load_string(_read_text(path), source=path)
                else:
                    loader.load_file(path)
        else:
            loader.load_string(string)
        return loader.build()
