"""Particles <-> dict, JSON and pandas.

The dictionary format is that of the established implementation (see
shared/reference/xtrack/elements/README.md and the `particle_ref` section of
the lattice files): scalars `mass0`, `q0`, `t_sim`, `reference_turns`,
`start_tracking_at_element`; every per-particle field as an array; the
random-generator state as `_rng_s1` ... `_rng_s4`.
"""

import json

import numpy as np

from .fields import FIELDS, RNG_FIELDS, SCALARS, UNALLOCATED_STATE

__all__ = ["dict_options", "select_dict", "JsonEncoder", "dataframe_to_dict",
           "REDUNDANT"]

# recomputed from p0c, mass0 and delta when loading
REDUNDANT = ("gamma0", "beta0", "pzeta", "rpp", "rvv")


def dict_options(remove_underscored, remove_unused_space, remove_redundant_variables,
                 keep_rng_state, compact):
    """Apply the documented defaults of `to_dict` / `to_pandas`."""
    return dict(
        remove_underscored=True if remove_underscored is None else remove_underscored,
        remove_unused_space=compact if remove_unused_space is None else remove_unused_space,
        remove_redundant_variables=(compact if remove_redundant_variables is None
                                    else remove_redundant_variables),
        keep_rng_state=(not compact) if keep_rng_state is None else keep_rng_state,
    )


def select_dict(host, remove_underscored, remove_unused_space,
                remove_redundant_variables, keep_rng_state):
    """Build the output dict from host arrays {field: ndarray} and scalars.

    Per-particle arrays are copied (masked), so ``host`` may hold views.
    """
    keep = np.ones(len(host["state"]), dtype=bool)
    if remove_unused_space:
        keep = host["state"] != UNALLOCATED_STATE
    out = {}
    for f in FIELDS:
        name = f.name
        if name in RNG_FIELDS:
            if not keep_rng_state:
                continue
        elif remove_underscored and name.startswith("_"):
            continue
        if remove_redundant_variables and name in REDUNDANT:
            continue
        out[name] = host[name] if name in SCALARS else host[name][keep]
    return out


class JsonEncoder(json.JSONEncoder):
    """Encode numpy arrays and scalars as JSON lists and numbers."""

    def default(self, o):
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        return super().default(o)


def dataframe_to_dict(df):
    """Columns of a DataFrame as constructor input; constant scalar fields as scalars."""
    dct = {}
    for col in df.columns:
        values = df[col].to_numpy()
        if col in SCALARS:
            if df[col].nunique(dropna=False) > 1:
                raise ValueError(f"column {col!r} must hold one value for all "
                                 f"particles, got {df[col].unique()[:5]!r}")
            dct[col] = values[0] if len(values) else None
        else:
            dct[col] = values
    return dct
