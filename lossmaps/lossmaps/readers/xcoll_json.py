"""xcoll loss-map JSON files (``xcoll.LossMap.to_json``), formats doc §4.

Every value is checked where it is read; an error names the file and the JSON
path of the value (``collimator.n[3]``), what it is and what was expected.
"""

import json
import math
import numbers

import numpy as np
import pandas as pd

from ..errors import LossMapFormatError
from ._text import decode_text

__all__ = ["read_xcoll_json"]

_INT64_MAX = 2**63 - 1


def _fail(path, json_path, expected, value):
    raise LossMapFormatError(path, None, expected, repr(value)[:80], where=f"JSON path {json_path}")


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _block(path, data, key):
    block = data[key]
    if not isinstance(block, dict):
        _fail(path, key, f"an object (the {key} block: lists of names, counts, positions)", block)
    return block


def _list(path, block_name, block, key, length, required=True):
    """The list ``block[key]`` (of ``length`` items if given), None if absent and optional."""
    if key not in block:
        if required:
            raise LossMapFormatError(path, None, f"key '{key}' in the '{block_name}' block",
                                     where=f"JSON path {block_name}")
        return None
    values = block[key]
    if not isinstance(values, list) or (length is not None and len(values) != length):
        size = "" if length is None else f"{length} "
        _fail(path, f"{block_name}.{key}", f"a list of {size}values (one per "
              f"{'name' if length is not None else 'row'})", values)
    return values


def _numbers(path, block_name, key, values, minimum=None, integer=False):
    """Float array of ``values``: real numbers, finite, >= ``minimum``; integral if asked."""
    for i, value in enumerate(values):
        ok = _is_real(value) and math.isfinite(value)
        if ok and minimum is not None:
            ok = value >= minimum
        if ok and integer:
            ok = float(value).is_integer() and abs(value) <= _INT64_MAX
        if not ok:
            rule = "an integer" if integer else "a finite number"
            if minimum is not None:
                rule += f" >= {minimum:g}"
            _fail(path, f"{block_name}.{key}[{i}]", rule, value)
    return np.asarray(values, dtype=float)


def _names(path, block_name, values):
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            _fail(path, f"{block_name}.name[{i}]", "an element name (non-empty string)", value)
    return np.asarray(values, dtype=object)


def _optional_energy(path, block_name, block, key, length):
    values = _list(path, block_name, block, key, length, required=False)
    # xcoll < 0.6 wrote no energies: NaN, and quantity='energy' then refuses the files
    return np.full(length, np.nan) if values is None else _numbers(path, block_name, key, values, 0)


def _scalar(path, data, key, expected, allow_none=True):
    """Top-level number ``key``: positive and finite, or None when absent/null."""
    value = data.get(key)
    if value is None and allow_none:
        return None
    if not (_is_real(value) and math.isfinite(value) and value > 0):
        _fail(path, key, expected, value)
    return float(value)


def _load(path):
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read loss-map input file {str(path)!r}: {exc.strerror}") from exc
    text = decode_text(path, raw)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        shown = text[max(0, exc.pos - 30):exc.pos + 30]
        raise LossMapFormatError(path, exc.lineno, f"valid JSON ({exc.msg}, column {exc.colno})",
                                 shown) from None
    except RecursionError:
        raise LossMapFormatError(path, None, "valid JSON (nesting too deep)") from None


def _collimators(path, coll):
    names = _names(path, "collimator", _list(path, "collimator", coll, "name", None))
    n = len(names)
    return pd.DataFrame({
        "name": names,
        "n": _numbers(path, "collimator", "n", _list(path, "collimator", coll, "n", n), 0),
        "e": _optional_energy(path, "collimator", coll, "e", n),
        "length": _numbers(path, "collimator", "length",
                           _list(path, "collimator", coll, "length", n), 0),
        "s": _numbers(path, "collimator", "s", _list(path, "collimator", coll, "s", n)),
    })


