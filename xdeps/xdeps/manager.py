"""The manager: registry of containers, expressions (tasks) and their dependencies.

A *task* is a target reference driven by an expression. For every task the
manager records the references the expression reads (``deps``) and the
reverse map (``rdeps``: reference -> targets reading it). Setting a value or
an expression updates, in dependency order, every target that depends on the
changed reference, transitively.

Evaluation does not walk expression trees: the xdeps text of an expression
(``((-vars['kqf']) * 1.1)``) is valid Python once the labels are bound to the
containers themselves, so it is compiled once and evaluated against a
namespace of raw containers. The update order for a changed reference is
cached until the set of tasks changes.
"""

import re
from collections import defaultdict

from .errors import CyclicDependencyError, ExpressionError, unknown_name
from .functions import Functions
from .refs import AttrRef, BaseRef, MutableRef, Ref

#: A plain reference chain such as ``element_refs['mb.a1'].knl[2]``: parsed
#: without compiling, since most loaded targets are unique strings.
_REF_CHAIN = re.compile(r"([A-Za-z_]\w*)((?:\['[^'\\]*'\]|\[\d+\]|\.[A-Za-z_]\w*)*)")
_REF_PART = re.compile(r"\['([^'\\]*)'\]|\[(\d+)\]|\.([A-Za-z_]\w*)")

#: Names evaluated inside compiled expressions besides the container labels.
_SAFE_BUILTINS = {"float": float}


