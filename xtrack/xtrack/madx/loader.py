"""Native MAD-X reader: an interpreter of lattice files that builds an Environment.

`MadxLoader` reads MAD-X statements in order (`load_file`, `load_string`),
keeps the element classes and sequences as MAD-X defines them (inheritance
is resolved at the end, so that a class attribute changed after the
sequence still reaches every element that does not override it, as in
MAD-X), then `build` creates the xtrack elements, their deferred
expressions and one line per sequence in an `xtrack.Environment`.

Speed (the HL-LHC files, ~3x10^4 statements, 2x13,400 line elements, ~7x10^4
element expressions: `tools/bench_madx_load.py`): the cyclic garbage
collector is paused while reading and building (only long-lived objects are
made); an element placed only in lines built backwards is built reversed at
once; the element expressions are registered in one batch
(`xdeps.Manager.set_many`) after all elements exist; simple immediate
values (``at = 1006.4447+(40-ip1ofs.b1)*ds``) are evaluated by code compiled
once per shape (`immediate.py`).
"""

import contextlib
import difflib
import gc
import operator
import os
import re
import warnings

import xdeps
from xdeps.refs import value_of

from .apertures import aperture_element
from .beam import beam_particle_arguments, beam_particle_name
from .elements import BUILTIN_CLASSES, build_element, element_class, element_length
from .immediate import ImmediateEvaluator
from .expressions import MADX_CONSTANTS, MADX_DERIVED_CONSTANTS, ExpressionBuilder
from .reverse import reverse_params
from .sequences import _local_positions, expand_sequence
from .source import MadxSyntaxError, split_statements
from .statements import parse_statement, split_top_level

__all__ = ["MADLoaderWarning", "MadxLoader"]


class MADLoaderWarning(UserWarning):
    """Something in the MAD-X input was ignored or given MAD-X's default."""


# Attribute values that are names, not expressions.
_NAME_ATTRS = {"from", "refer", "refpos", "apertype", "particle", "sequence", "class", "element",
               "start", "file", "type", "period", "mad8_type", "selected", "pattern", "range",
               "to_name", "seqname", "table", "place", "aperture_file", "flag"}
_IGNORED_COMMANDS = {
    "option", "title", "set", "system", "show", "help", "assign", "select", "twiss", "survey",
    "esave", "save", "coguess", "emit", "plot", "setplot", "resplot", "ptc_create_universe",
    "ptc_end", "match", "endmatch", "vary", "constraint", "lmdif", "jacobian", "simplex",
    "migrad", "eoption", "efcomp", "ealign", "makethin", "delete", "readtable", "readmytable",
    "write", "fill", "setvars", "setvars_lin", "create", "chdir", "dumpsequ", "sodd", "touschek",
    "ibs", "dynap", "track", "endtrack", "run", "start", "observe", "aperture", "seterr",
    "printf", "removefile", "renamefile", "copyfile", "resbeam", "shrink", "sxfread",
    "sxfwrite", "stop_on_error", "debug",
}
_STOP_COMMANDS = {"return", "exit", "stop", "quit"}
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


class _ElementDef:
    __slots__ = ("name", "parent", "params", "base")

    def __init__(self, name, parent, params, base):
        self.name = name
        self.parent = parent
        self.params = params
        self.base = base


class _Placement:
    __slots__ = ("name", "at", "from_", "index")

    def __init__(self, name, at, from_):
        self.name = name
        self.at = at
        self.from_ = from_


class _SequenceDef:
    def __init__(self, name, length, refer, refpos):
        self.name = name
        self.length = length
        self.refer = refer
        self.refpos = refpos
        self.placements = []
        self.cycle_start = None


class _Stop(Exception):
    pass


