"""Row and column selection for :class:`~xdeps.table.Table`.

Row selectors (``t.rows[...]``, and the row part of ``t[col, row]``):

- an int (negative counts from the end) or a slice of ints: positions;
- a name: the rows with that name; ``'name::k'`` the k-th row of that name
  (from 0, negative from the end), ``('name', k)`` the same, and
  ``'name<<n'`` / ``'name>>n'`` (or ``('name', k, offset)``) the row n
  places before/after it;
- a string that is not a name: a regular expression matched in full
  against the names (no match gives an empty selection); ``'regex::k'``
  the k-th match;
- a slice of names ``'a':'b'``: rows from a to b, both included (also with
  the index column as step, ``'a':'b':'name'``);
- a slice whose step is a column name, ``t.rows[lo:hi:'s']``: rows whose
  value in that column lies in [lo, hi]; lo and hi are numbers or row names
  (the column value there), a name may carry an offset ``'ip1%%-10'``; a
  missing bound is open;
- a boolean mask, an array or list of any of the above;
- several selectors ``t.rows[sel1, sel2]``: each applied to the rows the
  previous one selected.

Nothing here keeps a reference back to the table after use, so tables do
not form reference cycles.
"""

import re

import numpy as np

from .errors import unknown_name

_REGEX_CHARS = set(".^$*+?{}[]\\|()")


def split_name_count_offset(table, name):
    """``'mb::2<<1'`` -> ``('mb', 2, -1)``; count None when absent, offset 0."""
    offset = 0
    for sep, sign in ((table._sep_previous, -1), (table._sep_next, +1)):
        if sep in name:
            base, shift = name.rsplit(sep, 1)
            if shift.lstrip("+-").isdigit():
                name, offset = base, sign * int(shift)
                break
    count = None
    if table._sep_count in name and table._index is not None and name in table._names_index():
        return name, count, offset  # a row named 'ip::0' itself (a twiss table of repeated names)
    if table._sep_count in name:
        base, text = name.rsplit(table._sep_count, 1)
        if text.lstrip("+-").isdigit():
            name, count = base, int(text)
    return name, count, offset


def name_positions(table, name, count=None, offset=0, single=False):
    """Positions of the rows named ``name`` (the ``count``-th one, shifted by ``offset``)."""
    occurrences = table._names_index()
    if name not in occurrences:
        raise unknown_name("row", name, occurrences, where=f"column {table._index!r}")
    occ = occurrences[name]
    if count is None:
        chosen = occ[:1] if single else occ
    else:
        try:
            chosen = [occ[count]]
        except IndexError:
            raise KeyError(f"row {name!r} occurs {len(occ)} times; occurrence {count} does not exist") from None
    n = len(table)
    out = [p + offset for p in chosen]
    for p in out:
        if not 0 <= p < n:
            raise IndexError(f"row {name!r} shifted by {offset} is outside the table (position {p})")
    return out[0] if single else np.array(out, dtype=int)


def _name_position(table, text):
    if isinstance(text, tuple):
        return name_positions(table, text[0], text[1], text[2] if len(text) > 2 else 0, single=True)
    name, count, offset = split_name_count_offset(table, text)
    return name_positions(table, name, 0 if count is None else count, offset, single=True)


def _string_positions(table, sel):
    if table._index is None:
        raise KeyError(f"row {sel!r}: the table has no index column")
    occurrences = table._names_index()
    if sel in occurrences:
        return np.array(occurrences[sel], dtype=int)
    name, count, offset = split_name_count_offset(table, sel)
    if name in occurrences:
        return np.array([name_positions(table, name, 0 if count is None else count, offset, single=True)])
    regex = re.compile(name)
    matched = [n for n in occurrences if regex.fullmatch(str(n))]
    if count is None:
        found = sorted(p for n in matched for p in occurrences[n])
    else:
        # 'regex::k': the k-th occurrence of each matching name.
        found = []
        for n in matched:
            occ = occurrences[n]
            if -len(occ) <= count < len(occ):
                found.append(occ[count])
        found.sort()
    found = [p + offset for p in found if 0 <= p + offset < len(table)]
    return np.array(found, dtype=int)


