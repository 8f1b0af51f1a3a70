"""MAD-X text into a structured description, without building elements.

`MadxParser.parse_string` (and `parse_file`) read MAD-X statements and
return what they define, in the order MAD-X defines it::

    {
        'elements':   {name: {'parent': class, attr: value, ...}},
        'lines':      {name: {'parent': 'sequence', 'l': ..., ...,
                              'elements': {name: {'parent': ..., 'at': ..., ...}}}},
        'parameters': {name: {attr: value, ...}},   # later updates of elements
        'beams':      [{attr: value, ...}, ...],
    }

Variables are not part of the result: assignments go straight into the
variables given to the parser (``a := expr`` as a live xdeps expression,
``a = expr`` as the value of the moment), so that attribute values that
are deferred expressions refer to them (``vars['a']``). Values are floats,
xdeps expressions, names/strings (lower case outside quotes, as MAD-X
folds them) or lists of those. ``if``/``while`` conditions are evaluated
with the current variables; ``return``/``stop`` end the input.

The statement splitting and expression translation are those of the
native loader (`xtrack.madx.source`, `.statements`, `.expressions`).
"""

import os

import xdeps
from xdeps.refs import value_of

from ..madx.expressions import MADX_CONSTANTS, MADX_DERIVED_CONSTANTS, ExpressionBuilder
from ..madx.source import MadxSyntaxError, split_statements
from ..madx.statements import Attribute, parse_statement, split_top_level
from ..settings import settings

__all__ = ["MadxParser", "warn"]

# Attribute values that are names, not expressions (MAD-X user's guide:
# "from", "refer", "apertype", "particle", "sequence", ... take names).
_NAME_ATTRS = {"from", "refer", "refpos", "apertype", "particle", "sequence", "class", "element",
               "start", "file", "type", "period", "mad8_type", "selected", "pattern", "range",
               "to_name", "seqname", "table", "place", "aperture_file"}
# Statements with a label that define no element (initial conditions,
# tables) and are reported as ignored.
_IGNORED_LABELLED = {"beta0", "twiss", "ptc_twiss", "match", "survey"}
_STOP = {"return", "exit", "stop", "quit"}
_NOT_PARAMETERS = {"option", "title", "set", "system", "show", "help", "assign", "select", "twiss",
                   "survey", "use", "value", "print", "printf", "exec", "seqedit", "endedit",
                   "install", "remove", "move", "cycle", "flatten", "reflect", "save", "emit",
                   "makethin", "esave", "match", "endmatch", "vary", "constraint", "lmdif",
                   "jacobian", "simplex", "migrad", "eoption", "efcomp", "ealign", "delete",
                   "readtable", "readmytable", "write", "fill", "setvars", "create", "coguess",
                   "plot", "setplot", "resbeam", "ptc_create_universe", "ptc_end", "track",
                   "endtrack", "run", "observe", "dumpsequ", "debug", "stop_on_error"}


def warn(message):
    """Print a loader warning, unless ``xt.settings.print_mode`` is 'suppress'."""
    if settings.print_mode == "suppress":
        return
    print(f"Warning: {message}")


class _Stop(Exception):
    pass


def _var_management(vars):
    if vars is None:
        return xdeps.VarManagement()
    owner = getattr(vars, "_owner", vars)  # a VarsView (env.vars) or the manager itself
    if not hasattr(owner, "var_values") or not hasattr(owner, "vref"):
        raise TypeError(f"MadxParser: vars must be the variables of an Environment/Line "
                        f"(env.vars) or an xdeps.VarManagement, got {type(vars).__name__}.")
    return owner


