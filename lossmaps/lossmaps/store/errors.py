"""Exceptions of the loss-map store."""

from ..errors import LossMapsError

__all__ = ["StoreError", "EntryNotFoundError", "StoreFormatError"]


class StoreError(LossMapsError):
    """The loss-map store cannot complete an operation."""


class EntryNotFoundError(StoreError, KeyError):
    """No entry with this id in the store.

    Attributes
    ----------
    entry_id : str
    close_matches : list of str
    """

    def __init__(self, entry_id, root, close_matches=()):
        self.entry_id, self.close_matches = entry_id, list(close_matches)
        hint = f"; close matches: {', '.join(self.close_matches)}" if self.close_matches else ""
        super().__init__(f"no loss map with id {entry_id!r} in the store {root}{hint}")

    def __str__(self):  # KeyError would show the message quoted
        return self.args[0]


class StoreFormatError(StoreError, ValueError):
    """A stored entry was written by an incompatible format version or is damaged."""
