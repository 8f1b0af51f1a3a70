// LimitPolygon: even-odd (crossing number) point-in-polygon test (aperture frame in _local_frame.h; lost: state 0, coordinates kept).
#ifndef XTRACK_LIMIT_POLYGON_H
#define XTRACK_LIMIT_POLYGON_H

#include "xtrack/headers/track.h"
#include "_local_frame.h"

GPUFUN int LimitPolygon_is_inside(LimitPolygonData el, double x, double y){
    // W. R. Franklin, "PNPOLY - Point Inclusion in Polygon Test": count the
    // edges crossed by the horizontal ray from (x, y) towards +x.
    int64_t const n = LimitPolygonData_len_x_vertices(el);
    int inside = 0;
    for (int64_t i = 0, j = n - 1; i < n; j = i++){
        double const xi = LimitPolygonData_get_x_vertices(el, i), yi = LimitPolygonData_get_y_vertices(el, i);
        double const xj = LimitPolygonData_get_x_vertices(el, j), yj = LimitPolygonData_get_y_vertices(el, j);
        if (((yi > y) != (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) inside = !inside;
    }
    return inside;
}

GPUFUN void LimitPolygon_track_local_particle(LimitPolygonData el, LocalParticle* part0){
    double const shift_x = LimitPolygonData_get_shift_x(el);
    double const shift_y = LimitPolygonData_get_shift_y(el);
    double const rot = LimitPolygonData_get_rot_s_rad(el);
    double const cos_t = cos(rot);
    double const sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double x_loc, y_loc;
        LocalFrame_to_element_xy(LocalParticle_get_x(part), LocalParticle_get_y(part),
                                 shift_x, shift_y, cos_t, sin_t, &x_loc, &y_loc);
        if (!LimitPolygon_is_inside(el, x_loc, y_loc)) LocalParticle_set_state(part, 0);
    END_PER_PARTICLE_BLOCK;
}

// Backtracking: an aperture check is its own inverse (the particle does not move).
GPUFUN void LimitPolygon_backtrack_local_particle(LimitPolygonData el, LocalParticle* part0){
    LimitPolygon_track_local_particle(el, part0);
}

#endif  // XTRACK_LIMIT_POLYGON_H
