// DriftExact: drift with the exact map (see Drift_single_particle_exact).
#ifndef XTRACK_DRIFT_EXACT_H
#define XTRACK_DRIFT_EXACT_H

#include "xtrack/headers/track.h"
#include "_drift.h"

GPUFUN void DriftExact_track_local_particle(DriftExactData el, LocalParticle* part0){
    double const length = DriftExactData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        Drift_single_particle_exact(part, length);
    END_PER_PARTICLE_BLOCK;
}

// inverse: the exact drift over -length (_backtrack.h)
GPUFUN void DriftExact_backtrack_local_particle(DriftExactData el, LocalParticle* part0){
    double const length = DriftExactData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        Drift_single_particle_exact(part, -length);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_DRIFT_EXACT_H
