"""Variables of an environment: named knobs, deferred expressions and their JSON sections.

:class:`VarManagement` bundles a :class:`~xdeps.manager.Manager` with the
``vars`` dictionary, the ``f`` functions container and, optionally, an element
container registered as ``element_refs``. It implements what an xtrack
``Environment``/``Line`` exposes about variables (``env['a'] = '2*b'``,
``env.vars``, ``env.ref``, ``get_expr``, ``new_expr``, ``eval``, ``info``) and
reads/writes the ``_var_management_data`` and ``_var_manager`` sections of
line JSON files.
"""

from .errors import close_matches_text, unknown_name
from .functions import Functions
from .manager import Manager
from .parser import parse_expression
from .refs import AttrRef, MutableRef, value_of
from .output import _print


class VarsView:
    """Mapping-like access to the variables: items are references.

    ``view['a']`` is the reference ``vars['a']`` (so ``view['a']._value``,
    ``view['a']._expr``, ``view['a']._info()`` work, and arithmetic on it
    builds expressions); ``view['a'] = value_or_string`` assigns.
    """

    def __init__(self, owner):
        self._owner = owner

    def __getitem__(self, name):
        return self._owner.vref[name]

    def __setitem__(self, name, value):
        self._owner.set(name, value)

    def __contains__(self, name):
        return name in self._owner.var_values

    def __iter__(self):
        return iter(self._owner.var_values)

    def __len__(self):
        return len(self._owner.var_values)

    def keys(self):
        """Names of all variables."""
        return self._owner.var_values.keys()

    def update(self, values):
        """Assign several variables (constants, strings or expressions)."""
        for name, value in dict(values).items():
            self._owner.set(name, value)

    def get_table(self):
        """Table with one row per variable: ``name``, ``value``, ``expr``."""
        return self._owner.get_table()


