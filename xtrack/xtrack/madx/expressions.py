"""MAD-X expressions into xdeps expressions (deferred) or numbers (immediate).

MAD-X ``a := expr`` keeps ``expr`` live: it becomes an xdeps expression over
``vars[...]`` and ``f.<function>(...)``, so that changing a knob later
changes everything that depends on it. ``a = expr`` is evaluated once, with
the values of the moment (MAD-X user's guide, "Deferred expressions").

MAD-X applies 0 to a variable that is used but never defined; we do the
same and remember the name, so that the loader can report it. A division by
zero in an immediate expression gives 0 for that quotient, as in MAD-X, with
a warning (a deferred one evaluates to nan: a clear mark, not MAD-X's 0).
"""

import math
import re

from xdeps.functions import MATH_FUNCTIONS
from xdeps.parser import parse_expression
from xdeps.refs import value_of

from .source import MadxSyntaxError

__all__ = ["MADX_CONSTANTS", "ExpressionBuilder", "is_expression"]

#: Predefined MAD-X constants (MAD-X user's guide, "Constants"; physical
#: values of MAD-X 5.09, CODATA 2018; masses in GeV, hbar in GeV s).
MADX_CONSTANTS = {
    "pi": math.pi,
    "twopi": 2 * math.pi,
    "degrad": 180 / math.pi,
    "raddeg": math.pi / 180,
    "e": math.e,
    "emass": 0.00051099895,
    "pmass": 0.93827208816,
    "nmass": 0.93956542052,
    "mumass": 0.1056583755,
    "clight": 299792458.0,
    "qelect": 1.602176634e-19,
    "hbar": 6.582119569e-25,
    "erad": 2.8179403262e-15,
    "version": 50902,  # MAD-X 5.09.02, read by 'if (version >= ...)' guards
}
#: Constants defined by an expression of the others.
MADX_DERIVED_CONSTANTS = {"prad": "erad * emass / pmass"}

# MAD-X function names that differ from the xdeps builtins
_FUNCTION_ALIASES = {"fabs": "abs"}

_ARROW = re.compile(r"([a-z_$][\w.$]*)\s*->\s*([a-z_]\w*)")
_ARROW_TAG = "__arrow__"
# Number literals (not parts of names such as ``mq.12r1``); MAD-X numbers are
# doubles, so integer literals become floats: ``1 + a`` is ``1.0 + vars['a']``.
_NUMBER = re.compile(r"(?<![\w.$])(\d+\.?\d*(?:[eEdD][+-]?\d+)?|\.\d+(?:[eEdD][+-]?\d+)?)(?![\w.$])")

_BLANK_RUN = re.compile(r"\s+")
# A whole text that is one number (most 'at=' and 'l=' values): no parse needed.
_LITERAL = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


_NUMBER_FUNCTION = "madx_number__"  # wraps the literals of an expression re-read with MAD-X "/"


class _MadxNumber(float):
    """A float whose arithmetic stays a _MadxNumber and whose ``x / 0`` is 0, as in MAD-X.

    As a subclass of float its reflected operators run first (``0.1 / brho``
    calls ``brho.__rtruediv__``).
    """

    def __add__(self, o): return _MadxNumber(float(self) + float(o))
    def __radd__(self, o): return _MadxNumber(float(o) + float(self))
    def __sub__(self, o): return _MadxNumber(float(self) - float(o))
    def __rsub__(self, o): return _MadxNumber(float(o) - float(self))
    def __mul__(self, o): return _MadxNumber(float(self) * float(o))
    def __rmul__(self, o): return _MadxNumber(float(o) * float(self))
    def __pow__(self, o): return _MadxNumber(float(self) ** float(o))
    def __rpow__(self, o): return _MadxNumber(float(o) ** float(self))
    def __neg__(self): return _MadxNumber(-float(self))
    def __pos__(self): return self

    def __truediv__(self, o):
        return _MadxNumber(0.0 if float(o) == 0 else float(self) / float(o))

    def __rtruediv__(self, o):
        return _MadxNumber(0.0 if float(self) == 0 else float(o) / float(self))


def _float_literals(text):
    return _NUMBER.sub(lambda m: m.group(1) + ".0" if m.group(1).isdigit() else m.group(1), text)


def is_expression(value):
    """True for an xdeps expression/reference, False for a plain number."""
    return hasattr(value, "_get_value") or hasattr(value, "_value")