class Manager:
    """Registry of containers and of the expressions that drive their entries.

    Examples
    --------
    >>> mgr = Manager()
    >>> values = {}
    >>> v = mgr.ref(values, 'vars')
    >>> v['a'] = 2.0
    >>> v['b'] = v['a'] * 3
    >>> v['a'] = 5.0
    >>> values['b']
    15.0
    """

    def __init__(self):
        self.containers = {}
        self.tasks = {}
        self.deps = {}
        self.rdeps = defaultdict(set)
        self._children = defaultdict(set)
        self._codes = {}
        self._code_cache = {}
        self._order_cache = {}
        self._namespace = dict(_SAFE_BUILTINS, __builtins__={})
        self._ref_namespace = dict(_SAFE_BUILTINS, __builtins__={})
        self.functions = Functions()
        self.ref(self.functions, "f")

    # ------------------------------------------------------------------ containers
    def ref(self, container=None, label="_"):
        """Register ``container`` under ``label`` and return its root reference.

        Parameters
        ----------
        container : object
            Dict-like or object whose items/attributes become targets.
        label : str
            Name of the container in expressions (``vars``, ``element_refs``, ``f``).
        """
        if not isinstance(label, str) or not label.isidentifier():
            raise ValueError(f"label must be a Python identifier, got {label!r}")
        if container is None:
            container = {}
        root = Ref(container, label, self)
        self.containers[label] = root
        self._namespace[label] = container
        self._ref_namespace[label] = root
        if label == "f" and isinstance(container, Functions):
            self.functions = container
        self._order_cache.clear()
        return root

    # ------------------------------------------------------------------ assignment
    def set_value(self, ref, value):
        """Assign a constant or an expression to ``ref`` and update its dependents.

        An expression replaces any previous one; a constant removes it.
        Raises :class:`CyclicDependencyError` (nothing modified) when the
        expression reads ``ref`` itself, directly or through other tasks.
        """
        if not isinstance(ref, MutableRef) or isinstance(ref, Ref):
            raise TypeError(f"set_value: ref must be an attribute or item reference, got {ref!r}")
        if isinstance(value, BaseRef):
            deps = value._get_dependencies()
            self._check_cycle(ref, deps)
            self._unregister(ref)
            self._register(ref, value, deps)
            ref._set_value(self._evaluate(ref))
        else:
            if ref in self.tasks:
                self._unregister(ref)
            ref._set_value(value)
        self._propagate(ref)

    def delete(self, ref):
        """Remove the expression of ``ref`` (if any) and the entry itself."""
        self._unregister(ref)
        owner = ref._owner._get_value()
        if type(ref).__name__ == "ItemRef":
            del owner[ref._key]
        else:
            delattr(owner, ref._key)

    def set_values(self, pairs):
        """Assign several constants, then update the dependents once."""
        for ref, value in pairs:
            if ref in self.tasks:
                self._unregister(ref)
            ref._set_value(value)
        order = self._order_for([ref for ref, _ in pairs])
        self._run(order)

    # ------------------------------------------------------------------ graph upkeep
    def _register(self, target, expr, deps, code=None):
        self.tasks[target] = expr
        self.deps[target] = deps
        rdeps = self.rdeps
        children = self._children
        for dep in deps:
            rdeps[dep].add(target)
            child = dep
            parent = child._parent()
            while parent is not None and not isinstance(parent, Ref):
                known = children[parent]
                if child in known:
                    break
                known.add(child)
                child, parent = parent, parent._parent()
        if code is not None:
            self._codes[target] = code
        self._order_cache.clear()

    def _unregister(self, target):
        if target not in self.tasks:
            return
        del self.tasks[target]
        self._codes.pop(target, None)
        for dep in self.deps.pop(target):
            targets = self.rdeps.get(dep)
            if targets is not None:
                targets.discard(target)
                if not targets:
                    del self.rdeps[dep]
        self._order_cache.clear()

    def _check_cycle(self, target, deps):
        """Raise if ``target`` is reachable from ``deps`` through tasks."""
        parent = {}
        stack = []
        for dep in deps:
            if dep not in parent:
                parent[dep] = None
                stack.append(dep)
        while stack:
            ref = stack.pop()
            if self._overlaps(ref, target):
                chain = [ref]
                while parent[chain[-1]] is not None:
                    chain.append(parent[chain[-1]])
                raise CyclicDependencyError([target] + chain[::-1])
            for dep in self.deps.get(ref, ()):
                if dep not in parent:
                    parent[dep] = ref
                    stack.append(dep)

    @staticmethod
    def _overlaps(ref, target):
        """True when ``ref`` is ``target`` or lies inside it (or contains it)."""
        for a, b in ((ref, target), (target, ref)):
            node = a
            while node is not None:
                if node == b:
                    return True
                node = node._parent() if isinstance(node, MutableRef) else None
        return False

    def _dependents(self, ref):
        """Targets to update when ``ref`` changes: readers of it, of its parts and of its owners."""
        rdeps = self.rdeps
        direct = rdeps.get(ref)
        out = set(direct) if direct else set()
        stack = list(self._children.get(ref, ()))
        while stack:
            child = stack.pop()
            out.update(rdeps.get(child, ()))
            stack.extend(self._children.get(child, ()))
        parent = ref._owner
        # Walk the owners up to (excluding) the root container.
        while isinstance(parent, MutableRef) and type(parent) is not Ref:
            readers = rdeps.get(parent)
            if readers:
                out.update(readers)
            parent = parent._owner
        return out

    def _order_for(self, sources):
        """Targets depending on ``sources``, sorted so inputs come before users."""
        key = sources[0] if len(sources) == 1 else None
        if key is not None and key in self._order_cache:
            return self._order_cache[key]
        visited = set(sources)
        post = []
        for source in sources:
            stack = [(source, iter(self._dependents(source)))]
            while stack:
                node, it = stack[-1]
                for nxt in it:
                    if nxt not in visited:
                        visited.add(nxt)
                        stack.append((nxt, iter(self._dependents(nxt))))
                        break
                else:
                    stack.pop()
                    post.append(node)
        source_set = set(sources)
        order = [t for t in reversed(post) if t not in source_set]
        if key is not None:
            self._order_cache[key] = order
        return order

    def _propagate(self, ref):
        self._run(self._order_for([ref]))

    def _run(self, order):
        for target in order:
            target._set_value(self._evaluate(target))

    # ------------------------------------------------------------------ evaluation
    def _compile(self, text):
        code = self._code_cache.get(text)
        if code is None:
            code = compile(text, "<xdeps expression>", "eval")
            self._code_cache[text] = code
        return code

    def _evaluate(self, target):
        """Value of the expression of ``target``, by compiled code when possible."""
        code = self._codes.get(target)
        if code is None:
            try:
                code = self._compile(repr(self.tasks[target]))
            except SyntaxError:
                code = False
            self._codes[target] = code
        if code is not False:
            try:
                return eval(code, self._namespace)
            except NameError:
                # A constant without a Python literal (e.g. an array): walk the tree.
                self._codes[target] = False
            except Exception as err:
                raise ExpressionError(
                    f"evaluating {target!r} = {self.tasks[target]!r} failed: {err}"
                ) from err
        expr = self.tasks[target]
        try:
            return expr._get_value()
        except Exception as err:
            raise ExpressionError(f"evaluating {target!r} = {expr!r} failed: {err}") from err

    # ------------------------------------------------------------------ parsing
    def eval_xdeps(self, text):
        """Parse xdeps syntax (``vars['a'] * 2``) into a reference or expression."""
        match = _REF_CHAIN.fullmatch(text)
        if match is not None and match.group(1) in self.containers:
            ref = self.containers[match.group(1)]
            for key, index, attr in _REF_PART.findall(match.group(2)):
                if attr:
                    ref = AttrRef(ref, attr, self)
                elif index:
                    ref = ref[int(index)]
                else:
                    ref = ref[key]
            return ref
        try:
            code = self._compile(text)
        except SyntaxError as err:
            raise ExpressionError(f"cannot parse expression {text!r}: {err.msg}") from None
        try:
            return eval(code, self._ref_namespace)
        except NameError as err:
            name = str(err).split("'")[1] if "'" in str(err) else str(err)
            raise unknown_name("container", name, list(self.containers), where=repr(text)) from None

    # ------------------------------------------------------------------ dump / load
    def dump(self):
        """Return the tasks as ``[[target, expression], ...]``, inputs before users."""
        return [[repr(t), repr(self.tasks[t])] for t in self._topological_tasks()]

    def load(self, dump, evaluate=True):
        """Register the ``[target, expression]`` string pairs of :meth:`dump`.

        Parameters
        ----------
        dump : list of (str, str)
            Pairs as stored in the ``_var_manager`` section of line JSON files.
        evaluate : bool
            If True (default) every loaded target is recomputed from its
            inputs, in dependency order, after all pairs are registered.
        """
        loaded = []
        for pair in dump:
            if len(pair) != 2:
                raise ValueError(f"load: each entry must be [target, expression], got {pair!r}")
            target_text, expr_text = pair
            target = self.eval_xdeps(target_text)
            if not isinstance(target, MutableRef) or isinstance(target, Ref):
                raise ValueError(f"load: {target_text!r} is not an assignable reference")
            expr = self.eval_xdeps(expr_text)
            if not isinstance(expr, BaseRef):
                # A constant stored as an expression: just a value.
                target._set_value(expr)
                continue
            self._unregister(target)
            self._register(target, expr, expr._get_dependencies(), code=self._compile(expr_text))
            loaded.append(target)
        try:
            order = self._topological_tasks()
        except CyclicDependencyError:
            for target in loaded:
                self._unregister(target)
            raise
        if evaluate:
            wanted = set(loaded)
            self._run([t for t in order if t in wanted])

    def _topological_tasks(self):
        """All task targets, inputs before users; raises on a cycle."""
        tasks = self.tasks
        indegree = {}
        users = defaultdict(list)
        for target in tasks:
            n = 0
            for dep in self.deps[target]:
                for source in self._task_sources(dep):
                    users[source].append(target)
                    n += 1
            indegree[target] = n
        ready = [t for t, n in indegree.items() if n == 0]
        order = []
        while ready:
            target = ready.pop()
            order.append(target)
            for user in users.get(target, ()):
                indegree[user] -= 1
                if indegree[user] == 0:
                    ready.append(user)
        if len(order) != len(tasks):
            raise CyclicDependencyError(self._find_cycle(t for t, n in indegree.items() if n > 0))
        return order

    def _task_sources(self, dep):
        """Tasks whose target is ``dep`` or one of its owners (which write it)."""
        node = dep
        while node is not None and not isinstance(node, Ref):
            if node in self.tasks:
                yield node
            node = node._parent()

    def _find_cycle(self, stuck):
        """A loop among ``stuck`` targets (each still waits for another stuck one)."""
        stuck = set(stuck)
        node = next(iter(stuck))
        path = [node]
        seen = {node: 0}
        while True:
            nxt = next(s for d in self.deps[node] for s in self._task_sources(d) if s in stuck)
            if nxt in seen:
                return path[seen[nxt]:] + [nxt]
            seen[nxt] = len(path)
            path.append(nxt)
            node = nxt

    # ------------------------------------------------------------------ queries
    def find_deps(self, refs):
        """All references that ``refs`` depend on, transitively (not including ``refs``)."""
        out = []
        seen = set(refs)
        stack = list(refs)
        while stack:
            ref = stack.pop()
            for dep in self.deps.get(ref, ()):
                if dep not in seen:
                    seen.add(dep)
                    out.append(dep)
                    stack.append(dep)
        return out

    def find_dependent_targets(self, ref):
        """All targets updated when ``ref`` changes, in update order."""
        return list(self._order_for([ref]))

    def find_tasks(self, refs=None):
        """Tasks (target -> expression) depending on ``refs``; all tasks when None."""
        if refs is None:
            return dict(self.tasks)
        return {t: self.tasks[t] for t in self._order_for(list(refs))}

    def info_text(self, ref, limit=30):
        """Text describing value, expression, inputs and dependents of ``ref``."""
        from .info import info_text

        return info_text(self, ref, limit=limit)

    def copy(self):
        """Return a manager over the same containers with the same tasks."""
        other = Manager()
        for label, root in self.containers.items():
            other.ref(root._owner, label)
        other.load(self.dump(), evaluate=False)
        return other