class VarManagement:
    """Variables with deferred expressions over optional element containers.

    Parameters
    ----------
    element_container : dict, optional
        ``name -> element`` mapping registered under the label ``element_refs``.
    var_values : dict, optional
        Dictionary to hold the variable values (used in place, not copied).
    functions : Functions, optional
        Functions container registered as ``f``.

    Examples
    --------
    >>> vm = VarManagement()
    >>> vm['kqf'] = 0.01
    >>> vm['kqd'] = '-kqf*1.1'
    >>> vm.get_expr('kqd')
    ((-vars['kqf']) * 1.1)
    >>> vm['kqf'] = 0.02
    >>> round(vm['kqd'], 12)
    -0.022
    """

    def __init__(self, element_container=None, var_values=None, functions=None):
        self.manager = Manager()
        self.var_values = {} if var_values is None else var_values
        self.vref = self.manager.ref(self.var_values, "vars")
        self.functions = Functions() if functions is None else functions
        self.fref = self.manager.ref(self.functions, "f")
        self.element_refs = None
        if element_container is not None:
            self.register_container(element_container, "element_refs")
        self.vars = VarsView(self)

    def register_container(self, container, label):
        """Register another container (for example the elements) under ``label``."""
        root = self.manager.ref(container, label)
        if label == "element_refs":
            self.element_refs = root
        return root

    # ------------------------------------------------------------------ values
    def __getitem__(self, name):
        try:
            return self.var_values[name]
        except KeyError:
            raise unknown_name("variable", name, self.var_values) from None

    def __setitem__(self, name, value):
        self.set(name, value)

    def __contains__(self, name):
        return name in self.var_values

    def get(self, name, default=None):
        """Value of variable ``name``, or ``default`` if it does not exist."""
        return self.var_values.get(name, default)

    def set(self, name, value):
        """Assign a constant, an expression, or a string parsed as an expression."""
        if not isinstance(name, str):
            raise TypeError(f"variable name must be a string, got {type(name).__name__}")
        if isinstance(value, str):
            value = self.new_expr(value)
        self.manager.set_value(self.vref[name], value)

    def ref(self, name):
        """Reference ``vars[name]`` to build expressions with."""
        return self.vref[name]

    # ------------------------------------------------------------------ expressions
    def get_expr(self, name):
        """Expression driving variable ``name``, or None for a plain value."""
        if name not in self.var_values:
            raise unknown_name("variable", name, self.var_values)
        return self.manager._exprs.get(self.vref[name])

    def new_expr(self, text):
        """Parse ``text`` into an expression (or a constant for a plain number).

        MAD-X style (``'-kqf*1.1'``, ``'a^2'``, dotted names) and xdeps
        syntax (``"vars['a'] * 2"``) are both accepted. Unknown names raise
        KeyError with close matches.
        """
        if not isinstance(text, str):
            raise TypeError(f"new_expr: text must be a string, got {type(text).__name__}")
        if "[" in text:
            return self.manager.eval_xdeps(text)
        return parse_expression(text, self._resolve_name, self._resolve_function)

    def eval(self, text):
        """Value of the expression ``text`` with the current variables."""
        return value_of(self.new_expr(text))

    def _resolve_name(self, name):
        if name in self.var_values:
            return self.vref[name]
        # 'mq.k1' may name the attribute k1 of element 'mq'.
        if self.element_refs is not None and "." in name:
            element_name, attr = name.rsplit(".", 1)
            elements = self.element_refs._owner
            if element_name in elements and hasattr(elements[element_name], attr):
                return AttrRef(self.element_refs[element_name], attr, self.manager)
        raise unknown_name("variable", name, self.var_values)

    def _resolve_function(self, name):
        if name not in self.functions:
            raise unknown_name("function", name, self.functions.names())
        return getattr(self.fref, name)

    def info(self, name, limit=30):
        """Print value, expression, inputs and dependents of variable ``name``."""
        ref = name if isinstance(name, MutableRef) else self.vref[name]
        if not isinstance(name, MutableRef) and name not in self.var_values:
            raise unknown_name("variable", name, self.var_values)
        _print(self.manager.info_text(ref, limit=limit))

    def get_table(self):
        """Table of the variables: ``name``, ``value`` and ``expr`` (text or None)."""
        import numpy as np

        from .table import Table

        names = list(self.var_values)
        exprs = [self.manager._exprs.get(self.vref[n]) for n in names]
        return Table(
            {
                "name": np.array(names, dtype=object),
                "value": np.array([self.var_values[n] for n in names], dtype=object),
                "expr": np.array([None if e is None else repr(e) for e in exprs], dtype=object),
            }
        )

    # ------------------------------------------------------------------ JSON sections
    def to_dict(self):
        """Return ``{'_var_management_data': ..., '_var_manager': ...}`` as in line JSON files."""
        return {
            "_var_management_data": {
                "var_values": dict(self.var_values),
                "functions": self.functions.to_dict(),
            },
            "_var_manager": self.manager.dump(),
        }

    def load_dict(self, data, evaluate=True):
        """Load the two sections written by :meth:`to_dict` (or a whole line dict).

        Values are taken first, then the expressions are registered and, if
        ``evaluate``, every target is recomputed from its inputs.
        """
        for key in ("_var_management_data", "_var_manager"):
            if key not in data:
                raise KeyError(f"load_dict: data has no {key!r} section; keys are {sorted(data)[:10]}")
        vmd = data["_var_management_data"]
        self.var_values.update(vmd.get("var_values", {}))
        funcs = Functions.from_dict(vmd.get("functions", {}))
        for fname, func in funcs._funcs.items():
            self.functions[fname] = func
        self.manager.load(data["_var_manager"], evaluate=evaluate)

    @classmethod
    def from_dict(cls, data, element_container=None, evaluate=True):
        """New :class:`VarManagement` loaded from the line-JSON sections in ``data``."""
        out = cls(element_container=element_container)
        out.load_dict(data, evaluate=evaluate)
        return out
