"""Knobs and targets of a line match: xdeps' Vary/Target specialised for twiss tables.

A :class:`Target` reads one quantity from the twiss table computed by the
match's twiss action: a scalar (``'qx'``, ``'dqy'``), a column at an element
(``Target('betx', 10., at='ip1')``), or any function of the table
(``Target(lambda tw: tw.betx.max(), xt.LessThan(400))``). ``at`` takes an
element name, ``'name::k'`` for the k-th occurrence of a repeated name,
a row index, or the markers :data:`START` / :data:`END` (first and last row
of the computed table, whatever the range).
"""

import numbers

import numpy as np
import xdeps
from xdeps.optimize import GreaterThan, LessThan

__all__ = ["START", "END", "Vary", "VaryList", "Target", "TargetSet", "TargetList",
           "TargetRelPhaseAdvance", "GreaterThan", "LessThan", "default_weight"]


class _Boundary:
    """Marker for the first (START) or last (END) row of a twiss range."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"xt.{self.name}"

    def __reduce__(self):  # copies and pickles give back the same marker
        return self.name


#: First element of a twiss range (``line.twiss(start=xt.START, ...)``, ``at=xt.START``).
START = _Boundary("START")
#: End of a twiss range (``end=xt.END``, ``at=xt.END``: the ``_end_point`` row).
END = _Boundary("END")


# Weights applied when a target gives none. With as many knobs as targets the
# weights do not change the solution, only the path; in over-determined or
# inequality problems they set the compromise. They put quantities of very
# different natural sizes on a comparable footing: orbit offsets are
# millimetres and angles tenths of milliradians while beta functions are tens
# of metres; alpha, phase advances and tunes are of order one and must be
# reached to far better than a beta function in relative terms.
_DEFAULT_WEIGHTS = {
    "x": 10.0, "y": 10.0, "zeta": 10.0,
    "px": 100.0, "py": 100.0, "delta": 100.0, "pzeta": 100.0, "ptau": 100.0,
    "alfx": 10.0, "alfy": 10.0,
    "mux": 10.0, "muy": 10.0, "qx": 10.0, "qy": 10.0,
}


def default_weight(quantity):
    """Weight used for a target on `quantity` (a column or scalar name) when none is given."""
    return _DEFAULT_WEIGHTS.get(quantity, 1.0) if isinstance(quantity, str) else 1.0


class Vary(xdeps.Vary):
    """A knob varied by a match.

    Parameters
    ----------
    name : str
        Name of the knob (a variable of the line).
    container : dict-like, optional
        Where the knob lives; default ``line.vars`` of the matched line.
    limits : (float, float), optional
        Allowed range (default unbounded).
    step : float, optional
        Finite-difference step of the Jacobian (default 1e-10, in the knob's units).
    weight : float, optional
        Larger weights make the knob move less (default 1).
    max_step : float, optional
        Largest change per iteration.
    active : bool
        Varied or frozen (default True).
    tag : str
        Label for ``enable``/``disable``.
    """


class VaryList(xdeps.VaryList):
    """Several knobs with the same options; see :class:`Vary`."""

    def __init__(self, vars, container=None, limits=None, step=None, weight=None, max_step=None,
                 active=True, tag=""):
        if isinstance(vars, str):
            raise TypeError("VaryList: vars must be a list of knob names, got a single string "
                            f"{vars!r}; use xt.Vary for one knob")
        self.vary_objects = [Vary(name, container=container, limits=limits, step=step, weight=weight,
                                  max_step=max_step, active=active, tag=tag) for name in vars]


def _row_key(table, at):
    """Row selector of `at` in `table` (markers START/END map to the first/last row)."""
    if at is START:
        return 0
    if at is END:
        return len(table) - 1
    return at


def _value_from_table(table, tar, at):
    """Target value taken from a (twiss) table: the scalar `tar` or column `tar` at `at`."""
    if at is None:
        return table[tar]
    return table[tar, _row_key(table, at)]


def _at_text(at):
    if at is None:
        return ""
    return repr(at) if isinstance(at, _Boundary) else str(at)


class Target(xdeps.Target):
    """A twiss quantity to bring to a value.

    Parameters
    ----------
    tar : str or callable
        Column or scalar of the twiss table (``'betx'``, ``'qx'``), or
        ``tar(twiss_table) -> float``. May also be given as a keyword:
        ``Target(betx=0.15, at='ip1')``.
    value : float, GreaterThan, LessThan or TwissTable
        Value to reach; inequalities bound the quantity; a table gives the
        value it holds for `tar` (at `at`).
    at : str, int, START or END, optional
        Row (element) where a column is read; needed for columns.
    tol : float, optional
        Tolerance; default from the match's ``default_tol``, else 1e-10.
    weight : float, optional
        Factor of the residual; default per quantity (orbit 10, angles 100,
        alpha, phase and tunes 10, anything else 1).
    scale : float, optional
        Multiplies the weight (default 1).
    line : str, optional
        Name of the line the quantity belongs to (multi-line matches).
    action : xdeps.Action, optional
        Computation producing the table; default the match's twiss.
    tag : str
        Label for ``enable``/``disable``.
    optimize_log : bool
        Match ``log10`` of a positive quantity.
    """

    def __init__(self, tar=None, value=None, at=None, tol=None, weight=None, scale=None, line=None,
                 action=None, tag=None, optimize_log=False, **kwargs):
        if kwargs:
            if tar is not None or len(kwargs) != 1:
                import difflib

                allowed = ["tar", "value", "at", "tol", "weight", "scale", "line", "action", "tag",
                           "optimize_log"]
                bad = sorted(kwargs)[0] if tar is not None else sorted(kwargs)
                close = difflib.get_close_matches(str(bad), allowed, n=1) if tar is not None else []
                raise TypeError(
                    f"Target: give the quantity either as tar (and value) or as one keyword "
                    f"(Target(betx=1.0, at='ip')), got tar={tar!r} and keywords {sorted(kwargs)}"
                    + (f"; did you mean {close[0]!r}?" if close else ""))
            (tar, value), = kwargs.items()
        if tar is None:
            raise ValueError("Target: tar (the quantity) must be given")
        if value is None:
            raise ValueError(f"Target {tar!r}: value must be given")
        if isinstance(value, xdeps.Table):
            if callable(tar):
                raise ValueError("Target: a table as value needs tar to be a column or scalar name")
            value = _value_from_table(value, tar, at)
        if not isinstance(value, (numbers.Real, GreaterThan, np.floating, np.integer)):
            raise TypeError(f"Target {tar!r}: value must be a number, GreaterThan, LessThan or a "
                            f"TwissTable, got {type(value).__name__}")
        if isinstance(value, (np.floating, np.integer)):
            value = float(value)
        self._tol_given = tol is not None
        self._weight_given = weight is not None
        super().__init__(tar=tar, value=value, tol=tol, weight=weight, scale=scale, action=action,
                         tag="" if tag is None else tag, optimize_log=optimize_log)
        self.at = at
        self.line = line

    def _description(self):
        text = super()._description() if callable(self.tar) else str(self.tar)
        at = _at_text(self.at)
        return f"{text}@{at}" if at else text

    def __repr__(self):
        line = f", line={self.line!r}" if self.line is not None else ""
        return f"Target({self._description()}, value={self.value!r}, tol={self.tol}{line})"

    @property
    def quantity(self):
        """Name of the twiss quantity (None for a callable target)."""
        return None if callable(self.tar) else self.tar

    def eval_table(self, table):
        """The quantity read from a twiss table."""
        if callable(self.tar):
            return self.tar(table)
        return _value_from_table(table, self.tar, self.at)

    def eval(self, results):
        if self.action is None:
            return self.tar()
        return self.eval_table(results[self.action])


class TargetRelPhaseAdvance(Target):
    """Phase advance ``mu(end) - mu(start)`` [2 pi] between two rows of the twiss range.

    Parameters
    ----------
    tar : {'mux', 'muy'}
        Plane.
    value : float, GreaterThan, LessThan or TwissTable
        Phase advance to reach; a table gives its own advance between the rows.
    end, start : str, int, START or END, optional
        Rows; default the last and the first row of the computed range.
    tol, weight, scale, line, tag : see :class:`Target`.
    """

    def __init__(self, tar, value, end=None, start=None, tag="", **kwargs):
        if tar not in ("mux", "muy"):
            raise ValueError(f"TargetRelPhaseAdvance: tar must be 'mux' or 'muy', got {tar!r}")
        self.start_at = START if start is None else start
        self.end_at = END if end is None else end
        self.plane_column = tar
        if isinstance(value, xdeps.Table):
            value = float(self._advance(value))
        super().__init__(tar=self._advance, value=value, tag=tag, **kwargs)
        self.tar = self._advance

    def _advance(self, table):
        col = self.plane_column
        return table[col, _row_key(table, self.end_at)] - table[col, _row_key(table, self.start_at)]

    @property
    def quantity(self):
        return self.plane_column

    def _description(self):
        return f"{self.plane_column}({_at_text(self.start_at)}->{_at_text(self.end_at)})"


_TARGET_OPTIONS = ("tol", "weight", "scale", "line", "action", "tag", "optimize_log")


class TargetSet(xdeps.TargetList):
    """Several targets at the same place with the same options.

    ``TargetSet(qx=62.31, qy=60.32, tol=1e-6)``,
    ``TargetSet(['betx', 'bety'], value=tw0, at='ip5')`` (values from a table),
    ``TargetSet(betx=1.0, alfx=0.0, at='ip1')``.

    Parameters
    ----------
    tars : list of str, optional
        Quantities sharing `value`.
    value : float, GreaterThan, LessThan or TwissTable, optional
        Value of every quantity in `tars`.
    at : str, int, START or END, optional
        Row where the columns are read.
    tol, weight, scale, line, action, tag, optimize_log : see :class:`Target`.
    **kwargs
        Further quantities given as ``name=value``.
    """

    def __init__(self, tars=None, value=None, at=None, tol=None, weight=None, scale=None, line=None,
                 action=None, tag=None, optimize_log=False, **kwargs):
        common = dict(at=at, tol=tol, weight=weight, scale=scale, line=line, action=action, tag=tag,
                      optimize_log=optimize_log)
        self.targets = []
        if tars is not None:
            if isinstance(tars, str):
                tars = [tars]
            if value is None:
                raise ValueError(f"TargetSet: tars {list(tars)} need a value")
            for tar in tars:
                self.targets.append(Target(tar, value, **common))
        elif value is not None:
            raise ValueError("TargetSet: value given without tars")
        for name, val in kwargs.items():
            self.targets.append(Target(name, val, **common))
        if not self.targets:
            raise ValueError("TargetSet: no quantity given (use tars=[...] with value, or name=value)")


class TargetList(xdeps.TargetList):
    """Targets from a list of quantities sharing options: ``TargetList(['betx', 'bety'], at='ip', value=tw0)``."""

    def __init__(self, tars, value=None, **kwargs):
        if isinstance(tars, str):
            raise TypeError("TargetList: tars must be a list of quantities, got a single string; use Target")
        if isinstance(value, (list, tuple, np.ndarray)):
            if len(value) != len(tars):
                raise ValueError(f"TargetList: {len(tars)} tars but {len(value)} values")
            values = list(value)
        else:
            values = [value] * len(tars)
        self.targets = [t if isinstance(t, xdeps.Target) else Target(t, v, **kwargs)
                        for t, v in zip(tars, values)]
