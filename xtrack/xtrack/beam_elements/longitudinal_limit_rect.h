// LongitudinalLimitRect: alive if min_zeta <= zeta <= max_zeta and
// min_pzeta <= pzeta <= max_pzeta; lost particles get state -2.
#ifndef XTRACK_LONGITUDINAL_LIMIT_RECT_H
#define XTRACK_LONGITUDINAL_LIMIT_RECT_H

#include "xtrack/headers/track.h"

GPUFUN void LongitudinalLimitRect_track_local_particle(LongitudinalLimitRectData el,
                                                       LocalParticle* part0){
    double const min_zeta = LongitudinalLimitRectData_get_min_zeta(el);
    double const max_zeta = LongitudinalLimitRectData_get_max_zeta(el);
    double const min_pzeta = LongitudinalLimitRectData_get_min_pzeta(el);
    double const max_pzeta = LongitudinalLimitRectData_get_max_pzeta(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const zeta = LocalParticle_get_zeta(part);
        double const pzeta = LocalParticle_get_pzeta(part);
        if (zeta < min_zeta || zeta > max_zeta || pzeta < min_pzeta || pzeta > max_pzeta){
            LocalParticle_set_state(part, -2);
        }
    END_PER_PARTICLE_BLOCK;
}

// Backtracking: an aperture check is its own inverse (the particle does not move).
GPUFUN void LongitudinalLimitRect_backtrack_local_particle(LongitudinalLimitRectData el, LocalParticle* part0){
    LongitudinalLimitRect_track_local_particle(el, part0);
}

#endif  // XTRACK_LONGITUDINAL_LIMIT_RECT_H
