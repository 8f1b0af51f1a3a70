"""When a strong-strong beam-beam element measures its partner again."""

__all__ = []


class UpdateSchedule:
    """Counts passages; `is_due()` is True at every `update_every`-th one (the first included)."""

    def __init__(self, owner, update_every):
        if int(update_every) < 1:
            raise ValueError(f"{owner}: update_every={update_every} must be an integer >= 1.")
        self.update_every = int(update_every)
        self._passages = 0

    def is_due(self):
        """Record one passage; True when the partner is to be measured at it."""
        due = self._passages % self.update_every == 0
        self._passages += 1
        return due
