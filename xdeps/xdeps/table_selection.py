"""Row and column selection for :class:`~xdeps.table.Table`.

Row selectors (``t.rows[...]``, and the row part of ``t[col, row]``):

- an int (negative counts from the end) or a slice of ints: positions;
- a name: the rows with that name; ``'name::k'`` the k-th row of that name
  (from 0) when a name repeats; ``'name<<n'`` / ``'name>>n'`` the row n
  places before/after it;
- a string that is not a name: a regular expression matched in full
  against the names (no match gives an empty selection);
- a slice of names ``'a':'b'``: rows from a to b, both included;
- a slice whose step is a column name, ``t.rows[lo:hi:'s']``: rows whose
  value in that column lies in [lo, hi]; lo and hi are numbers or row names
  (the column value there), a name may carry an offset ``'ip1%%-10'``; a
  missing bound is open;
- a boolean mask, an array or list of any of the above.
"""

import re

import numpy as np

from .errors import unknown_name

_REGEX_CHARS = set(".^$*+?{}[]\\|()")


class RowIndexer:
    """Resolve row selectors of a table to arrays of positions."""

    def __init__(self, table):
        self.table = table
        self._occurrences = None  # row name -> its positions; built on first use

    def _positions_by_name(self):
        if self._occurrences is None:
            occurrences = {}
            for i, name in enumerate(self.names()):
                occurrences.setdefault(name, []).append(i)
            self._occurrences = occurrences
        return self._occurrences

    def names(self):
        return self.table._data[self.table._index]

    def name_position(self, name):
        """Position of a row name (with ``::k``, ``<<n``, ``>>n`` suffixes); KeyError if absent."""
        occurrences = self._positions_by_name()
        t = self.table
        if name in occurrences:
            return occurrences[name][0]
        for sep, sign in ((t._sep_previous, -1), (t._sep_next, +1)):
            if sep in name:
                base, shift = name.rsplit(sep, 1)
                if shift.isdigit():
                    pos = self.name_position(base) + sign * int(shift)
                    if not 0 <= pos < len(t):
                        raise IndexError(f"row {name!r} is outside the table (position {pos})")
                    return pos
        if t._sep_count in name:
            base, count = name.rsplit(t._sep_count, 1)
            if count.lstrip("-").isdigit() and base in occurrences:
                occ = occurrences[base]
                try:
                    return occ[int(count)]
                except IndexError:
                    raise KeyError(f"row {base!r} occurs {len(occ)} times; {name!r} does not exist") from None
        raise unknown_name("row", name, occurrences, where="the table")

    def _column_bound(self, bound, column):
        """Value in ``column`` for a slice bound given as number or row name (with %% offset)."""
        if bound is None or isinstance(bound, (int, float, np.number)):
            return bound
        sep = self.table._sep
        offset = 0.0
        if sep in bound:
            bound, delta = bound.rsplit(sep, 1)
            offset = float(delta)
        return self.table._data[column][self.name_position(bound)] + offset

    def positions(self, sel):
        """Array of row positions selected by ``sel``."""
        n = len(self.table)
        if sel is None:
            return np.arange(n)
        if isinstance(sel, (int, np.integer)) and not isinstance(sel, bool):
            if not -n <= sel < n:
                raise IndexError(f"row index {sel} out of range for a table of {n} rows")
            return np.array([sel % n])
        if isinstance(sel, str):
            return self._string_positions(sel)
        if isinstance(sel, slice):
            return self._slice_positions(sel)
        arr = np.asarray(sel)
        if arr.dtype == bool:
            if arr.shape != (n,):
                raise ValueError(f"row mask must have shape ({n},), got {arr.shape}")
            return np.flatnonzero(arr)
        if arr.dtype.kind in "iu":
            return arr.astype(int) % n if n else arr.astype(int)
        return np.concatenate([self.positions(s) for s in sel]).astype(int) if len(sel) else np.arange(0)

    def _string_positions(self, sel):
        occurrences = self._positions_by_name()
        if sel in occurrences:
            # A repeated name selects all its rows, as the same regex would.
            return np.array(occurrences[sel])
        try:
            return np.array([self.name_position(sel)])
        except KeyError:
            if not (_REGEX_CHARS & set(sel)):
                raise
        regex = re.compile(sel)
        return np.array([i for i, name in enumerate(self.names()) if regex.fullmatch(str(name))], dtype=int)

    def _slice_positions(self, sel):
        n = len(self.table)
        if isinstance(sel.step, str):
            column = sel.step
            if column not in self.table._col_names:
                raise unknown_name("column", column, self.table._col_names, where="the table")
            values = self.table._data[column]
            lo = self._column_bound(sel.start, column)
            hi = self._column_bound(sel.stop, column)
            mask = np.ones(n, dtype=bool)
            if lo is not None:
                mask &= values >= lo
            if hi is not None:
                mask &= values <= hi
            return np.flatnonzero(mask)
        start, stop = sel.start, sel.stop
        if isinstance(start, str) or isinstance(stop, str):
            # Name ranges include both ends, as users mean "from a to b".
            i0 = 0 if start is None else (self.name_position(start) if isinstance(start, str) else start % n)
            i1 = n - 1 if stop is None else (self.name_position(stop) if isinstance(stop, str) else stop % n)
            return np.arange(i0, i1 + 1)[:: sel.step or 1]
        return np.arange(n)[sel]


class RowView:
    """``table.rows``: select rows, ``table.rows[...]`` returns a new table."""

    def __init__(self, table):
        self._table = table

    def __getitem__(self, sel):
        return self._table._select_rows(self.indices[sel])

    def __len__(self):
        return len(self._table)

    @property
    def indices(self):
        """``rows.indices[sel]``: positions of the selected rows."""
        return _Getter(lambda sel: self._table._rows.positions(sel))

    @property
    def mask(self):
        """``rows.mask[sel]``: boolean mask of the selected rows."""

        def get(sel):
            out = np.zeros(len(self._table), dtype=bool)
            out[self._table._rows.positions(sel)] = True
            return out

        return _Getter(get)

    def at(self, index):
        """Dict of the values of all columns at row position or name ``index``."""
        pos = self._table._rows.positions(index)
        if len(pos) != 1:
            raise KeyError(f"row selector {index!r} selects {len(pos)} rows, expected one")
        return {c: self._table._data[c][pos[0]] for c in self._table._col_names}

    def __iter__(self):
        for i in range(len(self._table)):
            yield self.at(i)


class ColView:
    """``table.cols``: select columns by name, list, space-separated names, regex or boolean mask."""

    def __init__(self, table):
        self._table = table

    def __getitem__(self, sel):
        return self._table._select_cols(self.names_of(sel))

    def names_of(self, sel):
        """Column names selected by ``sel``."""
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
                regex = re.compile(item)
                found = [c for c in table._col_names if regex.fullmatch(c)]
                if found:
                    names.extend(found)
                    continue
            raise unknown_name("column", item, table._col_names, where="the table")
        return names

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
