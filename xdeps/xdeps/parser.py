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

import ast
import operator
import re

from .errors import ExpressionError, unknown_name

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


# ---------------------------------------------------------------------- xdeps syntax
# The text stored in the ``_var_manager`` section of line JSON files is the
# ``repr`` of references and expressions: Python syntax over the container
# labels (``((-vars['kqf']) * 1.1)``, ``f['sinc'](vars['x'])``). It is read
# here by our own parser, never by ``eval``: names are container labels (or
# ``float`` for ``float('inf')``), attributes must not start with ``_``,
# subscripts are constants, calls go to the functions container only, and
# the operators are those of the expression classes. Anything else is
# rejected with an :class:`ExpressionError` naming the text. The parser is
# an operator-precedence (shunting-yard) loop, so nesting depth is free.

_XTOKEN = re.compile(
    r"""\s*(?:
        (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
      | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<name>[A-Za-z_]\w*)
      | (?P<op>\*\*|//|<<|>>|<=|>=|==|!=|[-+*/%@&|^~<>()\[\],.=])
    )""",
    re.VERBOSE | re.ASCII,
)

#: Binary operators: (precedence, right associative), as in Python.
_XBINARY = {
    "<": (1, False), ">": (1, False), "<=": (1, False), ">=": (1, False),
    "==": (1, False), "!=": (1, False),
    "|": (2, False), "^": (3, False), "&": (4, False),
    "<<": (5, False), ">>": (5, False),
    "+": (6, False), "-": (6, False),
    "*": (7, False), "/": (7, False), "//": (7, False), "%": (7, False), "@": (7, False),
    "**": (9, True),
}
_XUNARY_PREC = 8
_FLOAT = object()  # the name ``float``: only float(constant) is allowed


