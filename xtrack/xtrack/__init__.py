"""Lattices, beam elements, tracking, optics and matching.

``xtrack.Particles`` is xpart's class, re-exported (ARCHITECTURE.md).
"""

from xpart import (ELECTRON_MASS_EV, MUON_MASS_EV, PROTON_MASS_EV, Pb208_MASS_EV, U_MASS_EV,
                   Particles)

from ._version import __version__
from .beam_elements import *  # noqa: F403 - the element classes are public here
from .beam_elements import __all__ as _elements_all
from .line import Line, TrackerConfig
from .line.environment import Environment
from .line.multisetter import MultiSetter

Multiline = Environment  # the manual's name for a multi-line environment ("Create an environment")
from .line.builder import Builder, Place
from .line.slicing import Strategy, Teapot, Uniform
from .line import slicing  # noqa: E402 - the module path xtrack.slicing of existing scripts
import sys as _sys
_sys.modules.setdefault(__name__ + '.slicing', slicing)
from xdeps import Table
from .tracker.tracker import Tracker
from .madx import load
from .line.python_lattice import get_environment
from .match import (END, START, GreaterThan, LessThan, Target, TargetList,  # noqa: E402
                    TargetRelPhaseAdvance, TargetSet, TrajectoryCorrection, Vary, VaryList)
from .twiss import Footprint, LinearRescale, TwissInit, TwissTable  # noqa: E402

from . import particles  # noqa: E402 - the module path xtrack.particles of existing scripts
from . import progress_indicator  # noqa: E402
from .settings import _print, settings  # noqa: E402
import xdeps.output as _xdeps_output  # noqa: E402

# xdeps prints (tables, optimizer status) through the suite's print_mode
_xdeps_output.set_printer(_print)
from .mad_loader import MadLoader  # noqa: E402 - cpymad import, module path of existing scripts
from .line.builder import Composer  # noqa: E402
from .line.slicing import Custom, Slicer  # noqa: E402
from . import view  # noqa: E402
from . import distributed  # noqa: E402 - xt.distributed.track (dask imported only when it runs)
from .loss_location_refinement import LossLocationRefinement  # noqa: E402
from . import collimation  # noqa: E402
from .pipeline import PipelineBranch, PipelineManager, PipelineMultiTracker  # noqa: E402

__all__ = ["__version__", "Particles", "PROTON_MASS_EV", "ELECTRON_MASS_EV", "MUON_MASS_EV",
           "Pb208_MASS_EV", "U_MASS_EV", "Line", "Tracker", "TrackerConfig",
           "Environment", "Multiline", "MultiSetter", "get_environment", "Builder", "Place", "Strategy", "Teapot", "Uniform", "Table", "load", "settings", "MadLoader", "Composer", "Custom", "Slicer",
           "Vary", "VaryList", "Target", "TargetSet", "TargetList", "TargetRelPhaseAdvance", "TrajectoryCorrection",
           "GreaterThan", "LessThan", "START", "END", "TwissInit", "TwissTable", "Footprint", "LinearRescale", "LossLocationRefinement",
           "PipelineManager", "PipelineBranch", "PipelineMultiTracker"] + _elements_all
