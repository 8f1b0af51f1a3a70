"""JSON encoder for the values xobjects hands out (numpy arrays and scalars)."""

import json

import numpy as np


class JEncoder(json.JSONEncoder):
    """``json.dumps(obj, cls=xo.JEncoder)`` for dicts holding numpy values.

    numpy arrays become lists, numpy scalars Python numbers, and objects
    with a ``to_dict`` method (structs, hybrid objects) their dicts.
    """

    def default(self, o):
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        if hasattr(o, "to_dict"):
            return o.to_dict()
        if hasattr(o, "get") and hasattr(o, "dtype"):  # pyopencl / cupy arrays
            return o.get().tolist()
        return super().default(o)
