// LimitEllipse: alive if x^2 b^2 + y^2 a^2 <= a^2 b^2 (aperture frame in _local_frame.h; lost: state 0, coordinates kept).
#ifndef XTRACK_LIMIT_ELLIPSE_H
#define XTRACK_LIMIT_ELLIPSE_H

#include "xtrack/headers/track.h"
#include "_local_frame.h"

GPUFUN int LimitEllipse_is_inside(LimitEllipseData el, double x, double y){
    return x * x * LimitEllipseData_get_b_squ(el) + y * y * LimitEllipseData_get_a_squ(el)
        <= LimitEllipseData_get_a_b_squ(el);
}

GPUFUN void LimitEllipse_track_local_particle(LimitEllipseData el, LocalParticle* part0){
    double const shift_x = LimitEllipseData_get_shift_x(el);
    double const shift_y = LimitEllipseData_get_shift_y(el);
    double const rot = LimitEllipseData_get_rot_s_rad(el);
    double const cos_t = cos(rot);
    double const sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double x_loc, y_loc;
        LocalFrame_to_element_xy(LocalParticle_get_x(part), LocalParticle_get_y(part),
                                 shift_x, shift_y, cos_t, sin_t, &x_loc, &y_loc);
        if (!LimitEllipse_is_inside(el, x_loc, y_loc)) LocalParticle_set_state(part, 0);
    END_PER_PARTICLE_BLOCK;
}

// Backtracking: an aperture check is its own inverse (the particle does not move).
GPUFUN void LimitEllipse_backtrack_local_particle(LimitEllipseData el, LocalParticle* part0){
    LimitEllipse_track_local_particle(el, part0);
}

#endif  // XTRACK_LIMIT_ELLIPSE_H
