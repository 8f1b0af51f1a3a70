// Drift: field-free straight section (maps in _drift.h).
#ifndef XTRACK_DRIFT_H
#define XTRACK_DRIFT_H

#include "xtrack/headers/track.h"
#include "_drift.h"

GPUFUN void Drift_track_sign(DriftData el, LocalParticle* part0, double sign){
    double const length = sign * DriftData_get_length(el);
    int64_t const exact = DriftData_get__model(el) == 2;
    START_PER_PARTICLE_BLOCK(part0, part);
        if (exact) Drift_single_particle_exact(part, length);
        else Drift_single_particle(part, length);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void Drift_track_local_particle(DriftData el, LocalParticle* part0){
    Drift_track_sign(el, part0, 1.);
}

// inverse: the same drift over -length (_backtrack.h)
GPUFUN void Drift_backtrack_local_particle(DriftData el, LocalParticle* part0){
    Drift_track_sign(el, part0, -1.);
}

#endif  // XTRACK_DRIFT_H
