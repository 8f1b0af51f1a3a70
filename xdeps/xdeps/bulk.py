"""Many assignments at once (:meth:`xdeps.Manager.set_many`).

Assigning ``n`` expressions one by one with :meth:`~xdeps.Manager.set_value`
checks for a cycle, computes an update order and evaluates after each of
them; a lattice reader assigns 10^5 of them. Here the graph is extended in
one pass (:meth:`Manager._register_many`, as the safe load does), cycles are
found by one topological sort of the tasks concerned, and each target is
evaluated once, inputs before users, at the end. The final values and
expressions are those that the same assignments made one by one give.

Only built expressions and constants are accepted, never texts: nothing is
parsed or run from a string here (code is compiled from the xdeps text that
the printer writes for an expression tree, as for ``set_value``).
"""

import gc

from .refs import MutableRef, Ref

__all__ = ["affected_tasks", "set_many"]


def _checked_items(pairs):
    """``(target, value, None, None)`` per pair; TypeError/ValueError naming the bad entry."""
    items = []
    for number, pair in enumerate(pairs):
        try:
            target, value = pair
        except (TypeError, ValueError):
            raise ValueError(f"set_many: entry {number} must be a (target, value) pair, got {pair!r}") from None
        if not isinstance(target, MutableRef) or isinstance(target, Ref):
            raise TypeError(
                f"set_many: entry {number}: the target must be an attribute or item reference "
                f"(vars['a'], element_refs['q'].k1), got {target!r}"
            )
        items.append((target, value, None, None))
    return items


def affected_tasks(manager, targets, wanted):
    """Ids of the tasks to evaluate: those given an expression and every dependent of a target."""
    affected = set(wanted)
    ids, readers, kids = manager._ids, manager._readers, manager._kids
    if not manager._read_parents and not manager._custom:
        # No owner of a reference is read (see Manager._read_parents): only a
        # target that is read, or one of whose parts is read, has dependents.
        sources = []
        for target in targets:
            node = ids.get(target)
            if node is not None and (readers[node] or kids[node]):
                sources.append(target)
    else:
        sources = targets
    if sources:
        affected.update(manager._order_ids(sources))
    entries = manager._entries
    # A target given an expression and then a constant is no task any more.
    return {node for node in affected if entries[node] is not None}


def set_many(manager, pairs, evaluate=True):
    """Assign every ``(target, value)`` of ``pairs`` to ``manager``; all or nothing.

    See :meth:`xdeps.Manager.set_many`.
    """
    items = _checked_items(pairs)
    if not items:
        return
    collecting = gc.isenabled()
    gc.disable()  # only long-lived objects are made: the collector's scans are wasted
    try:
        manager._install(items, evaluate=evaluate, what="set_many", dependents=True)
    finally:
        if collecting:
            gc.enable()
