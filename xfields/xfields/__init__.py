"""Collective effects: beam-beam, space charge, intra-beam scattering.

Every public module and subpackage of this package (no leading underscore)
defines ``__all__``; its names are collected here, so that adding a family of
elements or tools is adding a module. A module that provides methods of xtrack
objects (``TwissTable.get_ibs_growth_rates`` ...) declares them in a module-level
dict ``_XTRACK_EXTENSIONS = {"method name": function}``; they reach xtrack
through the entry point in ``_xtrack_extensions``.
"""

import importlib
import pkgutil

from ._version import __version__

__all__ = ["__version__"]

#: name -> function, every extension method of xtrack objects that xfields provides.
xtrack_extensions = {}


def _collect_public_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            globals()[name] = getattr(module, name)
            __all__.append(name)
        xtrack_extensions.update(getattr(module, "_XTRACK_EXTENSIONS", {}))


_collect_public_modules()
