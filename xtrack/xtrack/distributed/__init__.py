"""Tracking on a Dask cluster: `xt.distributed.track(line, particles, num_turns=..., client=...)`.

The optional extra `xtrack[distributed]` installs dask.distributed; it is
imported only when `track` runs, so `import xtrack` never needs it.

Example
-------
>>> from dask.distributed import Client, LocalCluster
>>> client = Client(LocalCluster(n_workers=4, threads_per_worker=1))
>>> report = xt.distributed.track(line, particles, num_turns=1000, client=client)
>>> report.num_chunks, report.overhead_per_chunk
"""

from .track import ChunkTrackingError, DistributedTrackingReport, track

__all__ = ["track", "ChunkTrackingError", "DistributedTrackingReport"]