def _xtokens(text):
    tokens = []
    pos = 0
    end = len(text.rstrip())
    match = _XTOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None or m.end() == pos:
            raise ExpressionError(
                f"cannot parse expression {text!r}: unexpected character "
                f"{text[pos:].lstrip()[:1]!r} at position {pos}"
            )
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def parse_xdeps(text, containers, check_function=None):
    """Build the reference or expression written as ``text`` in xdeps syntax.

    Parameters
    ----------
    text : str
        For example ``"((-vars['kqf']) * 1.1)"`` or ``"element_refs['qf'].knl[2]"``.
    containers : dict
        Label -> root reference of each container that names may use.
    check_function : callable, optional
        ``check_function(ref)`` for the callee of each call; raises when the
        call is not allowed. Without it no call is allowed.

    Returns a constant for a constant text (``'1.5'``, ``'-2'``).
    Raises :class:`ExpressionError` (or :class:`UnknownNameError` for an
    unknown label); nothing is evaluated.
    """
    from .refs import BinOpExpr, CallExpr, InvertExpr, MutableRef, NegExpr, PosExpr

    if not isinstance(text, str):
        raise ExpressionError(f"expression must be a string, got {type(text).__name__}")

    def error(message):
        return ExpressionError(f"cannot parse expression {text!r}: {message}")

    unary_build = {"-": NegExpr, "+": PosExpr, "~": InvertExpr}
    tokens = _xtokens(text)
    out = []  # operands
    ops = []  # operators and open brackets
    expect_operand = True

    def reduce_top():
        entry = ops.pop()
        if entry[0] == "bin":
            b = out.pop()
            a = out.pop()
            out.append(BinOpExpr(entry[1], a, b))
        else:
            a = out.pop()
            if isinstance(a, (int, float)) and not isinstance(a, bool) and entry[1] in "-+":
                out.append(-a if entry[1] == "-" else a)
            else:
                out.append(unary_build[entry[1]](a))

    def reduce_to_bracket():
        while ops and ops[-1][0] in ("bin", "un"):
            reduce_top()
        if not ops:
            raise error("unbalanced brackets")
        return ops[-1]

    def close_argument(call):
        # The operands after call[1] are the arguments read so far.
        nargs = len(out) - call[1]
        if nargs != len(call[2]) + 1:
            raise error("empty argument")
        call[2].append(call[3])
        call[3] = None

    i = 0
    n = len(tokens)
    while i < n:
        kind, tok = tokens[i]
        i += 1
        if expect_operand:
            if kind == "number":
                out.append(int(tok) if tok.isdigit() else float(tok))
                expect_operand = False
            elif kind == "string":
                out.append(ast.literal_eval(tok))
                expect_operand = False
            elif kind == "name":
                if i < n and tokens[i][1] == "=" and ops and ops[-1][0] == "call":
                    call = ops[-1]
                    if call[3] is not None:
                        raise error(f"unexpected keyword {tok!r}")
                    call[3] = tok
                    i += 1
                    continue
                if tok in containers:
                    out.append(containers[tok])
                elif tok == "float":
                    out.append(_FLOAT)
                else:
                    raise unknown_name("container", tok, list(containers), where=repr(text))
                expect_operand = False
            elif tok in unary_build:
                ops.append(("un", tok, _XUNARY_PREC))
            elif tok == "(":
                ops.append(("(",))
            elif tok == ")" and ops and ops[-1][0] == "call" and len(out) == ops[-1][1] \
                    and ops[-1][3] is None:
                i -= 1  # empty call: close it below
                expect_operand = False
            else:
                raise error(f"unexpected {tok!r}")
            continue
        # after an operand
        if kind == "op" and tok in _XBINARY and tok != "=":
            prec, right = _XBINARY[tok]
            while ops and ops[-1][0] in ("bin", "un") and (
                ops[-1][2] > prec or (ops[-1][2] == prec and not right)
            ):
                reduce_top()
            ops.append(("bin", tok, prec))
            expect_operand = True
        elif tok == ".":
            if i >= n or tokens[i][0] != "name" or tokens[i][1].startswith("_"):
                raise error("'.' must be followed by an attribute name not starting with '_'")
            base = out[-1]
            if not isinstance(base, MutableRef):
                raise error(f"attribute {tokens[i][1]!r} of something that is not a reference")
            out[-1] = getattr(base, tokens[i][1])
            i += 1
        elif tok == "[":
            if not isinstance(out[-1], MutableRef):
                raise error("subscript of something that is not a reference")
            ops.append(("[", len(out)))
            expect_operand = True
        elif tok == "]":
            top = reduce_to_bracket()
            if top[0] != "[":
                raise error("unbalanced ']'")
            ops.pop()
            # one key, or a tuple of keys (m1[5, 4], also written m1[(5, 4)])
            items = out[top[1]:]
            del out[top[1]:]
            key = tuple(items) if len(items) > 1 else items[0]
            parts = key if isinstance(key, tuple) else (key,)
            if not parts or any(isinstance(k, MutableRef) or k is _FLOAT
                                or not isinstance(k, (str, int, float, type(None))) for k in parts):
                raise error("subscripts must be constants")
            out[-1] = out[-1][key]
        elif tok == "(":
            callee = out[-1]
            if callee is not _FLOAT:
                if not isinstance(callee, MutableRef) or check_function is None:
                    raise error("calls are allowed only to functions of the functions container")
                check_function(callee)
            ops.append(["call", len(out), [], None])
            expect_operand = True
        elif tok == ")":
            top = reduce_to_bracket()
            if top[0] == "(":
                ops.pop()
            elif top[0] == "call":
                ops.pop()
                start = top[1]
                if len(out) > start:
                    close_argument(top)
                args = out[start:]
                del out[start:]
                callee = out.pop()
                kwnames = top[2]
                positional = [a for a, k in zip(args, kwnames) if k is None]
                if any(k is None for k in kwnames[len(positional):]):
                    raise error("positional argument after a keyword argument")
                if callee is _FLOAT:
                    if len(args) != 1 or kwnames[0] is not None or not isinstance(args[0], (str, int, float)):
                        raise error("float() takes one constant")
                    try:
                        out.append(float(args[0]))
                    except ValueError:
                        raise error(f"float({args[0]!r}) is not a number") from None
                else:
                    kwargs = {k: a for a, k in zip(args, kwnames) if k is not None}
                    out.append(CallExpr(callee, positional, kwargs))
            else:
                raise error("unbalanced ')'")
        elif tok == ",":
            top = reduce_to_bracket()
            if top[0] == "call":
                close_argument(top)
            elif top[0] == "(" and len(ops) > 1 and ops[-2][0] == "[":
                pass  # a tuple key in parentheses: m1[(5, 4)]
            elif top[0] != "[":
                raise error("',' outside a call or a subscript")
            expect_operand = True
        else:
            raise error(f"unexpected {tok!r}")
    if expect_operand:
        raise error("unexpected end" if tokens else "empty expression")
    while ops:
        if ops[-1][0] not in ("bin", "un"):
            raise error("unbalanced brackets")
        reduce_top()
    if len(out) != 1:
        raise error("more than one expression")
    result = out[0]
    if result is _FLOAT:
        raise error("'float' alone is not a value")
    return result


