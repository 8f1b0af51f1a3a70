"""The action of a line match: one ``line.twiss(...)`` per set of knob values."""

import xdeps

__all__ = ["ActionTwiss", "CHROMATIC_QUANTITIES"]

#: Quantities that need the off-momentum twiss (``compute_chromatic_properties``).
CHROMATIC_QUANTITIES = frozenset({
    "dqx", "dqy", "ddqx", "ddqy", "ax_chrom", "bx_chrom", "ay_chrom", "by_chrom",
    "wx_chrom", "wy_chrom", "ddx", "ddpx", "ddy", "ddpy",
})


class ActionTwiss(xdeps.Action):
    """Twiss of `line` with fixed keyword arguments; the table is the action's result.

    Parameters
    ----------
    line : xtrack.Line
        Line whose optics are computed.
    allow_twiss_failure : bool
        If True (default) a failing twiss (no closed orbit, unstable
        optics) makes the point very bad for the optimizer instead of
        stopping the match.
    compensate_radiation_energy_loss : bool
        Call ``line.compensate_radiation_energy_loss()`` before each twiss.
    **kwargs
        Arguments of ``line.twiss`` (method, start, end, init, init_at,
        betx=..., ...). ``init`` may be a TwissTable: its values at
        `init_at` (default `start`) are used.
    """

    def __init__(self, line, allow_twiss_failure=True, compensate_radiation_energy_loss=False,
                 **kwargs):
        self.line = line
        self.allow_failure = bool(allow_twiss_failure)
        self.compensate_radiation_energy_loss = bool(compensate_radiation_energy_loss)
        self.kwargs = dict(kwargs)
        init = self.kwargs.get("init")
        if isinstance(init, xdeps.Table) and hasattr(init, "get_twiss_init"):
            where = self.kwargs.get("init_at", self.kwargs.get("start"))
            if where is None:
                raise ValueError("match: init given as a twiss table needs init_at or start "
                                 "(the element whose values start the open twiss)")
            from .targets import END, START

            if where is START:
                where = 0
            elif where is END:
                where = len(init) - 1
            self.kwargs["init"] = init.get_twiss_init(where)
            if "init_at" in self.kwargs and self.kwargs["init_at"] == self.kwargs.get("start"):
                del self.kwargs["init_at"]

    def needs_chromatic_properties(self, targets):
        """False when no target (of this action) reads a chromatic quantity and none is a callable."""
        for t in targets:
            if t.action is not self:
                continue
            q = getattr(t, "quantity", None if callable(t.tar) else t.tar)
            if q is None or q in CHROMATIC_QUANTITIES:
                return True
        return False

    def prepare(self, force=False):
        """Nothing to precompute: the twiss runs from scratch at each point."""

    def run(self):
        if self.compensate_radiation_energy_loss:
            self.line.compensate_radiation_energy_loss()
        return self.line.twiss(**self.kwargs)

    def __repr__(self):
        return f"ActionTwiss({', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())})"
