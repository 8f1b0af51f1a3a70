"""FFT plans for each context, with in-place ``transform`` and ``itransform``.

CPU: ``scipy.fft`` (threads as the context); OpenCL: ``pyvkfft``; CUDA:
``cupy.fft`` (cuFFT caches its plans). The inverse is normalised (1/N), as
numpy's ``ifftn``.
"""

import numpy as np


def _check_axes(data, axes):
    axes = tuple(int(a) for a in np.atleast_1d(axes))
    for ax in axes:
        if not -data.ndim <= ax < data.ndim:
            raise ValueError(f"axes must index the {data.ndim} dimensions of data, got {axes}.")
    if not np.issubdtype(data.dtype, np.complexfloating):
        raise TypeError(f"data must be a complex array for an in-place FFT, got dtype {data.dtype}.")
    return axes


class FFTCpu:
    """In-place FFT plan for numpy arrays on the CPU (scipy.fft)."""

    def __init__(self, data, axes, workers=1):
        self.axes = _check_axes(data, axes)
        self.shape, self.dtype = data.shape, data.dtype
        self.workers = workers

    def _check(self, data):
        if data.shape != self.shape or data.dtype != self.dtype:
            raise ValueError(
                f"plan made for shape {self.shape} {self.dtype}, got {data.shape} {data.dtype}."
            )

    def transform(self, data):
        """Forward FFT of ``data``, in place."""
        import scipy.fft

        self._check(data)
        data[...] = scipy.fft.fftn(data, axes=self.axes, workers=self.workers)

    def itransform(self, data):
        """Inverse FFT of ``data``, in place."""
        import scipy.fft

        self._check(data)
        data[...] = scipy.fft.ifftn(data, axes=self.axes, workers=self.workers)


class FFTPyopencl:
    """In-place FFT plan for pyopencl arrays (pyvkfft)."""

    def __init__(self, context, data, axes, wait_on_call=True):
        try:
            from pyvkfft.fft import fftn, ifftn
        except ImportError as exc:
            raise ImportError(
                "plan_FFT on ContextPyopencl needs pyvkfft: pip install pyvkfft"
            ) from exc
        self.axes = _check_axes(data, axes)
        self.context = context
        self.wait_on_call = wait_on_call
        self._fftn, self._ifftn = fftn, ifftn

    def transform(self, data):
        """Forward FFT of ``data``, in place."""
        self._fftn(data, data, axes=self.axes)
        if self.wait_on_call:
            self.context.synchronize()

    def itransform(self, data):
        """Inverse FFT of ``data``, in place."""
        self._ifftn(data, data, axes=self.axes, norm=1)
        if self.wait_on_call:
            self.context.synchronize()


class FFTCupy:
    """In-place FFT plan for cupy arrays (cuFFT through cupy.fft)."""

    def __init__(self, data, axes):
        import cupy.fft  # noqa: F401

        self.axes = _check_axes(data, axes)

    def transform(self, data):
        """Forward FFT of ``data``, in place."""
        import cupy

        data[...] = cupy.fft.fftn(data, axes=self.axes)

    def itransform(self, data):
        """Inverse FFT of ``data``, in place."""
        import cupy

        data[...] = cupy.fft.ifftn(data, axes=self.axes)
