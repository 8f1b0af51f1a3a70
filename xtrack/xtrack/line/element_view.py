"""Element views: ``env['mq'].k1 = '2*a'`` keeps the expression.

``env[name]`` and ``line[name]`` give a view of the element. Reading an
attribute gives the element's value; assigning a field a string or a
reference makes it an expression of the variables (as ``env.set`` does), a
number replaces a previous expression. Array fields are viewed the same way
(``env['mb'].knl[1] = '5*a'``). The view is transparent for ``isinstance``
(``view.__class__`` is the element's class); ``env.get(name)`` and
``env.elements[name]`` give the element itself.
"""

import weakref

import numpy as np
from xdeps.refs import BaseRef

__all__ = ["View", "ArrayView", "element_view"]


class View:
    """An element seen through its environment (see the module docstring)."""

    __slots__ = ("_element", "_name", "_env", "__weakref__")

    def __init__(self, element, name, env):
        object.__setattr__(self, "_element", element)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_env", env)

    @property
    def __class__(self):
        return type(self._element)

    def _fields(self):
        return getattr(type(self._element), "_xofields", {})

    def __getattr__(self, attr):
        value = getattr(self._element, attr)
        if attr in self._fields() and isinstance(value, np.ndarray) or (
                attr in self._fields() and hasattr(value, "__len__") and not isinstance(value, str)):
            eref = self._env._var_management.element_refs[self._name]
            return ArrayView(value, getattr(eref, attr), self._env)
        return value

    def __setattr__(self, attr, value):
        if attr in self._fields() or isinstance(value, (str, BaseRef)) and not attr.startswith("_"):
            self._env._set_element_fields(self._name, {attr: value})
        else:
            setattr(self._element, attr, value)

    def __dir__(self):
        return dir(self._element)

    def _get_viewed_object(self):
        """The element itself (not a view)."""
        return self._element

    def get_table(self):
        """Table (``name``, ``value``, ``expr``) of the element's fields."""
        from .element_info import element_field_table

        return element_field_table(self._env, self._name)

    def _field_ref(self, field, index=None):
        ref = getattr(self._env._var_management.element_refs[self._name], field)
        return ref if index is None else ref[index]

    def get_expr(self, field, index=None):
        """Expression driving `field` (its item `index` for an array field), or None."""
        _warn_view_method("get_expr", f"env.ref[{self._name!r}].{field}._expr")
        return self._field_ref(field, index)._expr

    def get_value(self, field, index=None):
        """Present value of `field` (its item `index` for an array field)."""
        _warn_view_method("get_value", f"env[{self._name!r}].{field}")
        value = getattr(self._element, field)
        return value if index is None else value[index]

    def get_info(self, field, index=None):
        """Print value, expression and dependents of `field`."""
        _warn_view_method("get_info", f"env.ref[{self._name!r}].{field}._info()")
        self._field_ref(field, index)._info()

    def __repr__(self):
        return repr(self._element)

    def __eq__(self, other):
        other = other._element if isinstance(other, View) else other
        return self._element is other or self._element == other

    def __hash__(self):
        return hash(self._element)

    def __len__(self):
        return len(self._element)


def _warn_view_method(method, replacement):
    import warnings

    # The established API announced these as going away; say what replaces them.
    warnings.warn(f"View.{method} is deprecated and will be removed; use {replacement}.",
                  FutureWarning, stacklevel=3)


class ArrayView:
    """An array field of an element: item assignment keeps expressions."""

    __slots__ = ("_array", "_ref", "_env")

    def __init__(self, array, ref, env):
        self._array = array
        self._ref = ref
        self._env = env

    def __getitem__(self, index):
        value = self._array[index]
        if isinstance(value, np.ndarray) and value.ndim > 0:
            if not isinstance(index, (int, np.integer)):
                return value  # a slice or fancy index: the values (refs exist per item only)
            return ArrayView(value, self._ref[index], self._env)
        return value

    def __setitem__(self, index, value):
        if isinstance(value, str):
            value = self._env.new_expr(value)
        self._ref[index] = value

    def __len__(self):
        return len(self._array)

    def __iter__(self):
        return iter(np.asarray(self._array))

    def __array__(self, dtype=None, copy=None):
        out = np.asarray(self._array)
        return out.astype(dtype) if dtype is not None else out

    def __getattr__(self, attr):
        return getattr(self._array, attr)

    def __repr__(self):
        return repr(np.asarray(self._array))

    def __eq__(self, other):
        return np.asarray(self._array) == other

    def __ne__(self, other):
        return np.asarray(self._array) != other

    def tolist(self):
        return np.asarray(self._array).tolist()

    def __add__(self, other):
        return np.asarray(self._array) + other

    def __radd__(self, other):
        return other + np.asarray(self._array)

    def __sub__(self, other):
        return np.asarray(self._array) - other

    def __rsub__(self, other):
        return other - np.asarray(self._array)

    def __mul__(self, other):
        return np.asarray(self._array) * other

    __rmul__ = __mul__

    def __truediv__(self, other):
        return np.asarray(self._array) / other

    def __neg__(self):
        return -np.asarray(self._array)


# One view per (element, name, variables) while it is in use, so that
# ``line['d1'] is line['d1']`` holds (and across shallow copies of a line).
_VIEWS = weakref.WeakValueDictionary()


def element_view(env, name):
    """View of element `name` of `env` (the same object while it is referenced)."""
    element = env._element_dict[name]
    key = (id(element), name, id(env._var_management))
    view = _VIEWS.get(key)
    if view is None or view._element is not element:
        view = View(element, name, env)
        _VIEWS[key] = view
    return view
