"""Typed memory in buffers and portable C kernels on CPU, OpenCL and CUDA."""

from ._version import __version__

__all__ = ["__version__"]
