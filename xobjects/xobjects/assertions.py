"""``assert_allclose`` for arrays of any context (numpy, pyopencl, cupy).

Downstream test suites compare particle coordinates that live on the
context under test; this brings both sides to the host and then applies
``numpy.testing.assert_allclose`` (same arguments, same message).
"""

import numpy as np

from .types.base import to_host_array

__all__ = ["assert_allclose"]


def _to_host(value):
    xobject = getattr(value, "_xobject", value)
    if hasattr(xobject, "to_nparray"):  # an xobjects array of scalars
        return xobject.to_nparray()
    if isinstance(value, (list, tuple)):
        return np.asarray([_to_host(v) for v in value])
    return to_host_array(value)


def assert_allclose(actual, desired, rtol=1e-7, atol=0, equal_nan=True, err_msg="", verbose=True):
    """``numpy.testing.assert_allclose`` on host copies of ``actual`` and ``desired``."""
    np.testing.assert_allclose(
        _to_host(actual), _to_host(desired), rtol=rtol, atol=atol, equal_nan=equal_nan,
        err_msg=err_msg, verbose=verbose,
    )
