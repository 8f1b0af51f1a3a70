"""BeamElement: the base of every xtrack element.

An element is an xobjects hybrid class (data fields in `_xofields`) whose C
source defines ``<ClassName>_track_local_particle(<ClassName>Data el,
LocalParticle* part0)``. The source is given in `_extra_c_sources` (paths of
headers next to the module, or code strings) and may include
``"xtrack/headers/track.h"`` for the qualifiers, constants and the
per-particle block macros.

Capabilities are declared as class attributes (`isthick`, `has_backtrack`,
`iscollective`, `allow_rot_and_shift`, `needs_rng`); the tracker and the
line read them, never guess them.

`element.track(particles)` compiles (once per class and context, through the
disk cache) a kernel that loops over the particles and calls the element's
track function for each alive one.
"""

import weakref
from pathlib import Path

import numpy as np
import xobjects as xo
from xpart import Particles

from .enums import EnumProperty

__all__ = ["BeamElement", "element_class_by_name", "register_element_class", "TRACK_HEADER"]

HEADERS = Path(__file__).resolve().parent.parent / "headers"
TRACK_HEADER = HEADERS / "track.h"

_ELEMENT_CLASSES = {}


def register_element_class(cls):
    """Make `cls` known to `Line.from_dict` under its class name."""
    _ELEMENT_CLASSES[cls.__name__] = cls
    return cls


def element_class_by_name(name):
    """The element class registered under `name` (KeyError with close matches)."""
    try:
        return _ELEMENT_CLASSES[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, list(_ELEMENT_CLASSES), n=3)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise KeyError(f"unknown element class {name!r}{hint}.") from None


def _kernel_sources(classes):
    """C sources that the kernels of `classes` need, dependencies first, each once."""
    sources = list(Particles._kernel_requirements()[1]) + [TRACK_HEADER]
    types = [Particles._XoStruct]
    for cls in classes:
        cls_types, cls_sources = cls._kernel_requirements()
        record_cls = getattr(cls, "_internal_record_class", None)
        if record_cls is not None:  # the record's C API, slots and getter (records.py)
            from .records import RECORDS_HEADER, getter_source

            rec_types, rec_sources = record_cls._kernel_requirements()
            cls_types = rec_types + cls_types
            cls_sources = [RECORDS_HEADER] + rec_sources + [getter_source(cls)] + cls_sources
        for t in cls_types:
            if t not in types:
                types.append(t)
        for s in cls_sources:
            if s not in sources:
                sources.append(s)
    return types, sources


