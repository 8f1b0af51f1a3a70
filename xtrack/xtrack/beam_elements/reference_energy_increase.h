// ReferenceEnergyIncrease: the reference momentum p0c grows by Delta_p0c; the
// particles keep their physical momentum and time (LocalParticle_update_p0c
// re-expresses delta, px, py and zeta in the new reference).
#ifndef XTRACK_REFERENCE_ENERGY_INCREASE_H
#define XTRACK_REFERENCE_ENERGY_INCREASE_H

#include "xtrack/headers/track.h"

GPUFUN void ReferenceEnergyIncrease_track_local_particle(ReferenceEnergyIncreaseData el,
                                                         LocalParticle* part0){
    double const delta_p0c = ReferenceEnergyIncreaseData_get_Delta_p0c(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_update_p0c(part, LocalParticle_get_p0c(part) + delta_p0c);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_REFERENCE_ENERGY_INCREASE_H
