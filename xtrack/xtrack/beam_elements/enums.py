"""Named options stored as integer fields (models, integrators, sides).

An element stores e.g. ``_model`` as an ``Int64`` for its kernel and shows
``model`` as a name. `EnumProperty` is the descriptor; `BeamElement`
finds every one on a class and makes the constructor, `to_dict` and
`from_dict` use the name.
"""

import difflib

__all__ = ["EnumProperty"]


class EnumProperty:
    """Property exposing the integer field `field` as one of `names`.

    Parameters
    ----------
    field : str
        Name of the `Int64` field holding the code.
    names : dict of str -> int
        Public names and their codes; several names may share a code
        (aliases). The first name of a code is the one shown.
    what : str, optional
        What the option is, for error messages (default: the attribute name).
    """

    def __init__(self, field, names, what=None):
        self.field = field
        self.names = dict(names)
        self.what = what
        self._by_code = {}
        for name, code in self.names.items():
            self._by_code.setdefault(code, name)

    def __set_name__(self, owner, name):
        self.attr = name
        if self.what is None:
            self.what = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return self._by_code[int(getattr(obj, self.field))]

    def code_of(self, value, owner_name=""):
        """Integer code of `value` (a name or an allowed code); clear error otherwise."""
        if isinstance(value, str):
            if value in self.names:
                return self.names[value]
            close = difflib.get_close_matches(value, list(self.names), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(
                f"{owner_name}: {self.what} must be one of {sorted(self.names)}, got {value!r}{hint}"
            )
        if isinstance(value, (int,)) and not isinstance(value, bool) and value in self._by_code:
            return int(value)
        raise ValueError(f"{owner_name}: {self.what} must be one of {sorted(self.names)}, got {value!r}.")

    def __set__(self, obj, value):
        setattr(obj, self.field, self.code_of(value, type(obj).__name__))
