"""Fast value of the simple immediate MAD-X expressions (``at = 1006.4447+(40-ip1ofs.b1)*ds``).

A sequence file has ~10^4 ``at =`` values, all different texts but of a few
hundred shapes: numbers and variables joined by ``+ - * / ^`` and
parentheses. Such a text is tokenised once (one regular expression), its
numbers replaced by slots, and each distinct shape is compiled once into
Python code over two lists; the value is that code run on the numbers of
the text and the current variable values.

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
#: One token: a number (MAD-X 'd' exponents too), a name, an operator.
_TOKEN = re.compile(r"(\d+\.?\d*(?:[eEdD][+-]?\d+)?|\.\d+(?:[eEdD][+-]?\d+)?)"
                    r"|([a-z_][a-z0-9_.$]*)|(\*\*|[-+*/^()])")
_CODE_OF_OPERATOR = {"^": "**"}
#: After these tokens a '(' would be a call: not an expression of this kind.
_NO_PAREN_AFTER = {"n", "v", ")"}


class ImmediateEvaluator:
    """Values of simple immediate expressions over ``var_values`` (see the module)."""

    def __init__(self, var_values):
        self.var_values = var_values
        self._codes = {}  # shape (tuple of tokens) -> code object, or None if not Python

    def value(self, text):
        """Value of MAD-X ``text``, or None when the general evaluation must read it."""
        text = _BLANKS.sub("", text)
        numbers, names, shape = [], [], []
        pos, end = 0, len(text)
        last = None
        match = _TOKEN.match
        while pos < end:
            m = match(text, pos)
            if m is None:
                return None
            number, name, op = m.groups()
            if number is not None:
                numbers.append(number)
                shape.append("n")
                last = "n"
            elif name is not None:
                names.append(name)
                shape.append("v")
                last = "v"
            else:
                if op == "(" and last in _NO_PAREN_AFTER:
                    return None  # a function call
                shape.append(op)
                last = ")" if op == ")" else "op"
            pos = m.end()
        key = tuple(shape)
        code = self._codes.get(key, False)
        if code is False:
            code = self._codes[key] = _compile(key)
        if code is None:
            return None
        values = self.var_values
        try:
            v = [values[name] for name in names]
            n = [float(x.replace("d", "e").replace("D", "e")) for x in numbers]
            result = eval(code, {"__builtins__": {}}, {"n": n, "v": v})
        except Exception:  # undefined name, x/0, overflow: MAD-X's rules apply
            return None
        return result if isinstance(result, float) else None


def _compile(shape):
    """Code of a shape over ``n`` and ``v`` (None when it is no Python expression)."""
    parts = []
    counts = {"n": 0, "v": 0}
    for token in shape:
        if token in counts:
            parts.append(f"{token}[{counts[token]}]")
            counts[token] += 1
        else:
            parts.append(_CODE_OF_OPERATOR.get(token, token))
    if not parts:
        return None
    try:
        return compile(" ".join(parts), "<MAD-X immediate expression>", "eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
