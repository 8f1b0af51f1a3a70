// Replica: stands for its parent element; lines replace it by the parent
// before tracking. Reaching this kernel means the replica was not resolved:
// the particles are marked lost (state 0) rather than silently drifted.
#ifndef XTRACK_REPLICA_H
#define XTRACK_REPLICA_H

#include "xtrack/headers/track.h"

GPUFUN void Replica_track_local_particle(ReplicaData el, LocalParticle* part0){
    (void)el;
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_set_state(part, 0);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_REPLICA_H
