"""Columnar table with a name column, scalar attributes and row/column selection.

A :class:`Table` holds a dict of data (its arrays are shared, not copied): the
entries listed in ``col_names`` are *columns* (numpy arrays of equal length;
one of them, ``name`` by default, is the index), all other entries are
*scalars* reachable as attributes (``tw.qx``). Without ``col_names`` every
entry must be a column. Row and column selection return new tables of the
same class; the selection rules are in :mod:`xdeps.table_selection`.
"""

import io

import numpy as np

from .errors import UnknownNameError, close_matches_text
from .table_format import format_table
from .table_selection import ColView, RowView, name_positions, positions_of, split_name_count_offset
from .output import _print


class UnknownColumnError(UnknownNameError, NameError):
    """A column expression names something that is not a column or scalar."""


class Table:
    """Table of named rows.

    Parameters
    ----------
    data : dict
        Columns (numpy arrays of equal length) and, with ``col_names``,
        scalars. Lists and tuples are turned into arrays.
    col_names : list of str, optional
        Column names, in display order (default: every entry of ``data``).
    index : str or None
        Name of the column holding the row names (default ``'name'``);
        None for a table addressed by row positions only.
    sep_count, sep_previous, sep_next, sep : str
        Separators in row selectors: ``'mb::2'`` third row named ``mb``,
        ``'ip1<<2'`` two rows before ``ip1``, ``'ip1>>2'`` two after,
        ``'ip1%%-5'`` value of a column at ``ip1`` minus 5 (in ranges).

    Examples
    --------
    >>> t = Table({'name': ['a', 'b', 'c'], 's': [0.0, 1.0, 2.0], 'qx': 0.31},
    ...           col_names=['name', 's'])
    >>> float(t['s', 'b'])
    1.0
    >>> t.rows[0.5:2.0:'s'].name.tolist()
    ['b', 'c']
    >>> t.qx
    0.31
    """

    def __init__(self, data, col_names=None, index="name", sep_count="::", sep_previous="<<",
                 sep_next=">>", sep="%%", _copy_cols=False):
        if not isinstance(data, dict):
            if hasattr(data, "keys") and hasattr(data, "__getitem__"):  # mappings (e.g. cpymad tables)
                data = {key: np.asarray(data[key]) for key in data.keys()}
            else:
                raise TypeError(f"Table: data must be a dict (or a mapping), got {type(data).__name__}")
        data = dict(data)  # the arrays are shared, the dict is ours
        if _copy_cols:
            data = {key: (value.copy() if isinstance(value, np.ndarray) else value) for key, value in data.items()}
        col_names = list(data) if col_names is None else list(col_names)
        missing = [c for c in col_names if c not in data]
        if missing:
            raise KeyError(f"Table: col_names {missing} are not in data; keys: {sorted(data)[:10]}")
        if index is not None and index not in col_names:
            if index in data:
                col_names.insert(0, index)
            else:
                raise KeyError(f"Table: data has no index column {index!r}; keys: {sorted(data)[:10]}")
        length = None
        for name in col_names:
            column = data[name]
            if isinstance(column, (list, tuple)):
                column = data[name] = np.array(
                    column, dtype=object if any(isinstance(v, str) for v in column) else None)
            if not isinstance(column, np.ndarray) or column.ndim == 0:
                raise ValueError(f"Column `{name}` is not a numpy array")
            if column.dtype.kind == "U":
                # Text columns hold Python strings (names concatenate, compare, repeat).
                column = data[name] = column.astype(object)
            if length is None:
                length = len(column)
            elif len(column) != length:
                err = ValueError("Columns have different lengths")
                err.add_note(f"Table: column {name!r} has {len(column)} rows, "
                             f"column {col_names[0]!r} has {length}")
                raise err
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_col_names", col_names)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_sep_count", sep_count)
        object.__setattr__(self, "_sep_previous", sep_previous)
        object.__setattr__(self, "_sep_next", sep_next)
        object.__setattr__(self, "_sep", sep)
        object.__setattr__(self, "_index_cache", None)

    # ------------------------------------------------------------------ access
    def __len__(self):
        if not self._col_names:
            return 0
        return len(self._data[self._col_names[0]])

    def __contains__(self, key):
        return key in self._data

    def keys(self, exclude_columns=False, exclude_scalars=False):
        """Names of columns and scalars."""
        out = [] if exclude_columns else list(self._col_names)
        if not exclude_scalars:
            out += self._scalar_names()
        return out

    def _scalar_names(self):
        cols = set(self._col_names)
        return [k for k in self._data if k not in cols]

    def _names_index(self):
        """Row name -> list of positions (cached until the index column changes)."""
        names = self._data[self._index]
        cache = self._index_cache
        if cache is None or cache[0] is not names or cache[1] != len(names):
            occurrences = {}
            for i, name in enumerate(names.tolist()):
                occurrences.setdefault(name, []).append(i)
            cache = (names, len(names), occurrences)
            object.__setattr__(self, "_index_cache", cache)
        return cache[2]

    @property
    def rows(self):
        """Row selection: ``t.rows['ip.*']``, ``t.rows[10:20]``, ``t.rows[0:100:'s']``."""
        return RowView(self)

    @property
    def cols(self):
        """Column selection: ``t.cols['betx', 'bety']``, ``t.cols['bet.*']``, ``t.cols['betx*2']``."""
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

    def _split_name_count_offset(self, name):
        """``'mb::2<<1'`` -> ``('mb', 2, -1)`` (name, count or None, offset)."""
        return split_name_count_offset(self, name)

    def __getitem__(self, key):
        if isinstance(key, tuple):
            if len(key) == 0:
                raise KeyError("Empty selection: give a column, or (column, rows)")
            if len(key) == 1:
                return self._column(key[0])
            column, rows = key[0], key[1:] if len(key) > 2 else key[1]
            values = self._column(column)
            single = self._single_row(rows)
            if single is not None:
                return values[single]
            return values[positions_of(self, rows)]
        if not isinstance(key, str):
            raise KeyError(f"Invalid arguments {key!r}: give a column name, or (column, rows)")
        return self._column(key)

    def _single_row(self, rows):
        """Position when ``rows`` names exactly one row (int, name, 'name::k', ('name', k)), else None."""
        if isinstance(rows, (int, np.integer)) and not isinstance(rows, bool):
            n = len(self)
            if not -n <= rows < n:
                raise IndexError(f"row index {rows} out of range for a table of {n} rows")
            return int(rows) % n
        if isinstance(rows, tuple) and 2 <= len(rows) <= 3 and isinstance(rows[0], str):
            return name_positions(self, rows[0], rows[1], rows[2] if len(rows) == 3 else 0, single=True)
        if isinstance(rows, str) and self._index is not None:
            name, count, offset = self._split_name_count_offset(rows)
            occurrences = self._names_index()
            if name in occurrences:
                return name_positions(self, name, 0 if count is None else count, offset, single=True)
            if not _looks_like_regex(rows):
                return name_positions(self, name, count, offset, single=True)
        return None

    def _column(self, name):
        if name in self._data:
            return self._data[name]
        if isinstance(name, str):
            return self.eval(name)
        raise KeyError(f"Invalid arguments {name!r}: give a column name")

    def __setitem__(self, key, value):
        if isinstance(key, tuple):
            column, rows = key[0], key[1:] if len(key) > 2 else key[1]
            values = self._data[column]
            single = self._single_row(rows)
            values[single if single is not None else positions_of(self, rows)] = value
            return
        if key in self._col_names:
            column = self._data[key]
            value = np.asarray(value)
            if value.ndim == 0:
                value = np.full(len(self), value[()])  # a column stays a column
            if value.shape != (len(self),):
                raise ValueError(
                    f"Table: column {key!r} must have {len(self)} rows, got shape {value.shape}"
                )
            if value.dtype.kind == "U":
                value = value.astype(object)
            if np.can_cast(value.dtype, column.dtype, "same_kind"):
                column[:] = value  # in place: arrays shared with the caller follow
            else:
                self._data[key] = value
            return
        if isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) >= 1:
            value = np.asarray(value)
            if len(value) != len(self):
                raise ValueError(
                    f"Table: new column {key!r} must have {len(self)} rows, got {len(value)}; "
                    "a scalar is set with a non-sequence value"
                )
            self._data[key] = value
            self._col_names.append(key)
        else:
            self._data[key] = value

    def __delitem__(self, key):
        if key == self._index:
            raise KeyError(f"cannot delete the index column {key!r}")
        del self._data[key]
        if key in self._col_names:
            self._col_names.remove(key)

    def eval(self, expr):
        """Evaluate a numpy expression of the columns and scalars, e.g. ``'sqrt(betx*bety)'``."""
        namespace = {"np": np}
        for func in ("sqrt", "exp", "log", "log10", "sin", "cos", "tan", "arcsin", "arccos",
                     "arctan", "arctan2", "sinh", "cosh", "tanh", "abs", "pi", "hypot"):
            namespace[func] = getattr(np, func)
        namespace.update(self._data)
        try:
            return eval(compile(expr, "<table expression>", "eval"), {"__builtins__": {}}, namespace)
        except NameError as err:
            missing = getattr(err, "name", None) or expr
            error = UnknownColumnError(str(err))
            error.add_note(
                f"{type(self).__name__}: no column or scalar {missing!r}"
                f"{close_matches_text(missing, self._data)}"
            )
            raise error from None
        except SyntaxError:
            raise UnknownColumnError(
                f"{type(self).__name__}: no column or scalar {expr!r}"
                f"{close_matches_text(expr, self._data)}"
            ) from None

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
        cols = ([self._index] if self._index is not None else []) + [c for c in names if c != self._index]
        data = {k: self._data[k] for k in self._scalar_names()}
        for c in cols:
            data[c] = self._data[c] if c in self._data else np.asarray(self.eval(c))
        return self._new(data, cols)

    @classmethod
    def concatenate(cls, tables):
        """Stack tables with the same columns; scalars are those of the first."""
        tables = list(tables)
        if not tables:
            raise ValueError("concatenate: tables must not be empty")
        first = tables[0]
        for other in tables[1:]:
            if list(other._col_names) != list(first._col_names):
                raise ValueError(
                    f"concatenate: columns differ: {first._col_names} vs {other._col_names}"
                )
        data = {k: first._data[k] for k in first._scalar_names()}
        for c in first._col_names:
            data[c] = np.concatenate([t._data[c] for t in tables])
        return first._new(data, list(first._col_names))

    def __add__(self, other):
        if not isinstance(other, Table):
            return NotImplemented
        return self.concatenate([self, other])

    @classmethod
    def from_pandas(cls, df, index=None, lowercase=False):
        """Table from a pandas DataFrame (its ``attrs`` become scalars).

        Parameters
        ----------
        df : pandas.DataFrame
        index : str, optional
            Column holding the row names (default ``'name'`` when there is
            one, else none).
        lowercase : bool
            Lower-case the column names.
        """
        columns = {}
        for col in df.columns:
            key = str(col).lower() if lowercase else str(col)
            values = df[col].to_numpy()
            if values.dtype.kind in "OUS" or str(df[col].dtype) in ("string", "str"):
                values = np.array(values, dtype=object)
            columns[key] = values
        if index is None:
            index = "name" if "name" in columns else None
        col_names = list(columns)
        data = dict(columns)
        for key, value in df.attrs.items():
            if key not in data:
                data[key] = value
        return cls(data, col_names=col_names, index=index)

    @classmethod
    def from_csv(cls, filename, index=None, **kwargs):
        """Table from a CSV file (read by pandas; ``kwargs`` go to ``pandas.read_csv``)."""
        import pandas as pd

        return cls.from_pandas(pd.read_csv(filename, **kwargs), index=index)

    @classmethod
    def from_rows(cls, rows, index="name"):
        """Table from rows: dicts or :class:`~xdeps.table_selection.Row` objects with the same keys."""
        rows = [r._asdict() if hasattr(r, "_asdict") else dict(r) for r in rows]
        if not rows:
            raise ValueError("from_rows: rows must not be empty")
        names = list(rows[0])
        data = {}
        for key in names:
            values = [r[key] for r in rows]
            data[key] = np.array(values, dtype=object if any(isinstance(v, str) for v in values) else None)
        if index is not None and index not in data:
            index = None
        return cls(data, col_names=names, index=index)

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

    @property
    def _df(self):
        """The table as a pandas DataFrame (:meth:`to_pandas`)."""
        return self.to_pandas()

    @property
    def _t(self):
        """Transposed table: one row per column (``columns``), one column per row (``row0``...)."""
        data = {"columns": np.array(self._col_names, dtype=object)}
        for i in range(len(self)):
            data[f"row{i}"] = np.array([self._data[c][i] for c in self._col_names], dtype=object)
        return Table(data, index="columns")

    # ------------------------------------------------------------------ display
    def _display_names(self):
        """Row names as shown: repeated names get their count, ``ip2::0``, ``ip2::1``."""
        names = self._data[self._index]
        occurrences = self._names_index()
        if all(len(v) == 1 for v in occurrences.values()):
            return names
        seen = {}
        out = []
        for name in names.tolist():
            if len(occurrences[name]) > 1:
                k = seen.get(name, 0)
                seen[name] = k + 1
                out.append(f"{name}{self._sep_count}{k}")
            else:
                out.append(name)
        return np.array(out, dtype=object)

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
            Significant digits of floats (float columns are ``digits + 7`` wide).
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
        data = table._data
        if table._index is not None:
            data = dict(data)
            data[table._index] = table._display_names()
        text = format_table(
            table._col_names, data, len(table), maxrows=maxrows, maxwidth=maxwidth,
            max_col_width=max_col_width, digits=digits, fixed=fixed, header=header,
        )
        if output is str:
            return text
        if output is None:
            _print(text)
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


def _looks_like_regex(text):
    return any(c in text for c in ".^$*+?{}[]\\|()")
