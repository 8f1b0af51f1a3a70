// ReferenceEnergyChange: the reference momentum is set to p0c; the particles
// keep their physical momentum and time (LocalParticle_update_p0c).
#ifndef XTRACK_REFERENCE_ENERGY_CHANGE_H
#define XTRACK_REFERENCE_ENERGY_CHANGE_H

#include "xtrack/headers/track.h"

GPUFUN void ReferenceEnergyChange_track_local_particle(ReferenceEnergyChangeData el,
                                                       LocalParticle* part0){
    double const p0c = ReferenceEnergyChangeData_get_p0c(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_update_p0c(part, p0c);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_REFERENCE_ENERGY_CHANGE_H
