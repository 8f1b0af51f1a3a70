"""Contexts (CPU, OpenCL, CUDA), buffers and kernels."""

__all__ = []
