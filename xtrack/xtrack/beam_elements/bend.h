// Bend: sector bend (curvature h = angle/length, dipole k0 = h unless given,
// k1, k2, extra knl/ksl) tracked by the magnet body engine (_magnet_body.h),
// with entry/exit pole-face edges (_bend_edges.h) and misalignment.
#ifndef XTRACK_BEND_H
#define XTRACK_BEND_H

#include "xtrack/headers/track.h"
#include "_magnet_body.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"
#include "_bend_edges.h"

GPUFUN void Bend_track_local_particle(BendData el, LocalParticle* part0){
    double const length = BendData_get_length(el);
    double const h = length != 0. ? BendData_get_angle(el) / length : 0.;
    double const k0 = BendData_get_k0_from_h(el) ? h : BendData_get_k0(el);
    MagnetBody body;
    magnet_body_init(&body, length, h);
    body.k[0] = k0;
    body.k[1] = BendData_get_k1(el);
    body.k[2] = BendData_get_k2(el);
    int64_t order = BendData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    body.order = order;
    for (int64_t i = 0; i <= order; i++){
        body.knl[i] = BendData_get_knl(el, i);
        body.ksl[i] = BendData_get_ksl(el, i);
    }
    body.model = BendData_get__model(el);
    body.integrator = BendData_get__integrator(el);
    body.num_kicks = BendData_get_num_multipole_kicks(el);
    body.radiation_flag = BendData_get_radiation_flag(el);
    BendEdge entry, exit;
    entry.active = BendData_get_edge_entry_active(el);
    entry.model = BendData_get__edge_entry_model(el);
    entry.angle = BendData_get_edge_entry_angle(el);
    entry.angle_fdown = BendData_get_edge_entry_angle_fdown(el);
    entry.fint = BendData_get_edge_entry_fint(el);
    entry.hgap = BendData_get_edge_entry_hgap(el);
    exit.active = BendData_get_edge_exit_active(el);
    exit.model = BendData_get__edge_exit_model(el);
    exit.angle = BendData_get_edge_exit_angle(el);
    exit.angle_fdown = BendData_get_edge_exit_angle_fdown(el);
    exit.fint = BendData_get_edge_exit_fint(el);
    exit.hgap = BendData_get_edge_exit_hgap(el);
    double const shift_x = BendData_get_shift_x(el);
    double const shift_y = BendData_get_shift_y(el);
    double const rot_s_rad = BendData_get_rot_s_rad(el);
    // edge strengths: main components plus the extra multipoles per unit length
    double kn_edge[XT_MAGNET_MAX_ORDER + 1], ks_edge[XT_MAGNET_MAX_ORDER + 1];
    int64_t const order_edge = order > 2 ? order : 2;
    for (int64_t i = 0; i <= order_edge; i++){
        kn_edge[i] = (i <= 2 ? body.k[i] : 0.) + (i <= order && length != 0. ? body.knl[i] / length : 0.);
        ks_edge[i] = (i <= order && length != 0. ? body.ksl[i] / length : 0.);
    }
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, BendData_get_shift_s(el),
                             BendData_get_rot_x_rad(el), BendData_get_rot_y_rad(el), rot_s_rad,
                             BendData_get_rot_shift_anchor(el), length, BendData_get_angle(el));
    START_PER_PARTICLE_BLOCK(part0, part);
        magnet_misalignment(part, &mis, 0);
        bend_edge_track(part, &entry, kn_edge, ks_edge, order_edge, 0);
        magnet_body_track(part, &body);
        bend_edge_track(part, &exit, kn_edge, ks_edge, order_edge, 1);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_BEND_H
