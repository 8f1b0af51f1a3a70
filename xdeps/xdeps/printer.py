"""Readable (MAD-X style) text of expressions: ``-kqf * 1.1`` for ``((-vars['kqf']) * 1.1)``.

Parentheses are written only where the grammar of :mod:`xdeps.parser`
needs them, so parsing the text gives back the same expression tree.
Entries of the variables container print as their bare names; any other
reference prints in xdeps syntax.
"""

import re

from .refs import AttrRef, BinOpExpr, CallExpr, ItemRef, MutableRef, Ref, UnaryOpExpr, const_repr

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "//": 2, "%": 2, "**": 4}
_UNARY_PREC = 3
_ATOM_PREC = 5
#: A variable name the parser reads back as one name (same as its NAME token).
_PLAIN_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$]*")


def _is_plain_name(key):
    return isinstance(key, str) and _PLAIN_NAME.fullmatch(key) is not None


def _func_name(func):
    if isinstance(func, str):
        return func
    if isinstance(func, (AttrRef, ItemRef)) and isinstance(func._owner, Ref):
        return str(func._key)
    return repr(func)


def _render(obj, vars_label):
    """Return (text, precedence) of ``obj``."""
    if isinstance(obj, BinOpExpr):
        prec = _PRECEDENCE[obj._op]
        left, lprec = _render(obj._a, vars_label)
        right, rprec = _render(obj._b, vars_label)
        if obj._op == "**":
            left_paren = lprec <= prec
            right_paren = rprec < _UNARY_PREC
        else:
            left_paren = lprec < prec
            right_paren = rprec <= prec
        if left_paren:
            left = f"({left})"
        if right_paren:
            right = f"({right})"
        return f"{left} {obj._op} {right}", prec
    if isinstance(obj, UnaryOpExpr):
        inner, iprec = _render(obj._a, vars_label)
        if iprec < _UNARY_PREC:
            inner = f"({inner})"
        return f"{obj._op}{inner}", _UNARY_PREC
    if isinstance(obj, CallExpr):
        args = ", ".join(_render(a, vars_label)[0] for a in obj._args)
        return f"{_func_name(obj._func)}({args})", _ATOM_PREC
    if isinstance(obj, ItemRef) and isinstance(obj._owner, Ref) and obj._owner._key == vars_label:
        if _is_plain_name(obj._key):
            return obj._key, _ATOM_PREC
    if isinstance(obj, MutableRef):
        return repr(obj), _ATOM_PREC
    text = const_repr(obj)
    negative = text.startswith("-")
    return text, (_UNARY_PREC if negative else _ATOM_PREC)


def to_user_syntax(obj, vars_label="vars"):
    """Return the readable text of a constant, reference or expression."""
    return _render(obj, vars_label)[0]
