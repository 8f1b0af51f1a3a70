"""MultiSetter: read and write one field of many elements in one vectorised step.

Used by optimisation loops and feedback studies that retune hundreds of
magnets per turn: instead of one Python attribute access per element, the
setter finds the byte offset of the field (or of item ``index`` of an array
field) in each element's buffer once, and then reads or writes all of them
with a single fancy-indexing operation on a typed view of the buffer, on the
line's context (numpy on the CPU, cupy / pyopencl arrays on GPUs).
"""

import numpy as np

__all__ = ["MultiSetter"]


def _field(xobject, name):
    for field in type(xobject)._fields:
        if field.name == name:
            return field
    names = [f.name for f in type(xobject)._fields]
    raise ValueError(f"MultiSetter: field {name!r} is not a field of {type(xobject).__name__} "
                     f"(fields: {names}).")


def _element_object(line, element):
    if isinstance(element, str):
        if element not in line.element_dict:
            raise KeyError(f"MultiSetter: no element {element!r} in the line.")
        element = line.element_dict[element]
    xobject = getattr(element, "_xobject", None)
    if xobject is None:
        raise TypeError(f"MultiSetter: {element!r} is not an xobjects beam element.")
    return xobject


def _value_offset(xobject, field_name, index):
    """(buffer, absolute byte offset, numpy dtype) of the value set by the MultiSetter."""
    field = _field(xobject, field_name)
    ftype = field.ftype
    if index is None:
        dtype = getattr(ftype, "_dtype", None)
        if dtype is None:
            raise ValueError(f"MultiSetter: field {field_name!r} of {type(xobject).__name__} is an "
                             "array: give index= (the item to set).")
        return xobject._buffer, xobject._field_offset(field), np.dtype(dtype)
    if not hasattr(ftype, "_itemtype"):
        raise ValueError(f"MultiSetter: field {field_name!r} of {type(xobject).__name__} is a "
                         f"scalar: index={index!r} is not allowed.")
    array = ftype._from_buffer(xobject._buffer, xobject._field_offset(field))
    return xobject._buffer, array._item_offset(index), np.dtype(ftype._itemtype._dtype)


class MultiSetter:
    """Vectorised access to ``field`` (item ``index`` if given) of many elements.

    Parameters
    ----------
    line : xtrack.Line
        The line holding the elements (its tracker built, so that the elements
        share one buffer on the line's context).
    elements : list of str or elements
        Names (or element objects) of the elements to act on.
    field : str
        Name of the field, e.g. ``'knl'`` or ``'length'``.
    index : int, optional
        Item of an array field (``knl[1]`` is ``field='knl', index=1``).

    Examples
    --------
    >>> setter = xt.MultiSetter(line, ['qf1', 'qf2'], field='knl', index=1)
    >>> setter.set_values(np.array([0.1, 0.2]))
    >>> setter.get_values()                       # an array on the line's context
    """

    def __init__(self, line, elements, field, index=None):
        elements = list(elements)
        self.line = line
        self.field = field
        self.index = index
        if not elements:  # nothing to act on: empty values, set_values accepts empty input
            import xobjects as xo

            self._xobjects, self._dtype = [], np.dtype("float64")
            self._indices = np.zeros(0, dtype=np.int64)
            self._context = line.tracker._context if line.tracker is not None else xo.context_default
            self._buffer, self._vectorised = None, False
            return
        self._xobjects = [_element_object(line, el) for el in elements]
        located = [_value_offset(xobject, field, index) for xobject in self._xobjects]
        self._buffer = located[0][0]
        self._dtype = located[0][2]
        if any(b is not self._buffer for b, _, _ in located):
            raise ValueError("MultiSetter: the elements are not in one buffer; build the line's "
                             "tracker first (line.build_tracker()).")
        if any(d != self._dtype for _, _, d in located):
            raise ValueError(f"MultiSetter: field {field!r} has different types in these elements.")
        offsets = np.array([off for _, off, _ in located], dtype=np.int64)
        if np.any(offsets % self._dtype.itemsize):
            raise ValueError("MultiSetter: misaligned field offsets (not a typed field).")
        self._indices = offsets // self._dtype.itemsize
        self._context = self._buffer.context
        self._indices_ctx = self._context.nparray_to_context_array(self._indices)
        # pyopencl arrays have no fancy-index assignment: one write per element there
        self._vectorised = type(self._context).__name__ != "ContextPyopencl"

    def _view(self):
        # made anew on every call: the buffer may have grown (and moved) since
        n = self._buffer.capacity // self._dtype.itemsize
        return self._buffer.to_nplike(0, self._dtype, (n,))

    def get_values(self):
        """Values of the field in the elements, as an array on the line's context."""
        if not self._xobjects:
            return self._context.nparray_to_context_array(np.zeros(0, dtype=self._dtype))
        if self._vectorised:
            return self._view()[self._indices_ctx]
        host = np.array([self._read(x) for x in self._xobjects], dtype=self._dtype)
        return self._context.nparray_to_context_array(host)

    def _read(self, xobject):
        value = getattr(xobject, self.field)
        value = value if self.index is None else value[self.index]
        return value.get() if hasattr(value, "get") else value  # a 0-d device array

    def _write(self, xobject, value):
        if self.index is None:
            setattr(xobject, self.field, value)
        else:
            getattr(xobject, self.field)[self.index] = value

    def set_values(self, values):
        """Set the field in the elements to ``values`` (one per element, or a scalar)."""
        if np.ndim(values) not in (0, 1) or (np.ndim(values) == 1 and len(values) != len(self._indices)):
            raise ValueError(f"MultiSetter.set_values: values must be a scalar or have "
                             f"{len(self._indices)} entries (one per element), got shape "
                             f"{np.shape(values)}.")
        if not self._vectorised:
            host = np.broadcast_to(self._context.nparray_from_context_array(values)
                                   if hasattr(values, "get") else np.asarray(values), self._indices.shape)
            for xobject, value in zip(self._xobjects, host):
                self._write(xobject, value)
            return
        if isinstance(values, np.ndarray) or np.ndim(values) == 0 or isinstance(values, list):
            values = np.broadcast_to(np.asarray(values, dtype=self._dtype), self._indices.shape)
            values = self._context.nparray_to_context_array(np.ascontiguousarray(values))
        view = self._view()
        view[self._indices_ctx] = values
