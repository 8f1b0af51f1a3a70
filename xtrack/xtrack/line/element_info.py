"""What ``env.info('mq')`` and ``env['mq'].get_table()`` show: an element's fields.

One row per scalar field and one per item of an array field (``knl[1]``),
each with its present value and the text of the expression driving it (None
for a plain number). The expression text is the full one
(``(2.0 * vars['b'])``), as ``env.get_expr`` gives it, so that a row can be
pasted back into ``env.new_expr``.
"""

import numpy as np

__all__ = ["element_field_table", "print_element_info"]


def _field_rows(element):
    """(row name, field, index or None, value) for each field of `element`."""
    for field in getattr(type(element), "_xofields", {}):
        if field.startswith("_"):
            continue  # private storage (sizes of arrays, internal records)
        try:
            value = getattr(element, field)
        except Exception:  # a field without a host value (not allocated)
            continue
        if isinstance(value, str):
            yield field, field, None, value
        elif np.ndim(value) == 0:
            yield field, field, None, value
        else:
            for ii, item in enumerate(np.asarray(value).ravel()):
                yield f"{field}[{ii}]", field, ii, item


def _expr_of(var_management, name, field, index):
    if var_management is None:
        return None
    ref = getattr(var_management.element_refs[name], field)
    if index is not None:
        ref = ref[index]
    expr = ref._expr
    return None if expr is None else repr(expr)


def element_field_table(container, name):
    """Table (``name``, ``value``, ``expr``) of the fields of element `name`.

    `container` is an Environment or a Line (a line without variables gives
    ``expr`` None everywhere).
    """
    from xdeps import Table

    if name not in container._element_dict:
        raise KeyError(f"info: no element named {name!r}.")
    element = container._element_dict[name]
    var_management = getattr(container, "_var_management", None)
    names, values, exprs = [], [], []
    for row, field, index, value in _field_rows(element):
        names.append(row)
        values.append(value)
        exprs.append(_expr_of(var_management, name, field, index))
    return Table({"name": np.array(names, dtype=object),
                  "value": np.array(values, dtype=object),
                  "expr": np.array(exprs, dtype=object)})


def print_element_info(container, name):
    """Print the class of element `name` and its field table."""
    element = container._element_dict[name]
    print(f"Element {name!r}: {type(element).__name__}")
    element_field_table(container, name).show()
