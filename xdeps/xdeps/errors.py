"""Exceptions raised by xdeps.

Every domain failure has its own class, derived from :class:`XDepsError`, and
also from the builtin exception a caller would naturally catch (``ValueError``
for a cyclic assignment, ``KeyError`` for an unknown name), so both styles of
``except`` work.
"""

import difflib


class XDepsError(Exception):
    """Base class of all xdeps errors."""


class CyclicDependencyError(XDepsError, ValueError):
    """Assigning an expression would make a target depend on itself.

    Attributes
    ----------
    cycle : list of refs
        The chain of references closing the loop, first and last equal.
    """

    def __init__(self, cycle):
        self.cycle = list(cycle)
        chain = " -> ".join(repr(r) for r in self.cycle)
        super().__init__(f"cyclic dependency {chain} ('a -> b': a depends on b)")


class ExpressionError(XDepsError, ValueError):
    """An expression could not be parsed or evaluated."""


class UnknownNameError(XDepsError, KeyError):
    """A name used in an expression or lookup is not defined."""

    def __str__(self):
        # KeyError quotes its argument; a sentence reads better unquoted.
        return str(self.args[0]) if self.args else ""


def close_matches_text(name, candidates, n=3):
    """Return ``"; close matches: 'a', 'b'"`` or ``""`` when none is close."""
    matches = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=n)
    if not matches:
        return ""
    return "; close matches: " + ", ".join(repr(m) for m in matches)


def unknown_name(kind, name, candidates, where=""):
    """Build an :class:`UnknownNameError` naming the missing key and close matches."""
    where_text = f" in {where}" if where else ""
    return UnknownNameError(
        f"no {kind} named {name!r}{where_text}{close_matches_text(name, candidates)}"
    )


def unexpected_keywords(func_name, given, allowed):
    """Build a TypeError for unknown keyword arguments, with close matches."""
    bad = [k for k in given if k not in allowed]
    if not bad:
        return None
    parts = []
    for key in bad:
        hint = difflib.get_close_matches(key, list(allowed), n=1)
        parts.append(f"{key!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
    return TypeError(f"{func_name}() got unexpected keyword(s) " + ", ".join(parts))
