"""JSON reading and writing for lines and other xtrack data.

`dump(data, file)` writes numpy scalars as Python numbers and real arrays as
lists; complex numbers and complex arrays, which plain JSON cannot hold,
are written as tagged objects (``{"__complex__": [re, im]}``,
``{"__ndarray_complex__": {"dtype", "shape", "real", "imag"}}``) that
`load` turns back into `complex` and `numpy.ndarray` of the same dtype and
shape. A path ending in ``.gz`` is gzip-compressed; `load` detects gzip by
content.
"""

import gzip
import io
import json
from pathlib import Path

import numpy as np

__all__ = ["dump", "load", "dumps", "loads"]

_COMPLEX = "__complex__"
_COMPLEX_ARRAY = "__ndarray_complex__"


class _Encoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, np.ndarray):
            if np.iscomplexobj(obj):
                return {_COMPLEX_ARRAY: {"dtype": obj.dtype.str, "shape": list(obj.shape),
                                         "real": obj.real.ravel().tolist(),
                                         "imag": obj.imag.ravel().tolist()}}
            return obj.tolist()
        if isinstance(obj, (complex, np.complexfloating)):
            return {_COMPLEX: [float(obj.real), float(obj.imag)]}
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            return float(obj)
        if isinstance(obj, np.bool_):
            return bool(obj)
        if hasattr(obj, "to_dict"):
            return obj.to_dict()
        return super().default(obj)

    def encode(self, obj):
        return super().encode(_tag_complex(obj))

    def iterencode(self, obj, _one_shot=False):
        return super().iterencode(_tag_complex(obj), _one_shot)


def _tag_complex(obj):
    """Python complex values are JSON-native for the encoder's eyes: tag them first."""
    if isinstance(obj, complex):
        return {_COMPLEX: [obj.real, obj.imag]}
    if isinstance(obj, dict):
        return {k: _tag_complex(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_tag_complex(v) for v in obj]
    return obj


def _untag(obj):
    if len(obj) == 1:
        if _COMPLEX in obj:
            re, im = obj[_COMPLEX]
            return complex(re, im)
        if _COMPLEX_ARRAY in obj:
            spec = obj[_COMPLEX_ARRAY]
            arr = np.array(spec["real"]) + 1j * np.array(spec["imag"])
            return arr.astype(np.dtype(spec["dtype"])).reshape(spec["shape"])
    return obj


def dumps(data, indent=None):
    """JSON text of `data`."""
    return json.dumps(data, cls=_Encoder, indent=indent)


def loads(text):
    """Data from JSON text."""
    return json.loads(text, object_hook=_untag)


def dump(data, file, indent=None):
    """Write `data` to a path (gzip when it ends in .gz) or a text file object."""
    if isinstance(file, (str, Path)):
        path = Path(file)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "wt") as handle:
            json.dump(data, handle, cls=_Encoder, indent=indent)
    elif hasattr(file, "write"):
        json.dump(data, file, cls=_Encoder, indent=indent)
    else:
        raise TypeError(f"dump: file must be a path or a text file object, got {type(file).__name__}.")


def load(file=None, string=None):
    """Data from a path (gzip detected), a file object, or `string`."""
    if (file is None) == (string is None):
        raise ValueError("load: give exactly one of file or string.")
    if string is not None:
        return loads(string)
    if isinstance(file, (str, Path)):
        raw = Path(file).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return loads(raw.decode())
    if isinstance(file, io.IOBase) or hasattr(file, "read"):
        text = file.read()
        return loads(text.decode() if isinstance(text, bytes) else text)
    raise TypeError(f"load: file must be a path or a file object, got {type(file).__name__}.")
