// LimitRacetrack: rectangle with corners rounded by quarter ellipses of semi-axes a, b (aperture frame in _local_frame.h; lost: state 0, coordinates kept).
#ifndef XTRACK_LIMIT_RACETRACK_H
#define XTRACK_LIMIT_RACETRACK_H

#include "xtrack/headers/track.h"
#include "_local_frame.h"

GPUFUN int LimitRacetrack_is_inside(LimitRacetrackData el, double x, double y){
    double const min_x = LimitRacetrackData_get_min_x(el), max_x = LimitRacetrackData_get_max_x(el);
    double const min_y = LimitRacetrackData_get_min_y(el), max_y = LimitRacetrackData_get_max_y(el);
    double const a = LimitRacetrackData_get_a(el), b = LimitRacetrackData_get_b(el);
    if (x < min_x || x > max_x || y < min_y || y > max_y) return 0;
    // distance into the corner squares (0 outside them)
    double dx = 0., dy = 0.;
    if (x > max_x - a) dx = x - (max_x - a);
    else if (x < min_x + a) dx = (min_x + a) - x;
    if (y > max_y - b) dy = y - (max_y - b);
    else if (y < min_y + b) dy = (min_y + b) - y;
    if (dx > 0. && dy > 0.) return (dx / a) * (dx / a) + (dy / b) * (dy / b) <= 1.;
    return 1;
}

GPUFUN void LimitRacetrack_track_local_particle(LimitRacetrackData el, LocalParticle* part0){
    double const shift_x = LimitRacetrackData_get_shift_x(el);
    double const shift_y = LimitRacetrackData_get_shift_y(el);
    double const rot = LimitRacetrackData_get_rot_s_rad(el);
    double const cos_t = cos(rot);
    double const sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double x_loc, y_loc;
        LocalFrame_to_element_xy(LocalParticle_get_x(part), LocalParticle_get_y(part),
                                 shift_x, shift_y, cos_t, sin_t, &x_loc, &y_loc);
        if (!LimitRacetrack_is_inside(el, x_loc, y_loc)) LocalParticle_set_state(part, 0);
    END_PER_PARTICLE_BLOCK;
}

// Backtracking: an aperture check is its own inverse (the particle does not move).
GPUFUN void LimitRacetrack_backtrack_local_particle(LimitRacetrackData el, LocalParticle* part0){
    LimitRacetrack_track_local_particle(el, part0);
}

#endif  // XTRACK_LIMIT_RACETRACK_H
