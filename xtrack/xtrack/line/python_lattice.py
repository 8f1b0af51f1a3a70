"""Lattices written as Python scripts: ``xt.load(file='lattice.py')`` and ``xt.get_environment()``.

A lattice script asks for its environment with ``env = xt.get_environment()``
and fills it (``env.new``, ``env.new_line`` ...). Run through `load_python`,
the script fills the environment that `load` returns; run on its own, it
gets a new one.
"""

import contextvars
import runpy

__all__ = ["get_environment", "load_python", "run_lattice_script"]

_loading = contextvars.ContextVar("xtrack_environment_being_loaded", default=None)


def get_environment():
    """The environment a lattice script fills: the one being loaded, else a new one."""
    env = _loading.get()
    if env is None:
        from .environment import Environment

        env = Environment()
    return env


def load_python(path, string=None):
    """Run a lattice script (file `path`, or its text `string`) and return its environment."""
    from .environment import Environment

    return run_lattice_script(Environment(), path, string=string)


def run_lattice_script(env, path, string=None):
    """Run a lattice script (file `path`, or its text `string`) that fills `env`; return it."""
    token = _loading.set(env)
    try:
        if string is None:
            runpy.run_path(str(path), run_name="__xtrack_lattice__")
        else:
            exec(compile(string, str(path or "<lattice script>"), "exec"), {"__name__": "__xtrack_lattice__"})
    finally:
        _loading.reset(token)
    return env
