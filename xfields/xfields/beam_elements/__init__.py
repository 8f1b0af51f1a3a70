"""Collective beam elements (beam-beam, space charge): hybrid classes with C kernels."""

from .beambeam2d import BeamBeamBiGaussian2D, ConfigForUpdateBeamBeamBiGaussian2D
from .beambeam3d import BeamBeamBiGaussian3D, ConfigForUpdateBeamBeamBiGaussian3D
from .electroncloud import ElectronCloud
from .electronlens_interpolated import ElectronLensInterpolated
from .spacecharge import SpaceChargeBiGaussian
from .spacecharge3d import SpaceCharge3D

__all__ = ["BeamBeamBiGaussian2D", "ConfigForUpdateBeamBeamBiGaussian2D",
           "BeamBeamBiGaussian3D", "ConfigForUpdateBeamBeamBiGaussian3D",
           "SpaceChargeBiGaussian", "SpaceCharge3D", "ElectronCloud",
           "ElectronLensInterpolated"]
