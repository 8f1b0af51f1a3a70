"""Arrays whose writes go through their owner (``context.linked_array_type``).

A HybridClass that keeps derived data (e.g. ``asq = a**2``) in sync exposes
its array as a linked array: item assignment calls the owner's method, or is
refused. ``LinkedArray.from_array(array, mode=..., container=...,
container_setitem_name=...)`` makes one on the array's memory (no copy):

``mode="setitem_from_container"``
    ``linked[index] = value`` calls ``getattr(container,
    container_setitem_name)(index, value)``, which writes the data.
``mode="readonly"``
    Item assignment raises ``ValueError``.

Reading, arithmetic and slicing work as for the context's arrays; arrays
derived from a linked array (slices, results, copies) are not linked.
"""

import numpy as np

MODES = ("setitem_from_container", "readonly")


def _check(mode, container, container_setitem_name):
    if mode not in MODES:
        raise ValueError(f"LinkedArray mode must be one of {MODES}, got {mode!r}.")
    if mode == "setitem_from_container":
        if container is None or not isinstance(container_setitem_name, str):
            raise ValueError(
                "LinkedArray mode 'setitem_from_container' needs container= and "
                "container_setitem_name= (the name of a method (index, value) of the container)."
            )
        if not callable(getattr(container, container_setitem_name, None)):
            raise AttributeError(
                f"{type(container).__name__} has no method {container_setitem_name!r} for LinkedArray."
            )


class _LinkedMixin:
    """Item assignment of linked arrays; unlinked (derived) ones behave as their base class."""

    _link_mode = None
    _link_container = None
    _link_setitem_name = None

    def _set_link(self, mode, container, container_setitem_name):
        self._link_mode = mode
        self._link_container = container
        self._link_setitem_name = container_setitem_name
        return self

    def __setitem__(self, index, value):
        mode = self.__dict__.get("_link_mode")
        if mode is None:
            return super().__setitem__(index, value)
        if mode == "readonly":
            raise ValueError("this array is read-only (LinkedArray mode 'readonly').")
        getattr(self._link_container, self._link_setitem_name)(index, value)


class LinkedArrayCpu(_LinkedMixin, np.ndarray):
    """numpy linked array (ContextCpu)."""

    @classmethod
    def from_array(cls, array, mode="setitem_from_container", container=None, container_setitem_name=None):
        _check(mode, container, container_setitem_name)
        return np.asarray(array).view(cls)._set_link(mode, container, container_setitem_name)

    def __array_finalize__(self, obj):
        # Views and results start unlinked.
        self.__dict__.pop("_link_mode", None)

    def __array_wrap__(self, out, context=None, return_scalar=False):
        out = np.ndarray.__array_wrap__(self, out, context, return_scalar)
        if isinstance(out, LinkedArrayCpu):
            out = out.view(np.ndarray)
        return out


def linked_array_class(base):
    """A linked array class over the array class ``base`` (pyopencl / cupy arrays)."""

    class LinkedArray(_LinkedMixin, base):
        @classmethod
        def from_array(cls, array, mode="setitem_from_container", container=None, container_setitem_name=None):
            _check(mode, container, container_setitem_name)
            linked = array.view()
            linked.__class__ = cls
            return linked._set_link(mode, container, container_setitem_name)

    LinkedArray.__name__ = f"LinkedArray{base.__name__}"
    return LinkedArray
