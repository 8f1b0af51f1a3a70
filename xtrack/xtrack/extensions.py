"""Methods of xtrack objects that a higher library provides (xfields: IBS, beam-beam).

The manual documents methods such as ``TwissTable.get_ibs_growth_rates`` and
``Line.configure_intrabeam_scattering`` on xtrack classes, but their physics
lives in xfields, which sits above xtrack (ARCHITECTURE.md, "Layers": nothing
imports upward). xtrack therefore never names xfields: a library that provides
such methods declares an entry point in the group ``xtrack.extensions``

    [project.entry-points."xtrack.extensions"]
    xfields = "xfields._xtrack_extensions:register"

whose value is a function ``register(add)``; it calls ``add(name, function)``
for each method it provides. xtrack loads the group the first time one of
these methods is called.
"""

from importlib import metadata

__all__ = ["register", "get_extension", "available_extensions"]

ENTRY_POINT_GROUP = "xtrack.extensions"

_functions = {}
_loaded = False


def register(name, function):
    """Register `function` as the implementation of the extension method `name`."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"extension name must be a non-empty string, got {name!r}")
    if not callable(function):
        raise TypeError(f"extension {name!r}: function must be callable, got {function!r}")
    _functions[name] = function


def _load_entry_points():
    global _loaded
    if _loaded:
        return
    _loaded = True
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        entry_point.load()(register)


def available_extensions():
    """Names of every registered extension method (loading the entry points first)."""
    _load_entry_points()
    return sorted(_functions)


def get_extension(name, provider="xfields"):
    """The function registered for `name`; ImportError naming the provider when none is."""
    _load_entry_points()
    try:
        return _functions[name]
    except KeyError:
        raise ImportError(
            f"{name} is provided by {provider}, which is not installed (or does not provide it): "
            f"install {provider} to use it; extensions available: {sorted(_functions) or 'none'}"
        ) from None
