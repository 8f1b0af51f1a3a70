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
_CONTINUES = re.compile(r"(elseif|else)\b")  # used after _BLANKS
_BLANKS = re.compile(r"\s*")


#: What _fold does not lower-case: a string literal (an unclosed one runs to
#: the end), a ``!`` or ``//`` comment (to the end of the line), a ``/* */``
#: block (an unclosed one runs to the end).
_FOLD_TOKEN = re.compile(r"\"[^\"]*\"?|'[^']*'?|!.*|//.*|/\*[\s\S]*?(?:\*/|\Z)")


def _fold(text):
    """Remove comments and lower-case everything outside string literals."""
    # one regex jump to the next string or comment: megabytes of lattice files
    out = []
    pos = 0
    for m in _FOLD_TOKEN.finditer(text):
        out.append(text[pos:m.start()].lower())
        token = m.group()
        if token[0] == '"' or token[0] == "'":
            out.append(token)
        elif token.startswith("/*"):
            out.append("\n" * token.count("\n"))  # keep line numbers
        pos = m.end()
    out.append(text[pos:].lower())
    return "".join(out)


_SPECIAL = re.compile(r"[\"'{};\n]")


def split_statements(text, source="<string>"):
    """Statements of MAD-X ``text`` (list of `Statement`)."""
    # one regex jump to the next character that matters (quote, brace, ';',
    # newline): lattice files are megabytes, a loop per character is too slow
    text = _fold(text)
    statements = []
    buf = []
    started = False  # buf holds some non-blank text
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
        m = _SPECIAL.search(text, ii)
        jj = m.start() if m else n
        if jj > ii:
            chunk = text[ii:jj]
            if not started and chunk.strip():
                started, start_line = True, line
            buf.append(chunk)
            ii = jj
            if m is None:
                break
        c = text[ii]
        if c == "\n":
            line += 1
            buf.append(c)
            ii += 1
            continue
        if not started:
            started, start_line = True, line
        if c in "\"'":
            kk = text.find(c, ii + 1)
            kk = n - 1 if kk < 0 else kk
            buf.append(text[ii:kk + 1])
            line += text.count("\n", ii, kk + 1)
            ii = kk + 1
            continue
        ii += 1
        if c == ";" and depth == 0:
            flush()
            started = False
            continue
        buf.append(c)
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise MadxSyntaxError("unbalanced '}'", source, line, "".join(buf))
            # a block ends the statement unless an elseif/else follows
            if depth == 0 and _BLOCK_START.match("".join(buf)) \
                    and not _CONTINUES.match(text, _BLANKS.match(text, ii).end()):
                flush()
                started = False
    if depth != 0:
        raise MadxSyntaxError("unclosed '{' at the end of the input", source, start_line, "".join(buf))
    flush()
    return statements
