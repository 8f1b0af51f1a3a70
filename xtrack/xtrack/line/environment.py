"""Environment: variables, elements and lines that share one set of expressions.

An :class:`Environment` owns one element dictionary (name -> element), one
:class:`xdeps.VarManagement` (variables ``vars[...]`` and element attributes
``element_refs[...]``) and the lines built from them. Every line of an
environment uses the environment's element dictionary and variables, so a
knob changed once reaches all lines. Placement of elements along a line is
done by :mod:`xtrack.line.builder`.
"""

import numpy as np
import xdeps
from xdeps.refs import BaseRef, value_of

from ..beam_elements.base import BeamElement, element_class_by_name
from .builder import Builder, Place
from .env_expressions import default_to_zero, parse_expression_text, set_default_to_zero, set_var

__all__ = ["Environment", "EnvVars", "EnvRef", "EnvElements", "EnvLines"]


def _close_matches(name, names):
    import difflib

    close = difflib.get_close_matches(str(name), [str(n) for n in names], n=3)
    return f"; close matches: {', '.join(repr(c) for c in close)}" if close else ""


class EnvVars(xdeps.var_management.VarsView):
    """Variables of an environment or line: ``vars['a']`` is a reference.

    Besides item access it can be called with a dict or keywords to assign
    several variables at once (``env.vars({'a': 1, 'b': '2*a'})``,
    ``env.vars(a=3)``).
    """

    def __getitem__(self, name):
        if name not in self._owner.var_values:
            if not default_to_zero(self._owner):
                from xdeps.errors import unknown_name

                raise unknown_name("variable", name, self._owner.var_values)
            set_var(self._owner, name, 0.0)
        return self._owner.vref[name]

    def __setitem__(self, name, value):
        env_ref = getattr(self._owner, "_env_owner", None)
        env = env_ref() if env_ref is not None else None
        if env is not None:
            for owner, container in (("element", env._element_dict), ("particle", env._particles),
                                     ("line", env._lines)):
                if name in container:
                    raise ValueError(f"vars[{name!r}]: the name is already used by a {owner}.")
        set_var(self._owner, name, value)

    def update(self, values):
        for name, value in dict(values).items():
            set_var(self._owner, name, value)

    def remove(self, name):
        """Remove variable `name` (KeyError if absent; ValueError while expressions use it)."""
        from .env_names import remove_var

        remove_var(self._owner, name)

    __delitem__ = remove

    def rename(self, old, new, verbose=False):
        """Rename variable `old` to `new`, in every expression that uses it."""
        from .env_names import rename_var

        rename_var(self._owner, old, new, verbose=verbose)

    def get_table(self, compact=True):
        """Table of the variables (``name``, ``value``, ``expr``); `compact` writes
        expressions MAD-X style (``(3.0 * a)``), else in xdeps syntax."""
        from .env_expressions import vars_table

        return vars_table(self._owner, compact=compact)

    def load(self, file):
        """Assign the variables of a JSON file of name -> value or expression text."""
        import json

        with open(file) as fid:
            self.update(json.load(fid))

    @property
    def default_to_zero(self):
        """True: names not yet defined in expression strings become variables equal to 0."""
        return default_to_zero(self._owner)

    @default_to_zero.setter
    def default_to_zero(self, value):
        set_default_to_zero(self._owner, value)

    def __call__(self, *args, **kwargs):
        for arg in args:
            if not isinstance(arg, dict):
                raise TypeError(f"vars(...): positional argument must be a dict, got {type(arg).__name__}.")
            self.update(arg)
        self.update(kwargs)

    def set(self, name, value):
        """Assign a value, expression or expression string to variable `name`."""
        set_var(self._owner, name, value)

    def get(self, name, default=None):
        """Value of variable `name` (`default` if it does not exist)."""
        return self._owner.get(name, default)

    def get_expr(self, name):
        """Expression of variable `name` (None for a plain value)."""
        return self._owner.get_expr(name)

    def new_expr(self, text):
        return parse_expression_text(self._owner, text)

    def eval(self, text):
        return value_of(parse_expression_text(self._owner, text))

    def info(self, name, limit=30):
        return self._owner.info(name, limit=limit)

    def items(self):
        return ((k, self._owner.vref[k]) for k in self._owner.var_values)

    @property
    def val(self):
        return self._owner.var_values

    def load_madx(self, *args, **kwargs):
        raise NotImplementedError("vars.load_madx belongs to the MAD-X loader (xtrack.madx).")


class EnvRef:
    """``env.ref[name]``: reference to a variable or to an element (for expressions)."""

    def __init__(self, env):
        self._env = env

    def __getitem__(self, name):
        env = self._env
        if name in env._element_dict:
            return env._var_management.element_refs[name]
        if name in env._particles:
            return env._particles.ref(name)
        return env._var_management.vref[name]

    def __setitem__(self, name, value):
        self._env.set(name, value)

    def __contains__(self, name):
        return name in self._env._element_dict or name in self._env._var_management.var_values


