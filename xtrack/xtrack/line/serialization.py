"""Line dictionaries and JSON in the established format.

Top-level keys (see shared/reference/xtrack/lattices/README.md):
`__class__`, `xtrack_version`, `element_names`, `elements` (name -> element
dict, including environment entries that are not placed), the variable
sections `_var_management_data`/`_var_manager`, `particle_ref`, `config`,
`_extra_config`, `metadata`; other keys written by the established
implementation (`composer`, `mode`, `env_particles`) are kept as they are,
so that a file read and written again loses nothing.
"""

from xpart import Particles

from .._version import __version__
from ..beam_elements.base import element_class_by_name
from .config import TrackerConfig

__all__ = ["line_to_dict", "line_from_dict"]

_PASSTHROUGH_KEYS = ("composer", "mode")


def line_to_dict(line, include_var_management=True):
    out = {"__class__": "Line", "xtrack_version": __version__,
           "element_names": list(line.element_names),
           "elements": {name: el.to_dict() for name, el in line.element_dict.items()}}
    if include_var_management and line._var_management is not None:
        out.update(line._var_management.to_dict())
    ref = line._particle_ref
    if isinstance(ref, str):
        out["particle_ref"] = ref  # by name: the particles of the environment go along
    elif ref is not None:
        out["particle_ref"] = ref.to_dict()
    if line._env is not None and len(line._env.particles):
        out["env_particles"] = {nn: pp.to_dict() for nn, pp in line._env.particles.items()}
    out["config"] = dict(line.config)
    out["_extra_config"] = dict(line._extra_config)
    out["metadata"] = dict(line.metadata)
    for key in _PASSTHROUGH_KEYS:
        if key in getattr(line, "_passthrough", {}):
            out[key] = line._passthrough[key]
    return out


def _build_element(name, dct, classes, _context, _buffer):
    if not isinstance(dct, dict) or "__class__" not in dct:
        raise ValueError(f"Line.from_dict: element {name!r} must be a dict with '__class__', got {dct!r:.80}.")
    cls_name = dct["__class__"]
    cls = classes.get(cls_name) or element_class_by_name(cls_name)
    try:
        return cls.from_dict(dct, _context=_context, _buffer=_buffer)
    except Exception as exc:
        raise type(exc)(f"Line.from_dict: element {name!r} ({cls_name}): {exc}") from exc


def line_from_dict(cls, dct, _context=None, _buffer=None, classes=()):
    if not isinstance(dct, dict) or "elements" not in dct:
        raise ValueError("Line.from_dict: the dict has no 'elements' section.")
    extra_classes = {c.__name__: c for c in classes}
    elements = dct["elements"]
    names = dct.get("element_names")
    if isinstance(elements, list):
        built = [_build_element(str(ii), e, extra_classes, _context, _buffer) for ii, e in enumerate(elements)]
        line = cls(elements=built, element_names=names)
    else:
        if names is None:
            names = list(elements)
        element_dict = {n: _build_element(n, e, extra_classes, _context, _buffer) for n, e in elements.items()}
        line = cls(elements=element_dict, element_names=names)
    from ..beam_elements.slice_elements import attach_slices

    attach_slices(line.element_dict)
    if dct.get("env_particles"):
        # before the expressions: some of them drive fields of these particles
        env_particles = line.env.particles
        for nn, pp in dct["env_particles"].items():
            env_particles._dict[nn] = Particles.from_dict(pp, _context=_context)
    if "config" in dct:
        line.config = TrackerConfig(dct["config"])
    if "_extra_config" in dct:
        line._extra_config.update(dct["_extra_config"])
    line.metadata = dict(dct.get("metadata") or {})
    line._passthrough = {k: dct[k] for k in _PASSTHROUGH_KEYS if k in dct}
    if "_var_manager" in dct and "_var_management_data" in dct:
        vm = line._ensure_var_management()
        vm.load_dict(dct)
    ref = dct.get("particle_ref")
    if isinstance(ref, str):
        line.particle_ref = ref
    elif ref is not None:
        line.particle_ref = Particles.from_dict(ref, _context=_context)
    return line
