"""Functions usable inside expressions.

Expressions call functions through the functions container registered in a
manager under the label ``f`` (``f.sqrt(vars['a'])``, ``f['sinc'](...)``), the
form stored in the line JSON files. The container resolves a name first among
the user functions added with ``functions['name'] = callable``, then among the
builtin mathematical functions below.
"""

import math

import numpy as np

from .errors import unknown_name


def sinc(x):
    """Return sin(x) / x, with sinc(0) = 1 (unnormalised, as MAD-X)."""
    return math.sin(x) / x if x != 0 else 1.0


def _sign(x):
    return math.copysign(1.0, x) if x != 0 else 0.0


#: Builtin functions, by the names users write in MAD-X style strings.
MATH_FUNCTIONS = {
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "atan2": math.atan2,
    "arcsin": math.asin,
    "arccos": math.acos,
    "arctan": math.atan,
    "arctan2": math.atan2,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "sinc": sinc,
    "abs": abs,
    "fabs": math.fabs,
    "floor": math.floor,
    "ceil": math.ceil,
    "trunc": math.trunc,
    "round": round,
    "min": min,
    "max": max,
    "sign": _sign,
    "hypot": math.hypot,
    "pow": math.pow,
    "divmod": divmod,
}


class Functions:
    """Container of the functions callable from expressions.

    Parameters
    ----------
    functions : dict, optional
        User functions ``name -> callable`` added to the builtin ones.

    Examples
    --------
    >>> f = Functions()
    >>> f.sqrt(4.0)
    2.0
    >>> f['double'] = lambda x: 2 * x
    >>> f['double'](3)
    6
    """

    def __init__(self, functions=None):
        object.__setattr__(self, "_funcs", dict(functions or {}))

    def __getitem__(self, name):
        funcs = self._funcs
        if name in funcs:
            return funcs[name]
        if name in MATH_FUNCTIONS:
            return MATH_FUNCTIONS[name]
        raise unknown_name("function", name, list(funcs) + list(MATH_FUNCTIONS))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as err:
            raise AttributeError(str(err)) from None

    def __setitem__(self, name, func):
        if not callable(func):
            raise TypeError(f"function {name!r} must be callable, got {type(func).__name__}")
        self._funcs[name] = func

    def __setattr__(self, name, func):
        self[name] = func

    def __contains__(self, name):
        return name in self._funcs or name in MATH_FUNCTIONS

    def names(self):
        """Return the names of all available functions, user ones first."""
        return list(self._funcs) + [n for n in MATH_FUNCTIONS if n not in self._funcs]

    def to_dict(self):
        """Return ``{'_funcs': {...}}`` with the serialisable user functions.

        Functions with a ``to_dict`` method (for example
        :class:`FunctionPieceWiseLinear`) are stored; plain Python callables
        cannot be written to JSON and are left out.
        """
        return {
            "_funcs": {n: f.to_dict() for n, f in self._funcs.items() if hasattr(f, "to_dict")}
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the container written by :meth:`to_dict`."""
        funcs = {}
        for name, fdata in (data or {}).get("_funcs", {}).items():
            kind = fdata.get("__class__") if isinstance(fdata, dict) else None
            if kind != "FunctionPieceWiseLinear":
                raise ValueError(
                    f"functions: cannot rebuild function {name!r} of class {kind!r}; "
                    "only 'FunctionPieceWiseLinear' is serialisable"
                )
            funcs[name] = FunctionPieceWiseLinear.from_dict(fdata)
        return cls(funcs)


class FunctionPieceWiseLinear:
    """Piecewise-linear function through the points (x, y), constant outside.

    Parameters
    ----------
    x : array_like, shape (n,)
        Abscissae, strictly increasing.
    y : array_like, shape (n,)
        Ordinates.
    """

    def __init__(self, x, y):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape or len(x) < 1:
            raise ValueError(f"x and y must be 1-d of equal non-zero length, got {x.shape}, {y.shape}")
        if np.any(np.diff(x) <= 0):
            raise ValueError("x must be strictly increasing")
        self.x = x
        self.y = y

    def __call__(self, value):
        return float(np.interp(value, self.x, self.y))

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {"__class__": "FunctionPieceWiseLinear", "x": self.x.tolist(), "y": self.y.tolist()}

    @classmethod
    def from_dict(cls, data):
        """Rebuild from :meth:`to_dict` output."""
        return cls(data["x"], data["y"])
