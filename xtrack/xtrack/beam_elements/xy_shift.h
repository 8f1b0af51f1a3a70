// XYShift: transverse shift of the reference frame, x -= dx, y -= dy.
#ifndef XTRACK_XY_SHIFT_H
#define XTRACK_XY_SHIFT_H

#include "xtrack/headers/track.h"

GPUFUN void XYShift_track_local_particle(XYShiftData el, LocalParticle* part0){
    double const dx = XYShiftData_get_dx(el);
    double const dy = XYShiftData_get_dy(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_add_to_x(part, -dx);
        LocalParticle_add_to_y(part, -dy);
    END_PER_PARTICLE_BLOCK;
}

// inverse: the opposite shift
GPUFUN void XYShift_backtrack_local_particle(XYShiftData el, LocalParticle* part0){
    double const dx = XYShiftData_get_dx(el);
    double const dy = XYShiftData_get_dy(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        LocalParticle_add_to_x(part, dx);
        LocalParticle_add_to_y(part, dy);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_XY_SHIFT_H
