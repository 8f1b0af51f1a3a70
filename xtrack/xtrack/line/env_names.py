"""Removing and renaming what an environment holds: variables, elements, particles, lines.

Nothing is left half-done: a variable, element or particle that
expressions still read is not removed (RuntimeError naming a user: rename
it, or remove its users first), nor an element that a line places, and a
failed rename leaves every expression as it was.
"""

__all__ = ["remove_var", "rename_var", "remove_element", "remove_particle", "remove_line",
           "remove_any"]


def _readers(vm, token):
    """[target, expression] of every expression that reads `token` (``vars['a']``,
    ``element_refs['q']``, ``particles['p']``), other than those of `token` itself."""
    return [[target, expr] for target, expr in vm.manager.dump()
            if token in expr and not target.startswith(token)]


def _var_users(vm, name):
    return _readers(vm, f"vars[{name!r}]")


def _refuse_if_read(vm, token, what):
    users = _readers(vm, token)
    if users:
        raise RuntimeError(f"cannot remove {what}: {len(users)} expression(s) use it, e.g. "
                           f"{users[0][0]} = {users[0][1]}; remove or change them first.")


def _drop_expressions_of(vm, token):
    """Unregister the expressions whose targets are `token` or its fields."""
    for target, _ in vm.manager.dump():
        if target.startswith(token):
            for task in vm.manager.tasks_of(vm.manager.eval_xdeps(target)):
                vm.manager.unregister(task.taskid)


def remove_var(vm, name):
    """Remove variable `name` and its expression (KeyError if absent, ValueError if used)."""
    if name not in vm.var_values:
        from .environment import _close_matches

        raise KeyError(f"no variable named {name!r}{_close_matches(name, vm.var_values)}.")
    _refuse_if_read(vm, f"vars[{name!r}]", f"variable {name!r}")
    vm.manager.delete(vm.vref[name])


def rename_var(vm, old, new, verbose=False):
    """Rename variable `old` to `new` in its own definition and in every expression using it."""
    if old not in vm.var_values:
        from .environment import _close_matches

        raise KeyError(f"no variable named {old!r}{_close_matches(old, vm.var_values)}.")
    if new in vm.var_values:
        raise ValueError(f"cannot rename {old!r} to {new!r}: a variable {new!r} exists already.")
    token_old, token_new = f"vars[{old!r}]", f"vars[{new!r}]"
    own = [expr for target, expr in vm.manager.dump() if target == token_old]
    users = _var_users(vm, old)
    vm.manager.set_value(vm.vref[new], vm.var_values[old])
    # the new definition first, then its users (load checks every entry before changing any)
    vm.manager.load([[token_new, e] for e in own]
                    + [[t, e.replace(token_old, token_new)] for t, e in users], evaluate=True)
    vm.manager.delete(vm.vref[old])
    if verbose:
        print(f"renamed variable {old!r} to {new!r} in {len(users)} expression(s)")


def remove_element(env, name):
    """Remove element `name` and the expressions of its fields (not while a line places it)."""
    if name not in env._element_dict:
        from .environment import _close_matches

        raise KeyError(f"no element named {name!r} in the environment"
                       f"{_close_matches(name, env._element_dict)}.")
    users = [line_name for line_name, line in env._lines.items() if name in line.element_names]
    if users:
        raise RuntimeError(f"cannot remove element {name!r}: line(s) {users} place it; "
                           "remove it from them first.")
    vm = env._var_management
    _refuse_if_read(vm, f"element_refs[{name!r}]", f"element {name!r}")
    _drop_expressions_of(vm, f"element_refs[{name!r}]")
    del env._element_dict[name]


def remove_particle(env, name):
    """Remove particle `name` and the expressions of its fields (not while expressions read it)."""
    env._particles[name]  # KeyError naming close matches
    vm = env._var_management
    _refuse_if_read(vm, f"particles[{name!r}]", f"particle {name!r}")
    _drop_expressions_of(vm, f"particles[{name!r}]")
    del env._particles._dict[name]


def remove_line(env, name):
    """Remove line `name` from the environment (its elements stay)."""
    if name not in env._lines:
        from .environment import _close_matches

        raise KeyError(f"no line named {name!r} in the environment{_close_matches(name, env._lines)}.")
    dict.__delitem__(env._lines, name)


def remove_any(env, name):
    """Remove the variable, element, particle or line called `name`."""
    if name in env._var_management.var_values:
        remove_var(env._var_management, name)
    elif name in env._element_dict:
        remove_element(env, name)
    elif name in env._particles:
        remove_particle(env, name)
    elif name in env._lines:
        remove_line(env, name)
    else:
        from .environment import _close_matches

        known = list(env._element_dict) + list(env._var_management.var_values) + list(env._lines)
        raise KeyError(f"no variable, element, particle or line named {name!r} in the environment"
                       f"{_close_matches(name, known)}.")
