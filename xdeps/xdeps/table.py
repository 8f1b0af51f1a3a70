"""Columnar table with a name column, scalar attributes and row/column selection.

A :class:`Table` holds a dict of data: entries that are 1-d arrays of the
table length are *columns* (one of them, ``name`` by default, is the index),
all other entries are *scalars* reachable as attributes (``tw.qx``). Row and
column selection return new tables of the same class; the selection rules
are in :mod:`xdeps.table_selection`.
"""

import io

import numpy as np

from .errors import close_matches_text, unknown_name
from .table_format import format_table
from .table_selection import ColView, RowIndexer, RowView


class Table:
    """Table of named rows.

    Parameters
    ----------
    data : dict
        Columns (array-like of equal length) and scalars.
    col_names : list of str, optional
        Column names, in display order. By default every array-like entry
        whose length equals that of the index column.
    index : str
        Name of the column holding the row names (default ``'name'``).
    sep_count, sep_previous, sep_next, sep : str
        Separators in row selectors: ``'mb::2'`` third row named ``mb``,
        ``'ip1<<2'`` two rows before ``ip1``, ``'ip1>>2'`` two after,
        ``'ip1%%-5'`` value of a column at ``ip1`` minus 5 (in ranges).

    Examples
    --------
    >>> t = Table({'name': ['a', 'b', 'c'], 's': [0.0, 1.0, 2.0], 'qx': 0.31})
    >>> float(t['s', 'b'])
    1.0
    >>> t.rows[0.5:2.0:'s'].name.tolist()
    ['b', 'c']
    >>> t.qx
    0.31
    """

    def __init__(self, data, col_names=None, index="name", sep_count="::", sep_previous="<<",
                 sep_next=">>", sep="%%"):
        if not isinstance(data, dict):
            raise TypeError(f"Table: data must be a dict, got {type(data).__name__}")
        if index not in data:
            raise KeyError(f"Table: data has no index column {index!r}; keys: {sorted(data)[:10]}")
        data = dict(data)
        n = len(data[index])
        if col_names is None:
            col_names = [k for k, v in data.items() if _is_column(v, n)]
        else:
            col_names = list(col_names)
            missing = [c for c in col_names if c not in data]
            if missing:
                raise KeyError(f"Table: col_names {missing} are not in data")
        for name in col_names:
            column = data[name]
            if not isinstance(column, np.ndarray):
                column = np.array(column, dtype=object if _has_strings(column) else None)
            if len(column) != n:
                raise ValueError(f"Table: column {name!r} has length {len(column)}, expected {n}")
            data[name] = column
        if index in col_names:
            col_names.remove(index)
        col_names.insert(0, index)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_col_names", col_names)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_sep_count", sep_count)
        object.__setattr__(self, "_sep_previous", sep_previous)
        object.__setattr__(self, "_sep_next", sep_next)
        object.__setattr__(self, "_sep", sep)
        object.__setattr__(self, "_rows", RowIndexer(self))

    # ------------------------------------------------------------------ access
    def __len__(self):
        return len(self._data[self._index])

    def __contains__(self, key):
        return key in self._data

    def keys(self, exclude_columns=False, exclude_scalars=False):
        """Names of columns and scalars."""
        out = [] if exclude_columns else list(self._col_names)
        if not exclude_scalars:
            out += self._scalar_names()
        return out

    def _scalar_names(self):
        return [k for k in self._data if k not in self._col_names]

    @property
    def rows(self):
        """Row selection: ``t.rows['ip.*']``, ``t.rows[10:20]``, ``t.rows[0:100:'s']``."""
        return RowView(self)

    @property
    def cols(self):
        """Column selection: ``t.cols['betx', 'bety']``, ``t.cols['bet.*']``."""
        return ColView(self)

    def __getattr__(self, name):
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name]
        if name.startswith("_") or data is None:
            raise AttributeError(name)
        raise AttributeError(
            f"{type(self).__name__} has no column or scalar {name!r}{close_matches_text(name, data)}"
        )

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __getitem__(self, key):
        if isinstance(key, tuple):
            if len(key) != 2:
                raise KeyError(f"table key must be column or (column, row), got {key!r}")
            column, row = key
            values = self._column(column)
            pos = self._rows.positions(row)
            if isinstance(row, (str, int, np.integer)) and len(pos) == 1 and not self._is_pattern(row):
                return values[pos[0]]
            return values[pos]
        return self._column(key)

    def _is_pattern(self, row):
        if not isinstance(row, str):
            return False
        try:
            self._rows.name_position(row)
            return False
        except KeyError:
            return True

    def _column(self, name):
        if name in self._data:
            return self._data[name]
        if isinstance(name, str) and any(c in name for c in "+-*/()"):
            return self.eval(name)
        raise unknown_name("column or scalar", name, list(self._data), where=f"{type(self).__name__}")

    def __setitem__(self, name, value):
        n = len(self)
        if name == self._index:
            self._rows._occurrences = None
        if _is_column(value, n) and not np.isscalar(value):
            self._data[name] = np.asarray(value)
            if name not in self._col_names:
                self._col_names.append(name)
        else:
            self._data[name] = value
            if name in self._col_names:
                self._col_names.remove(name)

    def eval(self, expr):
        """Evaluate a numpy expression of the columns, e.g. ``'sqrt(betx*bety)'``."""
        namespace = {c: self._data[c] for c in self._col_names}
        for func in ("sqrt", "exp", "log", "log10", "sin", "cos", "tan", "arctan2", "abs", "pi"):
            namespace.setdefault(func, getattr(np, func))
        try:
            return eval(compile(expr, "<table expression>", "eval"), {"__builtins__": {}}, namespace)
        except NameError as err:
            raise KeyError(f"table expression {expr!r}: {err}") from None

    # ------------------------------------------------------------------ derived tables
    def _new(self, data, col_names):
        return self.__class__(
            data, col_names=col_names, index=self._index, sep_count=self._sep_count,
            sep_previous=self._sep_previous, sep_next=self._sep_next, sep=self._sep,
        )

    def _select_rows(self, positions):
        data = {k: self._data[k] for k in self._scalar_names()}
        for c in self._col_names:
            data[c] = self._data[c][positions]
        return self._new(data, list(self._col_names))

    def _select_cols(self, names):
        cols = [self._index] + [c for c in names if c != self._index]
        data = {k: self._data[k] for k in self._scalar_names()}
        data.update({c: self._data[c] for c in cols})
        return self._new(data, cols)

    @classmethod
    def concatenate(cls, tables):
        """Stack tables with the same columns; scalars are those of the first."""
        tables = list(tables)
        if not tables:
            raise ValueError("concatenate: tables must not be empty")
        first = tables[0]
        for other in tables[1:]:
            if other._col_names != first._col_names:
                raise ValueError(
                    f"concatenate: columns differ: {first._col_names} vs {other._col_names}"
                )
        data = {k: first._data[k] for k in first._scalar_names()}
        for c in first._col_names:
            data[c] = np.concatenate([t._data[c] for t in tables])
        return first._new(data, list(first._col_names))

    def to_pandas(self, index=None, columns=None):
        """Return the columns as a pandas DataFrame (scalars in ``df.attrs``).

        Parameters
        ----------
        index : str, optional
            Column used as the DataFrame index.
        columns : list of str, optional
            Columns to export (default all).
        """
        import pandas as pd

        names = list(self._col_names) if columns is None else self.cols.names_of(columns)
        if index is not None and index not in names:
            names.insert(0, index)
        df = pd.DataFrame({c: self._data[c] for c in names})
        if index is not None:
            df = df.set_index(index)
        df.attrs.update({k: self._data[k] for k in self._scalar_names()})
        return df

    # ------------------------------------------------------------------ display
    def show(self, rows=None, cols=None, maxrows=None, maxwidth="auto", max_col_width=None,
             output=None, digits=6, fixed="g", header=True):
        """Print the table (or return it as text with ``output=str``).

        Parameters
        ----------
        rows, cols : selectors, optional
            Row and column selection (as ``t.rows[...]``, ``t.cols[...]``).
        maxrows : int, optional
            Show at most this many rows (first and last half).
        maxwidth : int or 'auto'
            Largest line width; columns that do not fit are dropped
            ('auto': terminal width). Use a large value for all columns.
        max_col_width : int, optional
            Truncate cell text to this width.
        output : None, str or file-like
            None prints; ``str`` returns the text; a file object receives it.
        digits : int
            Significant digits of floats.
        fixed : str
            'g' (default) or 'f' float format.
        header : bool
            Print the column names.
        """
        table = self if rows is None else self.rows[rows]
        if cols is not None:
            table = table.cols[cols]
        if maxwidth == "auto":
            import shutil

            maxwidth = shutil.get_terminal_size((100, 20)).columns
        text = format_table(
            table._col_names, table._data, len(table), maxrows=maxrows, maxwidth=maxwidth,
            max_col_width=max_col_width, digits=digits, fixed=fixed, header=header,
        )
        if output is str:
            return text
        if output is None:
            print(text)
            return None
        if isinstance(output, io.IOBase) or hasattr(output, "write"):
            output.write(text + "\n")
            return None
        raise ValueError(f"show: output must be None, str or a file object, got {output!r}")

    def __repr__(self):
        n = len(self)
        head = f"{type(self).__name__}: {n} row{'s' if n != 1 else ''}, {len(self._col_names)} cols"
        body = self.show(maxrows=20, maxwidth=100, max_col_width=30, output=str)
        return head + "\n" + body


def _is_column(value, n):
    if isinstance(value, (str, bytes, dict)) or np.isscalar(value):
        return False
    try:
        return np.ndim(value) >= 1 and len(value) == n
    except TypeError:
        return False


def _has_strings(values):
    return any(isinstance(v, str) for v in values)
