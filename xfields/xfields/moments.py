"""Weighted mean and standard deviation of context arrays."""

__all__ = ["mean_and_std"]


def mean_and_std(a, weights=None):
    """Weighted mean and (population) standard deviation of `a`.

    Parameters
    ----------
    a : array (numpy, cupy or pyopencl)
    weights : array of the same shape, optional
        Default: equal weights.

    Returns
    -------
    mean, std : float
    """
    # Device arrays (cupy, pyopencl) come to the host: two reductions do not
    # pay for a kernel, and pyopencl reductions return device scalars.
    a = a.get() if hasattr(a, "get") else a
    if weights is not None and hasattr(weights, "get"):
        weights = weights.get()
    if weights is None:
        mean = a.sum() / a.size
        std = (((a - mean) ** 2).sum() / a.size) ** 0.5
    else:
        total = weights.sum()
        mean = (a * weights).sum() / total
        std = ((((a - mean) ** 2) * weights).sum() / total) ** 0.5
    return float(mean), float(std)
