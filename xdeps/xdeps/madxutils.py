"""Helpers to read MAD-X style expressions into xdeps expressions.

:class:`MadxEval` turns texts such as ``"kqf*1.1 + sqrt(a^2)"`` or
``"mq.k1"`` into expressions over a variables reference (``vars[...]``),
a functions reference (``f.sqrt(...)``) and, optionally, an elements
reference (``element_refs['mq'].k1``). :class:`View` gives attribute and
item access to the current values behind a reference.
"""

from .errors import unknown_name
from .functions import MATH_FUNCTIONS
from .parser import parse_expression
from .refs import MutableRef, value_of


class MadxEval:
    """Evaluate MAD-X expressions into xdeps expressions.

    Parameters
    ----------
    variables : reference or dict
        Variables: ``variables[name]`` for every bare name. With a plain dict
        the result is a number, not an expression.
    functions : reference or object, optional
        Functions: ``functions.name`` (default: the builtin math functions).
    elements : reference or dict, optional
        Elements: ``name.attr`` resolves to ``elements[name].attr`` when
        ``name.attr`` is not a variable itself.
    get : {'item', 'attr'}
        How element parameters are read: ``elements[name].attr`` ('attr',
        default) or ``elements[name][attr]`` ('item').
    """

    def __init__(self, variables, functions=None, elements=None, get="attr"):
        if get not in ("attr", "item"):
            raise ValueError(f"MadxEval: get must be 'attr' or 'item', got {get!r}")
        self.variables = variables
        self.functions = functions
        self.elements = elements
        self.get = get

    def _contains(self, container, name):
        if isinstance(container, MutableRef):
            container = container._get_value()
        try:
            return name in container
        except TypeError:
            return False

    def _resolve_name(self, name):
        name = name.lower() if not self._contains(self.variables, name) else name
        if self._contains(self.variables, name) or self.elements is None or "." not in name:
            if not self._contains(self.variables, name) and not isinstance(self.variables, MutableRef):
                raise unknown_name("variable", name, self.variables)
            return self.variables[name]
        element, attr = name.rsplit(".", 1)
        if not self._contains(self.elements, element):
            raise unknown_name("variable or element", name, [])
        owner = self.elements[element]
        return getattr(owner, attr) if self.get == "attr" else owner[attr]

    def _resolve_function(self, name):
        if self.functions is None:
            if name not in MATH_FUNCTIONS:
                raise unknown_name("function", name, MATH_FUNCTIONS)
            func = MATH_FUNCTIONS[name]
            return lambda *args: func(*[value_of(a) for a in args])
        return getattr(self.functions, name)

    def eval(self, text):
        """Expression (or number) written as ``text`` in MAD-X syntax."""
        return parse_expression(text, self._resolve_name, self._resolve_function)


class View:
    """Values behind a reference, with attribute and item access.

    ``View(obj, ref)``: ``view.k1`` / ``view['k1']`` read the value of
    ``obj``; assignment goes through ``ref`` (so expressions are kept and
    dependents updated); ``view._expr`` is the expression stored for ``ref``.
    """

    def __init__(self, obj, ref):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_ref", ref)

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        return getattr(self._obj, key)

    def __getitem__(self, key):
        return self._obj[key]

    def __setattr__(self, key, value):
        setattr(self._ref, key, value)

    def __setitem__(self, key, value):
        self._ref[key] = value

    def get_expr(self, key):
        """Expression driving ``key`` (attribute, then item), or None."""
        manager = self._ref._manager
        for ref in (getattr(self._ref, key), self._ref[key]):
            expr = manager._exprs.get(ref)
            if expr is not None:
                return expr
        return None

    def __dir__(self):
        return dir(self._obj)

    def __repr__(self):
        return f"View of {self._obj!r}"
