"""Split the caller's particles into chunks, and write the tracked chunks back.

Only active particles travel (the tracker leaves lost and unallocated slots
alone). The caller's host arrays are read once; the results are written
into a copy of them, slot by slot through `particle_id`, and stored in the
caller's `Particles` only when every chunk has come back, then
reorganised as the serial tracker does: the same layout as a serial run.
"""

import numpy as np
from xpart.particles.fields import PER_PARTICLE, SCALARS, UNALLOCATED_STATE

__all__ = ["ParticleChunks"]


def _id_summary(pids, limit=8):
    """'12..511 (500 particles)' for a contiguous range, else the first ids."""
    pids = np.sort(np.asarray(pids))
    if len(pids) and pids[-1] - pids[0] + 1 == len(pids):
        return f"{pids[0]}..{pids[-1]} ({len(pids)} particles)"
    shown = ", ".join(str(v) for v in pids[:limit])
    return f"[{shown}{', ...' if len(pids) > limit else ''}] ({len(pids)} particles)"


class ParticleChunks:
    """The active particles of `particles`, to be split into chunks of consecutive slots.

    Parameters
    ----------
    particles : Particles
        The caller's particles (any context; read through host copies).
        Their particle ids must be unique (checked here).
    """

    def __init__(self, particles):
        self.particles = particles
        self.host = {name: np.array(particles._host(name)) for name in PER_PARTICLE}
        self.scalars = {name: particles._host(name) for name in SCALARS}
        state = self.host["state"]
        allocated = self.host["particle_id"][state != UNALLOCATED_STATE]
        unique, counts = np.unique(allocated, return_counts=True)
        if len(unique) != len(allocated):
            raise ValueError(
                f"xt.distributed.track: particle_id must be unique (results are merged by id); "
                f"repeated ids: {_id_summary(unique[counts > 1])}.")
        self.active = np.flatnonzero(state > 0)
        self.slots = []

    def split(self, num_chunks):
        """Cut the active slots into `num_chunks` chunks (fewer when there are fewer particles)."""
        parts = np.array_split(self.active, max(1, min(num_chunks, len(self.active))))
        self.slots = [s for s in parts if len(s)]

    def __len__(self):
        return len(self.slots)

    def ids(self, index):
        """Particle ids of chunk `index` (in slot order)."""
        return self.host["particle_id"][self.slots[index]]

    def describe(self, index):
        """'chunk 2 of 8 (particle_id 500..749 (250 particles))' for error messages."""
        return f"chunk {index} of {len(self)} (particle_id {_id_summary(self.ids(index))})"

    def chunk_dict(self, index):
        """`Particles.from_dict` input of chunk `index` (the caller's scalars, its slots' fields)."""
        out = dict(self.scalars)
        out.update({name: values[self.slots[index]] for name, values in self.host.items()})
        return out

    def merged(self, results):
        """Host arrays of the caller with each chunk's tracked particles at their slots.

        `results[i]` is {field: array} of chunk i, in any order of its particles.
        """
        out = {name: values.copy() for name, values in self.host.items()}
        for index, fields in enumerate(results):
            sent = self.ids(index)
            order = np.argsort(sent)
            got = np.asarray(fields["particle_id"])
            pos = np.searchsorted(sent[order], got)
            if len(got) != len(sent) or not np.array_equal(sent[order][np.minimum(pos, len(sent) - 1)], got):
                raise RuntimeError(f"xt.distributed.track: {self.describe(index)} came back with other "
                                   f"particle ids ({_id_summary(got)}).")
            slots = self.slots[index][order[pos]]
            for name in PER_PARTICLE:
                out[name][slots] = fields[name]
        return out

    def store(self, host, t_sim):
        """Write the merged host arrays into the caller's particles, as the serial tracker leaves them."""
        particles = self.particles
        for name in PER_PARTICLE:
            particles._store_host(name, host[name])
        particles.t_sim = t_sim
        particles._count_particles()
        if not getattr(particles, "_no_reorganize", False):
            particles.reorganize()