def _binned_aperture(path, aper, interpolation):
    idx = _numbers(path, "aperture", "idx_bins", _list(path, "aperture", aper, "idx_bins", None),
                   0, integer=True).astype(np.int64)
    m = len(idx)
    s = _numbers(path, "aperture", "s_bins", _list(path, "aperture", aper, "s_bins", m))
    if interpolation is None:
        _fail(path, "interpolation", "a positive bin width [m] for binned aperture data "
              "(idx_bins present)", None)
    # a bin centre outside its own bin means idx_bins and s_bins disagree
    outside = np.abs(s - (idx + 0.5) * interpolation) > 0.5 * interpolation * (1 + 1e-6)
    if outside.any():
        i = int(np.argmax(outside))
        _fail(path, f"aperture.s_bins[{i}]", f"the centre of bin idx_bins[{i}] = {idx[i]} "
              f"(bin width {interpolation} m: {(idx[i] + 0.5) * interpolation:.6g} m)", s[i])
    return pd.DataFrame({
        "idx": idx,
        "s": s,
        "length": _numbers(path, "aperture", "length_bins",
                           _list(path, "aperture", aper, "length_bins", m), 0),
        "n": _numbers(path, "aperture", "n_bins", _list(path, "aperture", aper, "n_bins", m), 0),
        "e": _optional_energy(path, "aperture", aper, "e_bins", m),
        "name": np.full(m, "", dtype=object),
    })


def _element_aperture(path, aper):
    names = _names(path, "aperture", _list(path, "aperture", aper, "name", None))
    m = len(names)
    return pd.DataFrame({
        "idx": np.full(m, -1, dtype=np.int64),
        "s": _numbers(path, "aperture", "s", _list(path, "aperture", aper, "s", m)),
        "length": _numbers(path, "aperture", "length", _list(path, "aperture", aper, "length", m), 0),
        "n": _numbers(path, "aperture", "n", _list(path, "aperture", aper, "n", m), 0),
        "e": _optional_energy(path, "aperture", aper, "e", m),
        "name": names,
    })


def read_xcoll_json(path):
    """Read one xcoll loss-map JSON.

    Returns
    -------
    dict
        ``collimators``: DataFrame ``name, n, e [eV] (NaN if absent), length [m], s [m]``
        (s = collimator centre); ``aperture``: DataFrame ``idx, s [m], length [m], n,
        e [eV], name`` (interpolated files: one row per non-empty bin, ``idx`` the
        bin index and ``name`` empty; otherwise one row per element with ``idx`` -1);
        ``interpolation`` (float [m], or None when the file has ``null``/``false``:
        unbinned), ``machine_length`` [m] (or None), ``reversed`` (bool),
        ``momentum`` [eV/c] (or None).

    Raises
    ------
    LossMapFormatError
        On a file that is not UTF-8 JSON (with its line), or a missing, mistyped,
        non-finite or negative value (with its JSON path).
    """
    data = _load(path)
    if not isinstance(data, dict) or "collimator" not in data or "aperture" not in data:
        raise LossMapFormatError(path, None, "an xcoll loss-map object with 'collimator' and "
                                 "'aperture' blocks", repr(data)[:80] if not isinstance(data, dict)
                                 else f"keys {sorted(data)}"[:80])
    interpolation = data.get("interpolation")
    if interpolation is False:  # old xcoll: not interpolated
        interpolation = None
    if interpolation is not None:
        interpolation = _scalar(path, data, "interpolation",
                                "a positive bin width [m], null or false (not binned)")
    collimators = _collimators(path, _block(path, data, "collimator"))
    aper = _block(path, data, "aperture")
    aperture = (_binned_aperture(path, aper, interpolation) if "idx_bins" in aper
                else _element_aperture(path, aper))
    reversed_ = data.get("reversed", False)
    if not isinstance(reversed_, bool):
        _fail(path, "reversed", "true or false", reversed_)
    return {
        "collimators": collimators,
        "aperture": aperture,
        "interpolation": interpolation,
        "machine_length": _scalar(path, data, "machine_length", "a positive ring length [m] or null"),
        "reversed": reversed_,
        "momentum": _scalar(path, data, "momentum", "a positive reference momentum [eV/c] or null"),
    }
