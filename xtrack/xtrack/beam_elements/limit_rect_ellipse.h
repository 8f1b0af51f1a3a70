// LimitRectEllipse: alive inside both the rectangle |x| <= max_x, |y| <= max_y and the ellipse (aperture frame in _local_frame.h; lost: state 0, coordinates kept).
#ifndef XTRACK_LIMIT_RECT_ELLIPSE_H
#define XTRACK_LIMIT_RECT_ELLIPSE_H

#include "xtrack/headers/track.h"
#include "_local_frame.h"

GPUFUN int LimitRectEllipse_is_inside(LimitRectEllipseData el, double x, double y){
    return fabs(x) <= LimitRectEllipseData_get_max_x(el) && fabs(y) <= LimitRectEllipseData_get_max_y(el)
        && x * x * LimitRectEllipseData_get_b_squ(el) + y * y * LimitRectEllipseData_get_a_squ(el)
           <= LimitRectEllipseData_get_a_b_squ(el);
}

GPUFUN void LimitRectEllipse_track_local_particle(LimitRectEllipseData el, LocalParticle* part0){
    double const shift_x = LimitRectEllipseData_get_shift_x(el);
    double const shift_y = LimitRectEllipseData_get_shift_y(el);
    double const rot = LimitRectEllipseData_get_rot_s_rad(el);
    double const cos_t = cos(rot);
    double const sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double x_loc, y_loc;
        LocalFrame_to_element_xy(LocalParticle_get_x(part), LocalParticle_get_y(part),
                                 shift_x, shift_y, cos_t, sin_t, &x_loc, &y_loc);
        if (!LimitRectEllipse_is_inside(el, x_loc, y_loc)) LocalParticle_set_state(part, 0);
    END_PER_PARTICLE_BLOCK;
}

// Backtracking: an aperture check is its own inverse (the particle does not move).
GPUFUN void LimitRectEllipse_backtrack_local_particle(LimitRectEllipseData el, LocalParticle* part0){
    LimitRectEllipse_track_local_particle(el, part0);
}

#endif  // XTRACK_LIMIT_RECT_ELLIPSE_H
