// Magnet: the general thick magnet (curvature h = angle/length, normal and
// skew main strengths k0..k3, k0s..k3s, extra knl/ksl), tracked like Bend by the
// magnet body engine (_magnet_body.h) with edges (_bend_edges.h) and misalignment.
#ifndef XTRACK_MAGNET_H
#define XTRACK_MAGNET_H

#include "xtrack/headers/track.h"
#include "_magnet_body.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"
#include "_bend_edges.h"

GPUFUN void Magnet_track_local_particle(MagnetData el, LocalParticle* part0){
    double const length = MagnetData_get_length(el);
    double const h = length != 0. ? MagnetData_get_angle(el) / length : 0.;
    double const k0 = MagnetData_get_k0_from_h(el) ? h : MagnetData_get_k0(el);
    MagnetBody body;
    magnet_body_init(&body, length, h);
    body.k[0] = k0;
    body.k[1] = MagnetData_get_k1(el);
    body.k[2] = MagnetData_get_k2(el);
    body.k[3] = MagnetData_get_k3(el);
    body.ks[0] = MagnetData_get_k0s(el);
    body.ks[1] = MagnetData_get_k1s(el);
    body.ks[2] = MagnetData_get_k2s(el);
    body.ks[3] = MagnetData_get_k3s(el);
    int64_t order = MagnetData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    body.order = order;
    for (int64_t i = 0; i <= order; i++){
        body.knl[i] = MagnetData_get_knl(el, i);
        body.ksl[i] = MagnetData_get_ksl(el, i);
    }
    body.model = MagnetData_get__model(el);
    body.integrator = MagnetData_get__integrator(el);
    body.num_kicks = MagnetData_get_num_multipole_kicks(el);
    body.radiation_flag = MagnetData_get_radiation_flag(el);
    BendEdge entry, exit;
    entry.active = MagnetData_get_edge_entry_active(el);
    entry.model = MagnetData_get__edge_entry_model(el);
    entry.angle = MagnetData_get_edge_entry_angle(el);
    entry.angle_fdown = MagnetData_get_edge_entry_angle_fdown(el);
    entry.fint = MagnetData_get_edge_entry_fint(el);
    entry.hgap = MagnetData_get_edge_entry_hgap(el);
    exit.active = MagnetData_get_edge_exit_active(el);
    exit.model = MagnetData_get__edge_exit_model(el);
    exit.angle = MagnetData_get_edge_exit_angle(el);
    exit.angle_fdown = MagnetData_get_edge_exit_angle_fdown(el);
    exit.fint = MagnetData_get_edge_exit_fint(el);
    exit.hgap = MagnetData_get_edge_exit_hgap(el);
    double const shift_x = MagnetData_get_shift_x(el);
    double const shift_y = MagnetData_get_shift_y(el);
    double const rot_s_rad = MagnetData_get_rot_s_rad(el);
    // edge strengths: main components plus the extra multipoles per unit length
    double kn_edge[XT_MAGNET_MAX_ORDER + 1], ks_edge[XT_MAGNET_MAX_ORDER + 1];
    int64_t const order_edge = order > 3 ? order : 3;
    for (int64_t i = 0; i <= order_edge; i++){
        kn_edge[i] = (i <= 3 ? body.k[i] : 0.) + (i <= order && length != 0. ? body.knl[i] / length : 0.);
        ks_edge[i] = (i <= 3 ? body.ks[i] : 0.) + (i <= order && length != 0. ? body.ksl[i] / length : 0.);
    }
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, MagnetData_get_shift_s(el),
                             MagnetData_get_rot_x_rad(el), MagnetData_get_rot_y_rad(el), rot_s_rad,
                             MagnetData_get_rot_shift_anchor(el), length, MagnetData_get_angle(el));
    START_PER_PARTICLE_BLOCK(part0, part);
        magnet_misalignment(part, &mis, 0);
        bend_edge_track(part, &entry, kn_edge, ks_edge, order_edge, 0);
        magnet_body_track(part, &body);
        bend_edge_track(part, &exit, kn_edge, ks_edge, order_edge, 1);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_MAGNET_H