class EnvElements:
    """``env.elements``: the elements by name (a read view with `get_table`)."""

    def __init__(self, env):
        self._env = env

    def __getitem__(self, name):
        try:
            return self._env._element_dict[name]
        except KeyError:
            raise KeyError(f"no element named {name!r} in the environment"
                           f"{_close_matches(name, self._env._element_dict)}.") from None

    def __setitem__(self, name, element):
        self._env._add_element(name, element)

    def __contains__(self, name):
        return name in self._env._element_dict

    def __iter__(self):
        return iter(self._env._element_dict)

    def __len__(self):
        return len(self._env._element_dict)

    def keys(self):
        return self._env._element_dict.keys()

    def values(self):
        return self._env._element_dict.values()

    def items(self):
        return self._env._element_dict.items()

    def get(self, name, default=None):
        return self._env._element_dict.get(name, default)

    def remove(self, name):
        """Remove element `name` and its expressions (not while a line places it)."""
        from .env_names import remove_element

        remove_element(self._env, name)

    __delitem__ = remove

    def get_table(self):
        """Table of all elements: `name`, `element_type`, `isthick`, `length`."""
        from .tables import elements_table

        return elements_table(self._env._element_dict)


class EnvLines(dict):
    """``env.lines``: the lines of the environment by name.

    Assigning a line here gives it the name; a name already used by a
    variable, element, particle or line is a ValueError.
    """

    _env = None

    def __setitem__(self, name, line):
        if self._env is not None:
            self._env._check_free_name(name, "line")
            self._env._add_line(name, line)
        else:
            dict.__setitem__(self, name, line)

    def remove(self, name):
        """Remove line `name` (its elements stay in the environment)."""
        from .env_names import remove_line

        remove_line(self._env, name)

    def __delitem__(self, name):
        self.remove(name)

    def get_table(self):
        names = list(self)
        return xdeps.Table({"name": np.array(names, dtype=object),
                            "num_elements": np.array([len(self[n]) for n in names])})


