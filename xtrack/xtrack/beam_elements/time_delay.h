// TimeDelay: the particle arrives later by shift_zeta / (beta0 c):
// zeta -= shift_zeta (zeta = s - beta0 c t). Inverse: shift_zeta -> -shift_zeta.
#ifndef XTRACK_TIME_DELAY_H
#define XTRACK_TIME_DELAY_H

#include "xtrack/headers/track.h"

GPUFUN void TimeDelay_track_local_particle(TimeDelayData el, LocalParticle* part0){
    double const shift_zeta = TimeDelayData_get_shift_zeta(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_add_to_zeta(part, -shift_zeta);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_TIME_DELAY_H