def _bound_value(table, bound, column):
    if bound is None or isinstance(bound, (int, float, np.number)):
        return bound
    offset = 0.0
    if isinstance(bound, str) and table._sep in bound:
        bound, delta = bound.rsplit(table._sep, 1)
        offset = float(delta)
    return table._data[column][_name_position(table, bound)] + offset


def _slice_positions(table, sel):
    n = len(table)
    start, stop, step = sel.start, sel.stop, sel.step
    if isinstance(step, str) and step != table._index:
        if step not in table._col_names:
            raise unknown_name("column", step, table._col_names, where="the table")
        values = table._data[step]
        lo = _bound_value(table, start, step)
        hi = _bound_value(table, stop, step)
        mask = np.ones(n, dtype=bool)
        if lo is not None:
            mask &= values >= lo
        if hi is not None:
            mask &= values <= hi
        return np.flatnonzero(mask)
    if isinstance(step, str) or isinstance(start, (str, tuple)) or isinstance(stop, (str, tuple)):
        # Name ranges include both ends, as users mean "from a to b".
        i0 = 0 if start is None else (_name_position(table, start) if isinstance(start, (str, tuple)) else start % n)
        i1 = n - 1 if stop is None else (_name_position(table, stop) if isinstance(stop, (str, tuple)) else stop % n)
        return np.arange(i0, i1 + 1)
    return np.arange(n)[sel]


def _positions_one(table, sel):
    n = len(table)
    if sel is None:
        return np.arange(n)
    if isinstance(sel, (int, np.integer)) and not isinstance(sel, bool):
        if not -n <= sel < n:
            raise IndexError(f"row index {sel} out of range for a table of {n} rows")
        return np.array([int(sel) % n])
    if isinstance(sel, str):
        return _string_positions(table, sel)
    if isinstance(sel, slice):
        return _slice_positions(table, sel)
    arr = np.asarray(sel) if not isinstance(sel, list) or not any(isinstance(s, tuple) for s in sel) else None
    if arr is not None and arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"row mask must have shape ({n},), got {arr.shape}")
        return np.flatnonzero(arr)
    if arr is not None and arr.dtype.kind in "iu":
        return arr.astype(int).reshape(-1) % n if n else arr.astype(int).reshape(-1)
    if len(sel) == 0:
        return np.arange(0)
    return np.concatenate([np.atleast_1d(_positions_one(table, s)) for s in sel]).astype(int)


def positions_of(table, sel):
    """Array of row positions selected by ``sel`` (a tuple: selectors applied in turn)."""
    if isinstance(sel, tuple) and not (sel and isinstance(sel[0], str) and len(sel) <= 3
                                       and all(isinstance(s, (int, np.integer)) for s in sel[1:])):
        positions = np.arange(len(table))
        for item in sel:
            sub = table._select_rows(positions)
            positions = positions[_positions_one(sub, item)]
        return positions
    if isinstance(sel, tuple):
        return np.array([_name_position(table, sel)])
    return _positions_one(table, sel)


class Row:
    """One row of a table: ``row.betx``, ``row['betx']``; ``dict(row)`` style via ``_asdict()``."""

    def __init__(self, values):
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        values = self.__dict__["_values"]
        if name in values:
            return values[name]
        raise AttributeError(f"row has no column {name!r}")

    def __getitem__(self, name):
        return self._values[name]

    def __setattr__(self, name, value):
        raise AttributeError("rows are read-only views")

    def keys(self):
        return self._values.keys()

    def _asdict(self):
        return dict(self._values)

    def __repr__(self):
        return f"Row({self._values!r})"


