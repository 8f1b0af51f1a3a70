"""Parsing of single MAD-X statements into their parts.

The statement forms used by lattice files (MAD-X user's guide, chapters
"Statements", "Elements", "Sequences"):

- ``[const|real|int] name = expr`` / ``name := expr``: variables;
- ``name->attr = expr`` / ``:=``: one attribute of an element;
- ``label: class, attr=..., ...``: a new element, sequence or command;
- ``word, attr=..., ...``: a command or the update of an element;
- ``if (...) {...} elseif (...) {...} else {...}``, ``while (...) {...}``.

Attribute values stay text here; the interpreter (`loader.py`) decides
whether a value is an expression, a name, a string or a list.
"""

import re

__all__ = ["Attribute", "parse_statement", "split_top_level"]

_NAME = r"[a-z_$][\w.$]*|[a-z0-9_.$]+"
_ASSIGN = re.compile(rf"^\s*(?:(const|real|int|shared)\s+)*(?:(const|real|int)\s+)?(?P<name>{_NAME})\s*(?P<op>:=|=)(?P<value>.*)$", re.S)
_ATTR_ASSIGN = re.compile(rf"^\s*(?P<el>{_NAME})\s*->\s*(?P<attr>[\w]+)\s*(?P<op>:=|=)(?P<value>.*)$", re.S)
_LABELLED = re.compile(rf"^\s*(?P<label>{_NAME})\s*:\s*(?P<cls>{_NAME})\s*(?P<rest>(,.*)?)$", re.S)
_COMMAND = re.compile(rf"^\s*(?P<word>{_NAME})\s*(?P<rest>(,.*)?)$", re.S)
_LINE_DEF = re.compile(rf"^\s*(?P<label>{_NAME})\s*(\(.*?\))?\s*:\s*line\s*=\s*\((?P<body>.*)\)\s*$", re.S)


class Attribute:
    """``name op value`` of an attribute list; op is ':=', '=' or None (flag)."""

    __slots__ = ("name", "op", "value")

    def __init__(self, name, op, value):
        self.name = name
        self.op = op
        self.value = value

    @property
    def deferred(self):
        return self.op == ":="

    def __repr__(self):
        return f"Attribute({self.name!r}, {self.op!r}, {self.value!r})"


_NESTING = re.compile(r"[\"'(){}\[\]]")
_SPLIT_SPECIAL = {",": re.compile(r"[\"'(){}\[\],]")}


def split_top_level(text, sep=","):
    """Split ``text`` at ``sep`` (one character) outside brackets, braces and strings."""
    if not _NESTING.search(text):
        return text.split(sep)  # most attribute lists: nothing nested
    special = _SPLIT_SPECIAL.get(sep)
    if special is None:
        special = _SPLIT_SPECIAL[sep] = re.compile(r"[\"'(){}\[\]" + re.escape(sep) + "]")
    # jump from one character that matters to the next (a loop per character
    # is the slowest part of reading megabytes of sequence)
    parts, depth, start, pos = [], 0, 0, 0
    while True:
        m = special.search(text, pos)
        if m is None:
            break
        c, ii = m.group(), m.start()
        pos = ii + 1
        if c == '"' or c == "'":
            end = text.find(c, pos)
            if end < 0:
                break  # an unclosed string runs to the end
            pos = end + 1
        elif c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif depth == 0:
            parts.append(text[start:ii])
            start = pos
    parts.append(text[start:])
    return parts


_ATTR_VALUE = re.compile(r"^([\w.$]+)\s*(:=|=)(.*)$", re.S)
_NEGATED_FLAG = re.compile(r"^-\s*[\w.$]+$")
_FLAG = re.compile(r"^[\w.$]+$")
_STRING_ITEM = re.compile(r"^[\"'].*[\"']$", re.S)


