// Magnet: the general thick magnet (curvature h = angle/length, normal and
// skew main strengths k0..k3, k0s..k3s, extra knl/ksl): the curved-magnet
// sequence of _curved_magnet.h (also for h = 0).
#ifndef XTRACK_MAGNET_H
#define XTRACK_MAGNET_H

#include "xtrack/headers/track.h"
#include "_curved_magnet.h"

// backtrack 1: the inverse map (curved_magnet_backtrack, _curved_magnet.h).
GPUFUN void Magnet_track_sign(MagnetData el, LocalParticle* part0, int64_t backtrack){
    double const length = MagnetData_get_length(el);
    double const h = length != 0. ? MagnetData_get_angle(el) / length : 0.;
    CurvedMagnet m;
    magnet_body_init(&m.body, length, h);
    m.body.k[0] = MagnetData_get_k0_from_h(el) ? h : MagnetData_get_k0(el);
    m.body.k[1] = MagnetData_get_k1(el);
    m.body.k[2] = MagnetData_get_k2(el);
    m.body.k[3] = MagnetData_get_k3(el);
    m.body.ks[0] = MagnetData_get_k0s(el);
    m.body.ks[1] = MagnetData_get_k1s(el);
    m.body.ks[2] = MagnetData_get_k2s(el);
    m.body.ks[3] = MagnetData_get_k3s(el);
    int64_t order = MagnetData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    m.body.order = order;
    for (int64_t i = 0; i <= order; i++){
        m.body.knl[i] = MagnetData_get_knl(el, i);
        m.body.ksl[i] = MagnetData_get_ksl(el, i);
    }
    m.body.model = MagnetData_get__model(el);
    m.body.integrator = MagnetData_get__integrator(el);
    m.body.num_kicks = MagnetData_get_num_multipole_kicks(el);
    m.body.radiation_flag = MagnetData_get_radiation_flag(el);
    m.entry.active = MagnetData_get_edge_entry_active(el);
    m.entry.model = MagnetData_get__edge_entry_model(el);
    m.entry.angle = MagnetData_get_edge_entry_angle(el);
    m.entry.angle_fdown = MagnetData_get_edge_entry_angle_fdown(el);
    m.entry.fint = MagnetData_get_edge_entry_fint(el);
    m.entry.hgap = MagnetData_get_edge_entry_hgap(el);
    m.exit.active = MagnetData_get_edge_exit_active(el);
    m.exit.model = MagnetData_get__edge_exit_model(el);
    m.exit.angle = MagnetData_get_edge_exit_angle(el);
    m.exit.angle_fdown = MagnetData_get_edge_exit_angle_fdown(el);
    m.exit.fint = MagnetData_get_edge_exit_fint(el);
    m.exit.hgap = MagnetData_get_edge_exit_hgap(el);
    if (backtrack) curved_magnet_reverse_body(&m);
    curved_magnet_prepare(&m, 3);
    magnet_misalignment_init(&m.mis, MagnetData_get_shift_x(el), MagnetData_get_shift_y(el), MagnetData_get_shift_s(el),
                             MagnetData_get_rot_x_rad(el), MagnetData_get_rot_y_rad(el), MagnetData_get_rot_s_rad(el),
                             MagnetData_get_rot_shift_anchor(el), length, MagnetData_get_angle(el));
    if (backtrack) magnet_misalignment_reverse(&m.mis);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (backtrack) curved_magnet_backtrack(part, &m);
        else curved_magnet_track(part, &m);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void Magnet_track_local_particle(MagnetData el, LocalParticle* part0){
    Magnet_track_sign(el, part0, 0);
}

GPUFUN void Magnet_backtrack_local_particle(MagnetData el, LocalParticle* part0){
    Magnet_track_sign(el, part0, 1);
}

#endif  // XTRACK_MAGNET_H
