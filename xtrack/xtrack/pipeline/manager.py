"""PipelineManager: who is in a pipeline, and what each beam looks like at a meeting.

In one process the beams' particles are exchanged by reference: at a meeting
(a collective element that needs the other beams, e.g. strong-strong
beam-beam) the multitracker stores a copy of every beam as it arrives, and
the elements read their partners from those copies, so that no beam sees
another one already kicked at the same meeting.
"""

__all__ = ["PipelineManager"]


class PipelineManager:
    """Registry of the particles and elements of a pipeline.

    Parameters
    ----------
    communicator : object, optional
        Kept for the established interface (MPI communicator); beams are
        exchanged in memory here.
    """

    def __init__(self, communicator=None):
        self.communicator = communicator
        self._particles_rank = {}
        self._elements = {}
        self._live = {}
        self._at_meeting = {}

    def add_particles(self, particles_name, rank):
        """Declare the beam `particles_name` (tracked by process `rank`)."""
        self._particles_rank[str(particles_name)] = int(rank)

    def add_element(self, element_name):
        """Declare the meeting element `element_name`."""
        self._elements[str(element_name)] = len(self._elements)

    def get_particles_names(self):
        """Names of the declared beams."""
        return list(self._particles_rank)

    def get_element_names(self):
        """Names of the declared meeting elements."""
        return list(self._elements)

    def get_particles_rank(self, particles_name):
        """Process of beam `particles_name`."""
        return self._particles_rank[self._checked(particles_name)]

    def _checked(self, particles_name):
        if particles_name not in self._particles_rank:
            raise KeyError(f"PipelineManager: no particles named {particles_name!r}; declared: "
                           f"{sorted(self._particles_rank)} (add_particles(name, rank)).")
        return particles_name

    def register_particles(self, particles):
        """Make the live `particles` (named by ``init_pipeline``) reachable by name."""
        name = getattr(particles, "name", None)
        if name is None:
            raise ValueError("PipelineManager: the particles have no pipeline name; call "
                             "particles.init_pipeline(name) first.")
        self._live[self._checked(name)] = particles

    def start_meeting(self):
        """Copy every registered beam as it is now (the state the partners see)."""
        self._at_meeting = {name: p.copy() for name, p in self._live.items()}

    def end_meeting(self):
        """Forget the copies of the last meeting."""
        self._at_meeting = {}

    def get_particles(self, particles_name):
        """Beam `particles_name` as it arrived at the current meeting (live outside one)."""
        name = self._checked(particles_name)
        if name in self._at_meeting:
            return self._at_meeting[name]
        if name in self._live:
            return self._live[name]
        raise KeyError(f"PipelineManager: the particles {name!r} are declared but not tracked "
                       f"by any branch of the multitracker.")
