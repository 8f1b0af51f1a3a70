"""Beam elements: one module per family, each with its C source next to it.

Every public module of this package (no leading underscore) defines
``__all__``; its names are collected here, so that adding a family is adding
a module.
"""

import importlib
import pkgutil

from .base import BeamElement, element_class_by_name, register_element_class

__all__ = ["BeamElement", "element_class_by_name", "register_element_class"]

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_") or _info.name in ("base", "enums"):
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_module, "__all__", ()):
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
del _info, _module, _name

#: Every public beam element class of the package.
element_classes = tuple(
    obj for name, obj in list(globals().items())
    if name in __all__ and isinstance(obj, type) and issubclass(obj, BeamElement) and obj is not BeamElement
)