class RowView:
    """``table.rows``: select rows, ``table.rows[...]`` returns a new table."""

    def __init__(self, table):
        self._table = table

    def __getitem__(self, sel):
        return self._table._select_rows(positions_of(self._table, sel))

    def __len__(self):
        return len(self._table)

    @property
    def indices(self):
        """``rows.indices[sel]``: positions of the selected rows."""
        table = self._table
        return _Getter(lambda sel: positions_of(table, sel))

    @property
    def mask(self):
        """``rows.mask[sel]``: boolean mask of the selected rows."""
        table = self._table

        def get(sel):
            out = np.zeros(len(table), dtype=bool)
            out[positions_of(table, sel)] = True
            return out

        return _Getter(get)

    def get_index(self, sel):
        """Position of the one row named by ``sel`` (``'ip2::1'``, ``('ip2', 1)``, an int)."""
        table = self._table
        if isinstance(sel, (str, tuple)):
            return _name_position(table, sel)
        pos = positions_of(table, sel)
        if len(pos) != 1:
            raise KeyError(f"row selector {sel!r} selects {len(pos)} rows, expected one")
        return int(pos[0])

    def is_repeated(self, name):
        """True when more than one row has this name."""
        return len(self._table._names_index().get(name, ())) > 1

    def at(self, index):
        """:class:`Row` at position or name ``index``."""
        table = self._table
        pos = self.get_index(index)
        return Row({c: table._data[c][pos] for c in table._col_names})

    def _match_mask(self, regex, col, col_regexes):
        """Rows where every given column (the index for ``regex``) matches in full."""
        table = self._table
        tests = dict(col_regexes)
        if regex is not None:
            tests[table._index if col is None else col] = regex
        mask = np.ones(len(table), dtype=bool)
        for name, rx in tests.items():
            if name not in table._data:
                raise KeyError(f"rows.match: no column {name!r}; columns are {list(table._col_names)}")
            pattern = re.compile(rx)
            values = table._data[name].tolist()
            mask &= np.array([pattern.fullmatch(str(v)) is not None for v in values], dtype=bool)
        return mask

    def match(self, regex=None, col=None, **col_regexes):
        """Rows whose name (or column ``col``) matches ``regex`` in full.

        Keywords select on other columns (``match(element_type='Bend|Quadrupole')``);
        all conditions must hold.
        """
        mask = self._match_mask(regex, col, col_regexes)
        return self._table._select_rows(np.nonzero(mask)[0].astype(int))

    def match_not(self, regex=None, col=None, **col_regexes):
        """Rows that :meth:`match` with the same arguments leaves out."""
        mask = self._match_mask(regex, col, col_regexes)
        return self._table._select_rows(np.nonzero(~mask)[0].astype(int))

    def __iter__(self):
        table = self._table
        for i in range(len(table)):
            yield Row({c: table._data[c][i] for c in table._col_names})


class ColView:
    """``table.cols``: select columns by name, list, space-separated names, regex, expression or mask."""

    def __init__(self, table):
        self._table = table

    def __getitem__(self, sel):
        return self._table._select_cols(self.names_of(sel))

    def names_of(self, sel):
        """Column names (or column expressions) selected by ``sel``."""
        table = self._table
        if isinstance(sel, np.ndarray) and sel.dtype == bool:
            if sel.shape != (len(table._col_names),):
                raise ValueError(f"column mask must have shape ({len(table._col_names)},), got {sel.shape}")
            return [c for c, keep in zip(table._col_names, sel) if keep]
        if isinstance(sel, str):
            sel = sel.split() if " " in sel.strip() else [sel]
        names = []
        for item in sel:
            if item in table._col_names:
                names.append(item)
                continue
            if _REGEX_CHARS & set(item):
                try:
                    regex = re.compile(item)
                except re.error:
                    regex = None
                found = [c for c in table._col_names if regex is not None and regex.fullmatch(c)]
                if found:
                    names.extend(found)
                    continue
                try:
                    table.eval(item)
                except Exception:
                    pass
                else:
                    names.append(item)  # a column expression
                    continue
            raise unknown_name("column", item, table._col_names, where="the table")
        return names

    def get_index_unique(self):
        """Row names made unique: a repeated name gets its count (``ip2::0``, ``ip2::1``)."""
        return self._table._display_names()

    @property
    def names(self):
        """All column names."""
        return list(self._table._col_names)

    def __iter__(self):
        return iter(self._table._col_names)

    def __len__(self):
        return len(self._table._col_names)


class _Getter:
    def __init__(self, func):
        self._func = func

    def __getitem__(self, sel):
        return self._func(sel)
