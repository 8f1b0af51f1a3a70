"""Measured loss maps from BLM data (logging service through Spark, or files).

Placeholder until the measured-loss-map work lands in this subpackage.
"""

__all__ = []