class ExpressionBuilder:
    """Translate MAD-X expression text for one loader.

    Parameters
    ----------
    var_management : xdeps.VarManagement
        Holds the variables (``vars``) and functions (``f``).
    element_attribute : callable
        ``element_attribute(element, attr, deferred)`` gives the value or
        expression of ``element->attr``.
    """

    def __init__(self, var_management, element_attribute):
        self.vm = var_management
        self.var_values = var_management.var_values
        self.vref = var_management.vref
        self.fref = var_management.fref
        self.element_attribute = element_attribute
        self.undefined = {}  # name -> first place where it was used as 0
        self.zero_division_to_zero = True  # MAD-X's rule; False: a division by zero is an error
        self._deferred_cache = {}  # MAD-X text -> its xdeps expression

    def _prepare(self, text):
        # MAD-X drops blanks inside expressions: saved files wrap long numbers
        # ('7.39e' + newline + '-05')
        text = _BLANK_RUN.sub("", text)
        if "->" in text:
            text = _ARROW.sub(lambda m: f"{m.group(1)}{_ARROW_TAG}{m.group(2)}", text)
        if any(c.isdigit() for c in text):
            text = _float_literals(text)
        return text

    def _undefined(self, name):
        if name not in self.undefined:
            self.undefined[name] = self._where
        self.vm.set(name, 0.0)

    def _name_deferred(self, name):
        if _ARROW_TAG in name:
            element, attr = name.split(_ARROW_TAG)
            return self.element_attribute(element, attr, True)
        if name not in self.var_values:
            self._undefined(name)
        return self.vref[name]

    def _name_immediate(self, name):
        if _ARROW_TAG in name:
            element, attr = name.split(_ARROW_TAG)
            return value_of(self.element_attribute(element, attr, False))
        if name not in self.var_values:
            self._undefined(name)
        return self.var_values[name]

    def _function_deferred(self, name):
        name = _FUNCTION_ALIASES.get(name, name)
        if name not in MATH_FUNCTIONS:
            raise KeyError(f"unknown MAD-X function {name!r}")
        return getattr(self.fref, name)

    @staticmethod
    def _function_immediate(name):
        name = _FUNCTION_ALIASES.get(name, name)
        if name not in MATH_FUNCTIONS:
            raise KeyError(f"unknown MAD-X function {name!r}")
        return MATH_FUNCTIONS[name]

    def deferred(self, text, where=None):
        """xdeps expression (or number when constant) of MAD-X ``text``."""
        if _LITERAL.match(text):
            return float(text)
        # lattice files repeat the same expressions (k := kqf * bv_aux ...); an xdeps
        # expression is immutable, so one parse serves every attribute that has it
        cached = self._deferred_cache.get(text)
        if cached is not None:
            return cached
        out = self._parse_deferred(text, where)
        if "->" not in text:  # el->attr may be redefined later
            self._deferred_cache[text] = out
        return out

    def _parse_deferred(self, text, where):
        self._where = where
        try:
            return parse_expression(self._prepare(text), self._name_deferred, self._function_deferred)
        except MadxSyntaxError:
            raise
        except Exception as exc:
            raise MadxSyntaxError(f"cannot read the expression {text!r}: {exc}",
                                  *(where or ("<string>", None))) from None

    def immediate(self, text, where=None):
        """Value of MAD-X ``text`` with the current variables."""
        if _LITERAL.match(text):
            return float(text)
        self._where = where
        try:
            return parse_expression(self._prepare(text), self._name_immediate, self._function_immediate)
        except MadxSyntaxError:
            raise
        except ZeroDivisionError:
            if not self.zero_division_to_zero:
                raise MadxSyntaxError(f"division by zero in the expression {text!r} (MAD-X would "
                                      "give 0 for that quotient; default_to_zero=True does the same)",
                                      *(where or ("<string>", None))) from None
            return self._immediate_madx_division(text, where)
        except Exception as exc:
            raise MadxSyntaxError(f"cannot read the expression {text!r}: {exc}",
                                  *(where or ("<string>", None))) from None

    def _immediate_madx_division(self, text, where):
        """MAD-X's value of a text with a division by zero: that quotient is 0
        (MAD-X 5.09: "warning: division by zero, result set to zero"), with a warning.

        Only this rare path pays for it: every literal and name becomes a
        :class:`_MadxNumber`, whose ``/`` follows MAD-X.
        """
        import warnings

        from .loader import MADLoaderWarning

        wrapped = _NUMBER.sub(lambda m: f"{_NUMBER_FUNCTION}({m.group(1)})", self._prepare(text))

        def name(n):
            return _MadxNumber(self._name_immediate(n))

        def function(n):
            if n == _NUMBER_FUNCTION:
                return _MadxNumber
            f = self._function_immediate(n)
            return lambda *args: _MadxNumber(f(*args))

        value = float(parse_expression(wrapped, name, function))
        file, line = where or ("<string>", None)
        warnings.warn(f"{file}{'' if line is None else f', line {line}'}: division by zero in "
                      f"{text!r}, the quotient set to 0 as in MAD-X", MADLoaderWarning)
        return value

    def condition(self, text, where=None):
        """Truth of an ``if``/``while`` condition (``==``, ``<>``, ``&&``, ...)."""
        parts = re.split(r"(\|\||&&)", text)
        result = None
        pending = None
        for part in parts:
            if part in ("||", "&&"):
                pending = part
                continue
            # '->' (an element attribute, el->l) is no comparison
            m = re.match(r"^(.*?)(==|<>|!=|>=|<=|(?<!-)>|<)(.*)$", part.strip(), re.S)
            if m:
                lhs = self.immediate(m.group(1), where)
                rhs = self.immediate(m.group(3), where)
                value = {"==": lhs == rhs, "<>": lhs != rhs, "!=": lhs != rhs, ">=": lhs >= rhs,
                         "<=": lhs <= rhs, ">": lhs > rhs, "<": lhs < rhs}[m.group(2)]
            else:
                value = bool(self.immediate(part, where))
            if result is None:
                result = value
            elif pending == "&&":
                result = result and value
            else:
                result = result or value
        return bool(result)
