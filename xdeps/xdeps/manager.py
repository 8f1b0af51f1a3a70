"""The manager: registry of containers, expressions (tasks) and their dependencies.

A *task* is a target reference driven by an expression. For every task the
manager records the references the expression reads (``deps``) and the
reverse map (``rdeps``: reference -> targets reading it). Setting a value or
an expression updates, in dependency order, every target that depends on the
changed reference, transitively.

Evaluation does not walk expression trees: the xdeps text of an expression
(``((-vars['kqf']) * 1.1)``) is valid Python once the labels are bound to the
containers themselves, so it is compiled once and evaluated against a
namespace of raw containers.

The dependency graph is kept over integer ids (one per reference that is a
target, an input or the owner of one), so that computing the update order of
a changed reference walks lists and sets of ints instead of hashing reference
objects. The order of a changed reference is cached, with the list of
``[code, kind, ...]`` update entries it runs, until the graph changes; the
first update after a change and the following ones run the same loop.
"""

import gc
import re
from collections import defaultdict

from .errors import CyclicDependencyError, ExpressionError, unknown_name
from .functions import Functions
from .refs import AttrRef, BaseRef, ItemRef, MutableRef, Ref

#: A plain reference chain such as ``element_refs['mb.a1'].knl[2]``: parsed
#: without compiling, since most loaded targets are unique strings.
_REF_CHAIN = re.compile(r"([A-Za-z_]\w*)((?:\['[^'\\]*'\]|\[\d+\]|\.[A-Za-z_]\w*)*)")
_REF_PART = re.compile(r"\['([^'\\]*)'\]|\[(\d+)\]|\.([A-Za-z_]\w*)")

#: Names evaluated inside compiled expressions besides the container labels.
_SAFE_BUILTINS = {"float": float}

