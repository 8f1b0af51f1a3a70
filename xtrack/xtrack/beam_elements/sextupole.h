// Sextupole: straight thick magnet with main strengths k2, k2s and extra
// knl/ksl, tracked by the magnet body engine (_magnet_body.h), with
// optional hard-edge fringes (_straight_fringe.h) and misalignment.
#ifndef XTRACK_SEXTUPOLE_H
#define XTRACK_SEXTUPOLE_H

#include "xtrack/headers/track.h"
#include "_magnet_body.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"
#include "_straight_fringe.h"

GPUFUN void Sextupole_track_local_particle(SextupoleData el, LocalParticle* part0){
    double const length = SextupoleData_get_length(el);
    MagnetBody body;
    magnet_body_init(&body, length, 0.);
    body.k[2] = SextupoleData_get_k2(el);
    body.ks[2] = SextupoleData_get_k2s(el);
    int64_t order = SextupoleData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    body.order = order;
    for (int64_t i = 0; i <= order; i++){
        body.knl[i] = SextupoleData_get_knl(el, i);
        body.ksl[i] = SextupoleData_get_ksl(el, i);
    }
    body.model = SextupoleData_get__model(el);
    body.integrator = SextupoleData_get__integrator(el);
    body.num_kicks = SextupoleData_get_num_multipole_kicks(el);
    body.radiation_flag = SextupoleData_get_radiation_flag(el);
    int64_t const entry = SextupoleData_get_edge_entry_active(el);
    int64_t const exit = SextupoleData_get_edge_exit_active(el);
    double const shift_x = SextupoleData_get_shift_x(el);
    double const shift_y = SextupoleData_get_shift_y(el);
    double const rot_s_rad = SextupoleData_get_rot_s_rad(el);
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, SextupoleData_get_shift_s(el),
                             SextupoleData_get_rot_x_rad(el), SextupoleData_get_rot_y_rad(el), rot_s_rad,
                             SextupoleData_get_rot_shift_anchor(el), length, 0.);
    START_PER_PARTICLE_BLOCK(part0, part);
        magnet_misalignment(part, &mis, 0);
        if (entry) straight_fringe(part, 2, body.k[2], body.ks[2], 0);
        magnet_body_track(part, &body);
        if (exit) straight_fringe(part, 2, body.k[2], body.ks[2], 1);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_SEXTUPOLE_H
