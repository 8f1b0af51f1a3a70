"""The Particles class, its field table and C per-particle API."""

from .particles import Particles, reference_from_pdg_id

__all__ = ["Particles", "reference_from_pdg_id"]