class MadxParser:
    """Parser of MAD-X lattice text into plain data with live expressions.

    Parameters
    ----------
    vars : env.vars or xdeps.VarManagement, optional
        Variables the assignments go into and the expressions refer to
        (default: a new, private set). MAD-X constants (``pi``, ``twopi``,
        ``clight``, ...) are added where not yet defined.
    functions : xdeps.functions.Functions, optional
        User functions that expressions may call besides MAD-X's own
        (``sqrt``, ``sin``, ``abs``, ...).
    """

    def __init__(self, vars=None, functions=None):
        self.vm = _var_management(vars)
        self.functions = functions
        self.eb = ExpressionBuilder(self.vm, self._element_attribute)
        for name, value in MADX_CONSTANTS.items():
            if name not in self.vm.var_values:
                self.vm.set(name, value)
        for name, text in MADX_DERIVED_CONSTANTS.items():
            if name not in self.vm.var_values:
                self.vm.set(name, self.eb.deferred(text))
        self._dirs = [os.getcwd()]
        self._reset()

    def _reset(self):
        self.result = {"elements": {}, "lines": {}, "parameters": {}, "beams": []}
        self._sequence = None

    # ------------------------------------------------------------ entry points
    def parse_string(self, text, source="<string>"):
        """Structured description of MAD-X ``text`` (see the module docstring)."""
        self._reset()
        self._read(text, source)
        if self._sequence is not None:
            raise MadxSyntaxError(f"sequence {self._sequence!r} has no endsequence", source)
        return self.result

    def parse_file(self, filename):
        """Structured description of a MAD-X file (``call``-ed files included)."""
        self._reset()
        self._read_file(filename)
        return self.result

    def _read_file(self, filename):
        path = os.fspath(filename)
        if not os.path.isabs(path):
            path = os.path.join(self._dirs[-1], path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"MAD-X file {filename!r} not found (looked for {path}).")
        with open(path) as fid:
            text = fid.read()
        self._dirs.append(os.path.dirname(os.path.abspath(path)))
        try:
            self._read(text, path)
        finally:
            self._dirs.pop()

    def _read(self, text, source):
        try:
            self._run(split_statements(text, source))
        except _Stop:
            pass

    def _run(self, statements):
        for stmt in statements:
            self._statement(stmt)

    # ------------------------------------------------------------------ values
    def _element_attribute(self, element, attr, deferred):
        """Value of ``element->attr`` from what was parsed so far (0 when unset, as MAD-X)."""
        params = self._lookup(element)
        if params is None:
            raise KeyError(f"'{element}->{attr}': no element {element!r}")
        value = params.get(attr, 0.0)
        return value if deferred else value_of(value)

    def _lookup(self, name):
        res = self.result
        chain = []
        cur = name
        while cur is not None and len(chain) < 100:
            params = res["elements"].get(cur)
            if params is None:
                for line in res["lines"].values():
                    elements = line.get("elements")
                    if isinstance(elements, dict) and cur in elements:
                        params = elements[cur]
                        break
            if params is None:
                break
            chain.append(params)
            cur = params.get("parent")
        if not chain:
            return None
        merged = {}
        for params in reversed(chain):
            merged.update(params)
        merged.update(res["parameters"].get(name, {}))
        return merged

    def _value(self, attr, stmt):
        if attr.op is None:
            return attr.value  # flag: True, or False for '-flag'
        text = attr.value.strip()
        if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
            return text[1:-1]
        if attr.name in _NAME_ATTRS:
            return text
        if text.startswith("{") and text.endswith("}"):
            inner = text[1:-1].strip()
            return [self._expr(item, attr.deferred, stmt) for item in split_top_level(inner)] if inner else []
        return self._expr(text, attr.deferred, stmt)

    def _expr(self, text, deferred, stmt):
        text = text.strip()
        if not text:
            return 0.0
        where = (stmt.source, stmt.line)
        value = self.eb.deferred(text, where) if deferred else self.eb.immediate(text, where)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    def _params(self, attrs, stmt):
        return {attr.name: self._value(attr, stmt) for attr in attrs if attr.name is not None}

    # -------------------------------------------------------------- statements
    def _statement(self, stmt):
        kind, parts = parse_statement(stmt)
        if kind == "assign":
            name, op, value = parts
            self.vm.set(name, self._expr(value, op == ":=", stmt))
        elif kind == "attr_assign":
            element, attr, op, value = parts
            self.result["parameters"].setdefault(element, {})[attr] = self._value(
                Attribute(attr, op, value), stmt)
        elif kind == "labelled":
            self._labelled(*parts, stmt)
        elif kind == "command":
            self._command(*parts, stmt)
        elif kind == "if":
            for cond, body in parts:
                if cond is None or self.eb.condition(cond, (stmt.source, stmt.line)):
                    self._run(split_statements(body, stmt.source))
                    break
        elif kind == "while":
            cond, body = parts[0]
            for _ in range(100000):
                if not self.eb.condition(cond, (stmt.source, stmt.line)):
                    return
                self._run(split_statements(body, stmt.source))
            raise stmt.error("while loop did not end after 100000 iterations")
        elif kind == "line":
            name, body = parts
            self.result["lines"][name] = {"parent": "line", "elements": _line_items(body)}
        # macros define nothing in the description

    def _labelled(self, label, cls, attrs, stmt):
        if cls in _IGNORED_LABELLED:
            warn(f"Ignoring {cls} statement {label!r} ({stmt.source}, line {stmt.line})")
            return
        params = {"parent": cls, **self._params(attrs, stmt)}
        if cls == "sequence":
            if self._sequence is not None:
                raise stmt.error(f"sequence {label!r} starts inside sequence {self._sequence!r}")
            params["elements"] = {}
            self.result["lines"][label] = params
            self._sequence = label
        elif self._sequence is not None:
            self.result["lines"][self._sequence]["elements"][label] = params
        else:
            self.result["elements"][label] = params

    def _command(self, word, attrs, stmt):
        if word in _STOP:
            raise _Stop()
        if word == "endsequence":
            if self._sequence is None:
                raise stmt.error("endsequence without a sequence")
            self._sequence = None
            return
        if word == "call":
            params = self._params(attrs, stmt)
            if "file" not in params:
                raise stmt.error("call needs file=...")
            self._read_file(params["file"])
            return
        if word == "beam":
            params = self._params(attrs, stmt)
            if isinstance(params.get("particle"), str):
                params["particle"] = params["particle"].lower()
            self.result["beams"].append(params)
            return
        if self._sequence is not None:
            # placement of an element defined before: 'name, at=..., from=...'
            self.result["lines"][self._sequence]["elements"][word] = self._params(attrs, stmt)
            return
        if word in _NOT_PARAMETERS:
            return
        params = self._params(attrs, stmt)
        if params:
            self.result["parameters"].setdefault(word, {}).update(params)


def _line_items(body):
    """Names of a ``line = (...)`` body with repetitions and reversals expanded."""
    names = []
    for item in split_top_level(body):
        item = item.strip()
        if not item:
            continue
        count = 1
        if "*" in item.split("(")[0]:
            head, item = item.split("*", 1)
            count, item = int(head.strip().lstrip("-") or 1), ("-" if head.strip().startswith("-") else "") + item.strip()
        reverse = item.startswith("-")
        item = item.lstrip("-").strip()
        sub = _line_items(item[1:-1]) if item.startswith("(") else [item]
        names += (sub[::-1] if reverse else sub) * count
    return names