class MadxLoader:
    """Interpreter of MAD-X lattice files.

    Parameters
    ----------
    env : xtrack.Environment, optional
        Environment to fill (default: a new one).
    s_tol : float
        Tolerance [m] on element positions: gaps shorter than this get no
        drift, overlaps shorter than this are accepted (default 1e-6).
    default_to_zero : bool
        Give 0 to variables used but never defined, as MAD-X does, with a
        `MADLoaderWarning` listing them (default True). When False such a
        variable is an error.
    rbend_correct_k0 : bool
        Scale an explicit rbend ``k0`` by sinc(angle / 2) (default False, as xt.load).
    reverse_lines : list of str, optional
        Sequences described along the other beam (``bv = -1``) to build in
        their own direction: order reversed and attributes mirrored (see
        `xtrack.madx.reverse`). An element placed both in such a line and
        in another one gets one copy per line, named ``<name>/<line>``
        (markers stay shared).
    install_apertures : bool
        Place a Limit element ``<name>_aper`` before every element with an
        aperture (default True); see `xtrack.madx.apertures`.
    keep_extra : bool
        Keep attributes without a tracking meaning (``slot_id``, ``mech_sep``,
        ...) in each element's ``extra`` dict (default True).
    """

    def __init__(self, env=None, s_tol=1e-6, default_to_zero=True, rbend_correct_k0=False,
                 reverse_lines=None, install_apertures=True, keep_extra=True):
        from ..line.environment import Environment

        self.element_dict = {} if env is None else env.element_dict
        if env is None:
            self.vm = xdeps.VarManagement(element_container=self.element_dict)
            self._env = Environment(element_dict=self.element_dict, _var_management=self.vm)
        else:
            self._env = env
            self.vm = env._var_management  # the environment's own variables
        self.s_tol = s_tol
        self.default_to_zero = default_to_zero
        self.rbend_correct_k0 = rbend_correct_k0
        if isinstance(reverse_lines, str):
            reverse_lines = [reverse_lines]
        self.reverse_lines = [str(n).lower() for n in (reverse_lines or [])]
        self.install_apertures = install_apertures
        self.keep_extra = keep_extra
        self._scoped = set()  # names copied per line (shared with a reversed line)
        self._reversed = set()  # elements rebuilt with their reversed attributes
        self._in_sequence = set()  # elements first defined inside a sequence
        self.eb = ExpressionBuilder(self.vm, self._element_attribute)
        self._immediate = ImmediateEvaluator(self.vm.var_values)
        self.eb.zero_division_to_zero = default_to_zero  # MAD-X's x/0 = 0, or an error
        self.definitions = {}
        self.sequences = {}
        self.beams = {}
        self.macros = {}
        self.used_sequence = None
        self._current_seq = None
        self._seqedit = None
        self._dirs = [os.getcwd()]
        self._selection = []  # seqedit 'select' criteria
        self._line_defs = set()  # names of MAD-X 'line = (...)' definitions
        self._unbuilt = False  # statements read since the last build()
        self._drifts = {}
        self._drift_counter = 0
        self._frozen_params = None  # name -> effective_params, while build() runs
        for name, value in MADX_CONSTANTS.items():
            if name not in self.vm.var_values:
                self.vm.set(name, value)
        for name, text in MADX_DERIVED_CONSTANTS.items():
            if name not in self.vm.var_values:
                self.vm.set(name, self.eb.deferred(text))
        if "t_turn_s" not in self.vm.var_values:
            self.vm.set("t_turn_s", 0.0)

    # --------------------------------------------------------------- input
    def load_file(self, filename):
        """Read one MAD-X file (paths of ``call`` are relative to the caller's folder)."""
        path = os.fspath(filename)
        if not os.path.isabs(path):
            path = os.path.join(self._dirs[-1], path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"MAD-X file {filename!r} not found (looked for {path}).")
        with open(path) as fid:
            text = fid.read()
        self._dirs.append(os.path.dirname(os.path.abspath(path)))
        try:
            self.load_string(text, source=path)
        finally:
            self._dirs.pop()

    def load_string(self, text, source="<string>"):
        """Read MAD-X statements from ``text``."""
        self._unbuilt = True
        try:
            with _gc_paused():  # as in build: only long-lived objects are made
                self._run(split_statements(text, source))
        except _Stop:
            pass

    @property
    def env(self):
        """The environment; what was read since the last `build` is built first."""
        if self._unbuilt:
            self.build()
        return self._env

    def _run(self, statements):
        for stmt in statements:
            self._execute(stmt)

    # ------------------------------------------------------------ values
    def _where(self, stmt):
        return (stmt.source, stmt.line)

    def _value(self, attr, stmt):
        """Python value of an attribute: number, expression, name, string or list."""
        value = attr.value
        if attr.op is None:
            return value
        text = value.strip()
        if text.startswith(("'", '"')) and text.endswith(("'", '"')):
            return text[1:-1]
        if attr.name in _NAME_ATTRS:
            return text
        if _PLAIN_NUMBER.match(text):  # most values (as ExpressionBuilder reads them)
            return float(text)
        if text.startswith("{") and text.endswith("}"):
            inner = text[1:-1].strip()
            items = split_top_level(inner) if inner else []
            return [self._expr(it, attr.deferred, stmt) for it in items]
        return self._expr(text, attr.deferred, stmt)

    def _expr(self, text, deferred, stmt):
        text = text.strip()
        if not text:
            return 0.0
        if deferred:
            return self.eb.deferred(text, self._where(stmt))
        value = self._immediate.value(text)  # the simple ones (most 'at =') without a parse
        if value is not None:
            return value
        return self.eb.immediate(text, self._where(stmt))

    def _attrs(self, attrs, stmt):
        out = {}
        for attr in attrs:
            if attr.name is None:
                continue
            out[attr.name] = self._value(attr, stmt)
        return out

    # ------------------------------------------------------------ classes
    def _base_of(self, cls, stmt):
        if cls in BUILTIN_CLASSES:
            return cls
        definition = self.definitions.get(cls)
        if definition is None:
            known = list(self.definitions) + list(BUILTIN_CLASSES)
            close = difflib.get_close_matches(cls, known, n=3)
            hint = f"; close matches: {', '.join(close)}" if close else ""
            raise stmt.error(f"unknown element class {cls!r}{hint}")
        return definition.base

    def _define(self, name, cls, params, stmt):
        if cls in self.sequences:
            raise stmt.error(f"{name!r}: a sequence ({cls!r}) cannot be used as an element class")
        base = self._base_of(cls, stmt)
        self.definitions[name] = _ElementDef(name, cls, params, base)
        return self.definitions[name]

    def effective_params(self, name):
        """MAD-X attributes of element `name`, inherited along its class chain."""
        frozen = self._frozen_params
        if frozen is not None:  # during build() the definitions do not change
            params = frozen.get(name)
            if params is None:
                params = frozen[name] = self._effective_params(name)
            return params
        return self._effective_params(name)

    def _inherited(self, name, key, default):
        """Attribute `key` of element `name` as `effective_params` gives it, without the merge."""
        definitions = self.definitions
        cur, depth = name, 0
        while cur in definitions:
            definition = definitions[cur]
            if key in definition.params:
                return definition.params[key]
            cur, depth = definition.parent, depth + 1
            if depth > 100:
                raise MadxSyntaxError(f"element class chain of {name!r} loops")
        return default

    def _effective_params(self, name):
        chain = []
        cur = name
        while cur in self.definitions:
            chain.append(self.definitions[cur])
            cur = self.definitions[cur].parent
            if len(chain) > 100:
                raise MadxSyntaxError(f"element class chain of {name!r} loops")
        params = {}
        for definition in reversed(chain):
            params.update(definition.params)
        return params

    def _element_attribute(self, element, attr, deferred):
        if element not in self.definitions:
            if not self.default_to_zero:
                raise KeyError(f"'{element}->{attr}': no element {element!r}")
            # MAD-X reads the attribute of an element it does not know as 0; lattice
            # files test for an element that way ('if (tcld.a11r2.b1->l == 0)')
            warnings.warn(f"'{element}->{attr}': no element {element!r}, taken as 0 as in MAD-X",
                          MADLoaderWarning)
            return 0.0
        if attr == "at":
            # 'el->at' is where the element is placed (first sequence that has it)
            for seq in self.sequences.values():
                for placement in seq.placements:
                    if placement.name == element and placement.at is not None:
                        return placement.at if deferred else value_of(placement.at)
        value = self.effective_params(element).get(attr, 0.0)
        return value if deferred else value_of(value)

    # ---------------------------------------------------------- statements
    def _execute(self, stmt):
        kind, parts = parse_statement(stmt)
        if kind == "assign":
            name, op, value = parts
            self.vm.set(name, self._expr(value, op == ":=", stmt))
        elif kind == "attr_assign":
            element, attr, op, value = parts
            if element not in self.definitions:
                raise stmt.error(f"'{element}->{attr}': no element named {element!r}")
            from .statements import Attribute
            self.definitions[element].params[attr] = self._value(Attribute(attr, op, value), stmt)
        elif kind == "labelled":
            self._labelled(*parts, stmt)
        elif kind == "command":
            self._command(*parts, stmt)
        elif kind == "if":
            for cond, body in parts:
                if cond is None or self.eb.condition(cond, self._where(stmt)):
                    self._run(split_statements(body, stmt.source))
                    break
        elif kind == "while":
            cond, body = parts[0]
            for _ in range(100000):
                if not self.eb.condition(cond, self._where(stmt)):
                    break
                self._run(split_statements(body, stmt.source))
            else:
                raise stmt.error("while loop did not end after 100000 iterations")
        elif kind == "macro":
            name, args, body = parts
            self.macros[name] = (args, body)
        elif kind == "line":
            name, body = parts
            self._line_definition(name, body, stmt)

    def _labelled(self, label, cls, attrs, stmt):
        if cls == "sequence":
            if self._current_seq is not None:
                raise stmt.error(f"sequence {label!r} starts inside sequence {self._current_seq.name!r}")
            params = self._attrs(attrs, stmt)
            seq = _SequenceDef(label, float(value_of(params.get("l", 0.0))),
                               str(params.get("refer", "centre")), params.get("refpos"))
            self.sequences[label] = seq
            self._current_seq = seq
            return
        if cls in ("beta0", "twiss", "ptc_twiss"):
            print(f"Ignoring {cls} statement {label!r} ({stmt.source}, line {stmt.line})")
            return
        if cls in _IGNORED_COMMANDS or cls == "macro":
            return
        params = self._attrs(attrs, stmt)
        if self._current_seq is not None:
            at = params.pop("at", None)
            from_ = params.pop("from", None)
            if cls in self.sequences:
                raise stmt.error(f"{label!r}: a sequence cannot be placed under a new name")
            if label not in self.definitions:
                self._define(label, cls, params, stmt)
                self._in_sequence.add(label)
            elif label == cls:
                self.definitions[label].params.update(params)
            else:
                old = self.definitions[label]
                # MAD-X warns when a global definition is redefined in a sequence
                # (a second sequence's own 'label: class' is silently ignored)
                if label not in self._in_sequence and (
                        old.parent != cls or not _same_params(old.params, params)):
                    # MAD-X: "implicit element re-definition ignored"
                    warnings.warn(f"{stmt.source}, line {stmt.line}: implicit element "
                                  f"redefinition ignored: {label!r} stays as first defined",
                                  MADLoaderWarning)
            self._place(self._current_seq, label, at, from_, stmt)
            return
        self._define(label, cls, params, stmt)

    def _place(self, seq, name, at, from_, stmt):
        if at is None:
            raise stmt.error(f"element {name!r} in sequence {seq.name!r} needs 'at'")
        seq.placements.append(_Placement(name, at, from_))

    def _command(self, word, attrs, stmt):
        if word == "endsequence":
            if self._current_seq is None:
                raise stmt.error("endsequence without a sequence")
            self._current_seq = None
            return
        if word in _STOP_COMMANDS:
            raise _Stop()
        if word == "exec":
            self._exec(stmt)
            return
        if self._current_seq is not None and (word in self.definitions or word in self.sequences):
            params = self._attrs(attrs, stmt)
            at = params.pop("at", None)
            from_ = params.pop("from", None)
            if params and word in self.definitions:
                self.definitions[word].params.update(params)
            self._place(self._current_seq, word, at, from_, stmt)
            return
        if self._seqedit is not None and word in ("install", "remove", "move", "cycle", "flatten",
                                                 "reflect", "replace", "extract", "endedit",
                                                 "select"):
            self._seqedit_command(word, self._attrs(attrs, stmt), stmt)
            return
        if word == "seqedit":
            params = self._attrs(attrs, stmt)
            name = params.get("sequence")
            if name not in self.sequences:
                raise stmt.error(f"seqedit: unknown sequence {name!r}")
            self._seqedit = self.sequences[name]
            return
        if word == "beam":
            # the beam's attributes stay expressions (energy = e0 follows e0), as in xtrack
            params = {attr.name: (self._value(attr, stmt) if attr.op is None or attr.name in _NAME_ATTRS
                                  or attr.value.strip().startswith("{")  # a list, e.g. sequence counts
                                  else self._expr(attr.value, True, stmt))
                      for attr in attrs if attr.name is not None}
            self.beams[params.pop("sequence", None)] = params
            return
        if word == "use":
            params = self._attrs(attrs, stmt)
            name = params.get("sequence", params.get("period"))
            if name is None:
                flags = [a.name for a in attrs if a.op is None and a.name]
                name = flags[0] if flags else None
            self.used_sequence = name
            return
        if word == "call":
            params = self._attrs(attrs, stmt)
            if "file" not in params:
                raise stmt.error("call needs file=...")
            self.load_file(params["file"])
            return
        if word in ("value", "print"):
            return
        if word in _IGNORED_COMMANDS:
            return
        if word in self.definitions:
            # parameter update of an element or a class
            self.definitions[word].params.update(self._attrs(attrs, stmt))
            return
        if word in self.sequences:
            return
        if word in BUILTIN_CLASSES:
            return  # e.g. 'quadrupole, k1=...' changes no element here
        warnings.warn(f"{stmt.source}, line {stmt.line}: ignoring unknown MAD-X command {word!r}",
                      MADLoaderWarning)

    def _exec(self, stmt):
        m = re.match(r"^\s*exec\s*,\s*([\w.$]+)\s*(\((.*)\))?\s*$", stmt.text, re.S)
        if not m or m.group(1) not in self.macros:
            warnings.warn(f"{stmt.source}, line {stmt.line}: cannot execute {stmt.text!r} "
                          "(unknown macro); ignored", MADLoaderWarning)
            return
        args, body = self.macros[m.group(1)]
        values = [v.strip() for v in split_top_level(m.group(3) or "")] if m.group(2) else []
        # MAD-X replaces the argument text wherever it stands, also inside names
        # (ENAMEL1 with ENAME=taxs.1 is taxs.1l1); longer arguments first
        for arg, val in sorted(zip(args, values), key=lambda av: -len(av[0])):
            body = re.sub(re.escape(arg), lambda _m, v=val: v, body, flags=re.I)
        self._run(split_statements(body, stmt.source))

    def _line_definition(self, name, body, stmt):
        """``name: line = (a, b, 2*c, -d)`` as a sequence of consecutive elements."""
        names = []
        for item in split_top_level(body):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"^(\d+)\s*\*\s*(.+)$", item)
            count, item = (int(m.group(1)), m.group(2).strip()) if m else (1, item)
            reverse = item.startswith("-")
            item = item.lstrip("-").strip()
            if item.startswith("(") and item.endswith(")"):
                sub = []
                for x in split_top_level(item[1:-1]):
                    if x.strip():
                        sub += self._line_names(x.strip())
            else:
                sub = self._line_names(item)
            if reverse:
                sub = sub[::-1]
            names += sub * count
        seq = _SequenceDef(name, None, "entry", None)
        seq.placements = [_Placement(n, None, None) for n in names]
        self.sequences[name] = seq
        self._line_defs.add(name)

    def _line_names(self, item):
        """Names that `item` of a line body stands for: a line defined before is
        expanded (so that ``-l1`` reverses its elements), anything else is one name."""
        if item in self._line_defs:
            return [p.name for p in self.sequences[item].placements]
        if item.startswith("(") or "*" in item or item.startswith("-"):
            # a nested repeat or reversal: parse it as a line body of its own
            tmp = f"__line_item_{len(self._line_defs)}"
            self._line_definition(tmp, item, None)
            self._line_defs.discard(tmp)
            return [p.name for p in self.sequences.pop(tmp).placements]
        return [item]

    def _seqedit_command(self, word, params, stmt):
        seq = self._seqedit
        if word == "endedit":
            self._seqedit = None
        elif word == "install":
            name = params.pop("element")
            cls = params.pop("class", None)
            at = params.pop("at", None)
            from_ = params.pop("from", None)
            if cls is not None:
                self._define(name, cls, params, stmt)
            elif name not in self.definitions:
                # MAD-X skips such an install with a warning (the HL-LHC files have one)
                warnings.warn(f"{stmt.source}, line {stmt.line}: install: unknown element "
                              f"{name!r} (no class= given); ignored as in MAD-X", MADLoaderWarning)
                return
            self._place(seq, name, at, from_, stmt)
        elif word == "select":
            self._seqedit_select(params, stmt)
        elif word == "remove":
            name = params.get("element")
            if name == "selected":
                chosen = self._selected_placements(seq)
                seq.placements = [p for p in seq.placements if id(p) not in chosen]
                return
            if "*" in name or "[" in name:  # a pattern (dots are parts of MAD-X names)
                pattern = re.compile(name.replace("$", r"\$") + "$")
                kept = [p for p in seq.placements if not (p.name == name or pattern.match(p.name))]
            else:
                # one name: found by C-level list search (files remove ~10^2 names
                # from sequences of ~10^4 placements)
                names = list(map(_placement_name, seq.placements))
                count = names.count(name)
                if count == 1:
                    ii = names.index(name)
                    kept = seq.placements[:ii] + seq.placements[ii + 1:]
                else:
                    kept = [p for p in seq.placements if p.name != name] if count else seq.placements
            if len(kept) == len(seq.placements):
                warnings.warn(f"seqedit remove: no element {name!r} in {seq.name!r}", MADLoaderWarning)
            seq.placements = kept
        elif word == "move":
            name = params.get("element")
            for p in seq.placements:
                if p.name == name:
                    if "by" in params:
                        p.at = p.at + params["by"]
                    elif "to" in params:
                        p.at = params["to"]
                        p.from_ = params.get("from")
        elif word == "cycle":
            seq.cycle_start = params.get("start")
        elif word == "flatten":
            pass  # expansion flattens subsequences anyway
        elif word == "reflect":
            warnings.warn("seqedit reflect is not supported; ignored", MADLoaderWarning)
        else:
            warnings.warn(f"seqedit {word} is not supported; ignored", MADLoaderWarning)

    def _seqedit_select(self, params, stmt):
        """``select, flag=seqedit, clear | range=a/b | class=c | pattern=re`` (MAD-X's
        selection for ``remove, element=selected``); other flags concern no lattice."""
        if str(params.get("flag", "")).lower() != "seqedit":
            return
        if params.get("clear"):
            self._selection = []
        for key in ("range", "class", "pattern"):
            if key in params:
                value = str(params[key]).lower()
                if key == "range" and len(value.split("/")) != 2:
                    raise stmt.error(f"select: range must be 'first/last', got {value!r}")
                self._selection.append((key, value))

    def _selected_placements(self, seq):
        """ids of the placements of `seq` the seqedit selection picks."""
        chosen = set()
        order = rank = None  # the placements in s order: only ranges need them
        classes = {value for key, value in self._selection if key == "class"}
        if classes:  # one pass for all the classes selected
            chosen |= {id(p) for p in seq.placements if self._is_of_class(p.name, classes)}
        for key, value in self._selection:
            if key == "class":
                continue  # above
            if key == "range" and order is None:
                items = _local_positions(self, seq)
                order = sorted(range(len(items)), key=lambda ii: items[ii][1])
                rank = {}
                for r, ii in enumerate(order):
                    rank.setdefault(items[ii][0], r)
            if key == "range":
                first, last = value.split("/")
                if first not in rank or last not in rank:
                    warnings.warn(f"select: range {value!r} is not in {seq.name!r}", MADLoaderWarning)
                    continue
                lo, hi = rank[first], rank[last]
                picked = order[lo:hi + 1] if lo <= hi else order[lo:] + order[:hi + 1]
                chosen |= {id(seq.placements[ii]) for ii in picked}
            else:
                pattern = re.compile(value)
                chosen |= {id(p) for p in seq.placements if pattern.search(p.name)}
        return chosen

    def _is_of_class(self, name, classes):
        """True when a class in the chain of element `name` is one of `classes` (a set)."""
        cur, depth = name, 0
        while cur in self.definitions and depth < 100:
            if self.definitions[cur].parent in classes:
                return True
            cur, depth = self.definitions[cur].parent, depth + 1
        return False

    # --------------------------------------------------------------- build
    def build(self, sequences=None):
        """Create the elements, expressions and lines; returns the environment."""
        # Building allocates ~10^6 long-lived objects and no garbage cycles:
        # the cyclic collector's repeated scans would cost a third of the time.
        with _gc_paused():
            return self._build(sequences)

    def _build(self, sequences):
        self._frozen_params = {}
        try:
            return self._build_frozen(sequences)
        finally:
            self._frozen_params = None

    def _build_frozen(self, sequences):
        if self.undefined_variables():
            names = sorted(self.undefined_variables())
            message = (f"MAD-X input uses {len(names)} undefined variable(s), set to 0 as in MAD-X: "
                       f"{', '.join(names[:20])}{' ...' if len(names) > 20 else ''}")
            if not self.default_to_zero:
                raise NameError(message)
            warnings.warn(message, MADLoaderWarning)
        if sequences is None:
            # top-level sequences first (their drifts get the first ||drift_N names),
            # then those used inside other sequences
            inner = {p.name for seq in self.sequences.values() for p in seq.placements}
            sequences = ([n for n in self.sequences if n not in inner]
                         + [n for n in self.sequences if n in inner])
        names = sequences
        expanded = {n: expand_sequence(self, self.sequences[n]) for n in names}
        self._scoped, reversed_only = self._line_roles(names, expanded)
        refs = (self.vm.vref, self.vm.fref)
        # The expressions of all new elements are registered at the end, in one
        # batch (xdeps Manager.set_many): one graph extension and one evaluation
        # in dependency order instead of a cycle check and an update per target.
        pending = []
        for name, definition in self.definitions.items():
            if name in self.element_dict:
                continue
            params = None
            if name in reversed_only:
                # placed only in lines built backwards: built reversed at once
                params = reverse_params(definition.base, self.effective_params(name))
                self._reversed.add(name)
            pending += self._new_element(name, definition, refs, params)
        for base in BUILTIN_CLASSES:
            if base not in self.element_dict and base not in self.definitions:
                cls_name, fields, _ = build_element(base, {}, refs)
                self.element_dict[base] = element_class(cls_name)(**_defaults_only(cls_name, fields))
        line_names = {n: self._placed_names(n, expanded[n], pending) for n in names}
        self._set_exprs(pending)
        for seq_name in names:
            self._build_line(seq_name, line_names[seq_name])
        if None in self.beams:
            self._env.particle_ref = self._beam_particle(None)
        self._unbuilt = False
        return self._env

    def undefined_variables(self):
        return {n: w for n, w in self.eb.undefined.items()
                if self.vm.get_expr(n) is None and self.vm.var_values.get(n) == 0.0}

    def _new_element(self, name, definition, refs, params=None, target=None):
        params = self.effective_params(name) if params is None else params
        name = name if target is None else target
        cls_name, fields, extra = build_element(definition.base, params, refs,
                                                rbend_correct_k0=self.rbend_correct_k0)
        if not self.keep_extra:
            extra = {}
        cls = element_class(cls_name)
        kwargs = dict(fields.values)
        if cls_name == "Multipole" and "isthick" in kwargs:
            kwargs["isthick"] = bool(kwargs["isthick"])
        extra_values = {}
        exprs = []
        for key, value in extra.items():
            if isinstance(value, list):
                extra_values[key] = [float(value_of(v)) for v in value]
            else:
                extra_values[key] = float(value_of(value))
                if hasattr(value, "_get_value"):
                    exprs.append((name, "extra", key, value))
        element = cls(**kwargs, extra=extra_values or None,
                      prototype=definition.parent if target is None else definition.name)
        self.element_dict[name] = element
        exprs = [(name, attr, key, expr) for attr, key, expr in fields.exprs] + exprs
        return exprs

    def _placed_names(self, seq_name, names, pending):
        """Element names of line `seq_name` from its expansion `names` (apertures included);
        the expressions of the per-line copies it makes go to `pending`."""
        reverse = seq_name in self.reverse_lines
        if reverse:
            names = names[::-1]
        if reverse or self._scoped:
            names = [self._line_element(nn, seq_name, reverse, pending) for nn in names]
        if self.install_apertures:
            names = self._with_apertures(names)
        return names

    def _build_line(self, seq_name, names):
        from ..line.builder import Composer
        from ..line.line import Line

        seq = self.sequences[seq_name]
        line = Line(elements=self.element_dict, element_names=names, env=self._env)
        # the line keeps a composer, as one made by env.new_line: its names one
        # after the other (drifts included) over the sequence length
        line.composer = Composer(self._env, components=list(names), name=seq_name,
                                 refer="start", length=seq.length, s_tol=self.s_tol)
        particle = self._particle_for(seq_name)
        if particle is not None:
            line.particle_ref = particle
        self._env[seq_name] = line
        return line

    def _line_roles(self, seq_names, expanded):
        """(shared, reversed_only) element names among the lines `seq_names` (expansions
        in `expanded`): non-marker elements placed both in a reversed line and in another
        line (one copy per line), and those placed in reversed lines only."""
        reversed_names = [n for n in seq_names if n in self.reverse_lines]
        if not reversed_names:
            return set(), set()
        contents = {n: set(expanded[n]) for n in seq_names}
        shared, backwards = set(), set()
        for rev in reversed_names:
            others = set().union(*[c for n, c in contents.items() if n != rev])
            shared |= contents[rev] & others
            backwards |= contents[rev]
        backwards -= shared
        own = {n for n in shared | backwards
               if n in self.definitions and self.definitions[n].base not in ("marker", "drift")}
        return shared & own, backwards & own

    def _line_element(self, name, seq_name, reverse, pending):
        """Name of the element that line `seq_name` uses for placement `name`."""
        definition = self.definitions.get(name)
        if definition is None or definition.base in ("marker", "drift"):
            return name  # drifts and markers look the same both ways
        if name in self._scoped:
            target = f"{name}/{seq_name}"
            if target not in self.element_dict:
                params = self.effective_params(name)
                if reverse:
                    params = reverse_params(definition.base, params)
                pending += self._new_element(name, definition, self._refs(), params, target)
            return target
        if reverse and name not in self._reversed:
            # built forward by an earlier build(): rebuilt reversed, its expressions replaced
            self._reversed.add(name)
            params = reverse_params(definition.base, self.effective_params(name))
            pending += self._new_element(name, definition, self._refs(), params)
        return name

    def _refs(self):
        return (self.vm.vref, self.vm.fref)

    def _set_exprs(self, pending):
        """Register the ``(element, attr, key, expression)`` of `pending` in one batch."""
        eref = self.vm.element_refs
        pairs = []
        element_ref, last = None, None  # one reference per element (its attributes follow)
        for name, attr, key, expr in pending:
            if name != last:
                element_ref, last = eref[name], name
            target = getattr(element_ref, attr)
            if key is not None:
                target = target[key]
            pairs.append((target, expr))
        # the elements were just built from the values of these very expressions
        self.vm.manager.set_many(pairs, evaluate=False)

    def _with_apertures(self, names):
        """`names` with ``<name>_aper`` before each element that has a MAD-X aperture."""
        from .. import beam_elements as be

        out = []
        for name in names:
            base_name = name.split("/")[0]
            if base_name in self.definitions:
                aper_name = f"{name}_aper"
                if aper_name not in self.element_dict:
                    spec = aperture_element(self.effective_params(base_name))
                    if spec is not None:
                        cls_name, kwargs = spec
                        self.element_dict[aper_name] = getattr(be, cls_name)(**kwargs)
                        self.element_dict[name].name_associated_aperture = aper_name
                if aper_name in self.element_dict:
                    out.append(aper_name)
            out.append(name)
        return out

    def _particle_for(self, seq_name):
        """The environment's particle of the beam of `seq_name` (or of the global beam)."""
        if seq_name in self.beams:
            return self._env.particles[self._beam_particle(seq_name)]
        if None in self.beams:
            return self._env.particles[self._beam_particle(None)]
        return None

    def _beam_particle(self, seq_name):
        """Name of the environment particle of a beam, made on first use."""
        from ..line.env_particles import new_particle

        name = beam_particle_name(seq_name)
        if name not in self._env.particles:
            new_particle(self._env, name, **beam_particle_arguments(self.beams[seq_name]))
            self._env.particles[name].name = name
        return name

    def drift_name(self, length):
        """Name of the Drift of this length (made once per distinct length)."""
        from ..beam_elements import Drift

        name = self._drifts.get(length)
        if name is None:
            while True:
                self._drift_counter += 1
                name = f"||drift_{self._drift_counter}"
                if name not in self.element_dict:
                    break
            self.element_dict[name] = Drift(length=length)
            self._drifts[length] = name
        return name

    def element_length(self, name):
        definition = self.definitions[name]
        return element_length(definition.base, _InheritedParams(self, name))


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector (restored as it was, also on error)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_placement_name = operator.attrgetter("name")


class _InheritedParams:
    """``get(key, default)`` of `MadxLoader.effective_params` for one element, without building it."""

    __slots__ = ("loader", "name")

    def __init__(self, loader, name):
        self.loader = loader
        self.name = name

    def get(self, key, default=None):
        return self.loader._inherited(self.name, key, default)


def _defaults_only(cls_name, fields):
    return {k: v for k, v in fields.values.items() if k in ("order",)}


def _same_params(a, b):
    """True when two attribute dicts say the same (placement attributes aside)."""
    keys = (set(a) | set(b)) - {"at", "from"}
    for key in keys:
        if key not in a or key not in b:
            return False
        if repr(a[key]) != repr(b[key]):
            return False
    return True