def _attributes(rest, statement):
    attrs = []
    rest = rest.strip()
    if not rest:
        return attrs
    if not rest.startswith(","):
        raise statement.error(f"expected ',' before the attributes, got {rest[:20]!r}")
    for item in split_top_level(rest[1:]):
        item = item.strip()
        if not item:
            continue
        m = _ATTR_VALUE.match(item)
        if m:
            attrs.append(Attribute(m.group(1), m.group(2), m.group(3).strip()))
        elif _NEGATED_FLAG.match(item):
            attrs.append(Attribute(item[1:].strip(), None, False))
        elif _FLAG.match(item):
            attrs.append(Attribute(item, None, True))
        elif _STRING_ITEM.match(item):
            attrs.append(Attribute(None, None, item))  # e.g. print, "text"
        else:
            raise statement.error(f"cannot read the attribute {item[:40]!r}; expected name=value, "
                                  "name:=expression or a flag")
    return attrs


_BLOCK_HEAD = re.compile(r"^(if|while)\s*\(")
_MACRO = re.compile(r"^\s*([\w.$]+)\s*(\((.*?)\))?\s*:\s*macro\s*=?\s*\{(.*)\}\s*$", re.S)
_NO_ATTRIBUTES = re.compile(r"^\s*(exec|value|show|system|title|printf)\s*,", re.I)


def parse_statement(statement):
    """(kind, parts) of a `Statement`.

    kinds: 'if', 'while', 'macro', 'line', 'assign', 'attr_assign',
    'labelled', 'command'.
    """
    text = statement.text
    head = text.lstrip()[:8]
    if _BLOCK_HEAD.match(head):
        return ("if" if head.startswith("if") else "while"), _parse_blocks(text, statement)
    # most statements of a sequence file: 'label: class, ...' (no other form below
    # matches such a text unless its class is 'macro')
    m = _LABELLED.match(text)
    if m is not None and m.group("cls") != "macro":
        return "labelled", (m.group("label"), m.group("cls"), _attributes(m.group("rest"), statement))
    m = _MACRO.match(text)
    if m:
        args = [a.strip() for a in (m.group(3) or "").split(",") if a.strip()]
        return "macro", (m.group(1), args, m.group(4))
    m = _LINE_DEF.match(text)
    if m:
        return "line", (m.group("label"), m.group("body"))
    m = _NO_ATTRIBUTES.match(text)
    if m:
        # arguments that are no attributes: 'exec, name(args)' (the loader reads the
        # call itself), 'value, expr, ...' and other printing commands
        return "command", (m.group(1).lower(), [])
    m = _ATTR_ASSIGN.match(text)
    if m:
        return "attr_assign", (m.group("el"), m.group("attr"), m.group("op"), m.group("value").strip())
    m = _ASSIGN.match(text)
    if m and not _LABELLED.match(text):
        return "assign", (m.group("name"), m.group("op"), m.group("value").strip())
    m = _LABELLED.match(text)
    if m:
        return "labelled", (m.group("label"), m.group("cls"), _attributes(m.group("rest"), statement))
    m = _COMMAND.match(text)
    if m:
        return "command", (m.group("word"), _attributes(m.group("rest"), statement))
    raise statement.error("cannot read this statement; expected an assignment, 'label: class, ...' "
                          "or 'command, ...'")


def _matching(text, start, open_c, close_c):
    depth = 0
    for ii in range(start, len(text)):
        if text[ii] == open_c:
            depth += 1
        elif text[ii] == close_c:
            depth -= 1
            if depth == 0:
                return ii
    return -1


def _parse_blocks(text, statement):
    """[(condition or None, body)] of an if/elseif/else chain or a while."""
    blocks = []
    pos = 0
    while pos < len(text):
        m = re.compile(r"\s*(if|elseif|while|else)\s*").match(text, pos)
        if not m:
            if text[pos:].strip():
                raise statement.error(f"unexpected text after a block: {text[pos:pos + 30]!r}")
            break
        pos = m.end()
        cond = None
        if m.group(1) != "else":
            if pos >= len(text) or text[pos] != "(":
                raise statement.error(f"expected '(' after {m.group(1)!r}")
            end = _matching(text, pos, "(", ")")
            if end < 0:
                raise statement.error(f"unclosed '(' in the condition of {m.group(1)!r}")
            cond = text[pos + 1:end]
            pos = end + 1
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text) or text[pos] != "{":
            raise statement.error("expected '{' to open the block")
        end = _matching(text, pos, "{", "}")
        blocks.append((cond, text[pos + 1:end]))
        pos = end + 1
    return blocks
