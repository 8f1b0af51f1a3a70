"""The main job's tracked loss map through `xt.distributed.track` against a serial run.

HL-LHC B1 with the IR7 black absorbers (``xsuite.study``), a pencil on TCP.C6L7.B1
tracked ``--turns`` turns serially and on a LocalCluster of ``--workers`` processes
in chunks; reports both times and whether the particles and the binned loss maps
are identical.

Usage: ``python tools/lossmap_distributed.py [--particles N] [--turns T] [--workers W]``
"""

import argparse
import time

import numpy as np


def main(argv=None):
    import distributed
    import lossmaps as lm
    import xtrack as xt
    from xsuite.study import StudyConfig, prepare_study

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=20_000)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    config = StudyConfig(num_particles=args.particles, threads=0)

    line, particles = prepare_study(config)
    spread = particles.copy()

    t0 = time.perf_counter()
    line.track(particles, num_turns=args.turns)
    t_serial = time.perf_counter() - t0
    cluster = distributed.LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    with distributed.Client(cluster) as client:
        t0 = time.perf_counter()
        xt.distributed.track(line, spread, num_turns=args.turns, client=client)
        t_distributed = time.perf_counter() - t0
    cluster.close()

    maps = []
    for p in (particles, spread):
        lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC, energy=7000.0)
        lossmap.load_data_xtrack(line=line, particles=p, cycle_positions_from="ip1")
        maps.append(lossmap.losses.reset_index(drop=True))
    same_map = maps[0].equals(maps[1])
    order_s, order_d = np.argsort(particles.particle_id), np.argsort(spread.particle_id)
    same_particles = all(np.array_equal(np.asarray(getattr(particles, n))[order_s],
                                        np.asarray(getattr(spread, n))[order_d])
                         for n in ("x", "px", "y", "py", "zeta", "delta", "s", "state", "at_turn",
                                   "at_element"))
    lost = int(np.count_nonzero(np.asarray(particles.state) <= 0))
    print(f"{args.particles:,} protons x {args.turns} turns, {lost:,} lost: serial {t_serial:.1f} s, "
          f"distributed ({args.workers} workers) {t_distributed:.1f} s")
    print(f"identical particles: {same_particles}; identical loss map: {same_map}")
    return 0 if same_particles and same_map else 1


if __name__ == "__main__":
    raise SystemExit(main())
