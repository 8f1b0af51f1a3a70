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

import ast
import gc
import re
from collections import defaultdict

from .errors import CyclicDependencyError, ExpressionError, UnknownNameError, unknown_name
from .functions import Functions
from .parser import check_xdeps_ast, parse_xdeps
from .refs import AttrRef, BaseRef, Expr, ItemRef, MutableRef, ObjectAttrRef, Ref, RefCount
from .printer import fold
from .taskdefs import ExprTask, Task, TasksView

#: A plain reference chain such as ``element_refs['mb.a1'].knl[2]``: parsed
#: without the general parser, since most loaded targets are unique strings.
_REF_CHAIN = re.compile(r"([A-Za-z_]\w*)((?:\['[^'\\]*'\]|\[\d+\]|\.[A-Za-z]\w*)*)", re.ASCII)
_REF_PART = re.compile(r"\['([^'\\]*)'\]|\[(\d+)\]|\.([A-Za-z]\w*)", re.ASCII)
#: The same chain split before its last part: (prefix, key, index, attr).
_LAST_PART = re.compile(r"(.+)(?:\['([^'\\]*)'\]|\[(\d+)\]|\.([A-Za-z]\w*))\Z", re.ASCII | re.DOTALL)

#: Names evaluated inside compiled expressions besides the container labels.
_SAFE_BUILTINS = {"float": float}

#: How an update entry assigns its value (see :meth:`Manager._new_entry`):
#: through the target's own ``_set_value`` (or the task's ``run``),
#: ``root[key]``, ``root[key].attr`` or ``root[key].attr[index]``.
_SET_GENERIC, _SET_ITEM, _SET_ITEM_ATTR, _SET_ITEM_ATTR_ITEM = 0, 1, 2, 3

#: Journal records (see :meth:`Manager._restore`): ``obj[key]`` or ``obj.key``.
_J_ITEM, _J_ATTR, _J_RUN = 0, 1, 2
_MISSING = object()


class _Records(list):
    """Journal records of one entry that went through the generic path."""


def _root_label(ref):
    node = ref
    while isinstance(node, MutableRef) and not isinstance(node, Ref):
        node = node._owner
    return node._key if isinstance(node, Ref) else None


def _with_owners(ref):
    """``ref`` and its owners below the root container (the root excluded)."""
    out = []
    node = ref
    while isinstance(node, MutableRef) and not isinstance(node, Ref):
        out.append(node)
        node = node._owner
    return out if out else [ref]


def _snapshot(ref):
    """Journal record of the current value at ``ref`` (``_MISSING`` when absent)."""
    owner = ref._owner._get_value()
    if isinstance(ref, AttrRef):
        return (_J_ATTR, owner, ref._key, getattr(owner, ref._key, _MISSING))
    try:
        old = owner[ref._key]
    except (KeyError, IndexError, TypeError):
        old = _MISSING
    return (_J_ITEM, owner, ref._key, old)


