"""Text report on one reference: value, expression, inputs and dependents."""


def _safe_value(ref):
    try:
        return repr(ref._get_value())
    except Exception as err:  # noqa: BLE001 - the report shows why instead of failing
        return f"<{type(err).__name__}: {err}>"


def info_text(manager, ref, limit=30):
    """Return the report printed by ``ref._info()`` and ``env.info(name)``.

    Parameters
    ----------
    manager : Manager
        Manager owning ``ref``.
    ref : MutableRef
        Reference to describe.
    limit : int
        Largest number of dependent targets listed (default 30).
    """
    lines = [f"#  {ref!r}._get_value()", f"   {ref!r} = {_safe_value(ref)}", ""]
    expr = manager._exprs.get(ref)
    if expr is None:
        lines += [f"#  {ref!r}._expr is None", ""]
    else:
        lines += [f"#  {ref!r}._expr", f"   {ref!r} = {expr!r}", ""]
        lines.append(f"#  {ref!r}._expr._get_dependencies()")
        for dep in sorted(manager.deps[ref], key=repr):
            lines.append(f"   {dep!r} = {_safe_value(dep)}")
        lines.append("")
    targets = manager.find_dependent_targets(ref)
    if not targets:
        lines.append(f"#  {ref!r} does not influence any target")
    else:
        lines.append(f"#  {ref!r}._find_dependant_targets()")
        for target in targets[:limit]:
            lines.append(f"   {target!r}")
        if len(targets) > limit:
            lines.append(f"   ... {len(targets) - limit} more (raise limit= to see them)")
    return "\n".join(lines)
