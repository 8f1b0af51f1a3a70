"""HybridClass: Python classes whose data is an xobjects Struct in a buffer.

A subclass declares its data fields once::

    class Drift(xo.HybridClass):
        _xofields = {"length": xo.Float64, "knl": xo.Float64[:]}

which builds ``Drift._XoStruct``, a Struct named ``DriftData`` (so kernels
use ``DriftData_get_length``), and exposes each field as a property
(scalars as numbers, arrays as context arrays writable in place, nested
hybrid fields as hybrid objects). Hooks for the libraries above:

``_rename``
    ``{field name: Python attribute name}``, e.g. to hide a raw field behind
    a property of the subclass. Constructor keywords and ``to_dict`` keys use
    field names; the constructor also accepts the renamed names.
``_skip_in_to_dict`` / ``_store_in_to_dict``
    Fields left out of ``to_dict``; extra (settable) attributes put in it.
``_extra_c_sources``
    C sources (code strings or paths) compiled with the kernels.
``_depends_on``
    Hybrid classes or types whose C API and sources come first.
``_kernels``
    ``{name: xo.Kernel}`` compiled by :meth:`HybridClass.compile_kernels`.
``_make_field_property``
    Classmethod building the attribute of one field (default: a property
    on ``_xobject``).

Fields declared as ``xo.Field(type, unit=..., doc=...)`` document their
attribute, and the class docstring's Parameters section lists them.

A subclass that does not define ``_xofields`` shares its parent's struct.
"""

import copy

from .context.base import kernel_key

from .types.base import ThisClass, unknown_name_error, xo_type_of
from .field_docs import with_field_parameters
from .types.struct import Field, MetaStruct, Struct, _bind_this_class

__all__ = ["HybridClass"]


def _is_hybrid_class(obj):
    return isinstance(obj, type) and issubclass(obj, HybridClass) and obj is not HybridClass


def _field_property(field):
    """Property reading and writing ``field`` of ``self._xobject``.

    Struct views of a hybrid class's struct come back as hybrid objects
    (``Struct._view`` dresses them).
    """
    get, put = field.__get__, field.__set__  # the descriptor itself: one call less

    def fget(self):
        return get(self._xobject)

    def fset(self, value):
        put(self._xobject, value)

    return property(fget, fset, doc=field.describe()
                    or f"Field {field.name!r} ({field.ftype.__name__}) of the struct.")


def _as_source(src, owner="HybridClass"):
    """A path given as a string becomes a Path; a misspelt one is a FileNotFoundError."""
    from .context.sources import resolve_source

    return resolve_source(src, owner)


class MetaHybridClass(type):
    """Builds ``_XoStruct`` and the field properties from ``_xofields``."""

    def __new__(mcs, name, bases, namespace):
        cls = super().__new__(mcs, name, bases, namespace)
        xofields = namespace.get("_xofields")
        if xofields is None or not bases:  # inherited, or the HybridClass base itself
            return cls
        struct_ns = {}
        for fname, ftype in xofields.items():
            struct_ns[fname] = ftype if isinstance(ftype, Field) else Field(ftype)
        struct_ns["_c_type"] = namespace.get("_c_type_name", f"{name}Data")
        cls._XoStruct = MetaStruct(struct_ns["_c_type"], (Struct,), struct_ns)
        cls._XoStruct._DressingClass = cls
        # ThisClass in _kernels names this class's struct from now on; the
        # declared dict is kept for subclasses with their own struct.
        declared = namespace.get("_kernels", getattr(cls, "_kernels_declared", cls._kernels))
        cls._kernels_declared = declared
        cls._kernels = _bind_this_class(declared, cls._XoStruct)
        rename = getattr(cls, "_rename", {})
        for field in cls._XoStruct._fields:
            attr = rename.get(field.name, field.name)
            if attr in _HYBRID_RESERVED:
                raise ValueError(
                    f"{name}: field {field.name!r} would hide HybridClass.{attr}; "
                    f"give it another attribute name with _rename = {{{field.name!r}: ...}}."
                )
            if attr not in namespace:  # a property written in the class body wins
                setattr(cls, attr, cls._make_field_property(field))
        cls.__doc__ = with_field_parameters(namespace.get("__doc__"), cls._XoStruct._fields, rename)
        return cls

    def __getitem__(cls, index):
        """``Drift[:]``: an array type of the hybrid class's struct."""
        return cls._XoStruct[index]


