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
import operator

from .errors import ExpressionError, unknown_name
from .printer import CompactFormatter, const_repr, fold, node_text, ref_text, to_user_syntax, xdeps_text
from .output import _print

__all__ = [
    "AttrRef", "BaseRef", "BinOpExpr", "CallExpr", "CompactFormatter", "Expr", "InvertExpr",
    "ItemRef", "MutableRef", "NegExpr", "ObjectAttrRef", "PosExpr", "Ref", "RefCount",
    "UnaryOpExpr", "const_repr", "is_cythonized", "is_ref", "value_of",
]


def _truediv(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        # As the established implementation: x / 0 is NaN, so that files
        # written there (and knobs that pass through zero) still evaluate.
        return math.nan


def _floordiv(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return math.nan


def _mod(a, b):
    try:
        return a % b
    except ZeroDivisionError:
        return math.nan


_BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _truediv,
    "//": _floordiv,
    "%": _mod,
    "**": operator.pow,
    "@": operator.matmul,
    "<<": operator.lshift,
    ">>": operator.rshift,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_UNARY = {"-": operator.neg, "+": operator.pos, "~": operator.invert}
#: Operators whose evaluation by compiled Python code may raise where the
#: tree walk gives NaN (see :mod:`xdeps.manager`).
ZERO_DIVISION_OPS = ("/", "//", "%")


def is_ref(obj):
    """True when ``obj`` is a reference or an expression (not a plain value)."""
    return isinstance(obj, BaseRef)


def is_cythonized():
    """False: xdeps here is pure Python (the established one may be compiled)."""
    return False


def value_of(obj):
    """Value of a constant, reference or expression."""
    return obj._get_value() if isinstance(obj, BaseRef) else obj


def _text(obj):
    return repr(obj) if isinstance(obj, BaseRef) else const_repr(obj)


class RefCount(dict):
    """Multiset as a dict ``item -> count``: ``append`` adds one, ``remove`` takes one.

    An item whose count drops to zero is removed.
    """

    def append(self, item):
        self[item] = self.get(item, 0) + 1

    def extend(self, items):
        for item in items:
            self.append(item)

    def remove(self, item):
        count = self[item]
        if count <= 1:
            del self[item]
        else:
            self[item] = count - 1


def _binop(op):
    def forward(self, other):
        return BinOpExpr(op, self, other)

    def reflected(self, other):
        return BinOpExpr(op, other, self)

    return forward, reflected


class BaseRef:
    """Common base of references and expressions: Python operators build expressions.

    Comparisons (``<``, ``>``, ``<=``, ``>=``) build expressions too; ``==``
    and ``!=`` compare structure and return a bool (references key dicts),
    the deferred equality is ``a._eq(b)`` / ``a._neq(b)``.
    """

    __slots__ = ()
    # Make numpy scalars defer to our reflected operators instead of wrapping
    # the reference in an object array.
    __array_ufunc__ = None
    _is_expr = False
    _ref_kind = None

    __add__, __radd__ = _binop("+")
    __sub__, __rsub__ = _binop("-")
    __mul__, __rmul__ = _binop("*")
    __truediv__, __rtruediv__ = _binop("/")
    __floordiv__, __rfloordiv__ = _binop("//")
    __mod__, __rmod__ = _binop("%")
    __pow__, __rpow__ = _binop("**")
    __matmul__, __rmatmul__ = _binop("@")
    __lshift__, __rlshift__ = _binop("<<")
    __rshift__, __rrshift__ = _binop(">>")
    __and__, __rand__ = _binop("&")
    __or__, __ror__ = _binop("|")
    __xor__, __rxor__ = _binop("^")

    def __lt__(self, other):
        return BinOpExpr("<", self, other)

    def __gt__(self, other):
        return BinOpExpr(">", self, other)

    def __le__(self, other):
        return BinOpExpr("<=", self, other)

    def __ge__(self, other):
        return BinOpExpr(">=", self, other)

    def _eq(self, other):
        """Deferred ``self == other``."""
        return BinOpExpr("==", self, other)

    def _neq(self, other):
        """Deferred ``self != other``."""
        return BinOpExpr("!=", self, other)

    def equals(self, other):
        """True when ``other`` has the same structure (same text) as ``self``."""
        return self == other

    def __neg__(self):
        return NegExpr(self)

    def __pos__(self):
        return PosExpr(self)

    def __invert__(self):
        return InvertExpr(self)

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

    def __divmod__(self, other):
        return CallExpr("divmod", (self, other))

    def __rdivmod__(self, other):
        return CallExpr("divmod", (other, self))

    @property
    def _value(self):
        """Current value (computed now from the inputs for an expression)."""
        return self._get_value()

    def _get_dependencies(self, out=None):
        """Return the set of references this object reads."""
        raise NotImplementedError

    def _formula(self):
        """Readable MAD-X style text (``-kqf * 1.1``) of this object."""
        return to_user_syntax(self)

    def _formatted(self, formatter):
        """Text of this object as rendered by ``formatter`` (e.g. :class:`CompactFormatter`)."""
        return formatter.format(self)

    @property
    def xdeps(self):
        """``ref.xdeps.value`` / ``ref.xdeps.expr``: the value and the driving expression.

        A property of the class, so it never becomes a child reference named
        'xdeps' (element fields with that name do not exist).
        """
        return _XdepsView(self)


class _XdepsView:
    """Value and expression of one reference (``ref.xdeps``)."""

    __slots__ = ("_ref",)

    def __init__(self, ref):
        self._ref = ref

    @property
    def value(self):
        """Present value (computed now for an expression)."""
        return self._ref._get_value()

    @property
    def expr(self):
        """Expression driving the reference (None for a plain value); an expression is its own."""
        ref = self._ref
        if ref.__class__._is_expr:
            return ref
        return getattr(ref, "_expr", None)

    def __repr__(self):
        return f"<xdeps view of {self._ref!r}>"


class MutableRef(BaseRef):
    """A reference to a place that can be read and assigned.

    Attribute and item access return child references; assignment goes
    through the manager, which records expressions and updates dependents.
    """

    __slots__ = ("_owner", "_key", "_manager", "_hash")

    def __init__(self, owner, key, manager):
        # The slot setters directly (``__setattr__`` assigns through the
        # manager); the owner's hash is stored, so it is not recomputed.
        _set_owner(self, owner)
        _set_key(self, key)
        _set_manager(self, manager)
        _set_hash(self, hash((self._ref_kind, owner._hash if isinstance(owner, MutableRef) else owner, key)))

    def __reduce__(self):
        # Rebuilt through __init__: the hash of strings differs between processes.
        return (type(self), (self._owner, self._key, self._manager))

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

    def __call__(self, *args, **kwargs):
        # A reference to a function (usually in the functions container):
        # calling it builds the deferred call.
        return CallExpr(self, args, kwargs)

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
        return None if self._manager is None else self._manager._exprs.get(self)

    @property
    def _tasks(self):
        """Tasks (of the manager) whose targets include this reference."""
        return [] if self._manager is None else self._manager.tasks_of(self)

    def _set_value(self, value):
        raise NotImplementedError

    def _info(self, limit=30):
        """Print value, expression, inputs and dependents of this reference."""
        _print(self._manager.info_text(self, limit=limit))

    def _find_dependant_targets(self):
        """This reference, then every target that changes with it, each after the
        references that contain it (``element_refs['q']``, ``element_refs['q'].knl``,
        ``element_refs['q'].knl[1]``): what a change of this reference touches."""
        out, seen = [self], {self}
        for target in self._manager.find_dependent_targets(self):
            chain, ref = [], target
            while ref is not None and not isinstance(ref, Ref):  # up to the root container
                chain.append(ref)
                ref = ref._parent()
            for ref in reversed(chain):
                if ref not in seen:
                    seen.add(ref)
                    out.append(ref)
        return out


_set_owner = MutableRef._owner.__set__
_set_key = MutableRef._key.__set__
_set_manager = MutableRef._manager.__set__
_set_hash = MutableRef._hash.__set__


def _normalise_key(key):
    # numpy integers would hash like ints but print as np.int64(2).
    if not isinstance(key, (str, int)) and hasattr(key, "__index__"):
        return int(key)
    return key


class Ref(MutableRef):
    """Root reference to a registered container, printed by its label.

    Two roots with the same label are equal: an expression built on one
    manager's container means the same in another manager that registers a
    container under that label (``copy_expr_from``, ``load``).
    """

    __slots__ = ()
    _ref_kind = "root"

    def __init__(self, container, label, manager):
        object.__setattr__(self, "_owner", container)
        object.__setattr__(self, "_key", label)
        object.__setattr__(self, "_manager", manager)
        # Not keyed on id(manager): a deep copy must keep hashes valid.
        object.__setattr__(self, "_hash", hash(("Ref", label)))

    def __eq__(self, other):
        return self is other or (isinstance(other, Ref) and other._key == self._key)

    __hash__ = MutableRef.__hash__

    def __repr__(self):
        return self._key

    def _get_value(self):
        return self._owner

    def _set_value(self, value):
        raise ExpressionError(f"cannot assign to the container {self._key!r} itself")


class ObjectAttrRef(Ref):
    """Root reference whose attributes are the items of its container.

    ``root.a`` is ``root['a']`` (``Manager.refattr``): handy for dict
    containers used as namespaces.
    """

    __slots__ = ()

    def __getattr__(self, name):
        if name.startswith("_"):
            return MutableRef.__getattr__(self, name)
        return ItemRef(self, name, self._manager)

    def __setattr__(self, name, value):
        if name in MutableRef.__slots__:
            object.__setattr__(self, name, value)
            return
        self._require_manager().set_value(ItemRef(self, name, self._manager), value)


class AttrRef(MutableRef):
    """Reference to ``owner.key``."""

    __slots__ = ()
    _ref_kind = "attr"

    def __repr__(self):
        return ref_text(self)

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
    _ref_kind = "item"

    def __repr__(self):
        return ref_text(self)

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
    """Base of expression nodes; not assignable.

    Evaluation, text and dependencies walk the tree iteratively
    (:func:`xdeps.printer.fold`): any depth works.
    """

    __slots__ = ()
    _is_expr = True

    def _operands(self):
        raise NotImplementedError

    def _apply(self, values):
        """Value of this node from the values of its operands."""
        raise NotImplementedError

    def _get_value(self):
        return _value_rec(self, 0)

    def _get_dependencies(self, out=None):
        # For a call the function itself is constant: only arguments are inputs.
        if out is None:
            out = set()
        stack = list(self._operands())
        while stack:
            obj = stack.pop()
            if obj.__class__._is_expr if isinstance(obj, BaseRef) else False:
                stack.extend(obj._operands())
            elif isinstance(obj, MutableRef):
                out.add(obj)
        return out

    def __repr__(self):
        return _text_rec(self, 0)

    def __eq__(self, other):
        if isinstance(other, str):  # ``expr == "(3.0 * vars['a'])"``: same text (hash agrees)
            return repr(self) == other
        return type(other) is type(self) and repr(self) == repr(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(repr(self))


def _apply_node(node, values):
    return node._apply(values)


#: Expression trees up to this depth are walked by (fast) recursion; a deeper
#: subtree is handed to the iterative walk of :func:`xdeps.printer.fold`.
_MAX_RECURSION = 50


def _value_rec(obj, depth):
    if not isinstance(obj, BaseRef):
        return obj
    if not obj._is_expr:
        return obj._get_value()
    if depth > _MAX_RECURSION:
        return fold(obj, value_of, _apply_node)
    depth += 1
    return obj._apply([_value_rec(op, depth) for op in obj._operands()])


def _text_rec(obj, depth):
    if not isinstance(obj, BaseRef):
        return const_repr(obj)
    if not obj._is_expr:
        return repr(obj)
    if depth > _MAX_RECURSION:
        return xdeps_text(obj)
    depth += 1
    return obj._format([_text_rec(op, depth) for op in obj._operands()])


class BinOpExpr(Expr):
    """Binary operation ``(a op b)``."""

    __slots__ = ("_op", "_a", "_b")
    _kind = "binop"

    def __init__(self, op, a, b):
        if op not in _BINARY:
            raise ExpressionError(f"unknown binary operator {op!r}; allowed: {sorted(_BINARY)}")
        self._op = op
        self._a = a
        self._b = b

    def _apply(self, values):
        return _BINARY[self._op](values[0], values[1])

    def _rebuilt(self, operands, rebind):
        """Same node over new operands (``rebind`` maps a reference)."""
        return BinOpExpr(self._op, operands[0], operands[1])

    def _format(self, texts):
        return node_text(self, texts)

    def _operands(self):
        return (self._a, self._b)


class UnaryOpExpr(Expr):
    """Unary operation ``(-a)``, ``(+a)`` or ``(~a)``."""

    __slots__ = ("_op", "_a")
    _kind = "unary"

    def __init__(self, op, a):
        if op not in _UNARY:
            raise ExpressionError(f"unknown unary operator {op!r}; allowed: {sorted(_UNARY)}")
        self._op = op
        self._a = a

    def _apply(self, values):
        return _UNARY[self._op](values[0])

    def _rebuilt(self, operands, rebind):
        """Same node over new operands (``rebind`` maps a reference)."""
        if type(self) is UnaryOpExpr:
            return UnaryOpExpr(self._op, operands[0])
        return type(self)(operands[0])

    def _format(self, texts):
        return f"({self._op}{texts[0]})"

    def _operands(self):
        return (self._a,)


class NegExpr(UnaryOpExpr):
    """``(-a)``."""

    __slots__ = ()

    def __init__(self, a):
        UnaryOpExpr.__init__(self, "-", a)


class PosExpr(UnaryOpExpr):
    """``(+a)``; ``PosExpr(7)`` is also the simplest deferred constant."""

    __slots__ = ()

    def __init__(self, a):
        UnaryOpExpr.__init__(self, "+", a)


class InvertExpr(UnaryOpExpr):
    """``(~a)``."""

    __slots__ = ()

    def __init__(self, a):
        UnaryOpExpr.__init__(self, "~", a)


class CallExpr(Expr):
    """Function call ``f.name(args)``, ``f['name'](args)`` or ``ref(args, key=value)``.

    Parameters
    ----------
    func : str or MutableRef
        A builtin function name (printed ``f.name``) or a reference to a
        callable (printed as that reference).
    args : tuple
        Constants, references or expressions.
    kwargs : dict, optional
        Keyword arguments (same kinds of values).
    """

    __slots__ = ("_func", "_args", "_kwnames", "_kwvalues")
    _kind = "call"

    def __init__(self, func, args, kwargs=None):
        self._func = func
        self._args = tuple(args)
        kwargs = kwargs or {}
        self._kwnames = tuple(kwargs)
        self._kwvalues = tuple(kwargs.values())

    def _callable(self):
        if isinstance(self._func, str):
            from .functions import MATH_FUNCTIONS

            return MATH_FUNCTIONS[self._func]
        return self._func._get_value()

    def _apply(self, values):
        nargs = len(self._args)
        func = self._callable()
        if self._kwnames:
            return func(*values[:nargs], **dict(zip(self._kwnames, values[nargs:])))
        return func(*values)

    def _operands(self):
        return self._args + self._kwvalues

    def _rebuilt(self, operands, rebind):
        """Same call over new operands (``rebind`` maps the function reference too)."""
        nargs = len(self._args)
        func = rebind(self._func) if isinstance(self._func, MutableRef) else self._func
        return CallExpr(func, operands[:nargs], dict(zip(self._kwnames, operands[nargs:])))

    def _format(self, texts):
        return node_text(self, texts)