# Allowed syntax-tree nodes of the xdeps syntax, for texts that Python's own
# parser reads (any nesting up to its limit; deeper texts go to parse_xdeps).
_AST_OPS = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
    ast.LShift, ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor,
    ast.USub, ast.UAdd, ast.Invert,
    ast.Lt, ast.Gt, ast.LtE, ast.GtE, ast.Eq, ast.NotEq,
)


def _int_constant(node):
    while isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


def check_xdeps_ast(tree, text, labels, function_labels):
    """Raise :class:`ExpressionError` unless ``tree`` uses only the xdeps syntax.

    Parameters
    ----------
    tree : ast.Expression
        ``ast.parse(text, mode='eval')``.
    text : str
        The text (for the message).
    labels : container of str
        Container labels that names may use (besides ``float``).
    function_labels : dict
        Label -> functions container (:class:`~xdeps.functions.Functions`):
        the only callees allowed, existing functions written as
        ``label.name(...)`` or ``label['name'](...)``, besides
        ``float(constant)``.

    Evaluating a checked tree against the labels bound to references only
    builds references and expressions: names are labels, attributes do not
    start with ``_``, subscripts and ``float`` arguments are constants, and
    operators apply to references or numbers (two constants are not
    combined: no arithmetic on plain literals is run while loading).
    """

    def error(message):
        return ExpressionError(f"cannot parse expression {text!r}: {message}")

    def constant(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) \
                and not isinstance(node.value, bool):
            return True
        return (isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
                and isinstance(node.operand, ast.Constant)
                and isinstance(node.operand.value, (int, float)))

    def reference(node):
        # label, label.attr, label['key'], chained
        while True:
            if isinstance(node, ast.Name):
                if node.id not in labels:
                    raise unknown_name("container", node.id, list(labels), where=repr(text))
                return True
            if isinstance(node, ast.Attribute):
                if node.attr.startswith("_"):
                    raise error(f"attribute {node.attr!r}: names starting with '_' are not allowed")
                node = node.value
            elif isinstance(node, ast.Subscript):
                key = node.slice
                parts = key.elts if isinstance(key, ast.Tuple) else [key]  # m1[(5, 4)]
                if not parts or not all(constant(part) for part in parts):
                    raise error("subscripts must be constants")
                node = node.value
            else:
                return False

    if not isinstance(tree, ast.Expression):
        raise error("not an expression")
    stack = [tree.body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float)) or isinstance(node.value, bool):
                raise error(f"constant {node.value!r} is not a number")
        elif isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
            if not reference(node):
                raise error("attributes and subscripts apply to references only")
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, _AST_OPS):
                raise error(f"operator {type(node.op).__name__} is not allowed")
            if isinstance(node.op, (ast.Pow, ast.LShift)) and _int_constant(node.left) \
                    and _int_constant(node.right):
                # Folding 10 ** 10 ** 10 would take forever: not in files we write.
                raise error("integer power or shift of two constants")
            stack.append(node.left)
            stack.append(node.right)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, _AST_OPS):
                raise error(f"operator {type(node.op).__name__} is not allowed")
            stack.append(node.operand)
        elif isinstance(node, ast.Compare):
            if len(node.ops) != 1 or not isinstance(node.ops[0], _AST_OPS):
                raise error("only single comparisons are allowed")
            stack.append(node.left)
            stack.append(node.comparators[0])
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "float" and "float" not in labels:
                if len(node.args) != 1 or node.keywords or not constant(node.args[0]):
                    raise error("float() takes one constant")
                continue
            root = func
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if not (isinstance(root, ast.Name) and root.id in function_labels
                    and func is not root and func.value is root):
                raise error("calls are allowed only to functions of the functions container")
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func.slice, "value", None)
            if not reference(func) or not isinstance(name, str):
                raise error("bad function reference")
            container = function_labels[root.id]
            if name not in container:
                raise unknown_name("function", name, container.names(), where=repr(text))
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise error("starred arguments are not allowed")
                stack.append(arg)
            for keyword in node.keywords:
                if keyword.arg is None:
                    raise error("** arguments are not allowed")
                stack.append(keyword.value)
        else:
            raise error(f"{type(node).__name__} is not allowed")
