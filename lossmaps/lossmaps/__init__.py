"""Analysis and plots of beam loss maps, simulated and measured.

Main objects: :class:`SimulatedLossMap` (SixTrack K2 / FLUKA / xcoll JSON
outputs), :class:`MeasuredLossMap` (BLM data), the canonical losses table
(:mod:`lossmaps.table`) with its ``.lossmap`` pandas accessor
(:mod:`lossmaps.accessor`), and the plots :func:`plot_lossmap` /
:func:`plot_lossmap_interactive`.
"""

from . import accessor as _accessor  # noqa: F401  (registers the .lossmap accessor)
from ._version import __version__
from .enums import (
    Beam,
    BeamProcess,
    BLMintegrated,
    LMType,
    Losses,
    Machine,
    Particle,
    Plane,
    RFsweep,
)
from .errors import LossMapFormatError, LossMapsError, LossMapsWarning, MeasuredOnlyError
from .export import read_losses_csv, to_csv
from .lossmap import LossMap
from .machines import MachineDefinition, get_machine, set_machine_definition
from .measured import MeasuredLossMap
from .plotting import plot_lossmap, plot_lossmap_interactive
from .simulated import SimulatedLossMap

__all__ = [
    "__version__",
    "Beam",
    "BeamProcess",
    "BLMintegrated",
    "LMType",
    "Losses",
    "Machine",
    "Particle",
    "Plane",
    "RFsweep",
    "LossMapFormatError",
    "LossMapsError",
    "LossMapsWarning",
    "MeasuredOnlyError",
    "LossMap",
    "SimulatedLossMap",
    "MeasuredLossMap",
    "MachineDefinition",
    "get_machine",
    "set_machine_definition",
    "plot_lossmap",
    "plot_lossmap_interactive",
    "read_losses_csv",
    "to_csv",
]
