"""Collective beam elements (beam-beam, space charge): hybrid classes with C kernels."""

from .beambeam3d import BeamBeamBiGaussian3D, ConfigForUpdateBeamBeamBiGaussian3D

__all__ = ["BeamBeamBiGaussian3D", "ConfigForUpdateBeamBeamBiGaussian3D"]