#: How an update entry assigns its value (see :meth:`Manager._new_entry`):
#: through the target's own ``_set_value``, ``root[key]``,
#: ``root[key].attr`` or ``root[key].attr[index]``.
_SET_GENERIC, _SET_ITEM, _SET_ITEM_ATTR, _SET_ITEM_ATTR_ITEM = 0, 1, 2, 3


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
        # Dependency graph over integer ids, one per reference seen as a
        # target, an input, or the (non-root) owner of one.
        self._ids = {}  # reference -> id
        self._refs = []  # id -> reference
        self._up = []  # id -> id of the owner, -1 when the owner is a root container
        self._kids = []  # id -> set of the ids owned by it that are (or were) read, or None
        self._readers = []  # id -> set of ids of the targets reading it, or None
        self._entries = []  # id -> update entry of its task, or None (see _new_entry)
        self._dep_ids = []  # id -> ids of the inputs of its task, or None
        self._owns = []  # id -> True when some id has it as owner
        self._read_parents = set()  # ids that both own another id and have readers
        self._code_cache = {}
        self._order_cache = {}  # changed reference -> [order as ids, update entries or None]
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
        self._update([ref])

    def delete(self, ref):
        """Remove the expression of ``ref`` (if any) and the entry itself."""
        self._unregister(ref)
        owner = ref._owner._get_value()
        if isinstance(ref, ItemRef):
            del owner[ref._key]
        else:
            delattr(owner, ref._key)

    def set_values(self, pairs):
        """Assign several constants, then update the dependents once."""
        for ref, value in pairs:
            if ref in self.tasks:
                self._unregister(ref)
            ref._set_value(value)
        self._update([ref for ref, _ in pairs])

    # ------------------------------------------------------------------ graph upkeep
    def _intern(self, ref):
        """Id of ``ref`` in the graph, adding it (and its owners) when new."""
        node = self._ids.get(ref)
        if node is not None:
            return node
        owner = ref._owner
        up = self._intern(owner) if isinstance(owner, MutableRef) and type(owner) is not Ref else -1
        node = len(self._refs)
        self._ids[ref] = node
        self._refs.append(ref)
        self._up.append(up)
        self._kids.append(None)
        self._readers.append(None)
        self._entries.append(None)
        self._dep_ids.append(None)
        self._owns.append(False)
        if up >= 0 and not self._owns[up]:
            self._owns[up] = True
            if self._readers[up]:
                self._read_parents.add(up)
        return node

    def _link_to_owners(self, node):
        """Record ``node`` (now read by a task) in the kids of its owners."""
        up, all_kids = self._up, self._kids
        parent = up[node]
        while parent >= 0:
            kids = all_kids[parent]
            if kids is None:
                all_kids[parent] = {node}
            elif node in kids:
                break
            else:
                kids.add(node)
            node, parent = parent, up[parent]

    def _register(self, target, expr, deps, code=None):
        self.tasks[target] = expr
        self.deps[target] = deps
        node = self._intern(target)
        readers = self._readers
        dep_ids = self._dep_ids[node] = []
        for dep in deps:
            dep_id = self._intern(dep)
            dep_ids.append(dep_id)
            users = readers[dep_id]
            if users is None:
                readers[dep_id] = {node}
                if self._owns[dep_id]:
                    self._read_parents.add(dep_id)
                self._link_to_owners(dep_id)
            else:
                users.add(node)
        self._entries[node] = self._new_entry(target, code)
        self._order_cache.clear()

    def _unregister(self, target):
        if target not in self.tasks:
            return
        del self.tasks[target]
        node = self._ids[target]
        self._entries[node] = None
        del self.deps[target]
        dep_ids, self._dep_ids[node] = self._dep_ids[node], None
        readers = self._readers
        for dep_id in dep_ids:
            users = readers[dep_id]
            users.discard(node)
            if not users:
                readers[dep_id] = None
                self._read_parents.discard(dep_id)
        self._order_cache.clear()

    @property
    def rdeps(self):
        """Reference -> set of the targets whose expressions read it (built on request)."""
        refs = self._refs
        return {refs[i]: {refs[t] for t in users} for i, users in enumerate(self._readers) if users}

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

    def _dependents_of_id(self, node):
        """Ids of the targets reading ``node``, one of its parts or one of its owners."""
        readers, kids = self._readers, self._kids
        out = set(readers[node] or ())
        stack = list(kids[node] or ())
        while stack:
            child = stack.pop()
            out.update(readers[child] or ())
            stack.extend(kids[child] or ())
        self._add_owner_readers(self._up[node], out)
        return out

    def _add_owner_readers(self, node, out):
        """Add to ``out`` the readers of ``node`` and of its owners (``node`` -1: none)."""
        readers, up = self._readers, self._up
        while node >= 0:
            out.update(readers[node] or ())
            node = up[node]

    def _source_dependents(self, ref):
        """Ids of the targets to update when ``ref`` changes (``ref`` may be unknown)."""
        node = self._ids.get(ref)
        if node is not None:
            return self._dependents_of_id(node)
        # Not in the graph, so none of its parts is: only its owners may be read.
        out = set()
        parent = ref._owner if isinstance(ref, MutableRef) and type(ref) is not Ref else None
        while isinstance(parent, MutableRef) and type(parent) is not Ref:
            node = self._ids.get(parent)
            if node is not None:
                self._add_owner_readers(node, out)
                break
            parent = parent._owner
        return out

    def _order_ids(self, sources):
        """Ids of the targets depending on ``sources``, inputs before users.

        Iterative depth-first search over ids. While no owner of another id
        has readers, a target none of whose parts is read is expanded by its
        reader set directly.
        """
        readers, kids = self._readers, self._kids
        plain = not self._read_parents
        visited = {self._ids[s] for s in sources if s in self._ids}
        post = []
        for source in sources:
            nodes = [-1]
            iters = [iter(self._source_dependents(source))]
            while iters:
                for nxt in iters[-1]:
                    if nxt not in visited:
                        visited.add(nxt)
                        nodes.append(nxt)
                        if plain and kids[nxt] is None:
                            iters.append(iter(readers[nxt] or ()))
                        else:
                            iters.append(iter(self._dependents_of_id(nxt)))
                        break
                else:
                    iters.pop()
                    post.append(nodes.pop())
            post.pop()  # the source itself
        post.reverse()
        return post

    def _cached_order(self, sources):
        """``[order ids, update entries or None]`` for ``sources``, cached for one source."""
        key = sources[0] if len(sources) == 1 else None
        cached = self._order_cache.get(key) if key is not None else None
        if cached is None:
            cached = [self._order_ids(sources), None]
            if key is not None:
                self._order_cache[key] = cached
        return cached

    def _order_for(self, sources):
        """Targets depending on ``sources``, sorted so inputs come before users."""
        refs = self._refs
        return [refs[t] for t in self._cached_order(sources)[0]]

    def _update(self, sources):
        """Recompute every target depending on ``sources``, in order."""
        cached = self._cached_order(sources)
        if cached[1] is None:
            entries = self._entries
            cached[1] = [entries[t] for t in cached[0]]
        self._run(cached[1])

    def _run(self, entries):
        """Evaluate and assign each update entry in turn.

        The common target shapes are assigned inline; any other shape, and
        any entry that raises, goes through :meth:`_update_target` (which
        gives the exact error or falls back to walking the tree).
        """
        namespace = self._namespace
        remaining = iter(entries)
        while True:
            try:
                for code, kind, root, key, attr, index, target in remaining:
                    if kind == _SET_ITEM_ATTR:
                        setattr(root[key], attr, eval(code, namespace))
                    elif kind == _SET_ITEM:
                        root[key] = eval(code, namespace)
                    elif kind == _SET_ITEM_ATTR_ITEM:
                        getattr(root[key], attr)[index] = eval(code, namespace)
                    else:
                        self._update_target(target)
                return
            except Exception:
                if kind == _SET_GENERIC:
                    raise
                self._update_target(target)

    def _update_target(self, target):
        target._set_value(self._evaluate(target))

    # ------------------------------------------------------------------ evaluation
    def _compile(self, text):
        code = self._code_cache.get(text)
        if code is None:
            code = compile(text, "<xdeps expression>", "eval")
            self._code_cache[text] = code
        return code

    def _new_entry(self, target, code):
        """Update entry ``[code, kind, root, key, attr, index, target]`` of a task.

        ``kind`` says how :meth:`_run` assigns the value without calling the
        references (``_SET_GENERIC`` when the code is not compiled yet or the
        target has another shape).
        """
        entry = [code, _SET_GENERIC, None, None, None, None, target]
        if code:
            kind = type(target)
            owner = target._owner
            if kind is ItemRef and type(owner) is Ref:
                entry[1:4] = _SET_ITEM, owner._owner, target._key
            elif type(owner) in (AttrRef, ItemRef):
                index = None
                if kind is ItemRef and type(owner) is AttrRef:
                    index, kind, target_key = target._key, _SET_ITEM_ATTR_ITEM, owner._key
                    owner = owner._owner
                elif kind is AttrRef:
                    kind, target_key = _SET_ITEM_ATTR, target._key
                else:
                    return entry
                if type(owner) is ItemRef and type(owner._owner) is Ref:
                    entry[1:6] = kind, owner._owner._owner, owner._key, target_key, index
        return entry

    def _set_code(self, target, code):
        entry = self._new_entry(target, code)
        old = self._entries[self._ids[target]]
        old[:] = entry  # cached update lists hold this very entry

    def _evaluate(self, target):
        """Value of the expression of ``target``, by compiled code when possible."""
        code = self._entries[self._ids[target]][0]
        if code is None:
            try:
                code = self._compile(repr(self.tasks[target]))
            except SyntaxError:
                code = False
            self._set_code(target, code)
        if code is not False:
            try:
                return eval(code, self._namespace)
            except NameError:
                # A constant without a Python literal (e.g. an array): walk the tree.
                self._set_code(target, False)
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
        # Loading allocates many long-lived objects and no garbage cycles:
        # pausing the cyclic collector saves its repeated full scans.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load(dump, evaluate)
        finally:
            if collecting:
                gc.enable()

    def _load(self, dump, evaluate):
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
            order = self._topological_ids()
        except CyclicDependencyError:
            for target in loaded:
                self._unregister(target)
            raise
        if evaluate:
            ids, entries = self._ids, self._entries
            wanted = {ids[t] for t in loaded}
            self._run([entries[t] for t in order if t in wanted])

    def _topological_tasks(self):
        """All task targets, inputs before users; raises on a cycle."""
        refs = self._refs
        return [refs[t] for t in self._topological_ids()]

    def _topological_ids(self):
        """Ids of all task targets, inputs before users (Kahn); raises on a cycle."""
        ids, up, entries, dep_ids = self._ids, self._up, self._entries, self._dep_ids
        tasks = [ids[t] for t in self.tasks]
        indegree = [0] * len(self._refs)
        users = defaultdict(list)
        for target in tasks:
            n = 0
            for node in dep_ids[target]:
                # Tasks whose target is the input or one of its owners write it.
                while node >= 0:
                    if entries[node] is not None:
                        users[node].append(target)
                        n += 1
                    node = up[node]
            indegree[target] = n
        ready = [t for t in tasks if indegree[t] == 0]
        order = []
        while ready:
            target = ready.pop()
            order.append(target)
            for user in users.get(target, ()):
                indegree[user] -= 1
                if indegree[user] == 0:
                    ready.append(user)
        if len(order) != len(tasks):
            raise CyclicDependencyError(self._find_cycle(users, indegree))
        return order

    def _find_cycle(self, users, indegree):
        """A loop among the targets left unsorted (``indegree`` > 0) by :meth:`_topological_ids`.

        Each of them waits for another one, so following "waits for" from
        any of them must come back to a target already seen.
        """
        waits_for = {}
        for node, readers in users.items():
            if indegree[node] > 0:
                for user in readers:
                    if indegree[user] > 0:
                        waits_for.setdefault(user, node)
        node = next(iter(waits_for))
        path = [node]
        seen = {node: 0}
        while True:
            nxt = waits_for[node]
            if nxt in seen:
                refs = self._refs
                return [refs[t] for t in path[seen[nxt]:] + [nxt]]
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
        return self._order_for([ref])

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
