"""Fast value of the simple immediate MAD-X expressions (``at = 1006.4447+(40-ip1ofs.b1)*ds``).

A sequence file has ~10^4 ``at =`` values, all different texts but of a few
dozen shapes: numbers and variables joined by ``+ - * / ^`` and
parentheses. The shape of a text is the text with its numbers replaced by
``#`` (one regular expression); each distinct shape is tokenised and
compiled once into Python code over two lists, and the value of a text is
that code run on its numbers and on the current values of the variables.

Only these tokens make the code: ``n[i]`` (the text's i-th number, read by
``float``), ``v[i]`` (the value of its i-th variable, looked up by name here),
``+ - * / ** ( )``. Nothing of the text itself reaches the compiler, so no
input can run anything. Any other text (functions, ``el->attr``, an
undefined variable, a division by zero, a syntax error) gets None: the
caller's general evaluation (`ExpressionBuilder.immediate`) reads it, with
MAD-X's rules and its error messages.
"""

import re

__all__ = ["ImmediateEvaluator"]

_BLANKS = re.compile(r"\s+")
#: A number literal, not the digits inside a name (``mq.12r1``) or after another number.
_NUMBER = re.compile(r"(?<![\w.$])(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
#: One token of a shape (its numbers replaced by '#').
_TOKEN = re.compile(r"(#)|([a-z_][a-z0-9_.$]*)|(\*\*|[-+*/^()])")
_CODE_OF_OPERATOR = {"^": "**"}
#: After these tokens a '(' would be a call: not an expression of this kind.
_NO_PAREN_AFTER = {"n", "v", ")"}


class ImmediateEvaluator:
    """Values of simple immediate expressions over ``var_values`` (see the module)."""

    def __init__(self, var_values):
        self.var_values = var_values
        # shape (the text, numbers replaced by '#') -> (code, names), or None if not
        # an expression of this kind
        self._shapes = {}

    def value(self, text):
        """Value of MAD-X ``text``, or None when the general evaluation must read it."""
        text = _BLANKS.sub("", text)
        shape = _NUMBER.sub("#", text)
        compiled = self._shapes.get(shape, False)
        if compiled is False:
            compiled = self._shapes[shape] = _compile(shape)
        if compiled is None:
            return None
        code, names = compiled
        values = self.var_values
        try:
            v = [values[name] for name in names]
            n = [float(x) for x in _NUMBER.findall(text)]
            result = eval(code, {"__builtins__": {}}, {"n": n, "v": v})
        except Exception:  # undefined name, x/0, overflow: MAD-X's rules apply
            return None
        return result if isinstance(result, float) else None


def _compile(shape):
    """(code over ``n`` and ``v``, names read) of a shape; None when it is no such expression."""
    parts, names = [], []
    pos, end = 0, len(shape)
    count, last = 0, None
    while pos < end:
        m = _TOKEN.match(shape, pos)
        if m is None:
            return None  # another character: a string, a list, '->', '$', ...
        number, name, op = m.groups()
        if number is not None:
            parts.append(f"n[{count}]")
            count += 1
            last = "n"
        elif name is not None:
            parts.append(f"v[{len(names)}]")
            names.append(name)
            last = "v"
        else:
            if op == "(" and last in _NO_PAREN_AFTER:
                return None  # a function call
            parts.append(_CODE_OF_OPERATOR.get(op, op))
            last = ")" if op == ")" else "op"
        pos = m.end()
    if not parts:
        return None
    try:
        return compile(" ".join(parts), "<MAD-X immediate expression>", "eval"), tuple(names)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
