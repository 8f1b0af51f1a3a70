// Multipole: thin multipolar kick with optional curvature (hxl), or, with
// isthick, a thick kicker tracked by the fast straight-magnet body
// (_straight_magnet.h, same results as the engine of _magnet_body.h); the
// thin kick uses the precomputed Horner coefficients of the same header.
#ifndef XTRACK_MULTIPOLE_H
#define XTRACK_MULTIPOLE_H

#include "xtrack/headers/track.h"
#include "_straight_magnet.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"
#include "_backtrack.h"

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

// backtrack 1: the inverse map (_backtrack.h): thin kick with weight -1, -hxl
// and -length (every term of the kick flips); thick body over -length with
// the opposite strengths; exact patches and radiation refused.
GPUFUN void Multipole_track_sign(MultipoleData el, LocalParticle* part0, int64_t backtrack){
    double const length = MultipoleData_get_length(el);
    double const sgn = backtrack ? -1. : 1.;
    double const hxl = MultipoleData_get_hxl(el);
    double const shift_x = MultipoleData_get_shift_x(el);
    double const shift_y = MultipoleData_get_shift_y(el);
    double const rot_s_rad = MultipoleData_get_rot_s_rad(el);
    int64_t const radiation_flag = MultipoleData_get_radiation_flag(el);
    int64_t const thick = MultipoleData_get__isthick(el) && length != 0.;
    double kn[XT_MAGNET_MAX_ORDER + 1], ks[XT_MAGNET_MAX_ORDER + 1];
    int64_t const order = Multipole_load_strengths(el, kn, ks);
    StraightBody body;
    StraightKickCoeffs kick;
    if (thick){
        double zero[4] = {0., 0., 0., 0.};
        int64_t model = MultipoleData_get__model(el);
        if (model == 0) model = 6;
        int64_t const n_kick = straight_body_init(&body, sgn * length, hxl / length, zero, zero, model,
                                                  MultipoleData_get__integrator(el),
                                                  MultipoleData_get_num_multipole_kicks(el),
                                                  radiation_flag, order);
        for (int64_t j = n_kick; j >= 0; j--){
            if (j <= order) straight_body_set_strength(&body, j, sgn * kn[j], sgn * ks[j]);
            else straight_body_set_strength(&body, j, 0., 0.);
        }
    }
    else {
        straight_kick_begin(&kick, order);
        for (int64_t j = order; j >= 0; j--) straight_kick_set(&kick, j, kn[j], ks[j]);
    }
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, MultipoleData_get_shift_s(el),
                             MultipoleData_get_rot_x_rad(el), MultipoleData_get_rot_y_rad(el),
                             rot_s_rad, MultipoleData_get_rot_shift_anchor(el),
                             thick ? length : 0., thick ? hxl : 0.);
    if (backtrack) magnet_misalignment_reverse(&mis);
    int64_t const refuse = backtrack && (radiation_flag != 0
                                         || (thick && body.exact_drift_correction));
    START_PER_PARTICLE_BLOCK(part0, part);
        if (refuse) backtrack_refuse(part);
        else {
            magnet_misalignment(part, &mis, 0);
            if (thick) straight_body_track(part, &body);
            else straight_kick_radiating(part, &kick, sgn, sgn * hxl, sgn * length, 1, radiation_flag);
            magnet_misalignment(part, &mis, 1);
        }
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void Multipole_track_local_particle(MultipoleData el, LocalParticle* part0){
    Multipole_track_sign(el, part0, 0);
}

GPUFUN void Multipole_backtrack_local_particle(MultipoleData el, LocalParticle* part0){
    Multipole_track_sign(el, part0, 1);
}

#endif  // XTRACK_MULTIPOLE_H
