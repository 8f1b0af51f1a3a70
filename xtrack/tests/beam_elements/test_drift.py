import json

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt

REFERENCE_CLASSES = ["Drift", "DriftExact"]


def test_drift_matches_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _particles(**kwargs):
    return xt.Particles(p0c=1e9, x=[1e-3, -2e-3], px=[1e-4, -3e-4], y=[2e-3, 0], py=[-2e-4, 5e-5],
                        delta=[0, 1e-2], **kwargs)


def test_drift_preserves_momenta_and_moves_positions_linearly():
    p = _particles()
    px0, x0, rpp = p.px.copy(), p.x.copy(), p.rpp.copy()
    xt.Drift(length=2.0).track(p)
    assert np.all(p.px == px0)
    xo.assert_allclose(p.x, x0 + 2.0 * px0 * rpp, rtol=0, atol=1e-16) if hasattr(xo, "assert_allclose") \
        else np.testing.assert_allclose(p.x, x0 + 2.0 * px0 * rpp, rtol=0, atol=1e-16)
    assert np.all(p.s == 2.0)


def test_exact_drift_differs_from_expanded_at_large_angle():
    p1 = xt.Particles(p0c=1e9, px=[0.1])
    p2 = p1.copy()
    xt.Drift(length=1.0, model="exact").track(p1)
    xt.Drift(length=1.0).track(p2)
    # exact x' = px / sqrt(1 - px^2) against px
    np.testing.assert_allclose(p1.x, 0.1 / np.sqrt(1 - 0.01), rtol=1e-15)
    np.testing.assert_allclose(p2.x, 0.1, rtol=1e-15)


def test_drift_model_round_trip_and_bad_model():
    d = xt.Drift(length=3.0, model="exact")
    dct = d.to_dict()
    assert dct["model"] == "exact" and dct["length"] == 3.0 and "_model" not in dct
    d2 = xt.Drift.from_dict(json.loads(json.dumps(dct)))
    assert d2.model == "exact" and d2.length == 3.0
    with pytest.raises(ValueError, match="model must be one of"):
        xt.Drift(length=1.0, model="exakt")


def test_drift_backwards_is_inverse():
    p = _particles()
    p0 = p.copy()
    xt.Drift(length=1.7).track(p)
    xt.Drift(length=-1.7).track(p)
    for name in ("x", "y", "zeta", "s"):
        np.testing.assert_allclose(getattr(p, name), getattr(p0, name), rtol=0, atol=1e-15)
