"""Expression strings of environments and lines (``env['b'] = '3*a'``).

Two rules of the established Environment that the plain xdeps parser does
not apply:

- Integer literals of a MAD-X style text are floats: ``'3*a'`` becomes
  ``(3.0 * vars['a'])`` (MAD-X has only real numbers; the text of the
  expression, kept in tables and JSON, shows it).
- With ``vars.default_to_zero = True`` a name that is not yet a variable is
  created with the value 0 (MAD-X semantics of undefined variables), so a
  lattice can be written before its knobs are given.

Texts in xdeps syntax (``"vars['a'] * 3"``, they contain ``[``) are passed
as they are.
"""

import re

from xdeps.errors import UnknownNameError

__all__ = ["floats_for_int_literals", "parse_expression_text", "set_var", "default_to_zero",
           "set_default_to_zero", "compact_text", "vars_table", "VarsTable"]

# Identifiers (dotted MAD-X names), numbers and quoted strings, so that only
# whole numbers are rewritten (never the '1' of 'k.1' or of 'q1').
_TOKEN = re.compile(r"(?P<name>[A-Za-z_][\w.]*)|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?)"
                    r"|(?P<str>'[^']*'|\"[^\"]*\")")
_UNKNOWN = re.compile(r"no variable named '([^']+)'")
_MAX_NEW_NAMES = 10000


def floats_for_int_literals(text):
    """`text` with every integer literal written as a float (``3`` -> ``3.0``)."""
    if "[" in text:
        return text

    def repl(match):
        num = match.group("num")
        if num is not None and num.isdigit():
            return num + ".0"
        return match.group(0)

    return _TOKEN.sub(repl, text)


def default_to_zero(var_management):
    """Whether unknown names in expressions become new variables equal to 0."""
    return bool(getattr(var_management, "_default_to_zero", False))


def set_default_to_zero(var_management, value):
    var_management._default_to_zero = bool(value)


def parse_expression_text(var_management, text):
    """Expression (or constant) of `text` under the environment rules above."""
    text = floats_for_int_literals(text)
    if not default_to_zero(var_management):
        return var_management.new_expr(text)
    for _ in range(_MAX_NEW_NAMES):
        try:
            return var_management.new_expr(text)
        except UnknownNameError as exc:
            match = _UNKNOWN.search(str(exc))
            if match is None or match.group(1) in var_management.var_values:
                raise
            var_management.set(match.group(1), 0.0)
    raise ValueError(f"expression {text!r}: too many undefined names.")


def set_var(var_management, name, value):
    """Assign `value` (number, expression, or text parsed by the rules above) to variable `name`."""
    if isinstance(value, str):
        value = parse_expression_text(var_management, value)
    var_management.set(name, value)


_VAR_REF = re.compile(r"vars\['([^']+)'\]")


def compact_text(text):
    """MAD-X style text of an expression text: ``vars['a']`` -> ``a``."""
    return _VAR_REF.sub(lambda m: m.group(1), text)


def vars_table(var_management, compact=True):
    """Table of the variables: ``name``, ``value``, ``expr`` (text, compact by default)."""
    import numpy as np

    names = list(var_management.var_values)
    exprs_map = var_management.manager._exprs
    exprs = []
    for name in names:
        expr = exprs_map.get(var_management.vref[name])
        text = None if expr is None else repr(expr)
        exprs.append(compact_text(text) if (compact and text is not None) else text)
    return VarsTable({"name": np.array(names, dtype=object),
                      "value": np.array([var_management.var_values[n] for n in names], dtype=object),
                      "expr": np.array(exprs, dtype=object)})


def _vars_table_class():
    from xdeps import Table

    class VarsTable(Table):
        """Variables table; `to_dict()` gives name -> expression text or value."""

        def to_dict(self):
            out = {}
            for name, value, expr in zip(self._data["name"], self._data["value"], self._data["expr"]):
                out[str(name)] = expr if expr is not None else value
            return out

    return VarsTable


VarsTable = _vars_table_class()
