// Bend: sector bend (curvature h = angle/length, dipole k0 = h unless given,
// k1, k2, extra knl/ksl): the curved-magnet sequence of _curved_magnet.h.
#ifndef XTRACK_BEND_H
#define XTRACK_BEND_H

#include "xtrack/headers/track.h"
#include "_curved_magnet.h"
#include "_relative_strengths.h"

// backtrack 1: the inverse map (curved_magnet_backtrack, _curved_magnet.h).
GPUFUN void Bend_track_sign(BendData el, LocalParticle* part0, int64_t backtrack){
    double const length = BendData_get_length(el);
    double const h = length != 0. ? BendData_get_angle(el) / length : 0.;
    CurvedMagnet m;
    magnet_body_init(&m.body, length, h);
    m.body.k[0] = BendData_get_k0_from_h(el) ? h : BendData_get_k0(el);
    m.body.k[1] = BendData_get_k1(el);
    m.body.k[2] = BendData_get_k2(el);
    int64_t order = BendData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    m.body.order = order;
    double const main_l = m.body.k[0] * length;  // knl_rel, ksl_rel are relative to it
    for (int64_t i = 0; i <= order; i++){
        m.body.knl[i] = XT_TOTAL_KNL(Bend, el, i, main_l);
        m.body.ksl[i] = XT_TOTAL_KSL(Bend, el, i, main_l);
    }
    m.body.model = BendData_get__model(el);
    m.body.integrator = BendData_get__integrator(el);
    m.body.num_kicks = BendData_get_num_multipole_kicks(el);
    m.body.radiation_flag = BendData_get_radiation_flag(el);
    m.entry.active = BendData_get_edge_entry_active(el);
    m.entry.model = BendData_get__edge_entry_model(el);
    m.entry.angle = BendData_get_edge_entry_angle(el);
    m.entry.angle_fdown = BendData_get_edge_entry_angle_fdown(el);
    m.entry.fint = BendData_get_edge_entry_fint(el);
    m.entry.hgap = BendData_get_edge_entry_hgap(el);
    m.exit.active = BendData_get_edge_exit_active(el);
    m.exit.model = BendData_get__edge_exit_model(el);
    m.exit.angle = BendData_get_edge_exit_angle(el);
    m.exit.angle_fdown = BendData_get_edge_exit_angle_fdown(el);
    m.exit.fint = BendData_get_edge_exit_fint(el);
    m.exit.hgap = BendData_get_edge_exit_hgap(el);
    if (backtrack) curved_magnet_reverse_body(&m);
    curved_magnet_prepare(&m, 2);
    magnet_misalignment_init(&m.mis, BendData_get_shift_x(el), BendData_get_shift_y(el), BendData_get_shift_s(el),
                             BendData_get_rot_x_rad(el), BendData_get_rot_y_rad(el), BendData_get_rot_s_rad(el),
                             BendData_get_rot_shift_anchor(el), length, BendData_get_angle(el));
    if (backtrack) magnet_misalignment_reverse(&m.mis);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (backtrack) curved_magnet_backtrack(part, &m);
        else curved_magnet_track(part, &m);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void Bend_track_local_particle(BendData el, LocalParticle* part0){
    Bend_track_sign(el, part0, 0);
}

GPUFUN void Bend_backtrack_local_particle(BendData el, LocalParticle* part0){
    Bend_track_sign(el, part0, 1);
}

#endif  // XTRACK_BEND_H
