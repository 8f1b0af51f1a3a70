"""xcoll loss-map JSON files (``xcoll.LossMap.to_json``), formats doc §4."""

import json

import numpy as np
import pandas as pd

from ..errors import LossMapFormatError

__all__ = ["read_xcoll_json"]


def _column(path, block, data, key, length, required=True):
    if key not in data:
        if required:
            raise LossMapFormatError(path, None, f"key '{key}' in the '{block}' block")
        return None
    values = data[key]
    if not isinstance(values, list) or (length is not None and len(values) != length):
        raise LossMapFormatError(
            path, None, f"'{block}.{key}' to be a list of {length} values",
            repr(values)[:80],
        )
    return values


def _numbers(path, block, key, values):
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise LossMapFormatError(path, None, f"numbers in '{block}.{key}'", repr(values)[:80]) from None


def read_xcoll_json(path):
    """Read one xcoll loss-map JSON.

    Returns
    -------
    dict
        ``collimators``: DataFrame ``name, n, e [eV] (NaN if absent), length [m], s [m]``
        (s = collimator centre); ``aperture``: DataFrame ``idx, s [m], length [m], n,
        e [eV], name`` (interpolated files: one row per non-empty bin, ``idx`` the
        bin index and ``name`` empty; otherwise one row per element with ``idx`` -1);
        ``interpolation`` (float [m] or None), ``machine_length`` [m] (or None),
        ``reversed`` (bool), ``momentum`` [eV].

    Raises
    ------
    LossMapFormatError
        On invalid JSON (with its line) or missing / inconsistent keys.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise LossMapFormatError(path, exc.lineno, f"valid JSON ({exc.msg})") from None
    except OSError as exc:
        raise FileNotFoundError(f"cannot read loss-map input file {str(path)!r}: {exc.strerror}") from exc
    if not isinstance(data, dict) or "collimator" not in data or "aperture" not in data:
        raise LossMapFormatError(path, None, "an xcoll loss-map object with 'collimator' and "
                                 "'aperture' blocks")
    coll = data["collimator"]
    names = _column(path, "collimator", coll, "name", None)
    n = len(names)
    collimators = pd.DataFrame({
        "name": np.asarray(names, dtype=object),
        "n": _numbers(path, "collimator", "n", _column(path, "collimator", coll, "n", n)),
        "e": _numbers(path, "collimator", "e", _column(path, "collimator", coll, "e", n, False)
                      or [np.nan] * n),
        "length": _numbers(path, "collimator", "length",
                           _column(path, "collimator", coll, "length", n)),
        "s": _numbers(path, "collimator", "s", _column(path, "collimator", coll, "s", n)),
    })
    aper = data["aperture"]
    interpolation = data.get("interpolation") or None
    if "idx_bins" in aper:
        idx = _column(path, "aperture", aper, "idx_bins", None)
        m = len(idx)
        aperture = pd.DataFrame({
            "idx": _numbers(path, "aperture", "idx_bins", idx).astype(np.int64),
            "s": _numbers(path, "aperture", "s_bins", _column(path, "aperture", aper, "s_bins", m)),
            "length": _numbers(path, "aperture", "length_bins",
                               _column(path, "aperture", aper, "length_bins", m)),
            "n": _numbers(path, "aperture", "n_bins", _column(path, "aperture", aper, "n_bins", m)),
            "e": _numbers(path, "aperture", "e_bins",
                          _column(path, "aperture", aper, "e_bins", m, False) or [np.nan] * m),
            "name": np.full(m, "", dtype=object),
        })
        if interpolation is None:
            raise LossMapFormatError(path, None, "a numeric 'interpolation' for binned aperture data")
    else:
        anames = _column(path, "aperture", aper, "name", None)
        m = len(anames)
        aperture = pd.DataFrame({
            "idx": np.full(m, -1, dtype=np.int64),
            "s": _numbers(path, "aperture", "s", _column(path, "aperture", aper, "s", m)),
            "length": _numbers(path, "aperture", "length", _column(path, "aperture", aper, "length", m)),
            "n": _numbers(path, "aperture", "n", _column(path, "aperture", aper, "n", m)),
            "e": _numbers(path, "aperture", "e",
                          _column(path, "aperture", aper, "e", m, False) or [np.nan] * m),
            "name": np.asarray(anames, dtype=object),
        })
    momentum = data.get("momentum")
    if momentum is not None and (isinstance(momentum, bool) or not isinstance(momentum, (int, float))):
        raise LossMapFormatError(path, None, "a number (reference momentum [eV/c]) in 'momentum'",
                                 repr(momentum)[:80])
    return {
        "collimators": collimators,
        "aperture": aperture,
        "interpolation": None if interpolation is None else float(interpolation),
        "machine_length": data.get("machine_length"),
        "reversed": bool(data.get("reversed", False)),
        "momentum": momentum,
    }
