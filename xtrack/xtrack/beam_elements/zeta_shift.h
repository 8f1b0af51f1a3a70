// ZetaShift: shift of the longitudinal reference, zeta -= dzeta.
#ifndef XTRACK_ZETA_SHIFT_H
#define XTRACK_ZETA_SHIFT_H

#include "xtrack/headers/track.h"

GPUFUN void ZetaShift_track_local_particle(ZetaShiftData el, LocalParticle* part0){
    double const dzeta = ZetaShiftData_get_dzeta(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_add_to_zeta(part, -dzeta);
    END_PER_PARTICLE_BLOCK;
}

// inverse: the opposite shift
GPUFUN void ZetaShift_backtrack_local_particle(ZetaShiftData el, LocalParticle* part0){
    double const dzeta = ZetaShiftData_get_dzeta(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_add_to_zeta(part, dzeta);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_ZETA_SHIFT_H
