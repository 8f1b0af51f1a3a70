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


def partner_particles(config):
    """The other beam of a strong-strong `config`: its `partner_particles`, else from its pipeline.

    The error names the config class and what to give (RuntimeError).
    """
    if config.partner_particles is not None:
        return config.partner_particles
    getter = getattr(config.pipeline_manager, "get_particles", None)
    if getter is not None and config.partner_particles_name is not None:
        return getter(config.partner_particles_name)
    raise RuntimeError(f"{type(config).__name__}: partner_particles is None; give the other "
                       "beam's particles (partner_particles=...) or a pipeline_manager that knows "
                       f"partner_particles_name={config.partner_particles_name!r} before tracking.")