class BeamElement(xo.HybridClass):
    """Base class of beam elements (see the module docstring).

    Parameters
    ----------
    extra : dict, optional
        Attributes without a tracking meaning (kept in `to_dict`).
    prototype : str, optional
        Name of the element this one was derived from (provenance only).
    name_associated_aperture : str, optional
        Name of the aperture element that belongs to this element.
    **kwargs
        Field values (see the subclass).
    """

    _xofields = {}
    #: The element has a length and advances `s`.
    isthick = False
    #: `track(..., backtrack=True)` undoes the map.
    has_backtrack = False
    #: Needs all particles at once (tracked in Python between line segments).
    iscollective = False
    #: Accepts `shift_x`, `shift_y`, `shift_s`, `rot_s_rad`, ... misalignments.
    allow_rot_and_shift = False
    #: Uses random numbers (particles need an initialised generator).
    needs_rng = False
    #: A drift-like element that can be merged or replaced by a drift.
    behaves_like_drift = False
    allow_loss_refinement = False
    #: The tracker may move the element's data into its own buffer.
    _movable = True
    #: Fields that keep a value even when an expression is assigned elsewhere.
    _noexpr_fields = set()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._track_kernel_cache = weakref.WeakKeyDictionary()
        cls._enum_properties = {
            name: attr for klass in reversed(cls.__mro__) for name, attr in vars(klass).items()
            if isinstance(attr, EnumProperty)
        }
        if "_xofields" in cls.__dict__:
            if "_internal_record_class" in cls.__dict__:
                # The metaclass builds the struct from this very dict after
                # __init_subclass__: the record offset becomes a field (records.py).
                cls.__dict__["_xofields"].setdefault("_internal_record_offset", xo.Int64)
                cls._skip_in_to_dict = list(cls._skip_in_to_dict) + ["_internal_record_offset"]
            register_element_class(cls)

    @classmethod
    def _split_kwargs(cls, kwargs):
        """Fields, and settable attributes (named options, properties) set afterwards."""
        settable = {k: v for k, v in kwargs.items() if k in cls._enum_properties}
        rest = {k: v for k, v in kwargs.items() if k not in settable}
        values, extra = super()._split_kwargs(rest)
        for key, value in settable.items():  # validate before anything is built
            cls._enum_properties[key].code_of(value, cls.__name__)
        extra.update(settable)
        return values, extra

    def __init__(self, *args, extra=None, prototype=None, name_associated_aperture=None, **kwargs):
        if args:
            raise TypeError(
                f"{type(self).__name__}() takes keyword arguments only, got {len(args)} positional."
            )
        super().__init__(**kwargs)
        self.extra = dict(extra) if extra else None
        self.prototype = prototype
        self.name_associated_aperture = name_associated_aperture

    # ---------------------------------------------------------------- dicts
    def to_dict(self, **kwargs):
        """Dict of the element: `'__class__'` plus its fields (the established JSON format)."""
        out = super().to_dict()
        for name, prop in self._enum_properties.items():
            out.pop(prop.field, None)
            # Like the established format, a named option at its default
            # (code 0) is left out: the dict lists what was chosen.
            if int(getattr(self, prop.field)) != 0:
                out[name] = getattr(self, name)
        for key, value in list(out.items()):
            if isinstance(value, np.ndarray):
                out[key] = value.tolist() if key not in self._keep_arrays_in_to_dict else value
        if getattr(self, "extra", None):
            out["extra"] = dict(self.extra)
        if getattr(self, "prototype", None) is not None:
            out["prototype"] = self.prototype
        if getattr(self, "name_associated_aperture", None) is not None:
            out["name_associated_aperture"] = self.name_associated_aperture
        return out

    _keep_arrays_in_to_dict = ()

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, _offset=None):
        """Element from :meth:`to_dict` output (`'__class__'` is ignored)."""
        kwargs = {k: v for k, v in dct.items() if k != "__class__"}
        return cls(_context=_context, _buffer=_buffer, _offset=_offset, **kwargs)

    def copy(self, _context=None, _buffer=None, _offset=None):
        """Copy of the element (same values) on `_context` / in `_buffer`."""
        new = super().copy(_context=_context, _buffer=_buffer)
        if getattr(new, "_internal_record_offset", 0):
            new._internal_record_offset = 0  # the record stays with the original's buffer
        if getattr(self, "extra", None):
            new.extra = dict(self.extra)
        return new

    # -------------------------------------------------------------- kernels
    @classmethod
    def _track_kernel_name(cls):
        return f"{cls.__name__}_track_particles"

    @classmethod
    def _track_kernel_source(cls):
        n = cls.__name__
        return f"""
/*gpukern*/ void {n}_track_particles({n}Data el, ParticlesData particles,
        int64_t num_particles, int64_t flag_increment_at_element){{
    for (int64_t ii = 0; ii < num_particles; ii++){{ //vectorize_over ii num_particles
        LocalParticle lpart;
        Particles_to_LocalParticle(particles, &lpart, ii, ii + 1);
        if (LocalParticle_get_state(&lpart) > 0){{
            {n}_track_local_particle(el, &lpart);
            if (flag_increment_at_element && LocalParticle_get_state(&lpart) > 0){{
                LocalParticle_add_to_at_element(&lpart, 1);
            }}
        }}
    }}//end_vectorize
}}
"""

    @classmethod
    def _get_track_kernel(cls, context):
        kernel = cls._track_kernel_cache.get(context)
        if kernel is not None:
            return kernel
        from ..tracker.source import prepare_source

        types, sources = _kernel_sources([cls])
        name = cls._track_kernel_name()
        description = xo.Kernel(
            args=[
                xo.Arg(cls._XoStruct, name="el"),
                xo.Arg(Particles._XoStruct, name="particles"),
                xo.Arg(xo.Int64, name="num_particles"),
                xo.Arg(xo.Int64, name="flag_increment_at_element"),
            ],
            n_threads="num_particles",
        )
        context.add_kernels(
            sources=sources + [cls._track_kernel_source()],
            kernels={name: description},
            extra_classes=types,
            apply_to_source=[prepare_source],
        )
        kernel = context.kernels[name]
        cls._track_kernel_cache[context] = kernel
        return kernel

    def compile_kernels(self, *args, **kwargs):
        """Compile the element's track kernel (and its `_kernels`) on its context."""
        type(self)._get_track_kernel(self._context)
        if self._kernels:
            super().compile_kernels(*args, **kwargs)

    def track(self, particles, increment_at_element=False, **kwargs):
        """Track `particles` through the element once (in place).

        Parameters
        ----------
        particles : xpart.Particles
            Particles on the element's context.
        increment_at_element : bool, default False
            Increment `at_element` of the particles that survive.
        """
        if kwargs:
            from xobjects.types.base import unknown_name_error

            raise unknown_name_error(f"{type(self).__name__}.track", next(iter(kwargs)),
                                     ["increment_at_element"], what="argument")
        if particles._context is not self._context:
            if type(particles._context) is not type(self._context):
                raise TypeError(
                    f"{type(self).__name__}.track: particles live on {particles._context!r} and "
                    f"the element on {self._context!r}; move one of them (.move(_context=...))."
                )
        kernel = type(self)._get_track_kernel(self._context)
        kernel(el=self._xobject, particles=particles._xobject,
               num_particles=particles._capacity,
               flag_increment_at_element=int(bool(increment_at_element)))
        particles._count_particles()
        if not getattr(particles, "_no_reorganize", False):
            particles.reorganize()

    # ----------------------------------------------------------- conveniences
    def __repr__(self):
        return xo.HybridClass.__repr__(self)
