"""Line-level helpers shared by the whitespace-separated text readers."""

from ..errors import LossMapFormatError


def read_lines(path):
    """Return the lines of ``path`` (text, without newlines); a clear error if unreadable."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read loss-map input file {str(path)!r}: {exc.strerror}") from exc


def is_comment(line):
    """True for blank lines and lines whose first non-blank character is ``#``."""
    stripped = line.lstrip()
    return not stripped or stripped[0] == "#"


def is_number(token):
    """True if ``token`` parses as a float (Fortran E/1PE formats included)."""
    try:
        float(token)
    except ValueError:
        return False
    return True


def is_integer_literal(token):
    """True if ``token`` is written as an integer (no decimal point, no exponent)."""
    return token.lstrip("+-").isdigit()


def convert_row(path, lineno, line, tokens, converters, expected):
    """Apply ``converters`` (one callable or None per column) to ``tokens``.

    Raises
    ------
    LossMapFormatError
        If the column count differs or a value does not convert.
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
            kind = "an integer" if convert is int else "a number"
            raise LossMapFormatError(
                path, lineno, f"{kind} in column {column} ({expected})", token
            ) from None
    return values
