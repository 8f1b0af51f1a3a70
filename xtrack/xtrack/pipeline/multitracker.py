"""PipelineBranch and PipelineMultiTracker: beams tracked in step, meeting at collective elements.

Every turn each branch tracks up to its next collective element; when all
branches are there, the pipeline managers copy the beams (the state each
partner sees), then every branch tracks through its collective element, and
so on to the end of the turn. Branches must meet the same number of
collective elements per turn.
"""

import warnings

__all__ = ["PipelineBranch", "PipelineMultiTracker"]


class PipelineBranch:
    """One beam of a pipeline: its line and its particles.

    Parameters
    ----------
    line : xtrack.Line
        The beam's line (a tracker is built if it has none).
    particles : xtrack.Particles
        The beam, named with ``particles.init_pipeline(name)``.
    """

    def __init__(self, line, particles):
        self.line = line
        self.particles = particles


def _managers(line):
    """Pipeline managers of the collective elements of `line`, each once."""
    out = []
    for name in dict.fromkeys(line.element_names):
        config = getattr(line[name], "config_for_update", None)
        manager = getattr(config, "pipeline_manager", None)
        if manager is not None and all(manager is not m for m in out):
            out.append(manager)
    return out


def _collective_positions(line):
    return [ii for ii, name in enumerate(line.element_names)
            if getattr(line[name], "iscollective", False)]


class PipelineMultiTracker:
    """Track several pipeline branches together.

    Parameters
    ----------
    branches : list of PipelineBranch
    enable_debug_log, verbose : bool, default False
        Kept for the established interface.
    """

    def __init__(self, branches, enable_debug_log=False, verbose=False):
        self.branches = list(branches)
        if not self.branches:
            raise ValueError("PipelineMultiTracker: branches must not be empty.")
        self.verbose = verbose
        self._managers = []
        for branch in self.branches:
            if getattr(branch.line, "tracker", None) is None:
                branch.line.build_tracker()
            for manager in _managers(branch.line):
                if all(manager is not m for m in self._managers):
                    self._managers.append(manager)
        for manager in self._managers:
            for branch in self.branches:
                if getattr(branch.particles, "name", None) in manager.get_particles_names():
                    manager.register_particles(branch.particles)
        self._plans = [_collective_positions(b.line) for b in self.branches]
        counts = {len(plan) for plan in self._plans}
        if len(counts) > 1:
            raise ValueError("PipelineMultiTracker: the branches meet different numbers of "
                             f"collective elements per turn ({[len(p) for p in self._plans]}); "
                             "each meeting needs every branch.")

    def track(self, num_turns=1, turn_by_turn_monitor=None, **kwargs):
        """Track all branches for `num_turns` turns, meeting at their collective elements."""
        if turn_by_turn_monitor:
            warnings.warn("PipelineMultiTracker.track: turn_by_turn_monitor is not recorded "
                          "(track each line alone to record turn by turn).", stacklevel=2)
        for _ in range(int(num_turns)):
            positions = [0] * len(self.branches)
            for meeting in range(len(self._plans[0])):
                for ib, branch in enumerate(self.branches):
                    target = self._plans[ib][meeting]
                    self._advance(branch, positions[ib], target, **kwargs)
                    positions[ib] = target
                for manager in self._managers:
                    manager.start_meeting()
                for ib, branch in enumerate(self.branches):
                    self._advance(branch, positions[ib], positions[ib] + 1, **kwargs)
                    positions[ib] += 1
                for manager in self._managers:
                    manager.end_meeting()
            for ib, branch in enumerate(self.branches):
                self._advance(branch, positions[ib], len(branch.line.element_names), **kwargs)

    @staticmethod
    def _advance(branch, start, stop, **kwargs):
        if stop > start:
            branch.line.track(branch.particles, ele_start=start, num_elements=stop - start, **kwargs)
