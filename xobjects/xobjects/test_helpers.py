"""Decorators for test suites of xobjects and the libraries built on it.

``for_all_test_contexts``
    Runs a test once per context listed in ``XOBJECTS_TEST_CONTEXTS`` (see
    :mod:`xobjects.context.contexts_for_tests`), passing it as ``test_context``;
    the test id shows the context (``test_x[ContextCpu]``,
    ``test_x[ContextCpu:auto]``). ``excluding=`` leaves out contexts by
    class name.
``requires_context(name)``
    Skips a test unless that context class is among the test contexts.
``fix_random_seed(seed)``
    Seeds numpy's and Python's global generators for the test and restores
    their previous states afterwards, so that other tests are unaffected.
``allow_kernel_compilation``
    Sets ``XSUITE_ALLOW_KERNEL_COMPILATION=1`` while the test runs, for
    code that refuses to compile kernels without it.
"""

import functools
import os
import random

import numpy as np
import pytest

from .context.contexts_for_tests import context_from_spec, parse_spec, context_specs_for_tests

__all__ = ["for_all_test_contexts", "requires_context", "fix_random_seed", "allow_kernel_compilation"]


def _excluded_names(excluding):
    if excluding is None:
        return set()
    if isinstance(excluding, str):
        excluding = (excluding,)
    names = set()
    for item in excluding:
        names.add(item if isinstance(item, str) else getattr(item, "__name__", str(item)))
    return names


def _context_params(excluding=()):
    excluded = _excluded_names(excluding)
    params = []
    for spec in context_specs_for_tests():
        name, _ = parse_spec(spec)
        if name in excluded:
            continue
        marks = [pytest.mark.gpu] if name == "ContextCupy" else []
        params.append(pytest.param(context_from_spec(spec), id=spec, marks=marks))
    return params


def for_all_test_contexts(test=None, *, excluding=()):
    """Parametrise ``test`` over the test contexts as its ``test_context`` argument.

    Usable bare (``@for_all_test_contexts``) or with options
    (``@for_all_test_contexts(excluding=('ContextCupy', 'ContextPyopencl'))``).
    """

    def decorate(func):
        return pytest.mark.parametrize("test_context", _context_params(excluding))(func)

    if test is None:
        return decorate
    if isinstance(test, (str, tuple, list)):
        raise TypeError(
            "for_all_test_contexts: pass the contexts to leave out as excluding=..., "
            f"got the positional value {test!r}."
        )
    return decorate(test)


def requires_context(context_name):
    """Skip the test unless ``context_name`` (e.g. 'ContextPyopencl') is a test context."""
    parse_spec(context_name)  # a misspelt name is an error, not a silent skip
    available = {parse_spec(spec)[0] for spec in context_specs_for_tests()}
    return pytest.mark.skipif(
        context_name not in available,
        reason=f"{context_name} is not among the test contexts ({', '.join(sorted(available))})",
    )


def fix_random_seed(seed):
    """Seed numpy's and Python's global generators for the test, restoring them after."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            np_state, py_state = np.random.get_state(), random.getstate()
            np.random.seed(seed)
            random.seed(seed)
            try:
                return func(*args, **kwargs)
            finally:
                np.random.set_state(np_state)
                random.setstate(py_state)

        return wrapper

    return decorate


def allow_kernel_compilation(func):
    """Run ``func`` with ``XSUITE_ALLOW_KERNEL_COMPILATION=1`` set, restoring the old value."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        old = os.environ.get("XSUITE_ALLOW_KERNEL_COMPILATION")
        os.environ["XSUITE_ALLOW_KERNEL_COMPILATION"] = "1"
        try:
            return func(*args, **kwargs)
        finally:
            if old is None:
                os.environ.pop("XSUITE_ALLOW_KERNEL_COMPILATION", None)
            else:
                os.environ["XSUITE_ALLOW_KERNEL_COMPILATION"] = old

    return wrapper
