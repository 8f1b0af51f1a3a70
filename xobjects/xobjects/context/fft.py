"""FFT plans for each context, with in-place ``transform`` and ``itransform``.

CPU: ``scipy.fft`` (threads as the context); OpenCL: ``pyvkfft``, or, where
pyvkfft is not installed (it has no wheels and often fails to build), a
transform on the host with a warning; CUDA: ``cupy.fft`` (cuFFT caches its
plans). The inverse is normalised (1/N), as numpy's ``ifftn``.
"""

import warnings

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


class FFTPyopenclHost(FFTCpu):
    """In-place FFT of pyopencl arrays computed on the host (no pyvkfft).

    Each call copies the array to the host, transforms it with scipy and
    copies it back: correct on every device, fast only where the device
    memory is the host's (PoCL on the CPU).
    """

    def transform(self, data):
        """Forward FFT of ``data``, in place (through the host)."""
        import scipy.fft

        self._check(data)
        data.set(np.ascontiguousarray(scipy.fft.fftn(data.get(), axes=self.axes)))

    def itransform(self, data):
        """Inverse FFT of ``data``, in place (through the host)."""
        import scipy.fft

        self._check(data)
        data.set(np.ascontiguousarray(scipy.fft.ifftn(data.get(), axes=self.axes)))


def plan_fft_pyopencl(context, data, axes, wait_on_call=True):
    """Return a pyvkfft plan, or the host plan with a warning without pyvkfft."""
    try:
        import pyvkfft.fft  # noqa: F401
    except ImportError:
        warnings.warn(
            "pyvkfft is not installed: plan_FFT on ContextPyopencl transforms "
            "on the host (copy to host and back on every call). "
            "Install it with: pip install pyvkfft",
            UserWarning,
            stacklevel=3,
        )
        return FFTPyopenclHost(data, axes)
    return FFTPyopencl(context, data, axes, wait_on_call=wait_on_call)


class FFTPyopencl:
    """In-place FFT plan for pyopencl arrays (pyvkfft)."""

    def __init__(self, context, data, axes, wait_on_call=True):
        from pyvkfft.fft import fftn, ifftn

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
