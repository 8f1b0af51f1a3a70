"""Text of constants, references and expressions.

Three renderings of the same tree:

- the xdeps syntax (``repr``), fully parenthesised and stored in line JSON
  files: ``((-vars['kqf']) * 1.1)``;
- the readable MAD-X style of :func:`to_user_syntax`: ``-kqf * 1.1``, with
  parentheses only where the grammar of :mod:`xdeps.parser` needs them;
- the compact form of :class:`CompactFormatter`: fully parenthesised like
  the xdeps syntax, with variables as bare names, ``(c ** d)``.

This module does not import :mod:`xdeps.refs` (``refs`` imports it): nodes
are recognised by what they declare. An expression node has ``_is_expr``
true, an ``_operands()`` tuple and a ``_kind`` (``'binop'``, ``'unary'`` or
``'call'``); a reference has ``_ref_kind`` (``'root'``, ``'item'`` or
``'attr'``), ``_owner`` and ``_key``. Every walk is iterative, so expressions
of any depth (sums of thousands of terms) print without recursion.
"""

import math
import numbers
import re

_PRECEDENCE = {
    "==": 0, "!=": 0, "<": 0, ">": 0, "<=": 0, ">=": 0,
    "|": 0.2, "^": 0.4, "&": 0.6, "<<": 0.8, ">>": 0.8,
    "+": 1, "-": 1, "*": 2, "/": 2, "//": 2, "%": 2, "@": 2, "**": 4,
}
_UNARY_PREC = 3
_ATOM_PREC = 5
#: A variable name the parser reads back as one name (same as its NAME token).
_PLAIN_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$]*")


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


def is_expr(obj):
    """True for an expression node (not a reference, not a constant)."""
    return getattr(type(obj), "_is_expr", False)


def is_reference(obj):
    """True for a reference (root, item or attribute)."""
    return getattr(type(obj), "_ref_kind", None) is not None


def fold(root, leaf, node):
    """Combine an expression tree bottom-up without recursion.

    ``leaf(obj)`` gives the result of a reference or constant;
    ``node(expr, results)`` that of an expression node from the results of
    its operands (in the order of ``expr._operands()``).
    """
    if not is_expr(root):
        return leaf(root)
    todo = [(root, None)]
    results = []
    while todo:
        obj, ops = todo.pop()
        if ops is not None:
            k = len(ops)
            if k:
                args = results[-k:]
                del results[-k:]
            else:
                args = []
            results.append(node(obj, args))
        elif is_expr(obj):
            ops = obj._operands()
            todo.append((obj, ops))
            todo.extend((op, None) for op in reversed(ops))
        else:
            results.append(leaf(obj))
    return results[0]


def ref_text(ref):
    """xdeps text of a reference chain (``element_refs['qf'].knl[2]``)."""
    parts = []
    node = ref
    while True:
        kind = node._ref_kind
        if kind == "root":
            parts.append(node._key)
            break
        parts.append(f".{node._key}" if kind == "attr" else f"[{node._key!r}]")
        node = node._owner
    return "".join(reversed(parts))


def xdeps_text(obj):
    """The xdeps syntax of a constant, reference or expression (its ``repr``)."""
    return fold(obj, _leaf_text, node_text)


def _leaf_text(obj):
    return repr(obj) if is_reference(obj) else const_repr(obj)


def node_text(expr, args):
    """xdeps text of one expression node from the texts of its operands."""
    kind = expr._kind
    if kind == "binop":
        left = args[0]
        if expr._op == "**" and left.startswith("-"):
            # Python reads -2 ** x as -(2 ** x).
            left = f"({left})"
        return f"({left} {expr._op} {args[1]})"
    if kind == "unary":
        return f"({expr._op}{args[0]})"
    return f"{_call_head(expr, repr)}({_call_args(expr, args)})"


def _call_head(expr, ref_format):
    func = expr._func
    return f"f.{func}" if isinstance(func, str) else ref_format(func)


def _call_args(expr, args):
    nargs = len(expr._args)
    texts = list(args[:nargs])
    texts += [f"{name}={text}" for name, text in zip(expr._kwnames, args[nargs:])]
    return ", ".join(texts)


# ---------------------------------------------------------------------- MAD-X style
def _func_name(func):
    if isinstance(func, str):
        return func
    if is_reference(func) and func._ref_kind in ("attr", "item") and func._owner._ref_kind == "root":
        return str(func._key)
    return repr(func)


def _is_var(obj, vars_label):
    return (
        obj._ref_kind == "item"
        and obj._owner._ref_kind == "root"
        and obj._owner._key == vars_label
        and isinstance(obj._key, str)
        and _PLAIN_NAME.fullmatch(obj._key) is not None
    )


def to_user_syntax(obj, vars_label="vars"):
    """Return the readable text of a constant, reference or expression."""

    def leaf(item):
        if is_reference(item):
            if _is_var(item, vars_label):
                return item._key, _ATOM_PREC
            return repr(item), _ATOM_PREC
        text = const_repr(item)
        return text, (_UNARY_PREC if text.startswith("-") else _ATOM_PREC)

    def node(expr, args):
        kind = expr._kind
        if kind == "binop":
            prec = _PRECEDENCE[expr._op]
            (left, lprec), (right, rprec) = args
            if expr._op == "**":
                left_paren, right_paren = lprec <= prec, rprec < _UNARY_PREC
            else:
                left_paren, right_paren = lprec < prec, rprec <= prec
            if left_paren:
                left = f"({left})"
            if right_paren:
                right = f"({right})"
            return f"{left} {expr._op} {right}", prec
        if kind == "unary":
            inner, iprec = args[0]
            if iprec < _UNARY_PREC:
                inner = f"({inner})"
            return f"{expr._op}{inner}", _UNARY_PREC
        texts = [text for text, _ in args]
        return f"{_func_name(expr._func)}({_call_args(expr, texts)})", _ATOM_PREC

    return fold(obj, leaf, node)[0]


class CompactFormatter:
    """Fully parenthesised text with the variables as bare names: ``(c ** d)``.

    Parameters
    ----------
    scope : object, optional
        Kept for interface compatibility; unused.
    vars_label : str
        Label of the variables container (default ``'vars'``).
    """

    def __init__(self, scope=None, vars_label="vars"):
        self.scope = scope
        self.vars_label = vars_label

    def _ref(self, ref):
        return ref._key if _is_var(ref, self.vars_label) else repr(ref)

    def format(self, obj):
        """Return the compact text of ``obj``."""

        def leaf(item):
            return self._ref(item) if is_reference(item) else const_repr(item)

        def node(expr, args):
            if expr._kind == "call":
                return f"{_call_head(expr, self._ref)}({_call_args(expr, args)})"
            return node_text(expr, args)

        return fold(obj, leaf, node)
