"""Line-level helpers shared by the whitespace-separated text readers.

Every value is checked as written: numbers must be plain ASCII decimal or
Fortran literals (``1.5``, ``-2.E+03``, ``0.4D+06``), finite, and integers must
fit in 64 bits. Python's ``float`` alone would accept ``nan``, ``inf``,
``1_000`` and non-ASCII digits, and ``int`` 30-digit numbers that overflow
NumPy later; each of those once became a silent wrong value.
"""

import math
import re

from ..errors import LossMapFormatError

__all__ = ["read_lines", "decode_text", "is_comment", "is_number", "is_integer_literal",
           "convert_row", "integer", "count", "finite", "non_negative"]

_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?\Z", re.ASCII)
_INT = re.compile(r"[+-]?\d+\Z", re.ASCII)
_INT64_MAX = 2**63 - 1


def decode_text(path, data):
    """Text of the bytes ``data`` of file ``path``: UTF-8 (BOM allowed), nothing else.

    Raises
    ------
    LossMapFormatError
        For a NUL byte (binary, UTF-16 or UTF-32 file) or bytes that are not UTF-8,
        naming the line where they occur.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LossMapFormatError(path, 1, "UTF-8 or ASCII text (the file starts with a UTF-16/32 "
                                 "byte-order mark: save it as UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise LossMapFormatError(path, data.count(b"\n", 0, nul) + 1,
                                 "text without NUL bytes (a binary, UTF-16 or UTF-32 file?)",
                                 data[max(0, nul - 20):nul + 20].decode("latin-1"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LossMapFormatError(path, data.count(b"\n", 0, error.start) + 1,
                                 "UTF-8 or ASCII text", repr(data[error.start:error.start + 8])
                                 ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_lines(path, complete=True):
    """Return the lines of text file ``path`` (without newlines).

    Parameters
    ----------
    path : str or pathlib.Path
    complete : bool, default True
        Require the last line to end with a newline: a file cut mid-line
        (``6.8E+04`` -> ``6.8E+0``) must not parse as a different, valid number,
        and one cut inside its header must not pass for a file without rows.

    Raises
    ------
    FileNotFoundError
        If the file cannot be read.
    LossMapFormatError
        Wrong encoding (see :func:`decode_text`) or a truncated last line.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read loss-map input file {str(path)!r}: {exc.strerror}") from exc
    # split on '\n' only: str.splitlines() would also split on \x0b, \x1c, \u2028 ...
    lines = decode_text(path, data).split("\n")
    last = lines.pop()  # '' when the file ends with a newline
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if last:
        if complete:  # even blanks: a cut inside an indented line leaves spaces
            raise LossMapFormatError(path, len(lines) + 1, "a complete last line ending with a "
                                     "newline (the file ends mid-line: truncated?)", last)
        lines.append(last)
    return lines


def is_comment(line):
    """True for blank lines and lines whose first non-blank character is ``#``."""
    stripped = line.lstrip()
    return not stripped or stripped[0] == "#"


def is_number(token):
    """True if ``token`` is a decimal or Fortran (E/D exponent) literal, ASCII only."""
    return _FLOAT.match(token) is not None


def is_integer_literal(token):
    """True if ``token`` is written as an integer (no decimal point, no exponent)."""
    return _INT.match(token) is not None


class _Converter:
    """A column converter: ``convert(token)`` or ValueError; ``kind`` and ``rule`` for messages."""

    def __init__(self, kind, rule, convert):
        self.kind, self.rule, self._convert = kind, rule, convert

    def __call__(self, token):
        return self._convert(token)


def _int(token):
    if not is_integer_literal(token):
        raise ValueError(token)
    value = int(token)
    if abs(value) > _INT64_MAX:
        raise ValueError(token)
    return value


def _count(token):
    value = _int(token)
    if value < 0:
        raise ValueError(token)
    return value


def _finite(token):
    if not is_number(token):
        raise ValueError(token)
    value = float(token.replace("D", "E").replace("d", "e"))
    if not math.isfinite(value):  # 1E+999 overflows to inf
        raise ValueError(token)
    return value


def _non_negative(token):
    value = _finite(token)
    if value < 0:
        raise ValueError(token)
    return value


def _positive(token):
    value = _finite(token)
    if value <= 0:
        raise ValueError(token)
    return value


def _angle(token):
    value = _finite(token)
    if abs(value) > 2 * math.pi:  # radians: a larger value is a damaged or misread cell
        raise ValueError(token)
    return value


integer = _Converter("an integer", "64-bit", _int)
count = _Converter("an integer", "a count >= 0", _count)
finite = _Converter("a number", "finite", _finite)
non_negative = _Converter("a number", "finite, >= 0", _non_negative)
positive = _Converter("a number", "finite, > 0", _positive)
angle = _Converter("an angle", "in rad, |angle| <= 2 pi", _angle)


def convert_row(path, lineno, line, tokens, converters, expected):
    """Apply ``converters`` (one :class:`_Converter` or None per column) to ``tokens``.

    Raises
    ------
    LossMapFormatError
        If the column count differs or a value does not convert, naming the
        column, what it must be and the token.
    """
    if len(tokens) != len(converters):
        raise LossMapFormatError(
            path, lineno, f"{len(converters)} whitespace-separated columns ({expected}), "
            f"found {len(tokens)}", line.strip()
        )
    values = []
    for column, (token, convert) in enumerate(zip(tokens, converters), start=1):
        if convert is None:
            values.append(token)
            continue
        try:
            values.append(convert(token))
        except ValueError:
            names = expected.split()
            name = f"{names[column - 1]}: " if len(names) == len(converters) else ""
            raise LossMapFormatError(
                path, lineno, f"{convert.kind} in column {column} ({name}{convert.rule}; "
                f"columns: {expected})", token,
            ) from None
    return values
