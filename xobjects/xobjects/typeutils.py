"""Placement helper for code that reserves raw bytes: ``allocate_on_buffer``."""

import sys

from .context.default import context_default
from .types.base import ALIGNMENT, set_default_context_provider

__all__ = ["allocate_on_buffer", "context_default"]

# New objects without _context/_buffer go to this module's context_default,
# read at each allocation: replacing the attribute redirects them.
set_default_context_provider(lambda: sys.modules[__name__].context_default)


def allocate_on_buffer(size, context=None, buffer=None, offset=None):
    """Return ``(buffer, offset)`` where ``size`` bytes can be written.

    Parameters
    ----------
    size : int
        Bytes needed.
    context : XContext, optional
        Context of a new buffer (``context_default`` when neither ``context``
        nor ``buffer`` is given); must own ``buffer`` when both are given.
    buffer : XBuffer, optional
        Buffer to allocate in.
    offset : int, 'aligned', 'packed' or None
        An int is taken as already reserved in ``buffer`` (needs ``buffer``);
        otherwise the bytes are allocated ('aligned': at the context's
        object alignment; 'packed' and None: at the buffer's default).

    Raises
    ------
    ValueError
        An int ``offset`` without ``buffer``, a ``buffer`` of another
        context, or an unknown ``offset`` string.
    """
    if buffer is None:
        if isinstance(offset, int):
            raise ValueError(f"allocate_on_buffer: offset={offset} needs the buffer it was reserved in.")
        if context is None:
            context = globals()["context_default"]  # read now: it may have been replaced
        buffer = context.new_buffer(capacity=size)
    elif context is not None and buffer.context is not context:
        raise ValueError(
            f"allocate_on_buffer: buffer lives on {buffer.context!r}, not on context {context!r}."
        )
    if isinstance(offset, int):
        return buffer, offset
    if offset == "aligned":
        alignment = max(ALIGNMENT, getattr(buffer.context, "minimum_alignment", ALIGNMENT))
    elif offset in (None, "packed"):
        alignment = None
    else:
        raise ValueError(
            f"allocate_on_buffer: offset must be an int, None, 'aligned' or 'packed', got {offset!r}."
        )
    return buffer, buffer.allocate(size, alignment=alignment)