class Environment:
    """Variables, elements and lines sharing one set of deferred expressions.

    Parameters
    ----------
    element_dict : dict, optional
        Elements by name (used in place).
    particle_ref : xtrack.Particles, optional
        Reference particle given to the lines built here.
    _var_management : xdeps.VarManagement, optional
        Variables to use (default: a new set with ``element_refs`` over
        `element_dict`).
    lines : dict, optional
        Lines by name, added to the environment.
    """

    def __init__(self, element_dict=None, particle_ref=None, _var_management=None, lines=None):
        self._element_dict = {} if element_dict is None else element_dict
        if _var_management is None:
            _var_management = xdeps.VarManagement(element_container=self._element_dict)
            _var_management.set("t_turn_s", 0.0)
        self._var_management = _var_management
        self._lines = EnvLines()
        self._lines._env = self
        import weakref

        self._lines_weakrefs = weakref.WeakSet()  # every line made here, named or not
        from .env_particles import EnvParticles

        if getattr(self._var_management, "_env_owner", None) is None:
            self._var_management._env_owner = weakref.ref(self)

        self._particles = EnvParticles(self)
        self._particle_ref = None
        self.particle_ref = particle_ref
        self._drifts_by_length = {}
        self._drift_counter = 0
        self._vars = EnvVars(self._var_management)
        self._ref = EnvRef(self)
        self._elements = EnvElements(self)
        self.metadata = {}
        for name, line in (lines or {}).items():
            self.import_line(line, line_name=name)

    # ------------------------------------------------------------ containers
    @property
    def element_dict(self):
        return self._element_dict

    @property
    def elements(self):
        """The elements by name."""
        return self._elements

    @property
    def lines(self):
        """The lines by name."""
        return self._lines

    @property
    def particles(self):
        """The particles by name (``env.new_particle``)."""
        return self._particles

    @property
    def particle_ref(self):
        """Reference particle given to new lines (set with a Particles or a particle name).

        Reading gives an `EnvParticleRef` view (None when unset): its fields read the
        particle's values, and assigning a string to a field of a named particle makes
        an expression (``env.particle_ref.p0c = '1e12 * a'``)."""
        if self._particle_ref is None:
            return None
        from .env_particles import EnvParticleRef

        return EnvParticleRef(self, lambda: self._particle_ref)

    @particle_ref.setter
    def particle_ref(self, value):
        from .env_particles import particle_ref_target

        self._particle_ref = particle_ref_target(value, self, "env.particle_ref")

    def new_particle(self, name, *args, **kwargs):
        """Create particle `name` (arguments of `xtrack.Particles`; strings are expressions)."""
        from .env_particles import new_particle

        return new_particle(self, name, *args, **kwargs)

    def set_particle_ref(self, *args, lines="all", **kwargs):
        """Set the reference particle of the environment and of its lines: a particle name
        of `env.particles`, a Particles, or the arguments of `Particles(...)`.

        `lines`: 'all' (default) sets it on every named line too, None on none, or a
        list of line names."""
        from xpart import Particles

        if lines is not None and lines != "all":
            lines = [lines] if isinstance(lines, str) else list(lines)
            unknown = [nn for nn in lines if nn not in self._lines]
            if unknown:
                raise KeyError(f"set_particle_ref: lines has {unknown[0]!r}, not a line of the "
                               f"environment{_close_matches(unknown[0], self._lines)}.")
        if len(args) == 1 and not kwargs and isinstance(args[0], str) and args[0] in self._particles:
            self.particle_ref = args[0]
        elif len(args) == 1 and not kwargs and isinstance(args[0], Particles):
            self.particle_ref = args[0]
        else:
            self.particle_ref = Particles(*args, **kwargs)
        targets = [] if lines is None else (list(self._lines) if lines == "all" else lines)
        for nn in targets:
            self._lines[nn]._particle_ref = self._particle_ref

    def _check_free_name(self, name, kind):
        """ValueError if `name` is already a variable, element, particle or line."""
        owners = (("variable", self._var_management.var_values), ("element", self._element_dict),
                  ("particle", self._particles), ("line", self._lines))
        for owner, container in owners:
            if name in container:
                raise ValueError(f"cannot create {kind} {name!r}: the name is already used by a "
                                 f"{owner}.")

    @property
    def vars(self):
        """The variables (``env.vars['a']`` is a reference; callable to set many)."""
        return self._vars

    @property
    def ref(self):
        """References to variables and elements (``env.ref['mq'].k1``)."""
        return self._ref

    @property
    def element_refs(self):
        return self._var_management.element_refs

    @property
    def varval(self):
        return self._var_management.var_values

    vv = varval

    @property
    def ref_manager(self):
        return self._var_management.manager

    @property
    def functions(self):
        return self._var_management.functions

    f = functions

    def __getitem__(self, name):
        if isinstance(name, str):
            if name in self._element_dict:
                from .element_view import element_view

                # A view: assigning a string or reference to a field makes an expression.
                return element_view(self, name)
            if name in self._var_management.var_values:
                return self._var_management.var_values[name]
            if name in self._particles:
                from .env_particles import ParticleView

                # a view: assigning a string to a field makes an expression
                return ParticleView(self, lambda: name)
            if name in self._lines:
                return self._lines[name]
        raise KeyError(f"no variable, element or line named {name!r} in the environment"
                       f"{_close_matches(name, list(self._element_dict) + list(self._var_management.var_values) + list(self._lines))}.")

    def __setitem__(self, name, value):
        from .line import Line

        if isinstance(value, BeamElement):
            self._add_element(name, value)
        elif isinstance(value, Line):
            self._add_line(name, value)
        else:
            self.set(name, value)

    def __contains__(self, name):
        return (name in self._element_dict or name in self._var_management.var_values
                or name in self._particles or name in self._lines)

    def remove(self, name):
        """Remove the variable, element, particle or line called `name`."""
        from .env_names import remove_any

        remove_any(self, name)

    def _remove_element(self, name):
        """Remove element `name` (KeyError if it is not an element)."""
        from .env_names import remove_element

        remove_element(self, name)

    __delitem__ = remove

    def call(self, filename):
        """Run a Python lattice script (``env = xt.get_environment()`` in it is this environment)."""
        from .python_lattice import run_lattice_script

        run_lattice_script(self, filename)

    def __getattr__(self, name):
        # Lines are reachable as attributes (env.lhcb1), as in the manual.
        if not name.startswith("_"):
            lines = self.__dict__.get("_lines")
            if lines is not None and name in lines:
                return lines[name]
        raise AttributeError(f"'Environment' object has no attribute {name!r}")

    def get(self, name, default=None):
        """Element (itself, not a view), line or value of the variable `name`."""
        if isinstance(name, str) and name in self._element_dict:
            return self._element_dict[name]
        if isinstance(name, str) and name in self._particles:
            return self._particles[name]
        try:
            return self[name]
        except KeyError:
            return default

    def eval(self, expr):
        """Value of the expression `expr` (a string) with the present variables."""
        return value_of(parse_expression_text(self._var_management, expr))

    def new_expr(self, expr):
        """Expression object from the string `expr` (integer literals become floats)."""
        return parse_expression_text(self._var_management, expr)

    def get_expr(self, name):
        """Expression driving variable `name` (None for a plain value)."""
        return self._var_management.get_expr(name)

    def info(self, name, limit=30):
        """Print value, expression and dependents of a variable, or an element's fields."""
        if name in self._element_dict:
            from .element_info import print_element_info

            print_element_info(self, name)
        else:
            self._var_management.info(name, limit=limit)

    def set(self, name, *args, **kwargs):
        """Set a variable (``set('a', 0.1)``, ``set('b', '3*a')``) or element fields
        (``set('mq', k1='kqf', length=1)``); `name` may also be a list of names or a
        table of elements (``set(tt.rows['mb.*'], model='bend-kick-bend')``)."""
        from xdeps import Table

        if isinstance(name, Table):
            column = "env_name" if "env_name" in name._col_names else "name"
            name = [nn for nn in name[column] if nn != "_end_point"]
        if isinstance(name, (list, tuple, np.ndarray)):
            for nn in name:
                self.set(nn, *args, **kwargs)
            return
        if name in self._element_dict:
            if args:
                raise ValueError(f"set: {name!r} is an element; give its fields as keywords "
                                 f"(set({name!r}, k1=...)), got positional {args!r}.")
            self._set_element_fields(name, kwargs)
            return
        if name in self._lines:
            raise ValueError(f"set: {name!r} is a line; lines cannot be set.")
        if kwargs or len(args) != 1:
            raise ValueError(f"set: variable {name!r} takes exactly one value, got {args!r} {kwargs!r}"
                             f"{_close_matches(name, self._element_dict)}.")
        set_var(self._var_management, name, args[0])

    # ------------------------------------------------------------- elements
    def _add_element(self, name, element, force=False):
        if not isinstance(name, str):
            raise TypeError(f"element name must be a string, got {name!r}.")
        if not isinstance(element, BeamElement) and not callable(getattr(element, "track", None)):
            raise TypeError(f"element {name!r} must be a beam element or an object with a "
                            f"track(particles) method, got {type(element).__name__}.")
        if name in self._var_management.var_values:
            raise ValueError(f"name {name!r} is already used by a variable.")
        if name in self._particles or name in self._lines:
            raise ValueError(f"name {name!r} is already used by a "
                             f"{'particle' if name in self._particles else 'line'}.")
        if name in self._element_dict and not force and self._element_dict[name] is not element:
            raise ValueError(f"an element named {name!r} already exists; use force=True to replace it.")
        self._element_dict[name] = element

    def _add_line(self, name, line):
        if line.env is not self:
            line = self.import_line(line, line_name=name)
        line.name = name
        dict.__setitem__(self._lines, name, line)

    def _is_expr(self, cls, attr, value):
        if isinstance(value, BaseRef):
            return True
        if isinstance(value, str):
            # a field, or a settable derived quantity (LimitEllipse.a sets a_squ, ...)
            prop = getattr(cls, attr, None)
            return attr in getattr(cls, "_xofields", {}) or (
                isinstance(prop, property) and prop.fset is not None)
        return False

    def _resolve(self, value):
        """Expression from a string (or ref) and its present value."""
        expr = self.new_expr(value) if isinstance(value, str) else value
        return expr, value_of(expr)

    def _split_kwargs(self, cls, kwargs):
        """Numeric keyword values for the constructor and (attr, index, expr) triples."""
        values, exprs = {}, []
        for attr, value in kwargs.items():
            _check_array_field_value(cls, attr, value)
            if self._is_expr(cls, attr, value):
                expr, val = self._resolve(value)
                values[attr] = val
                if isinstance(expr, BaseRef):
                    exprs.append((attr, None, expr))
            elif isinstance(value, (list, tuple)) and _has_expr_items(value):
                # nested lists (R[i][j] = '2*a') give the item index as a tuple
                def walk(items, prefix):
                    vals = []
                    for ii, vv in enumerate(items):
                        index = prefix + (ii,)
                        if isinstance(vv, (list, tuple)):
                            vals.append(walk(vv, index))
                        elif isinstance(vv, (str, BaseRef)):
                            expr, val = self._resolve(vv)
                            vals.append(val)
                            if isinstance(expr, BaseRef):
                                exprs.append((attr, index[0] if len(index) == 1 else index, expr))
                        else:
                            vals.append(vv)
                    return vals

                values[attr] = walk(value, ())
            else:
                values[attr] = value
        return values, exprs

    def _apply_exprs(self, name, exprs):
        eref = self._var_management.element_refs[name]
        for attr, index, expr in exprs:
            if index is None:
                setattr(eref, attr, expr)
            else:
                getattr(eref, attr)[index] = expr

    def _set_element_fields(self, name, kwargs):
        element = self._element_dict[name]
        eref = self._var_management.element_refs[name]
        for attr, value in kwargs.items():
            if attr == "extra":
                element.extra = dict(value) if value else None
                continue
            if self._is_expr(type(element), attr, value):
                expr = self.new_expr(value) if isinstance(value, str) else value
                setattr(eref, attr, expr)
            elif isinstance(value, (list, tuple, np.ndarray)) and attr in getattr(type(element), "_xofields", {}):
                arr = getattr(element, attr)
                if len(value) > len(arr):
                    setattr(element, attr, np.zeros(len(value)))
                aref = getattr(eref, attr)
                # every item is assigned through its reference: a plain value clears a
                # previous expression of that item (nested lists: tuple indices)
                stack = [((ii,), vv) for ii, vv in enumerate(value)]
                while stack:
                    index, vv = stack.pop()
                    if isinstance(vv, (list, tuple, np.ndarray)):
                        stack += [(index + (jj,), ww) for jj, ww in enumerate(vv)]
                        continue
                    key = index[0] if len(index) == 1 else index
                    aref[key] = self.new_expr(vv) if isinstance(vv, str) else vv
            elif attr in getattr(type(element), "_xofields", {}):
                setattr(eref, attr, value)  # removes a previous expression
            else:
                setattr(element, attr, value)

    def _element_exprs(self, name):
        """(attr, index, expr) of every expression driving a field of element `name`."""
        manager = self._var_management.manager
        exprs_map = manager._exprs
        if not exprs_map:
            return []
        element = self._element_dict[name]
        eref = self._var_management.element_refs[name]
        out = []
        for attr in getattr(type(element), "_xofields", {}):
            if attr.startswith("_"):
                continue
            aref = getattr(eref, attr)
            if aref in exprs_map:
                out.append((attr, None, exprs_map[aref]))
            value = getattr(element, attr, None)
            if isinstance(value, np.ndarray) or hasattr(value, "__len__") and not isinstance(value, str):
                try:
                    shape = np.shape(value)
                except (TypeError, ValueError):
                    continue
                # items of a matrix field (FirstOrderTaylorMap.m1) are keyed by tuples
                for idx in np.ndindex(*shape):
                    index = idx[0] if len(idx) == 1 else idx
                    iref = aref[index]
                    if iref in exprs_map:
                        out.append((attr, index, exprs_map[iref]))
        return out

    def new(self, name, prototype=None, mode=None, at=None, from_=None, anchor=None,
            from_anchor=None, extra=None, mirror=False, force=False, import_from=None, **kwargs):
        """Create an element (or a line) named `name` from a class or a parent.

        Parameters
        ----------
        name : str
            Name of the new element or line.
        prototype : class, str or Line
            (formerly `parent`, still accepted with a FutureWarning) Element class (or its name, e.g. ``'Quadrupole'``), or the name of an
            element or line of this environment.
        mode : {'clone', 'replica', 'import'}, optional
            For a named parent: copy it with its expressions ('clone', the
            default), make an element whose fields follow the parent's
            ('replica'), or clone from `import_from`.
        at, from_, anchor, from_anchor : optional
            Position: when given, a :class:`Place` is returned for `new_line`.
        extra : dict, optional
            Attributes without tracking meaning stored with the element.
        mirror : bool, default False
            For line parents: reverse the order of the elements.
        force : bool, default False
            Replace an existing element of the same name.
        **kwargs
            Element fields: numbers, expression strings (``k1='kqf'``),
            references, or lists of them (``knl=[0, 'acb']``).

        Returns
        -------
        str or Place
            The name, or a place if a position is given.
        """
        from .line import Line

        parent = _prototype_argument(prototype, kwargs)
        if not isinstance(name, str):
            raise TypeError(f"new: name must be a string, got {name!r}.")
        if mode not in (None, "clone", "replica", "import"):
            raise ValueError(f"new: mode must be None, 'clone', 'replica' or 'import', got {mode!r}.")
        if (name in self._element_dict or name in self._lines) and not force:
            raise ValueError(f"new: an element or line named {name!r} already exists; use force=True "
                             f"to replace it.")
        if name in self._var_management.var_values:
            raise ValueError(f"new: name {name!r} is already used by a variable.")
        if parent is Line or parent == "Line":  # env.new('l1', xt.Line, components=[...])
            new_line = self.new_line(name=name, **kwargs)
            return self._placed(name, at, from_, anchor, from_anchor, new_line)
        if mode == "import":
            if import_from is None:
                raise ValueError("new: mode='import' needs import_from=<Environment>.")
            self._import_element(name, parent, import_from)
        elif isinstance(parent, Line) or (isinstance(parent, str) and parent in self._lines):
            line = self._lines[parent] if isinstance(parent, str) else parent
            # the copies of the elements are named '<element>.<new line name>'
            new_line = line.clone(suffix=name, name=name, mirror=mirror) if mode != "replica" \
                else line.replicate(suffix=name, name=name, mirror=mirror)
            return self._placed(name, at, from_, anchor, from_anchor, new_line)
        elif isinstance(parent, str) and parent in self._element_dict:
            self._new_from_parent(name, parent, mode or "clone", extra, kwargs)
        else:
            cls = parent
            if isinstance(parent, str):
                try:
                    cls = element_class_by_name(parent)
                except Exception:
                    raise KeyError(f"new: parent {parent!r} is neither an element, a line nor an element "
                                   f"class{_close_matches(parent, list(self._element_dict) + list(self._lines) + _class_names())}."
                                   ) from None
            if not (isinstance(cls, type) and issubclass(cls, BeamElement)):
                raise TypeError(f"new: parent must be an element class or a name, got {parent!r}.")
            if mode == "replica":
                raise ValueError("new: mode='replica' needs the name of a parent element.")
            values, exprs = self._split_kwargs(cls, kwargs)
            if extra is not None:
                values["extra"] = extra
            element = cls(**values)
            self._element_dict[name] = element
            self._apply_exprs(name, exprs)
        return self._placed(name, at, from_, anchor, from_anchor)

    def _placed(self, name, at, from_, anchor, from_anchor, obj=None):
        if at is None and from_ is None and anchor is None and from_anchor is None:
            return name if obj is None else obj
        return self.place(name if obj is None else obj, at=at, from_=from_, anchor=anchor,
                          from_anchor=from_anchor)

    def _new_from_parent(self, name, parent, mode, extra, kwargs):
        parent_element = self._element_dict[parent]
        if mode == "replica":
            from ..beam_elements.slices import Replica

            self._element_dict[name] = Replica(parent_name=parent)
            if kwargs:
                raise ValueError(f"new: a replica follows its parent {parent!r}; fields cannot be "
                                 f"given (got {sorted(kwargs)}).")
            return
        element = parent_element.copy()
        element.prototype = parent
        if extra is not None:
            element.extra = dict(extra)
        self._element_dict[name] = element
        self._apply_exprs(name, self._element_exprs(parent))
        if kwargs:
            self._set_element_fields(name, kwargs)

    def _import_element(self, name, parent, source):
        element = source._element_dict[parent].copy()
        self._element_dict[name] = element
        for var in _vars_of(source, parent):  # before the expressions that read them
            if var not in self._var_management.var_values:
                self._copy_var_from(source, var)
        for attr, index, expr in source._element_exprs(parent):
            # an expression reading the element itself reads the copy
            text = _expr_text(expr).replace(f"element_refs['{parent}']", f"element_refs['{name}']")
            self._apply_exprs(name, [(attr, index, self.new_expr(text))])

    def _copy_var_from(self, source, var):
        expr = source.get_expr(var)
        if expr is not None:
            for dep in _expr_var_names(expr):
                if dep not in self._var_management.var_values:
                    self._copy_var_from(source, dep)
            self._var_management.set(var, self.new_expr(_expr_text(expr)))
        else:
            self._var_management.set(var, source._var_management.var_values[var])

    def copy_element_from(self, name, source, new_name=None):
        """Copy element `name` (with its expressions and variables) from `source` (Environment or Line).

        Variables the expressions read are copied only where this environment lacks
        them: the copy follows this environment's values of the others."""
        src_env = source.env if not isinstance(source, Environment) else source
        if name not in src_env._element_dict:
            raise KeyError(f"copy_element_from: no element named {name!r} in the source"
                           f"{_close_matches(name, src_env._element_dict)}.")
        self._import_element(new_name or name, name, src_env)

    _copy_element_from = copy_element_from  # the name the established test suites use

    def set_multipolar_errors(self, errors, with_progress=False):
        """Set ``knl``/``ksl`` of magnets from errors relative to their main strength
        (``{'mq': {'rel_knl': [...], 'rel_ksl': [...], 'refer': 'k1'}}``); see
        `xtrack.line.multipolar_errors`."""
        from .multipolar_errors import set_multipolar_errors

        set_multipolar_errors(self, errors, with_progress=with_progress)

    def _same_element(self, name, source, source_name):
        """Whether element `name` here equals `source_name` of `source` (same class,
        fields and expression texts): such an element is shared, not renamed, on import."""
        mine, theirs = self._element_dict[name], source._element_dict[source_name]
        if mine is theirs:
            return True
        if not _equal_dicts(mine.to_dict(), theirs.to_dict()):
            return False

        def texts(env, nn):
            return sorted((attr, str(index), _expr_text(expr).replace(f"element_refs['{nn}']", "self"))
                          for attr, index, expr in env._element_exprs(nn))

        return texts(self, name) == texts(source, source_name)

    # ---------------------------------------------------------------- lines
    def place(self, name, obj=None, at=None, from_=None, anchor=None, from_anchor=None):
        """Place of an element, line or list of names for `new_line`, a composer or `insert`.

        ``at='m1'`` (an element or line name) or ``at='m1@end'`` means at that
        point of `m1` (``from_='m1'``, ``at=0``).
        """
        if obj is not None:
            self._add_element(name, obj)
        if isinstance(at, str) and from_ is None:
            from .builder import _reference_in_at

            ref = _reference_in_at(at, self)
            if ref is not None:
                at, from_, from_anchor = 0, ref[0], ref[1]
        return Place(name, at=at, from_=from_, anchor=anchor, from_anchor=from_anchor)

    def new_builder(self, *args, **kwargs):
        """Removed: use ``env.new_line(..., compose=True)`` (a line in compose mode)."""
        raise RuntimeError("new_builder is no longer supported; use new_line(..., compose=True) "
                           "and line.end_compose().")

    def install_beambeam_interactions(self, *args, **kwargs):
        """Insert inactive beam-beam elements around the IPs of two lines (provided by xfields)."""
        from ..extensions import get_extension

        return get_extension("Environment.install_beambeam_interactions")(self, *args, **kwargs)

    def configure_beambeam_interactions(self, *args, **kwargs):
        """Give the beam-beam elements the other beam's optics and charge (provided by xfields)."""
        from ..extensions import get_extension

        return get_extension("Environment.configure_beambeam_interactions")(self, *args, **kwargs)

    def apply_filling_pattern(self, *args, **kwargs):
        """Enable only the beam-beam encounters of the selected bunches (provided by xfields)."""
        from ..extensions import get_extension

        return get_extension("Environment.apply_filling_pattern")(self, *args, **kwargs)

    def new_line(self, components=None, name=None, refer="center", length=None, s_tol=1e-6,
                 compose=False, mirror=False, diagnostics=False):
        """New line from `components` (names, places, elements, lines, nested lists).

        Parameters
        ----------
        components : list, optional
            What to place, in order; components without a position follow
            the previous one.
        name : str, optional
            Name of the line in `env.lines`.
        refer : {'center', 'start', 'end'}, default 'center'
            Point of each element that `at` refers to.
        length : float or str, optional
            Total length [m]: a final drift is added up to it.
        s_tol : float, default 1e-6
            Tolerance on positions [m] (smaller gaps get no drift, smaller
            overlaps are accepted).
        compose : bool, default False
            Return a line in compose mode (built from its composer when read,
            see :mod:`xtrack.line.compose`).
        mirror : bool, default False
            Reverse the order of the built line.
        diagnostics : bool, default False
            Check the placements for circular references first (clearer errors).
        """
        from .builder import Composer

        if compose:
            from .compose import new_compose_line

            return new_compose_line(self, components=components, name=name, refer=refer,
                                    length=length, s_tol=s_tol, mirror=mirror)
        composer = Composer(self, components=components, name=name, refer=refer, length=length,
                            s_tol=s_tol, mirror=mirror)
        return composer.build(diagnostics=diagnostics)

    def _new_drift(self, length, tol=0.0, unique=False):
        """Name of a Drift of `length` [m]: an existing one (within `tol`) or a new ``||drift_N``
        (always a new one, not shared later, with `unique`)."""
        from ..beam_elements import Drift

        name = None if unique else self._drifts_by_length.get(length)
        if name is None and tol > 0 and not unique:  # s differences: 16.1 - 16 is not 6.1 - 6
            name = next((nn for ll, nn in self._drifts_by_length.items() if abs(ll - length) <= tol), None)
        if name is not None and name in self._element_dict:
            return name
        while True:
            self._drift_counter += 1
            name = f"||drift_{self._drift_counter}"
            if name not in self._element_dict:
                break
        self._element_dict[name] = Drift(length=length)
        if not unique:
            self._drifts_by_length[length] = name
        return name

    def _line_from_names(self, element_names, name=None):
        from .line import Line

        line = Line.__new__(Line)
        Line._init_in_env(line, self, element_names)
        self._lines_weakrefs.add(line)
        if name is not None:
            line.name = name
            dict.__setitem__(self._lines, name, line)
        # the line refers to the same particle (by name it follows its expressions)
        line._particle_ref = self._particle_ref
        return line

    def import_line(self, line, suffix_for_common_elements=None, rename_elements={}, line_name=None,
                    overwrite_vars=False):
        """Copy `line` (elements, variables, expressions) into this environment.

        Elements whose names already exist here get `suffix_for_common_elements`
        (default ``'_<line_name>'``) unless they are the same object.
        """
        line_name = line_name or getattr(line, "name", None)
        suffix = suffix_for_common_elements
        if suffix is None:
            suffix = f"/{line_name}" if line_name else "/imported"
        src = line.env
        renames = dict(rename_elements)
        for nn in dict.fromkeys(line.element_names):
            if nn in renames:
                continue
            if nn in self._element_dict and not self._same_element(nn, src, nn):
                renames[nn] = nn + suffix
        src_vm = src._var_management
        for var, value in src_vm.var_values.items():
            if overwrite_vars or var not in self._var_management.var_values:
                self._var_management.var_values[var] = value
        for var in src_vm.var_values:
            expr = src_vm.get_expr(var)
            if expr is not None and (overwrite_vars or self.get_expr(var) is None):
                try:
                    self._var_management.set(var, self.new_expr(_expr_text(expr)))
                except Exception:
                    pass
        for nn in dict.fromkeys(line.element_names):
            new_name = renames.get(nn, nn)
            if new_name in self._element_dict and (self._element_dict[new_name] is src._element_dict[nn]
                                                   or new_name == nn):
                continue  # the same object, or an equal element that the line shares
            if src is self:
                self._element_dict[new_name] = src._element_dict[nn].copy()
            else:
                self._import_element(new_name, nn, src)
        new = self._line_from_names([renames.get(nn, nn) for nn in line.element_names], name=line_name)
        if line._particle_ref is not None:
            ref = line._particle_ref
            new._particle_ref = ref if isinstance(ref, str) and ref in self._particles else (
                line.particle_ref._target().copy())
        return new

    def __iter__(self):
        raise TypeError("Environment is not iterable; use env.elements, env.vars or env.lines.")

    # ----------------------------------------------------------------- dicts
    def to_dict(self, include_var_management=True):
        """Dict with the elements, the lines' element names, the variables and particle_ref."""
        out = {"__class__": "Environment",
               "elements": {nn: ee.to_dict() for nn, ee in self._element_dict.items()},
               "lines": {nn: {"element_names": list(ll.element_names)} for nn, ll in self._lines.items()}}
        if include_var_management:
            out.update(self._var_management.to_dict())
        if self._particles:
            out["particles"] = {nn: pp.to_dict() for nn, pp in self._particles.items()}
        if isinstance(self._particle_ref, str):
            out["particle_ref"] = self._particle_ref  # by name: it follows the particle
        elif self._particle_ref is not None:
            out["particle_ref"] = self._particle_ref.to_dict()
        out["metadata"] = dict(self.metadata)
        return out

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, classes=()):
        """Environment from `to_dict` output (a line dict gives an environment with that line)."""
        from xpart import Particles

        from .serialization import _build_element

        extra = {c.__name__: c for c in classes}
        element_dict = {nn: _build_element(nn, ee, extra, _context, _buffer)
                        for nn, ee in dct.get("elements", {}).items()}
        env = cls(element_dict=element_dict)
        from ..beam_elements.slice_elements import attach_slices

        attach_slices(env.element_dict)
        for nn, pp in (dct.get("particles") or dct.get("env_particles") or {}).items():
            env._particles._dict[nn] = Particles.from_dict(pp, _context=_context)
        if "_var_manager" in dct and "_var_management_data" in dct:
            env._var_management.load_dict(dct)
        if isinstance(dct.get("particle_ref"), str):
            env.particle_ref = dct["particle_ref"]
        elif dct.get("particle_ref") is not None:
            env.particle_ref = Particles.from_dict(dct["particle_ref"], _context=_context)
        env.metadata = dict(dct.get("metadata") or {})
        for nn, ll in (dct.get("lines") or {}).items():
            env._line_from_names(ll["element_names"], name=nn)
        if dct.get("__class__") == "Line" and "element_names" in dct:
            env._line_from_names(dct["element_names"], name="line")
        for nn in element_dict:
            if nn.startswith("||drift_"):
                try:
                    env._drift_counter = max(env._drift_counter, int(nn.split("_")[-1]))
                except ValueError:
                    pass
        return env

    def to_json(self, file, indent=1, **kwargs):
        """Write `to_dict()` as JSON to `file` (path, `.gz` path or file object)."""
        from .. import json as xjson

        xjson.dump(self.to_dict(**kwargs), file, indent=indent)

    @classmethod
    def from_json(cls, file, **kwargs):
        """Environment from a JSON file written by `to_json` (or a line JSON file)."""
        from .. import json as xjson

        return cls.from_dict(xjson.load(file), **kwargs)

    @classmethod
    def from_madx(cls, filename=None, madx=None, stdout=None, return_lines=False, **kwargs):
        """Environment from a MAD-X file (through the MAD-X loader, `xtrack.madx`)."""
        try:
            from .. import madx as _madx
        except ImportError:
            raise NotImplementedError("Environment.from_madx needs the MAD-X loader (xtrack.madx), "
                                      "not available in this installation.") from None
        return _madx.environment_from_madx(filename=filename, madx=madx, stdout=stdout,
                                           return_lines=return_lines, **kwargs)

    def copy(self):
        return type(self).from_dict(self.to_dict())

    # -------------------------------------------------------------- trackers
    def build_trackers(self, _context=None, _buffer=None, **kwargs):
        """Build the tracker of every line."""
        for line in self._lines.values():
            line.build_tracker(_context=_context, _buffer=_buffer, **kwargs)

    def discard_trackers(self):
        """Discard the tracker of every line."""
        for line in self._lines.values():
            line.discard_tracker()

    def __repr__(self):
        return (f"<Environment: {len(self._element_dict)} elements, "
                f"{len(self._var_management.var_values)} variables, lines {list(self._lines)}>")


