"""MAD-X source text split into statements (comments removed, case folded).

MAD-X input is case-insensitive outside string literals and made of
statements ended by ``;``. Comments are ``!`` and ``//`` to the end of the
line and ``/* ... */`` blocks (MAD-X user's guide, "Statements and
comments"). ``if``/``elseif``/``else``/``while`` and ``macro`` bodies are
brace blocks that end a statement without a ``;``.
"""

import re

__all__ = ["MadxSyntaxError", "Statement", "split_statements"]


class MadxSyntaxError(ValueError):
    """Bad MAD-X input: file, line, the offending text and what was expected."""

    def __init__(self, message, source="<string>", line=None, text=None):
        where = f"{source}, line {line}" if line is not None else source
        full = f"{where}: {message}"
        if text:
            full += f"\n    {text.strip()[:200]}"
        super().__init__(full)
        self.source = source
        self.line = line
        self.text = text


class Statement:
    """One statement: folded text, the source name and its first line."""

    __slots__ = ("text", "source", "line")

    def __init__(self, text, source, line):
        self.text = text
        self.source = source
        self.line = line

    def error(self, message):
        return MadxSyntaxError(message, self.source, self.line, self.text)

    def __repr__(self):
        return f"Statement({self.text!r}, {self.source}:{self.line})"


_BLOCK_START = re.compile(r"^\s*(if|elseif|else|while)\b|^\s*[\w.$]+\s*(\(.*\))?\s*:\s*macro\b")
_CONTINUES = re.compile(r"^\s*(elseif|else)\b")


def _fold(text):
    """Remove comments and lower-case everything outside string literals."""
    out = []
    ii, n = 0, len(text)
    while ii < n:
        c = text[ii]
        if c in "\"'":
            jj = text.find(c, ii + 1)
            jj = n - 1 if jj < 0 else jj
            out.append(text[ii:jj + 1])
            ii = jj + 1
        elif c == "!" or text.startswith("//", ii):
            jj = text.find("\n", ii)
            ii = n if jj < 0 else jj
        elif text.startswith("/*", ii):
            jj = text.find("*/", ii + 2)
            block = text[ii:(n if jj < 0 else jj + 2)]
            out.append("\n" * block.count("\n"))  # keep line numbers
            ii = n if jj < 0 else jj + 2
        else:
            jj = ii
            while jj < n and text[jj] not in "\"'!/":
                jj += 1
            if jj == ii:  # a lone '/' (division)
                jj = ii + 1
            out.append(text[ii:jj].lower())
            ii = jj
    return "".join(out)


def split_statements(text, source="<string>"):
    """Statements of MAD-X ``text`` (list of `Statement`)."""
    text = _fold(text)
    statements = []
    buf = []
    depth = 0
    line = 1
    start_line = 1
    ii, n = 0, len(text)

    def flush():
        stmt = "".join(buf).strip()
        buf.clear()
        if stmt:
            statements.append(Statement(stmt, source, start_line))

    while ii < n:
        c = text[ii]
        if not buf or not "".join(buf).strip():
            start_line = line
        if c in "\"'":
            jj = text.find(c, ii + 1)
            jj = n - 1 if jj < 0 else jj
            buf.append(text[ii:jj + 1])
            line += text.count("\n", ii, jj + 1)
            ii = jj + 1
            continue
        if c == "\n":
            line += 1
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise MadxSyntaxError("unbalanced '}'", source, line, "".join(buf))
            if depth == 0:
                buf.append(c)
                so_far = "".join(buf)
                if _BLOCK_START.match(so_far):
                    # a block ends the statement unless an elseif/else follows
                    rest = text[ii + 1:]
                    if not _CONTINUES.match(rest):
                        flush()
                    ii += 1
                    continue
                ii += 1
                continue
        if c == ";" and depth == 0:
            flush()
            ii += 1
            continue
        buf.append(c)
        ii += 1
    if depth != 0:
        raise MadxSyntaxError("unclosed '{' at the end of the input", source, start_line, "".join(buf))
    flush()
    return statements
