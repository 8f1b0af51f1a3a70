// LimitRect: alive if min_x <= x <= max_x and min_y <= y <= max_y (aperture frame in _local_frame.h; lost: state 0, coordinates kept).
#ifndef XTRACK_LIMIT_RECT_H
#define XTRACK_LIMIT_RECT_H

#include "xtrack/headers/track.h"
#include "_local_frame.h"

GPUFUN int LimitRect_is_inside(LimitRectData el, double x, double y){
    return x >= LimitRectData_get_min_x(el) && x <= LimitRectData_get_max_x(el)
        && y >= LimitRectData_get_min_y(el) && y <= LimitRectData_get_max_y(el);
}

GPUFUN void LimitRect_track_local_particle(LimitRectData el, LocalParticle* part0){
    double const shift_x = LimitRectData_get_shift_x(el);
    double const shift_y = LimitRectData_get_shift_y(el);
    double const rot = LimitRectData_get_rot_s_rad(el);
    double const cos_t = cos(rot);
    double const sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double x_loc, y_loc;
        LocalFrame_to_element_xy(LocalParticle_get_x(part), LocalParticle_get_y(part),
                                 shift_x, shift_y, cos_t, sin_t, &x_loc, &y_loc);
        if (!LimitRect_is_inside(el, x_loc, y_loc)) LocalParticle_set_state(part, 0);
    END_PER_PARTICLE_BLOCK;
}

// Backtracking: an aperture check is its own inverse (the particle does not move).
GPUFUN void LimitRect_backtrack_local_particle(LimitRectData el, LocalParticle* part0){
    LimitRect_track_local_particle(el, part0);
}

#endif  // XTRACK_LIMIT_RECT_H
