"""xobjects.test_helpers, get_test_contexts and assert_allclose."""

import os
import random

import numpy as np
import pytest

import xobjects as xo
from xobjects import test_helpers as th
from xobjects.context import contexts_for_tests as tc


def test_env_var_selects_contexts_and_ids(monkeypatch):
    monkeypatch.setenv("XOBJECTS_TEST_CONTEXTS", "ContextCpu; ContextCpu:auto,ContextCpu:3")
    params = th._context_params()
    assert [p.id for p in params] == ["ContextCpu", "ContextCpu:auto", "ContextCpu:3"]
    assert [p.values[0].omp_num_threads for p in params] == [0, "auto", 3]
    # One shared context per spec.
    assert list(xo.context.get_test_contexts())[1] is params[1].values[0]
    assert th._context_params(excluding="ContextCpu") == []
    assert len(th._context_params(excluding=("ContextCupy", "ContextPyopencl"))) == 3


def test_default_is_what_the_machine_has(monkeypatch):
    monkeypatch.delenv("XOBJECTS_TEST_CONTEXTS", raising=False)
    specs = tc.context_specs_for_tests()
    assert specs[:2] == ["ContextCpu", "ContextCpu:auto"]
    assert ("ContextPyopencl" in specs) == tc._opencl_available()


def test_unknown_context_name_is_an_error(monkeypatch):
    monkeypatch.setenv("XOBJECTS_TEST_CONTEXTS", "ContextGpu")
    with pytest.raises(ValueError, match="unknown context 'ContextGpu'; allowed: ContextCpu"):
        tc.context_specs_for_tests()
    with pytest.raises(ValueError, match="unknown context"):
        th.requires_context("ContextCPU")
    with pytest.raises(TypeError, match="excluding="):
        th.for_all_test_contexts("ContextCupy")


def test_requires_context_marks_a_skip(monkeypatch):
    monkeypatch.setenv("XOBJECTS_TEST_CONTEXTS", "ContextCpu")
    assert th.requires_context("ContextCpu").args == (False,)
    assert th.requires_context("ContextCupy").args == (True,)


@th.for_all_test_contexts(excluding=("ContextPyopencl", "ContextCupy"))
def test_decorated_test_gets_a_cpu_context(test_context):
    assert isinstance(test_context, xo.ContextCpu)


def test_fix_random_seed_is_deterministic_and_restores_state():
    @th.fix_random_seed(1234)
    def draw():
        return np.random.rand(), random.random()

    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    assert draw() == draw()
    assert np.array_equal(np.random.get_state()[1], before)


def test_allow_kernel_compilation_sets_and_restores(monkeypatch):
    monkeypatch.delenv("XSUITE_ALLOW_KERNEL_COMPILATION", raising=False)
    seen = th.allow_kernel_compilation(lambda: os.environ.get("XSUITE_ALLOW_KERNEL_COMPILATION"))()
    assert seen == "1"
    assert "XSUITE_ALLOW_KERNEL_COMPILATION" not in os.environ


def test_assert_allclose_takes_context_and_xobjects_arrays():
    arr = xo.Float64[:]([1.0, 2.0])
    xo.assert_allclose(arr, [1.0, 2.0 + 1e-12], rtol=0, atol=1e-9)
    xo.assert_allclose(arr.to_nplike(), np.array([1.0, 2.0]))
    with pytest.raises(AssertionError, match="Not equal to tolerance"):
        xo.assert_allclose(arr, [1.0, 2.1], rtol=0, atol=1e-3)