class Manager:
    """Registry of containers and of the tasks (expressions) that drive their entries.

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
        self._exprs = {}  # target -> expression
        self._custom = {}  # taskid -> task registered with register()
        self.tasks = TasksView(self)
        self.deps = {}  # taskid -> set of the references it reads
        # Dependency graph over integer ids, one per reference seen as a
        # target, an input, or the (non-root) owner of one, and per taskid
        # of a registered task.
        self._ids = {}  # reference or taskid -> id
        self._refs = []  # id -> reference or taskid
        self._up = []  # id -> id of the owner, -1 when the owner is a root container
        self._kids = []  # id -> set of the ids owned by it that are (or were) read, or None
        self._readers = []  # id -> set of ids of the tasks reading it, or None
        self._entries = []  # id -> update entry of its task, or None (see _new_entry)
        self._dep_ids = []  # id -> ids of the inputs of its task, or None
        self._writes = []  # id -> ids of the targets of a registered task, or None
        self._owns = []  # id -> True when some id has it as owner
        self._read_parents = set()  # ids that both own another id and have readers
        self._code_cache = {}  # text -> compiled code
        self._checked = set()  # texts of _code_cache checked by check_xdeps_ast
        self._order_cache = {}  # changed reference -> [order as ids, update entries or None]
        self._views = None  # rdeps, rtasks, deptasks, tartasks (built on request)
        self._namespace = dict(_SAFE_BUILTINS, __builtins__={})
        # The builtin functions (``f.sqrt``) are always available to
        # expressions, without being a registered container: ``ref(obj, 'f')``
        # replaces them.
        self.functions = Functions()
        self._builtin_f = Ref(self.functions, "f", self)
        self._namespace["f"] = self.functions

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
        return self._add_container(container, label, Ref)

    def refattr(self, container=None, label="_"):
        """Like :meth:`ref`, but attributes of the root are the container's items (``root.a``)."""
        return self._add_container(container, label, ObjectAttrRef)

    def _add_container(self, container, label, kind):
        if not isinstance(label, str) or not label.isidentifier():
            raise ValueError(f"label must be a Python identifier, got {label!r}")
        if container is None:
            container = {}
        root = kind(container, label, self)
        self.containers[label] = root
        self._namespace[label] = container
        if label == "f" and isinstance(container, Functions):
            self.functions = container
        self._order_cache.clear()
        return root

    # ------------------------------------------------------------------ assignment
    def set_value(self, ref, value):
        """Assign a constant or an expression to ``ref`` and update its dependents.

        An expression replaces any previous one; a constant removes it. All
        or nothing: when the expression would make a cycle
        (:class:`CyclicDependencyError`), or it or a dependent fails to
        evaluate, every value and expression is left as it was before the
        call. Division by zero gives NaN, as in the established xdeps.
        """
        if not isinstance(ref, MutableRef) or isinstance(ref, Ref):
            raise TypeError(f"set_value: ref must be an attribute or item reference, got {ref!r}")
        if isinstance(value, BaseRef):
            deps = value._get_dependencies()
            order = self._check_cycle([ref], deps)
            code = self._code_for(value)
            new_value = self._value_of(ref, value, code)
            old = self._take_task(ref)
            self._register(ref, value, deps, code)
            # The dependents of ref are those it had: only edges into ref changed.
            self._order_cache[ref] = [order, None]
        else:
            new_value = value
            old = self._take_task(ref)
        journal = []
        try:
            journal.append(_snapshot(ref))
            ref._set_value(new_value)
            self._update([ref], journal)
        except BaseException:
            self._restore(journal)
            self._put_back([ref], [old])
            raise

    def delete(self, ref):
        """Remove the expression of ``ref`` (if any) and the entry itself."""
        self._unregister(ref)
        owner = ref._owner._get_value()
        if isinstance(ref, ItemRef):
            del owner[ref._key]
        else:
            delattr(owner, ref._key)

    def set_values(self, pairs):
        """Assign several constants, then update the dependents once (all or nothing)."""
        pairs = list(pairs)
        olds = [self._take_task(ref) for ref, _ in pairs]
        journal = []
        try:
            for ref, value in pairs:
                journal.append(_snapshot(ref))
                ref._set_value(value)
            self._update([ref for ref, _ in pairs], journal)
        except BaseException:
            self._restore(journal)
            self._put_back([ref for ref, _ in pairs], olds)
            raise

    def set_many(self, pairs, evaluate=True):
        """Assign many constants and expressions at once: ``[(target, value), ...]``.

        The same final values and expressions as ``set_value`` on each pair
        in turn (a target given twice keeps its last value), but the graph
        is extended in one pass and each affected target is evaluated once,
        inputs before users (:mod:`xdeps.bulk`). All or nothing: a cycle
        (:class:`CyclicDependencyError`) or a failing evaluation leaves
        every value and expression as before the call.

        With ``evaluate=False`` the expressions are registered (and checked
        for cycles) but nothing is evaluated: for targets that already hold
        the values of their expressions (as ``load(evaluate=False)``).

        Examples
        --------
        >>> mgr = Manager()
        >>> v = mgr.ref({'a': 1.0}, 'vars')
        >>> mgr.set_many([(v['b'], v['a'] * 2), (v['c'], v['b'] + 1), (v['a'], 3.0)])
        >>> v._owner['c']
        7.0
        """
        from .bulk import set_many

        set_many(self, pairs, evaluate=evaluate)

    def _take_task(self, target):
        """Unregister the expression of ``target``; return what restores it (or None)."""
        expr = self._exprs.get(target)
        if expr is None:
            return None
        code = self._entries[self._ids[target]][0]
        deps = self.deps[target]
        self._unregister(target)
        return (expr, deps, code)

    def _put_back(self, targets, olds):
        """Undo :meth:`_take_task` (and any expression registered since) for ``targets``."""
        for target, old in zip(reversed(targets), reversed(olds)):
            self._unregister(target)
            if old is not None:
                self._register(target, old[0], old[1], old[2])

    @staticmethod
    def _restore(journal):
        """Put back, newest first, the values recorded in ``journal``.

        A record is ``(kind, obj, key, old)``: ``obj[key]`` or ``obj.key``
        held ``old`` (``_MISSING``: nothing), or ``(_J_RUN, entries, olds,
        None)``: the old values of the targets of the first ``len(olds)``
        update entries (see :meth:`_run`).
        """
        for kind, obj, key, old in reversed(journal):
            if kind == _J_RUN:
                Manager._restore_run(obj, key)
            elif kind == _J_ATTR:
                if old is _MISSING:
                    try:
                        delattr(obj, key)
                    except AttributeError:
                        pass
                else:
                    setattr(obj, key, old)
            elif old is _MISSING:
                try:
                    del obj[key]
                except (KeyError, IndexError, TypeError):
                    pass
            else:
                obj[key] = old

    @staticmethod
    def _restore_run(entries, olds):
        for i in range(len(olds) - 1, -1, -1):
            old = olds[i]
            if type(old) is _Records:
                Manager._restore(old)
                continue
            _, kind, root, key, attr, index, _ = entries[i]
            if kind == _SET_ITEM:
                Manager._restore([(_J_ITEM, root, key, old)])
            elif kind == _SET_ITEM_ATTR:
                Manager._restore([(_J_ATTR, root[key], attr, old)])
            else:
                Manager._restore([(_J_ITEM, getattr(root[key], attr), index, old)])

    # ------------------------------------------------------------------ tasks
    def register(self, task):
        """Register a task (:class:`~xdeps.tasks.Task`); it runs when its inputs change.

        An :class:`~xdeps.tasks.ExprTask` becomes the expression of its
        target (not evaluated now). Raises :class:`CyclicDependencyError`
        when a target would depend on itself.
        """
        if isinstance(task, ExprTask):
            self._install([(task.taskid, task.expr, None, None)], evaluate=False, what="register")
            return
        if not isinstance(task, Task) and not (hasattr(task, "run") and hasattr(task, "taskid")):
            raise TypeError(f"register: expected a Task, got {type(task).__name__}")
        targets = list(task.targets)
        deps = set(task.dependencies)
        if task.taskid in self._custom:
            self.unregister(task.taskid)
        self._check_cycle(targets, deps)
        self._register(task.taskid, task, deps, None, targets=targets)

    def unregister(self, taskid):
        """Remove the task ``taskid`` (an expression target or a registered task id)."""
        if taskid not in self._exprs and taskid not in self._custom:
            raise unknown_name("task", taskid, [repr(t) for t in self.tasks])
        self._unregister(taskid)

    def tasks_of(self, ref):
        """Tasks whose targets include ``ref``."""
        out = []
        if ref in self._exprs:
            out.append(self.tasks[ref])
        out += [t for t in self._custom.values() if ref in t.targets]
        return out

    def run_tasks(self, tasks=None):
        """Run tasks in dependency order: all of them, or the task ids in ``tasks``.

        All or nothing: if one fails, every value is put back.
        """
        order = self._topological_ids()
        if tasks is not None:
            ids = self._ids
            wanted = {ids[t] for t in tasks if t in ids}
            order = [t for t in order if t in wanted]
        entries = self._entries
        journal = []
        try:
            self._run([entries[t] for t in order], journal)
        except BaseException:
            self._restore(journal)
            raise

    # ------------------------------------------------------------------ graph upkeep
    def _intern(self, ref):
        """Id of ``ref`` in the graph, adding it (and its owners) when new."""
        node = self._ids.get(ref)
        if node is not None:
            return node
        owner = ref._owner if isinstance(ref, MutableRef) else None
        up = self._intern(owner) if isinstance(owner, MutableRef) and not isinstance(owner, Ref) else -1
        node = len(self._refs)
        self._ids[ref] = node
        self._refs.append(ref)
        self._up.append(up)
        self._kids.append(None)
        self._readers.append(None)
        self._entries.append(None)
        self._dep_ids.append(None)
        self._writes.append(None)
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

    def _register(self, target, expr, deps, code=None, targets=None):
        """Add a task: ``target`` follows ``expr`` (or, with ``targets``, the task object ``expr``)."""
        if targets is None:
            self._exprs[target] = expr
        else:
            self._custom[target] = expr
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
        if targets is None:
            self._entries[node] = self._new_entry(target, code)
        else:
            self._writes[node] = [self._intern(t) for t in targets]
            self._entries[node] = [None, _SET_GENERIC, None, None, None, None, target]
        self._order_cache.clear()
        self._views = None

    def _unregister(self, target):
        if target in self._exprs:
            del self._exprs[target]
        elif target in self._custom:
            del self._custom[target]
        else:
            return
        node = self._ids[target]
        self._entries[node] = None
        self._writes[node] = None
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
        self._views = None

    def _check_cycle(self, targets, deps):
        """Raise :class:`CyclicDependencyError` if ``deps`` depend on one of ``targets``.

        Searches forward from the targets, through the tasks that read
        them, so that adding a new target (nothing reads it yet) costs
        nothing however long the chain below it. Returns the update order
        of the targets (ids), which the caller reuses.
        """
        for target in targets:
            around = set(_with_owners(target))  # the target and its owners
            for dep in deps:
                hit = dep in around
                node = dep._owner if isinstance(dep, MutableRef) else None
                while not hit and isinstance(node, MutableRef) and not isinstance(node, Ref):
                    hit = node == target  # the dep lies inside the target
                    node = node._owner
                if hit:
                    raise CyclicDependencyError([target, dep] if dep != target else [target, target])
        order = self._order_ids(targets)
        if not order or not deps:
            return order
        up, writes, ids = self._up, self._writes, self._ids
        reach = set(order)
        for target in targets:
            if target in ids:
                reach.add(ids[target])
        for node in list(reach):
            if writes[node] is not None:
                reach.update(writes[node])
        owners = set()
        for node in reach:
            parent = up[node]
            while parent >= 0 and parent not in owners:
                owners.add(parent)
                parent = up[parent]
        for dep in deps:
            node = ids.get(dep)
            hit = False
            if node is not None:
                hit = node in owners
                while not hit and node >= 0:
                    hit = node in reach
                    node = up[node]
            else:
                parent = dep._owner
                while not hit and isinstance(parent, MutableRef) and not isinstance(parent, Ref):
                    pid = ids.get(parent)
                    hit = pid is not None and pid in reach
                    parent = parent._owner
            if hit:
                raise CyclicDependencyError(self._cycle_path(targets, dep))
        return order

    def _cycle_path(self, targets, dep):
        """``[target, dep, ..., target]``: a chain of "reads" closing the loop (for the message)."""
        parent = {dep: None}
        stack = [dep]
        while stack:
            ref = stack.pop()
            for target in targets:
                if self._overlaps(ref, target):
                    chain = [ref]
                    while parent[chain[-1]] is not None:
                        chain.append(parent[chain[-1]])
                    return [target] + chain[::-1] + ([target] if ref != target else [])
            nexts = set(self.deps.get(ref, ()))
            for owner in _with_owners(ref)[1:]:
                nexts.update(self.deps.get(owner, ()))
            for task in self._custom.values():
                if any(self._overlaps(ref, t) for t in task.targets):
                    nexts.update(task.dependencies)
            for nxt in nexts:
                if isinstance(nxt, MutableRef) and nxt not in parent:
                    parent[nxt] = ref
                    stack.append(nxt)
        return [targets[0], dep, targets[0]]

    @staticmethod
    def _overlaps(ref, target):
        """True when ``ref`` is ``target`` or lies inside it (or contains it)."""
        if not isinstance(ref, MutableRef) or not isinstance(target, MutableRef):
            return ref == target
        for a, b in ((ref, target), (target, ref)):
            node = a
            while node is not None:
                if node == b:
                    return True
                node = node._parent() if isinstance(node, MutableRef) else None
        return False

    def _dependents_of_id(self, node):
        """Ids of the tasks reading ``node``, one of its parts or one of its owners."""
        readers, kids = self._readers, self._kids
        out = set(readers[node] or ())
        stack = list(kids[node] or ())
        while stack:
            child = stack.pop()
            out.update(readers[child] or ())
            stack.extend(kids[child] or ())
        self._add_owner_readers(self._up[node], out)
        return out

    def _expand(self, node):
        """Ids of the tasks to run after the task ``node`` ran."""
        writes = self._writes[node]
        if writes is None:
            return self._dependents_of_id(node)
        out = set()
        for written in writes:
            out |= self._dependents_of_id(written)
        return out

    def _add_owner_readers(self, node, out):
        """Add to ``out`` the readers of ``node`` and of its owners (``node`` -1: none)."""
        readers, up = self._readers, self._up
        while node >= 0:
            out.update(readers[node] or ())
            node = up[node]

    def _source_dependents(self, ref):
        """Ids of the tasks to run when ``ref`` changes (``ref`` may be unknown)."""
        node = self._ids.get(ref)
        if node is not None:
            return self._dependents_of_id(node)
        # Not in the graph, so none of its parts is: only its owners may be read.
        out = set()
        parent = ref._owner if isinstance(ref, MutableRef) and not isinstance(ref, Ref) else None
        while isinstance(parent, MutableRef) and not isinstance(parent, Ref):
            node = self._ids.get(parent)
            if node is not None:
                self._add_owner_readers(node, out)
                break
            parent = parent._owner
        return out

    def _order_ids(self, sources):
        """Ids of the tasks depending on ``sources``, inputs before users.

        Iterative depth-first search over ids. While no owner of another id
        has readers and no task object is registered, a target none of
        whose parts is read is expanded by its reader set directly.
        """
        readers, kids = self._readers, self._kids
        plain = not self._read_parents and not self._custom
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
                            iters.append(iter(self._expand(nxt)))
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

    def _update(self, sources, journal):
        """Recompute every target depending on ``sources``, in order."""
        cached = self._cached_order(sources)
        if cached[1] is None:
            entries = self._entries
            cached[1] = [entries[t] for t in cached[0]]
        self._run(cached[1], journal)

    def _run(self, entries, journal):
        """Evaluate and assign each update entry in turn, recording old values in ``journal``.

        The common target shapes are assigned inline (their old values kept
        in a list aligned with ``entries``); any other shape, and any entry
        that raises, goes through :meth:`_update_target` (which gives the
        exact error or falls back to walking the tree).
        """
        namespace = self._namespace
        olds = []
        journal.append((_J_RUN, entries, olds, None))
        record = olds.append
        remaining = iter(entries)
        n_entries = len(entries)
        while True:
            try:
                for code, kind, root, key, attr, index, target in remaining:
                    if kind == _SET_ITEM_ATTR:
                        obj = root[key]
                        value = eval(code, namespace)
                        record(getattr(obj, attr, _MISSING))
                        setattr(obj, attr, value)
                    elif kind == _SET_ITEM:
                        value = eval(code, namespace)
                        record(root.get(key, _MISSING))
                        root[key] = value
                    elif kind == _SET_ITEM_ATTR_ITEM:
                        obj = getattr(root[key], attr)
                        value = eval(code, namespace)
                        record(obj[index])
                        obj[index] = value
                    else:
                        record(self._update_target(target))
                return
            except Exception:
                if kind == _SET_GENERIC:
                    raise
                # Keep olds aligned with entries: drop a record of the failed one.
                del olds[n_entries - remaining.__length_hint__() - 1:]
                record(self._update_target(target))

    def _update_target(self, target):
        """Run the task of ``target``; return the records of what it overwrote."""
        records = _Records()
        task = self._custom.get(target) if not isinstance(target, MutableRef) or self._custom else None
        if task is not None:
            for written in task.targets:
                records.append(_snapshot(written))
            try:
                task.run()
            except BaseException:
                self._restore(records)
                raise
            return records
        value = self._evaluate(target)
        records.append(_snapshot(target))
        target._set_value(value)
        return records

    # ------------------------------------------------------------------ evaluation
    def _compile(self, text):
        code = self._code_cache.get(text)
        if code is None:
            code = compile(text, "<xdeps expression>", "eval")
            self._code_cache[text] = code
        return code

    def _code_for(self, expr):
        """Compiled code of ``repr(expr)``, or False when it has no Python text."""
        try:
            return self._compile(repr(expr))
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            # e.g. more than 200 nested parentheses: the tree walk evaluates it.
            return False

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
            if kind is ItemRef and type(owner) is Ref and type(owner._owner) is dict:
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
            code = self._code_for(self._exprs[target])
            self._set_code(target, code)
        return self._value_of(target, self._exprs[target], code)

    def _value_of(self, target, expr, code):
        """Value of ``expr`` (the expression of ``target``); ExpressionError naming both."""
        if code:
            try:
                return eval(code, self._namespace)
            except ZeroDivisionError:
                pass  # the tree walk gives NaN, as the established xdeps
            except NameError:
                # A constant without a Python literal (e.g. an array): walk the tree.
                if target in self._exprs and self._exprs[target] is expr:
                    self._set_code(target, False)
            except Exception as err:
                raise self._evaluation_error(target, expr, err) from err
        try:
            return expr._get_value()
        except Exception as err:
            raise self._evaluation_error(target, expr, err) from err

    @staticmethod
    def _evaluation_error(target, expr, err):
        if isinstance(err, (UnknownNameError, AttributeError)) and isinstance(expr, Expr):
            message = str(err)
            if "function" in message or isinstance(err, AttributeError):
                return UnknownNameError(f"evaluating {target!r} = {expr!r} failed: {message}")
        return ExpressionError(f"evaluating {target!r} = {expr!r} failed: {err}")

    # ------------------------------------------------------------------ parsing
    def _check_function(self, callee):
        """Allow calls only to existing functions of a functions container (for loading)."""
        if isinstance(callee, (AttrRef, ItemRef)) and isinstance(callee._owner, Ref):
            container = callee._owner._owner
            if isinstance(container, Functions):
                if callee._key not in container:
                    raise unknown_name("function", callee._key, container.names())
                return
        raise ExpressionError(f"calls are allowed only to functions of the functions container, not {callee!r}")

    def eval_xdeps(self, text, containers=None):
        """Parse xdeps syntax (``vars['a'] * 2``) into a reference, expression or constant.

        The text is never run as given: Python's parser (or ours, for texts
        nested deeper than it goes) reads it, the syntax tree is checked
        against the xdeps syntax (:func:`xdeps.parser.check_xdeps_ast`:
        container labels, attributes not starting with ``_``, constant
        subscripts, operators, calls to the functions container), and only
        then is it evaluated over the root references, which builds the
        expression.
        """
        return self._build(text, self._parse_context(containers))

    def _parse_context(self, containers):
        labels = self.containers if containers is None else containers
        if "f" not in labels:
            labels = dict(labels, f=self._builtin_f)
        functions = {k: r._owner for k, r in labels.items() if isinstance(r._owner, Functions)}
        namespace = dict(labels, float=float, __builtins__={})
        return labels, functions, namespace

    def _build(self, text, context):
        labels, functions, namespace = context
        match = _REF_CHAIN.fullmatch(text) if isinstance(text, str) else None
        if match is not None and match.group(1) in labels:
            ref = labels[match.group(1)]
            for key, index, attr in _REF_PART.findall(match.group(2)):
                if attr:
                    ref = AttrRef(ref, attr, self) if type(ref) is not ObjectAttrRef else ref[attr]
                elif index:
                    ref = ref[int(index)]
                else:
                    ref = ref[key]
            return ref
        if not isinstance(text, str):
            raise ExpressionError(f"expression must be a string, got {type(text).__name__}")
        code = self._code_cache.get(text)
        if code is None or text not in self._checked:
            try:
                tree = ast.parse(text, mode="eval")
            except (SyntaxError, RecursionError, MemoryError, ValueError):
                # Deeper than Python's parser goes (or not Python at all):
                # our own parser reads it, or says what is wrong.
                return parse_xdeps(text, labels, self._check_function)
            check_xdeps_ast(tree, text, labels, functions)
            if code is None:
                code = compile(tree, "<xdeps expression>", "eval")
                self._code_cache[text] = code
            self._checked.add(text)
        try:
            return eval(code, namespace)
        except NameError as err:
            name = getattr(err, "name", None) or str(err)
            raise unknown_name("container", name, list(labels), where=repr(text)) from None
        except Exception as err:
            raise ExpressionError(f"cannot build expression {text!r}: {err}") from None

    # ------------------------------------------------------------------ dump / load
    def dump(self):
        """Return the expressions as ``[[target, expression], ...]``, inputs before users."""
        exprs, refs = self._exprs, self._refs
        out = []
        for node in self._topological_ids():
            target = refs[node]
            if target in exprs:
                out.append([repr(target), repr(exprs[target])])
        return out

    def load(self, dump, containers=None, evaluate=False):
        """Register the ``[target, expression]`` string pairs of :meth:`dump`.

        Parameters
        ----------
        dump : list of (str, str)
            Pairs as stored in the ``_var_manager`` section of line JSON files.
        containers : dict, optional
            Label used in the texts -> root reference to bind it to (default:
            the containers of this manager).
        evaluate : bool
            If True, every loaded target is recomputed from its inputs, in
            dependency order. By default the values already in the containers
            are kept (they are saved with the expressions), as the established
            xdeps does.

        The texts are parsed, never evaluated as Python. All or nothing: a
        text that does not parse (the error names the entry), a cycle or a
        failing evaluation leaves every value and expression as before.
        """
        if isinstance(containers, bool):  # load(dump, True): the former signature
            containers, evaluate = None, containers
        # Loading allocates many long-lived objects and no garbage cycles:
        # pausing the cyclic collector saves its repeated full scans.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._install(self._parse_dump(dump, containers), evaluate, what="load")
        finally:
            if collecting:
                gc.enable()

    def _parse_dump(self, dump, containers):
        """``(target, expression or constant, deps, code)`` for each pair of ``dump``.

        Each distinct text is parsed (and checked) once per load: the
        built expression is immutable, so the targets that share a text
        share it. Reference chains (``element_refs['mb'].knl[2]``) are read
        by a regular expression, their prefixes built once.
        """
        context = self._parse_context(containers)
        chains = dict(context[0])  # label or reference-chain text -> reference
        # The code compiled from a checked text evaluates it over the raw
        # containers when the labels are this manager's plain roots (not
        # for ``root.a`` meaning ``root['a']``, nor for other bindings).
        reuse_code = containers is None and all(type(r) is not ObjectAttrRef for r in chains.values())
        built = {}  # expression text -> (expression or constant, deps, code)
        parsed = []
        append = parsed.append
        chain_ref = self._chain_ref
        last_part = _LAST_PART.match
        for number, pair in enumerate(dump):
            try:
                target_text, expr_text = pair
            except (TypeError, ValueError):
                raise ValueError(f"load: entry {number} must be [target, expression], got {pair!r}") from None
            try:
                if not isinstance(target_text, str) or not isinstance(expr_text, str):
                    raise ExpressionError("target and expression must be strings")
                target = chains.get(target_text)
                if target is None:
                    # Usually the owner is known (element_refs['mb'].k1 after
                    # element_refs['mb'].k0): one split, one new reference.
                    match = last_part(target_text) if len(target_text) <= 1000 else None
                    owner = chains.get(match.group(1)) if match is not None else None
                    owner_type = type(owner)
                    if owner_type is AttrRef or owner_type is ItemRef or owner_type is Ref:
                        _, key, index, attr = match.groups()
                        if attr is not None:
                            target = AttrRef(owner, attr, self)
                        else:
                            target = ItemRef(owner, key if index is None else int(index), owner._manager)
                        chains[target_text] = target
                    else:
                        target = chain_ref(target_text, chains)
                        if target is None:
                            target = self._build(target_text, context)
                if not isinstance(target, MutableRef) or isinstance(target, Ref):
                    raise ExpressionError(f"{target_text!r} is not an assignable reference")
                item = built.get(expr_text)
                if item is None:
                    expr = chain_ref(expr_text, chains)
                    if expr is None:
                        expr = self._build(expr_text, context)
                        code = self._code_cache.get(expr_text) if reuse_code and isinstance(expr, BaseRef) else None
                    else:
                        code = None
                    deps = expr._get_dependencies() if isinstance(expr, BaseRef) else None
                    item = built[expr_text] = (expr, deps, code)
            except (ExpressionError, UnknownNameError, SyntaxError, RecursionError) as err:
                kind = UnknownNameError if isinstance(err, UnknownNameError) else ExpressionError
                raise kind(
                    f"load: entry {number} [{target_text!r}, {expr_text!r}] rejected: {err}"
                ) from None
            append((target, item[0], item[1], item[2]))
        return parsed

    def _chain_ref(self, text, chains):
        """Reference for a plain chain ``label['key'].attr[2]`` (None for any other text).

        ``chains`` maps texts to references: the container labels, and the
        chains built so far in this load. The last part is split off
        (:data:`_LAST_PART`) until a known prefix is met, so that a prefix
        shared by many texts (``element_refs['mb']``) is built once.
        """
        if len(text) > 1000:
            return None  # splitting from the end would be quadratic: _build reads it
        pending = []
        while True:
            ref = chains.get(text)
            if ref is not None:
                break
            match = _LAST_PART.match(text)
            if match is None:
                return None
            pending.append(match)
            text = match.group(1)
        manager = self
        for match in reversed(pending):
            _, key, index, attr = match.groups()
            if attr is not None:
                ref = AttrRef(ref, attr, manager) if type(ref) is not ObjectAttrRef else ref[attr]
            elif index is not None:
                ref = ref[int(index)]
            else:
                ref = ref[key]
            chains[match.string] = ref
        return ref

    def _install(self, parsed, evaluate, what, dependents=False):
        """Register ``(target, expression or constant, deps, code)``; all or nothing.

        With ``dependents`` (:meth:`set_many`), the evaluation also updates
        every task depending on a target, and only the tasks concerned are
        sorted.

        ``deps`` (the references the expression reads) and ``code`` may be
        None: they are computed here. Each target gets its own copy of the
        deps. The graph is extended in one pass, with the bookkeeping of
        :meth:`_register` done once for the batch; on failure the tasks are
        put back as they were.
        """
        exprs = self._exprs
        fresh = not exprs and not self._custom  # every task after this is one of parsed
        olds = {}
        order_targets = []
        constants = []
        wanted = set()
        try:
            if fresh:
                olds = dict.fromkeys([item[0] for item in parsed])
                order_targets = list(olds)
            else:
                take = self._take_task
                for item in parsed:
                    target = item[0]
                    if target not in olds:
                        olds[target] = take(target)
                        order_targets.append(target)
            self._register_many(parsed, constants, wanted)
            if dependents:
                from .bulk import affected_tasks

                # Raises CyclicDependencyError when the new expressions close a
                # loop: every task of such a loop depends on one of them.
                order = self._topological_ids(affected_tasks(self, order_targets, wanted))
            else:
                order = self._topological_ids()
        except BaseException:
            self._put_back(order_targets, [olds[t] for t in order_targets])
            raise
        journal = []
        try:
            for target, value in constants:
                journal.append(_snapshot(target))
                target._set_value(value)
            if evaluate:
                entries = self._entries
                if dependents or (fresh and not self._custom):
                    run = [entries[t] for t in order]
                else:
                    run = [entries[t] for t in order if t in wanted]
                self._run(run, journal)
        except BaseException:
            self._restore(journal)
            self._put_back(order_targets, [olds[t] for t in order_targets])
            raise

    def _register_many(self, parsed, constants, wanted):
        """:meth:`_register` for each expression of ``parsed`` (constants go to ``constants``).

        A target given twice keeps its last entry. ``wanted`` (a set)
        receives the ids of the targets given an expression. The common
        shapes of :meth:`_intern` and :meth:`_new_entry` are inlined: a
        target whose owner is already in the graph, assigned as
        ``root[key].attr`` or ``root[key].attr[index]``.
        """
        exprs, all_deps, ids = self._exprs, self.deps, self._ids
        intern, link = self._intern, self._link_to_owners
        readers, owns, read_parents = self._readers, self._owns, self._read_parents
        dep_ids_of, entries = self._dep_ids, self._entries
        refs, ups, kids, writes = self._refs, self._up, self._kids, self._writes
        new_entry, code_for = self._new_entry, self._code_for
        codes = {}  # id(expression) -> code, for expressions shared by several targets
        for target, expr, deps, code in parsed:
            node = ids.get(target)
            if node is not None and entries[node] is not None and target in exprs:
                self._unregister(target)
            if not isinstance(expr, BaseRef):
                constants.append((target, expr))
                continue
            if code is None:
                code = codes.get(id(expr))
                if code is None:
                    code = codes[id(expr)] = code_for(expr)
            deps = set(deps) if deps is not None else expr._get_dependencies()
            exprs[target] = expr
            all_deps[target] = deps
            owner = target._owner
            owner_type = type(owner)
            if node is None:
                if owner_type is AttrRef or owner_type is ItemRef:
                    up = ids.get(owner)
                    if up is None:
                        up = intern(owner)
                    node = len(refs)
                    ids[target] = node
                    refs.append(target)
                    ups.append(up)
                    kids.append(None)
                    readers.append(None)
                    entries.append(None)
                    dep_ids_of.append(None)
                    writes.append(None)
                    owns.append(False)
                    if not owns[up]:
                        owns[up] = True
                        if readers[up]:
                            read_parents.add(up)
                else:
                    node = intern(target)
            dep_ids = dep_ids_of[node] = []
            for dep in deps:
                dep_id = ids.get(dep)
                if dep_id is None:
                    dep_id = intern(dep)
                dep_ids.append(dep_id)
                users = readers[dep_id]
                if users is None:
                    readers[dep_id] = {node}
                    if owns[dep_id]:
                        read_parents.add(dep_id)
                    link(dep_id)
                else:
                    users.add(node)
            # _new_entry for root[key].attr and root[key].attr[index] (see there).
            entry = None
            if code:
                target_type = type(target)
                if target_type is AttrRef and owner_type is ItemRef and type(owner._owner) is Ref:
                    entry = [code, _SET_ITEM_ATTR, owner._owner._owner, owner._key, target._key, None, target]
                elif target_type is ItemRef and owner_type is AttrRef:
                    item = owner._owner
                    if type(item) is ItemRef and type(item._owner) is Ref:
                        entry = [code, _SET_ITEM_ATTR_ITEM, item._owner._owner, item._key, owner._key,
                                 target._key, target]
            entries[node] = entry if entry is not None else new_entry(target, code)
            wanted.add(node)
        self._order_cache.clear()
        self._views = None

    def _topological_tasks(self):
        """All task ids, inputs before users; raises on a cycle."""
        refs = self._refs
        return [refs[t] for t in self._topological_ids()]

    def _topological_ids(self, subset=None):
        """Ids of all tasks, inputs before users (Kahn); raises on a cycle.

        Task ``u`` waits for task ``x`` when an input of ``u`` is a target
        of ``x``, lies inside one (``knl[1]`` of ``knl``) or contains one
        (``knl`` of ``knl[1]``). With ``subset`` (a set of task ids that
        holds every dependent of its members), only those are sorted.
        """
        ids, up, dep_ids, readers, writes = self._ids, self._up, self._dep_ids, self._readers, self._writes
        if subset is None:
            tasks = [ids[t] for t in self._exprs]
            tasks += [ids[t] for t in self._custom]
        else:
            tasks = list(subset)
        writer = {}
        for x in tasks:
            for w in writes[x] or (x,):
                if w in writer:
                    writer[w].append(x)
                else:
                    writer[w] = [x]
        indegree = [0] * len(self._refs)
        users = defaultdict(list)
        for u in tasks:
            n = 0
            for node in dep_ids[u]:
                while node >= 0:
                    xs = writer.get(node)
                    if xs is not None:
                        for x in xs:
                            users[x].append(u)
                        n += len(xs)
                    node = up[node]
            indegree[u] = n
        for w, xs in writer.items():
            node = up[w]
            while node >= 0:
                rs = readers[node]
                if rs:
                    for u in rs:
                        if subset is not None and u not in subset:
                            continue  # sorted apart (cannot happen for a closed subset)
                        for x in xs:
                            users[x].append(u)
                        indegree[u] += len(xs)
                node = up[node]
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
        """A loop among the tasks left unsorted (``indegree`` > 0) by :meth:`_topological_ids`.

        Each of them waits for another one, so following "waits for" from
        any of them must come back to a task already seen.
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

    # ------------------------------------------------------------------ copies
    def _rebind(self, obj, labels):
        """``obj`` with every reference re-rooted on ``labels`` (label -> new root or reference)."""

        def leaf(item):
            if not isinstance(item, MutableRef):
                return item
            parts = []
            node = item
            while not isinstance(node, Ref):
                parts.append(node)
                node = node._owner
            if node._key in labels:
                new = labels[node._key]
            elif node._key == "f":
                new = self._builtin_f
            else:
                raise unknown_name("container", node._key, list(labels))
            for part in reversed(parts):
                new = AttrRef(new, part._key, self) if isinstance(part, AttrRef) else new[part._key]
            return new

        def node(expr, args):
            return expr._rebuilt(args, leaf)

        return fold(obj, leaf, node)

    def copy_expr_from(self, manager, name, bindings=None, overwrite=True):
        """Copy the expressions of ``manager`` whose targets are in its container ``name``.

        References are re-rooted on the containers of this manager with the
        same labels, or on ``bindings`` (label -> reference, e.g. an item of
        one of our containers). Targets that already have an expression here
        are skipped unless ``overwrite``. Nothing is evaluated (see
        :meth:`run_tasks`); all or nothing.
        """
        labels = dict(self.containers)
        labels.update(bindings or {})
        pairs = []
        for target in manager._topological_tasks():
            if target not in manager._exprs or _root_label(target) != name:
                continue
            new_target = self._rebind(target, labels)
            if not overwrite and new_target in self._exprs:
                continue
            pairs.append((new_target, self._rebind(manager._exprs[target], labels), None, None))
        self._install(pairs, evaluate=False, what="copy_expr_from")

    def copy(self):
        """Return a manager over the same containers with the same tasks."""
        other = Manager()
        for label, root in self.containers.items():
            other._add_container(root._owner, label, type(root))
        labels = other.containers
        pairs = []
        for target in self._topological_tasks():
            if target in self._exprs:
                pairs.append((other._rebind(target, labels), other._rebind(self._exprs[target], labels), None, None))
        other._install(pairs, evaluate=False, what="copy")
        for task in self._custom.values():
            other.register(task)
        return other

    def __getstate__(self):
        return {
            "containers": [(label, root._owner, type(root)) for label, root in self.containers.items()],
            "exprs": [(t, self._exprs[t]) for t in self._topological_tasks() if t in self._exprs],
            "custom": list(self._custom.values()),
        }

    def __setstate__(self, state):
        self.__init__()
        for label, container, kind in state["containers"]:
            self._add_container(container, label, kind)
        for target, expr in state["exprs"]:
            self._register(target, expr, expr._get_dependencies(), None)
        for task in state["custom"]:
            self.register(task)

    # ------------------------------------------------------------------ dependency views
    def _build_views(self):
        """rdeps, rtasks, deptasks and tartasks computed from the tasks."""
        rdeps, deptasks, tartasks = defaultdict(RefCount), defaultdict(RefCount), defaultdict(RefCount)
        written = {}
        for taskid in self.tasks:
            task_targets = self._custom[taskid].targets if taskid in self._custom else (taskid,)
            all_targets = [t for target in task_targets for t in _with_owners(target)]
            all_deps = [d for dep in self.deps[taskid] for d in _with_owners(dep)]
            written[taskid] = all_targets
            for dep in all_deps:
                deptasks[dep].append(taskid)
                tartasks[dep]  # noqa: B018 - every ref involved has an entry
                rdeps[dep].extend(all_targets)
            for target in all_targets:
                tartasks[target].append(taskid)
                deptasks[target]  # noqa: B018
        rtasks = defaultdict(RefCount)
        for taskid, all_targets in written.items():
            counts = RefCount()
            for target in all_targets:
                for user, n in deptasks.get(target, {}).items():
                    counts[user] = counts.get(user, 0) + n
            if counts:
                rtasks[taskid] = counts
        return {"rdeps": rdeps, "rtasks": rtasks, "deptasks": deptasks, "tartasks": tartasks}

    def _view(self, name):
        if self._views is None:
            self._views = self._build_views()
        return self._views[name]

    @property
    def rdeps(self):
        """Reference -> targets (with their owners) of the tasks reading it or one of its parts."""
        return self._view("rdeps")

    @property
    def rtasks(self):
        """Task id -> ids of the tasks reading what it writes (with counts)."""
        return self._view("rtasks")

    @property
    def deptasks(self):
        """Reference -> ids of the tasks reading it (or one of its parts)."""
        return self._view("deptasks")

    @property
    def tartasks(self):
        """Reference -> ids of the tasks writing it (or one of its parts)."""
        return self._view("tartasks")

    def verify(self):
        """Check that the dependency data agree with the tasks; ValueError if not.

        Compares the internal graph and the views (``rdeps``, ``rtasks``,
        ``deptasks``, ``tartasks``) handed out with what the tasks imply.
        :meth:`refresh` rebuilds them.
        """
        problems = []
        refs, ids = self._refs, self._ids
        for taskid, deps in self.deps.items():
            node = ids.get(taskid)
            if node is None or self._dep_ids[node] is None:
                problems.append(f"task {taskid!r} is missing from the graph")
                continue
            if {refs[i] for i in self._dep_ids[node]} != set(deps):
                problems.append(f"inputs of {taskid!r}")
            if any(node not in (self._readers[i] or ()) for i in self._dep_ids[node]):
                problems.append(f"readers of the inputs of {taskid!r}")
        n_edges = sum(len(r) for r in self._readers if r)
        if n_edges != sum(len(self._dep_ids[ids[t]] or ()) for t in self.deps if t in ids):
            problems.append("reader sets hold tasks that do not read them")
        if self._views is not None:
            fresh = self._build_views()
            for name, view in self._views.items():
                mine = {k: dict(v) for k, v in view.items() if v}
                expected = {k: dict(v) for k, v in fresh[name].items() if v}
                if mine != expected:
                    problems.append(name)
        if problems:
            raise ValueError(
                "manager data not consistent with its tasks: " + ", ".join(problems)
                + " (refresh() rebuilds them)"
            )

    def refresh(self):
        """Rebuild the dependency graph and views from the tasks."""
        exprs = [(t, self._exprs[t], self.deps[t], self._entries[self._ids[t]][0]) for t in self._exprs]
        custom = list(self._custom.values())
        containers = [(label, root._owner, type(root)) for label, root in self.containers.items()]
        code_cache = self._code_cache
        self.__init__()
        self._code_cache = code_cache
        for label, container, kind in containers:
            self._add_container(container, label, kind)
        for target, expr, deps, code in exprs:
            self._register(target, expr, set(deps), code)
        for task in custom:
            self._register(task.taskid, task, set(task.dependencies), None, targets=list(task.targets))

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
        """All targets (task ids) updated when ``ref`` changes, in update order."""
        return self._order_for([ref])

    def find_tasks(self, refs=None):
        """Expressions (target -> expression) depending on ``refs``; all when None."""
        if refs is None:
            return dict(self._exprs)
        return {t: self._exprs[t] for t in self._order_for(list(refs)) if t in self._exprs}

    def info_text(self, ref, limit=30):
        """Text describing value, expression, inputs and dependents of ``ref``."""
        from .info import info_text

        return info_text(self, ref, limit=limit)
