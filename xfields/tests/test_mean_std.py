"""mean_and_std against numpy, with and without weights."""

import numpy as np
from xobjects.test_helpers import for_all_test_contexts

import xfields as xf


@for_all_test_contexts
def test_weighted_mean_and_std_match_numpy(test_context):
    rng = np.random.default_rng(0)
    a = rng.normal(3.0, 2.0, 1000)
    w = rng.uniform(0, 1, 1000)
    mean, std = xf.mean_and_std(test_context.nparray_to_context_array(a),
                                weights=test_context.nparray_to_context_array(w))
    ref = np.average(a, weights=w)
    assert np.isclose(mean, ref, rtol=1e-12)
    assert np.isclose(std, np.sqrt(np.average((a - ref) ** 2, weights=w)), rtol=1e-12)
    mean, std = xf.mean_and_std(test_context.nparray_to_context_array(a))
    assert np.isclose(mean, a.mean(), rtol=1e-12) and np.isclose(std, a.std(), rtol=1e-12)
