"""Line: names, elements, variables, configuration, dict/JSON."""

from .config import TrackerConfig
from .line import Line

__all__ = ["Line", "TrackerConfig"]


def _allowed_element_types():
    """Element classes that `Environment.new` builds by class or class name."""
    from .. import beam_elements

    return {name: getattr(beam_elements, name) for name in beam_elements.__all__
            if isinstance(getattr(beam_elements, name), type)
            and issubclass(getattr(beam_elements, name), beam_elements.BeamElement)
            and name != "BeamElement"}


_ALLOWED_ELEMENT_TYPES_DICT = _allowed_element_types()