def _expr_text(expr):
    return repr(expr)


def _check_array_field_value(cls, attr, value):
    """TypeError for a scalar given to an array field, ValueError for ragged nesting
    (the element would otherwise store a broadcast or fail deep inside numpy)."""
    import xobjects as xo

    ftype = getattr(cls, "_xofields", {}).get(attr)
    if not (isinstance(ftype, type) and issubclass(ftype, xo.Array)):
        return
    if isinstance(value, (bool, int, float, complex, np.number)):
        # (a reference to a whole array field, env.ref['mq'].knl, is fine)
        raise TypeError(f"{cls.__name__}: {attr} should be an iterable (a list or array, "
                        f"items may be expressions), got {value!r}.")
    ndim = len(getattr(ftype, "_shape", (None,)))
    if ndim > 1 and isinstance(value, (list, tuple)):
        lengths = {len(row) if isinstance(row, (list, tuple, np.ndarray)) else -1 for row in value}
        if len(lengths) > 1 or -1 in lengths:
            raise ValueError(f"{cls.__name__}: {attr} must be a rectangular array of shape "
                             f"{tuple(ftype._shape)}, got rows of lengths "
                             f"{[len(r) if hasattr(r, '__len__') else 'scalar' for r in value]}.")


def _equal_dicts(a, b):
    """Equality of two element dicts whose values may be arrays or nested dicts."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal_dicts(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, np.ndarray)) or isinstance(b, (list, tuple, np.ndarray)):
        try:
            return bool(np.array_equal(np.asarray(a), np.asarray(b)))
        except (TypeError, ValueError):
            return False
    try:
        return bool(a == b)
    except Exception:
        return False


def _expr_var_names(expr):
    import re

    return re.findall(r"vars\['([^']+)'\]", _expr_text(expr))


def _vars_of(env, element_name):
    names = []
    for _, _, expr in env._element_exprs(element_name):
        names += _expr_var_names(expr)
    return list(dict.fromkeys(names))


def _class_names():
    from ..beam_elements import base

    return list(base._ELEMENT_CLASSES)


def _prototype_argument(prototype, kwargs):
    """The prototype of `Environment.new`, also from the deprecated keywords `parent` and `cls`."""
    import warnings

    given = {"prototype": prototype} if prototype is not None else {}
    for old in ("parent", "cls"):
        if old in kwargs:
            given[old] = kwargs.pop(old)
    if len(given) > 1:
        raise TypeError(f"new: Only one of `prototype`, `parent` and `cls` may be given, got "
                        f"{sorted(given)}.")
    for old in given:
        if old != "prototype":
            warnings.warn(f"new: the `{old}` argument is deprecated; use `prototype`.", FutureWarning,
                          stacklevel=3)
    if not given:
        raise TypeError("new: missing the prototype (an element class, class name, element or line).")
    return next(iter(given.values()))


def _has_expr_items(items):
    """True if a (nested) list holds a string or a reference."""
    stack = list(items)
    while stack:
        vv = stack.pop()
        if isinstance(vv, (str, BaseRef)):
            return True
        if isinstance(vv, (list, tuple)):
            stack.extend(vv)
    return False
