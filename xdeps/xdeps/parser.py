"""Parser of expressions written as users write them.

Grammar (MAD-X compatible; ``^`` and ``**`` are powers, right associative and
binding tighter than a unary minus on their left, ``-a^2 == -(a^2)``)::

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('-' | '+') unary | power
    power  := atom (('^' | '**') unary)?
    atom   := NUMBER | NAME | NAME '(' [expr (',' expr)*] ')' | '(' expr ')'

Names may contain dots (``kq4.l1b1``), as MAD-X variable names do. A name is
resolved by the ``resolve_name`` callback (usually to ``vars[name]``); a name
followed by ``(`` is a function. The result is built with the same operators
as Python code on references, so constants fold (``-1.5`` is a number).
"""

import operator
import re

from .errors import ExpressionError

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?)
      | (?P<name>[A-Za-z_$][A-Za-z0-9_.$]*)
      | (?P<op>\*\*|[-+*/^(),])
    )""",
    re.VERBOSE,
)


def tokenize(text):
    """Split ``text`` into (kind, value) tokens; raise on a stray character."""
    tokens = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(
                f"cannot parse expression {text!r}: unexpected character {text[pos:].lstrip()[:1]!r} "
                f"at position {pos}"
            )
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _number(text):
    text = text.replace("d", "e").replace("D", "e")
    if re.fullmatch(r"\d+", text):
        return int(text)
    return float(text)


class _Parser:
    def __init__(self, text, resolve_name, resolve_function):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.resolve_name = resolve_name
        self.resolve_function = resolve_function

    def error(self, message):
        return ExpressionError(f"cannot parse expression {self.text!r}: {message}")

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None):
        kind, tok = self.peek()
        if kind is None:
            raise self.error("unexpected end")
        if value is not None and tok != value:
            raise self.error(f"expected {value!r}, got {tok!r}")
        self.pos += 1
        return kind, tok

    def parse(self):
        if not self.tokens:
            raise self.error("empty expression")
        result = self.expr()
        if self.pos != len(self.tokens):
            raise self.error(f"unexpected {self.peek()[1]!r}")
        return result

    def _left_associative(self, operand, operators):
        left = operand()
        while self.peek()[1] in operators:
            op = self.take()[1]
            left = operators[op](left, operand())
        return left

    def expr(self):
        return self._left_associative(self.term, {"+": operator.add, "-": operator.sub})

    def term(self):
        return self._left_associative(self.unary, {"*": operator.mul, "/": operator.truediv})

    def unary(self):
        tok = self.peek()[1]
        if tok == "-":
            self.take()
            return -self.unary()
        if tok == "+":
            self.take()
            return self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[1] in ("^", "**"):
            self.take()
            return base ** self.unary()
        return base

    def atom(self):
        kind, tok = self.take()
        if kind == "number":
            return _number(tok)
        if kind == "name":
            if self.peek()[1] == "(":
                return self.call(tok)
            return self.resolve_name(tok)
        if tok == "(":
            inner = self.expr()
            self.take(")")
            return inner
        raise self.error(f"unexpected {tok!r}")

    def call(self, name):
        func = self.resolve_function(name)
        self.take("(")
        args = []
        if self.peek()[1] != ")":
            args.append(self.expr())
            while self.peek()[1] == ",":
                self.take()
                args.append(self.expr())
        self.take(")")
        return func(*args)


def parse_expression(text, resolve_name, resolve_function):
    """Parse MAD-X style ``text`` into a constant, reference or expression.

    Parameters
    ----------
    text : str
        Expression such as ``"-kqf*1.1"`` or ``"sqrt(a^2 + b.c^2)"``.
    resolve_name : callable
        ``name -> reference`` for variable names; raises KeyError if unknown.
    resolve_function : callable
        ``name -> callable`` building the call (a function reference).
    """
    if not isinstance(text, str):
        raise TypeError(f"expression must be a string, got {type(text).__name__}")
    return _Parser(text, resolve_name, resolve_function).parse()
