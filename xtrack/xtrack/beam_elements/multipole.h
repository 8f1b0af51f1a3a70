// Multipole: thin multipolar kick with optional curvature (hxl), or, with
// isthick, a thick kicker tracked by the magnet body engine (_magnet_body.h).
#ifndef XTRACK_MULTIPOLE_H
#define XTRACK_MULTIPOLE_H

#include "xtrack/headers/track.h"
#include "_magnet_body.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"

// Effective integrated strengths: knl + knl_rel * knl[main_order].
GPUFUN int64_t Multipole_load_strengths(MultipoleData el, double* kn, double* ks){
    int64_t const n = MultipoleData_len_knl(el);
    int64_t const n_rel = MultipoleData_len_knl_rel(el);
    int64_t order = n - 1;
    if (n_rel - 1 > order) order = n_rel - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    for (int64_t i = 0; i <= order; i++){
        kn[i] = i < n ? MultipoleData_get_knl(el, i) : 0.;
        ks[i] = i < n ? MultipoleData_get_ksl(el, i) : 0.;
    }
    int64_t const main_order = MultipoleData_get_main_order(el);
    double const k_main = main_order < n ? MultipoleData_get_knl(el, main_order) : 0.;
    for (int64_t i = 0; i < n_rel && i <= order; i++){
        kn[i] += MultipoleData_get_knl_rel(el, i) * k_main;
        ks[i] += MultipoleData_get_ksl_rel(el, i) * k_main;
    }
    return order;
}

GPUFUN void Multipole_track_local_particle(MultipoleData el, LocalParticle* part0){
    double const length = MultipoleData_get_length(el);
    double const hxl = MultipoleData_get_hxl(el);
    double const shift_x = MultipoleData_get_shift_x(el);
    double const shift_y = MultipoleData_get_shift_y(el);
    double const rot_s_rad = MultipoleData_get_rot_s_rad(el);
    int64_t const radiation_flag = MultipoleData_get_radiation_flag(el);
    int64_t const thick = MultipoleData_get__isthick(el) && length != 0.;
    double kn[XT_MAGNET_MAX_ORDER + 1], ks[XT_MAGNET_MAX_ORDER + 1];
    int64_t const order = Multipole_load_strengths(el, kn, ks);
    MagnetBody body;
    if (thick){
        magnet_body_init(&body, length, hxl / length);
        body.order = order;
        for (int64_t i = 0; i <= order; i++){ body.knl[i] = kn[i]; body.ksl[i] = ks[i]; }
        body.model = MultipoleData_get__model(el);
        if (body.model == 0) body.model = 6;
        body.integrator = MultipoleData_get__integrator(el);
        body.num_kicks = MultipoleData_get_num_multipole_kicks(el);
        body.radiation_flag = radiation_flag;
    }
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, MultipoleData_get_shift_s(el),
                             MultipoleData_get_rot_x_rad(el), MultipoleData_get_rot_y_rad(el),
                             rot_s_rad, MultipoleData_get_rot_shift_anchor(el),
                             thick ? length : 0., thick ? hxl : 0.);
    START_PER_PARTICLE_BLOCK(part0, part);
        magnet_misalignment(part, &mis, 0);
        if (thick) magnet_body_track(part, &body);
        else magnet_kick_radiating(part, kn, ks, order, 1., hxl, length, 1, radiation_flag, 0);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_MULTIPOLE_H
