"""Simulated loss maps: SixTrack K2 / FLUKA outputs and xcoll JSON files."""

from .simulated_lossmap import SimulatedLossMap

__all__ = ["SimulatedLossMap"]
