"""References and expression trees.

A *reference* names a place that holds a value: a registered container
(:class:`Ref`, printed by its label such as ``vars``), an attribute of what a
reference points to (:class:`AttrRef`, ``element_refs['qf'].k1``) or an item
(:class:`ItemRef`, ``vars['kqf']``, ``element_refs['mcb'].knl[0]``).
Arithmetic on references builds *expressions* (:class:`BinOpExpr`,
:class:`UnaryOpExpr`, :class:`CallExpr`) that remember their inputs instead of
computing a number. Assigning an expression to a reference through its
manager makes the target follow the inputs.

``repr`` of a reference or expression is the xdeps syntax stored in line JSON
files (``((-vars['kqf']) * 1.1)``): fully parenthesised, Python-evaluable when
the labels are bound to the containers. The manager relies on this to evaluate
expressions with compiled code rather than by walking the tree.
"""

import math
import numbers
import operator

from .errors import ExpressionError, unknown_name

_BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
_UNARY = {"-": operator.neg, "+": operator.pos}


def const_repr(value):
    """Return the xdeps-syntax text of a constant inside an expression."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return repr(int(value))
    if not isinstance(value, numbers.Real):
        return repr(value)
    fvalue = float(value)
    if math.isfinite(fvalue):
        return repr(fvalue)
    return f"float({repr(fvalue)!r})"


def value_of(obj):
    """Value of a constant, reference or expression."""
    return obj._get_value() if isinstance(obj, BaseRef) else obj


def _text(obj):
    return repr(obj) if isinstance(obj, BaseRef) else const_repr(obj)


class BaseRef:
    """Common base of references and expressions: Python operators build expressions."""

    __slots__ = ()
    # Make numpy scalars defer to our reflected operators instead of wrapping
    # the reference in an object array.
    __array_ufunc__ = None

    def __add__(self, other):
        return BinOpExpr("+", self, other)

    def __radd__(self, other):
        return BinOpExpr("+", other, self)

    def __sub__(self, other):
        return BinOpExpr("-", self, other)

    def __rsub__(self, other):
        return BinOpExpr("-", other, self)

    def __mul__(self, other):
        return BinOpExpr("*", self, other)

    def __rmul__(self, other):
        return BinOpExpr("*", other, self)

    def __truediv__(self, other):
        return BinOpExpr("/", self, other)

    def __rtruediv__(self, other):
        return BinOpExpr("/", other, self)

    def __floordiv__(self, other):
        return BinOpExpr("//", self, other)

    def __rfloordiv__(self, other):
        return BinOpExpr("//", other, self)

    def __mod__(self, other):
        return BinOpExpr("%", self, other)

    def __rmod__(self, other):
        return BinOpExpr("%", other, self)

    def __pow__(self, other):
        return BinOpExpr("**", self, other)

    def __rpow__(self, other):
        return BinOpExpr("**", other, self)

    def __neg__(self):
        return UnaryOpExpr("-", self)

    def __pos__(self):
        return UnaryOpExpr("+", self)

    def __abs__(self):
        return CallExpr("abs", (self,))

    def __floor__(self):
        return CallExpr("floor", (self,))

    def __ceil__(self):
        return CallExpr("ceil", (self,))

    def __trunc__(self):
        return CallExpr("trunc", (self,))

    def __round__(self, ndigits=None):
        args = (self,) if ndigits is None else (self, ndigits)
        return CallExpr("round", args)

    @property
    def _value(self):
        """Current value (computed now from the inputs for an expression)."""
        return self._get_value()

    def _get_dependencies(self, out=None):
        """Return the set of references this object reads."""
        raise NotImplementedError

    def _formula(self):
        """Readable MAD-X style text (``-kqf * 1.1``) of this object."""
        from .printer import to_user_syntax

        return to_user_syntax(self)


class MutableRef(BaseRef):
    """A reference to a place that can be read and assigned.

    Attribute and item access return child references; assignment goes
    through the manager, which records expressions and updates dependents.
    """

    __slots__ = ("_owner", "_key", "_manager", "_hash")

    def __init__(self, owner, key, manager):
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_manager", manager)
        object.__setattr__(self, "_hash", hash((type(self).__name__, owner, key)))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        if self is other:
            return True
        return (
            type(other) is type(self)
            and self._hash == other._hash
            and self._key == other._key
            and self._owner == other._owner
        )

    def __ne__(self, other):
        return not self.__eq__(other)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(
                f"{type(self).__name__} has no attribute {name!r} "
                "(names starting with '_' are reserved for the reference itself)"
            )
        return AttrRef(self, name, self._manager)

    def __getitem__(self, key):
        return ItemRef(self, _normalise_key(key), self._manager)

    def __setattr__(self, name, value):
        if name in MutableRef.__slots__:
            object.__setattr__(self, name, value)
            return
        self._require_manager().set_value(AttrRef(self, name, self._manager), value)

    def __setitem__(self, key, value):
        self._require_manager().set_value(ItemRef(self, _normalise_key(key), self._manager), value)

    def __delitem__(self, key):
        self._require_manager().delete(ItemRef(self, _normalise_key(key), self._manager))

    def __call__(self, *args):
        # A reference into a functions container: calling it builds f.name(...).
        return CallExpr(self, args)

    def _require_manager(self):
        if self._manager is None:
            raise ExpressionError(f"{self!r} is not attached to a manager; cannot assign through it")
        return self._manager

    def _get_dependencies(self, out=None):
        if out is None:
            out = set()
        out.add(self)
        return out

    def _parent(self):
        """Owner reference, or None for a root container."""
        return None if isinstance(self, Ref) else self._owner

    @property
    def _expr(self):
        """Expression driving this target, or None."""
        return None if self._manager is None else self._manager.tasks.get(self)

    def _set_value(self, value):
        raise NotImplementedError

    def _info(self, limit=30):
        """Print value, expression, inputs and dependents of this reference."""
        print(self._manager.info_text(self, limit=limit))

    def _find_dependant_targets(self):
        """All targets that change when this reference changes."""
        return self._manager.find_dependent_targets(self)


def _normalise_key(key):
    # numpy integers would hash like ints but print as np.int64(2).
    if not isinstance(key, (str, int)) and hasattr(key, "__index__"):
        return int(key)
    return key


class Ref(MutableRef):
    """Root reference to a registered container, printed by its label."""

    __slots__ = ()

    def __init__(self, container, label, manager):
        object.__setattr__(self, "_owner", container)
        object.__setattr__(self, "_key", label)
        object.__setattr__(self, "_manager", manager)
        # Not keyed on id(manager): a deep copy must keep hashes valid.
        object.__setattr__(self, "_hash", hash(("Ref", label)))

    def __eq__(self, other):
        return self is other or (
            type(other) is Ref and other._key == self._key and other._manager is self._manager
        )

    __hash__ = MutableRef.__hash__

    def __repr__(self):
        return self._key

    def _get_value(self):
        return self._owner

    def _set_value(self, value):
        raise ExpressionError(f"cannot assign to the container {self._key!r} itself")


class AttrRef(MutableRef):
    """Reference to ``owner.key``."""

    __slots__ = ()

    def __repr__(self):
        return f"{self._owner!r}.{self._key}"

    def _get_value(self):
        owner = self._owner._get_value()
        try:
            return getattr(owner, self._key)
        except AttributeError:
            raise AttributeError(f"{self._owner!r} has no attribute {self._key!r}") from None

    def _set_value(self, value):
        setattr(self._owner._get_value(), self._key, value)


class ItemRef(MutableRef):
    """Reference to ``owner[key]``."""

    __slots__ = ()

    def __repr__(self):
        return f"{self._owner!r}[{self._key!r}]"

    def _get_value(self):
        owner = self._owner._get_value()
        try:
            return owner[self._key]
        except KeyError:
            keys = owner.keys() if hasattr(owner, "keys") else []
            raise unknown_name("entry", self._key, keys, where=repr(self._owner)) from None

    def _set_value(self, value):
        self._owner._get_value()[self._key] = value


class Expr(BaseRef):
    """Base of expression nodes; not assignable."""

    __slots__ = ()

    def _operands(self):
        raise NotImplementedError

    def _get_dependencies(self, out=None):
        # For a call the function itself is constant: only arguments are inputs.
        if out is None:
            out = set()
        for arg in self._operands():
            if isinstance(arg, BaseRef):
                arg._get_dependencies(out)
        return out

    def __eq__(self, other):
        return type(other) is type(self) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))


class BinOpExpr(Expr):
    """Binary operation ``(a op b)``."""

    __slots__ = ("_op", "_a", "_b")

    def __init__(self, op, a, b):
        self._op = op
        self._a = a
        self._b = b

    def __repr__(self):
        left = _text(self._a)
        if self._op == "**" and left.startswith("-"):
            # Python reads -2 ** x as -(2 ** x).
            left = f"({left})"
        return f"({left} {self._op} {_text(self._b)})"

    def _get_value(self):
        return _BINARY[self._op](value_of(self._a), value_of(self._b))

    def _operands(self):
        return (self._a, self._b)


class UnaryOpExpr(Expr):
    """Unary operation ``(-a)`` or ``(+a)``."""

    __slots__ = ("_op", "_a")

    def __init__(self, op, a):
        self._op = op
        self._a = a

    def __repr__(self):
        return f"({self._op}{_text(self._a)})"

    def _get_value(self):
        return _UNARY[self._op](value_of(self._a))

    def _operands(self):
        return (self._a,)


class CallExpr(Expr):
    """Function call ``f.name(args)`` or ``f['name'](args)``.

    Parameters
    ----------
    func : str or MutableRef
        A builtin function name (printed ``f.name``) or a reference into a
        functions container (printed as that reference).
    args : tuple
        Constants, references or expressions.
    """

    __slots__ = ("_func", "_args")

    def __init__(self, func, args):
        self._func = func
        self._args = tuple(args)

    def __repr__(self):
        head = f"f.{self._func}" if isinstance(self._func, str) else repr(self._func)
        return f"{head}({', '.join(_text(a) for a in self._args)})"

    def _callable(self):
        if isinstance(self._func, str):
            from .functions import MATH_FUNCTIONS

            return MATH_FUNCTIONS[self._func]
        return self._func._get_value()

    def _get_value(self):
        return self._callable()(*[value_of(a) for a in self._args])

    def _operands(self):
        return self._args
