"""The Examples sections of the public docstrings run as written."""

import doctest
import importlib

import pytest

MODULES = ["xdeps.manager", "xdeps.functions", "xdeps.table", "xdeps.var_management"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