class HybridClass(metaclass=MetaHybridClass):
    """Base of classes backed by an xobjects Struct (see the module docstring).

    Parameters
    ----------
    _context : XContext, optional
        Context of a new buffer for the data (``context_default`` if neither
        ``_context`` nor ``_buffer`` is given).
    _buffer : XBuffer, optional
        Buffer to allocate the data in.
    _offset : int, optional
        Offset already reserved in ``_buffer``.
    _xobject : Struct instance, optional
        Existing data to wrap (no copy); excludes the other arguments.
    **kwargs
        Field values by field name (or by renamed attribute name), and
        settable attributes of the class.
    """

    _xofields = {}
    _rename = {}
    _skip_in_to_dict = []
    _store_in_to_dict = []
    _extra_c_sources = []
    _depends_on = []
    _kernels = {}

    @classmethod
    def _make_field_property(cls, field):
        """Attribute of ``field`` on the class (a property; its doc from ``field.describe()``).

        A subclass whose fields need other access (a view on part of an
        array, consistent updates of related fields) overrides this.
        """
        return _field_property(field)

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, **kwargs):
        cls = type(self)
        if not hasattr(cls, "_XoStruct"):
            raise TypeError(f"{cls.__name__} has no _xofields: define them in the class body.")
        if _xobject is not None:
            if kwargs or _context is not None or _buffer is not None or _offset is not None:
                raise TypeError(f"{cls.__name__}(): _xobject excludes field values and placement arguments.")
            if not isinstance(_xobject, cls._XoStruct):
                raise TypeError(
                    f"{cls.__name__}(): _xobject must be a {cls._XoStruct.__name__}, "
                    f"got {type(_xobject).__name__}."
                )
            self._xobject = _xobject
            self._owns_xobject = False
            return
        values, extra = cls._split_kwargs(kwargs)
        self._xobject = cls._XoStruct(values, _context=_context, _buffer=_buffer, _offset=_offset)
        self._owns_xobject = _offset is None
        for key, value in extra.items():
            setattr(self, key, value)

    @classmethod
    def _kwarg_names(cls):
        """``({attribute name: field name}, set of field names)``, cached per class and ``_rename``."""
        rename = cls._rename
        cached = cls.__dict__.get("_kwarg_names_cache")
        if cached is not None and cached[0] is cls._XoStruct and cached[1] == rename:
            return cached[2], cached[3]
        fields = cls._XoStruct._fields
        by_attr = {rename.get(f.name, f.name): f.name for f in fields}
        field_names = frozenset(f.name for f in fields)
        cls._kwarg_names_cache = (cls._XoStruct, dict(rename), by_attr, field_names)
        return by_attr, field_names

    @classmethod
    def _split_kwargs(cls, kwargs):
        """Field values (by field name) and other settable attributes."""
        by_attr, field_names = cls._kwarg_names()
        values, extra = {}, {}
        for key, value in kwargs.items():
            if key in field_names:
                values[key] = value
            elif key in by_attr:
                values[by_attr[key]] = value
            elif key == "__class__":
                continue
            elif isinstance(getattr(cls, key, None), property) and getattr(cls, key).fset is not None:
                extra[key] = value
            else:
                allowed = sorted(field_names | set(by_attr) | set(cls._store_in_to_dict))
                raise unknown_name_error(cls.__name__, key, allowed)
        return values, extra

    # ---- placement ---------------------------------------------------------
    @property
    def _context(self):
        return self._xobject._context

    @property
    def _buffer(self):
        return self._xobject._buffer

    @property
    def _offset(self):
        return self._xobject._offset

    # ---- dict round trip -----------------------------------------------------
    def to_dict(self):
        """Dict with ``'__class__'`` and the field values (numpy host arrays)."""
        cls = type(self)
        data = self._xobject.to_dict()
        out = {"__class__": cls.__name__}
        skip = set(cls._skip_in_to_dict)
        for field in cls._XoStruct._fields:
            if field.name in skip or cls._rename.get(field.name) in skip:
                continue
            value = data[field.name]
            dressing = getattr(field.ftype, "_DressingClass", None)
            if dressing is not None and isinstance(value, dict):
                value = {"__class__": dressing.__name__, **value}
            out[field.name] = value
        for name in cls._store_in_to_dict:
            out[name] = getattr(self, name)
        return out

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None):
        """Build an instance from :meth:`to_dict` output (``'__class__'`` ignored)."""
        kwargs = {k: v for k, v in dct.items() if k != "__class__"}
        return cls(_context=_context, _buffer=_buffer, **kwargs)

    # ---- copies and moves ----------------------------------------------------
    def _new_xobject(self, _context, _buffer):
        if _context is None and _buffer is None:
            _context = self._context
        return type(self)._XoStruct(self._xobject, _context=_context, _buffer=_buffer)

    def copy(self, _context=None, _buffer=None):
        """Copy with the same values on ``_context`` / in ``_buffer``.

        Without either, the copy goes to a new buffer on the same context.
        Python attributes other than the data are copied shallowly.
        """
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._xobject = self._new_xobject(_context, _buffer)
        new._owns_xobject = True
        return new

    def move(self, _context=None, _buffer=None):
        """Move the data to ``_context`` / ``_buffer``, freeing the old bytes."""
        if _context is None and _buffer is None:
            raise ValueError(f"{type(self).__name__}.move() needs _context or _buffer.")
        if _buffer is not None and _buffer is self._buffer:
            return
        old = self._xobject
        self._xobject = self._new_xobject(_context, _buffer)
        if self._owns_xobject:
            old._free()
        self._owns_xobject = True

    # ---- kernels -------------------------------------------------------------
    @classmethod
    def _kernel_requirements(cls):
        """``(classes, sources)`` needed to compile the kernels, dependencies first."""
        classes, sources = [], []

        def visit(item):
            if _is_hybrid_class(item):
                for dep in item._depends_on:
                    visit(dep)
                struct = xo_type_of(item)
                if struct not in classes:
                    classes.append(struct)
                for src in item._extra_c_sources:
                    src = _as_source(src, item.__name__)
                    if src not in sources:
                        sources.append(src)
            elif item not in classes:
                classes.append(xo_type_of(item))

        visit(cls)
        return classes, sources

    def compile_kernels(
        self, extra_classes=(), only_if_needed=False, apply_to_source=(), save_source_as=None, **kwargs
    ):
        """Compile ``_kernels`` with the C API and sources they need, on ``self._context``.

        Parameters
        ----------
        extra_classes : sequence of types, optional
            More types whose C API is needed.
        only_if_needed : bool, default False
            Do nothing if every kernel of ``_kernels`` is already on the context.
        apply_to_source, save_source_as, **kwargs
            Passed to ``context.add_kernels``.
        """
        context = self._context
        classes, sources = type(self)._kernel_requirements()
        classes += [xo_type_of(c) for c in extra_classes if xo_type_of(c) not in classes]
        # Kernels are keyed by (name, classes): another class's kernel of the
        # same name is not taken for this one's.
        if only_if_needed and all(kernel_key(n, classes) in context.kernels for n in self._kernels):
            return
        context.add_kernels(
            sources=sources,
            kernels=_bind_this_class(self._kernels, type(self)._XoStruct),
            extra_classes=classes,
            apply_to_source=apply_to_source,
            save_source_as=save_source_as,
            **kwargs,
        )

    def get_kernel(self, name):
        """Kernel ``name`` of ``_kernels`` on this object's context, compiling if needed."""
        if name not in self._kernels:
            raise unknown_name_error(f"{type(self).__name__}.get_kernel", name, self._kernels, what="kernel")
        key = kernel_key(name, type(self)._kernel_requirements()[0])
        if key not in self._context.kernels:
            self.compile_kernels()
        return self._context.kernels[key]

    def __repr__(self):
        fields = ", ".join(
            f"{f.name}={getattr(self._xobject, f.name)!r}" for f in type(self)._XoStruct._fields
        )
        return f"{type(self).__name__}({fields})"


#: Attributes of every hybrid object that a field property must not hide.
_HYBRID_RESERVED = {name for name in dir(HybridClass) if not name.startswith("__")} | {
    "_xobject", "_owns_xobject",
}
