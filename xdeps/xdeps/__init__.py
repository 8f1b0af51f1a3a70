"""Variables with deferred expressions, tables and the optimizer.

Main objects (see ``ARCHITECTURE.md``):

- :class:`Manager` and references (:class:`Ref`, :class:`AttrRef`,
  :class:`ItemRef`): deferred expressions over registered containers.
- :class:`VarManagement`: named variables of an environment, string parsing,
  ``get_expr``/``new_expr``/``eval``/``info`` and the JSON sections.
- :class:`Table`: columnar table with row/column selection.
- :class:`Optimize`, :class:`Vary`, :class:`Target`, :class:`Action`: the
  optimizer behind matching.
"""

from ._version import __version__
from .errors import CyclicDependencyError, ExpressionError, UnknownNameError, XDepsError
from .functions import FunctionPieceWiseLinear, Functions
from .manager import Manager
from .parser import parse_expression
from .optimize import *  # noqa: F403 - the optimizer names are public here too
from .optimize import __all__ as _optimize_all
from .table import Table
from .refs import AttrRef, BinOpExpr, CallExpr, ItemRef, MutableRef, Ref, UnaryOpExpr
from . import madxutils, refs, tasks
from .tasks import DepEnv, ExprTask, FunctionTask, LinearKnob, Task
from .var_management import VarManagement, VarsView

__all__ = [
    "__version__",
    "AttrRef",
    "BinOpExpr",
    "CallExpr",
    "CyclicDependencyError",
    "DepEnv",
    "ExprTask",
    "FunctionTask",
    "LinearKnob",
    "Task",
    "ExpressionError",
    "FunctionPieceWiseLinear",
    "Functions",
    "ItemRef",
    "Manager",
    "MutableRef",
    "Ref",
    "Table",
    "UnaryOpExpr",
    "UnknownNameError",
    "VarManagement",
    "VarsView",
    "XDepsError",
    "parse_expression",
] + _optimize_all
