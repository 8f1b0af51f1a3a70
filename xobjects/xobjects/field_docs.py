"""Parameters section of a HybridClass docstring, written from its fields' ``unit``/``doc``.

A class declares each field once (``xo.Field(xo.Float64, unit='m', doc='length')``);
its docstring then lists every documented field that the written text does
not already describe, in numpydoc form::

    length : Float64, optional
        length [m]

Entries go at the end of an existing ``Parameters`` section, or into a new
one after the summary. Private fields (leading ``_``) are left out.
"""

import inspect
import re

__all__ = ["with_field_parameters"]

_HEADER = re.compile(r"^(?P<indent>[ \t]*)Parameters[ \t]*\n(?P=indent)-{3,}[ \t]*$", re.MULTILINE)
_UNDERLINE = re.compile(r"^[ \t]*-{3,}[ \t]*$")


def _type_name(ftype):
    item = getattr(ftype, "_itemtype", None)
    if item is not None:
        return f"array of {_type_name(item)}"
    dressing = ftype.__dict__.get("_DressingClass")
    return (dressing or ftype).__name__


def _entries(fields, rename, indent):
    out = []
    for field in fields:
        name = rename.get(field.name, field.name)
        text = field.describe()
        if not text or name.startswith("_"):
            continue
        out.append(f"{indent}{name} : {_type_name(field.ftype)}, optional")
        out.append(f"{indent}    {text}")
    return out


def _documented_names(lines, indent):
    """Names of the parameter entries of a section (``a, b : type`` lines at its indent)."""
    names = set()
    for line in lines:
        if line.startswith(indent) and not line[len(indent):len(indent) + 1].isspace():
            head = line[len(indent):].split(":", 1)[0]
            names.update(n.strip().lstrip("*") for n in head.split(","))
    return names


def with_field_parameters(doc, fields, rename=None):
    """Return ``doc`` with entries for the documented ``fields`` it does not describe yet.

    Parameters
    ----------
    doc : str or None
        The class docstring as written.
    fields : sequence of Field
        Struct fields (``unit``/``doc`` metadata).
    rename : dict, optional
        ``{field name: attribute name}`` (entries use the attribute name).
    """
    rename = rename or {}
    text = inspect.cleandoc(doc) if doc else ""
    lines = text.split("\n") if text else []
    match = _HEADER.search(text)
    if match is None:
        entries = _entries(fields, rename, "")
        if not entries:
            return doc
        # after the summary paragraph (first blank line), before the rest
        cut = lines.index("") if "" in lines else len(lines)
        block = ["Parameters", "----------", *entries]
        lines = lines[:cut] + ([""] if lines else []) + block + ([""] + lines[cut + 1:] if cut < len(lines) else [])
        return "\n".join(lines)
    indent = match.group("indent")
    start = text.count("\n", 0, match.start()) + 2  # first line after the underline
    end = len(lines)
    for i in range(start + 1, len(lines)):  # next section: a title line over an underline
        if _UNDERLINE.match(lines[i]) and lines[i - 1].strip():
            end = i - 1
            break
    while end > start and not lines[end - 1].strip():
        end -= 1
    known = _documented_names(lines[start:end], indent)
    entries = _entries([f for f in fields if rename.get(f.name, f.name) not in known], rename, indent)
    if not entries:
        return doc
    return "\n".join(lines[:end] + entries + lines[end:])
