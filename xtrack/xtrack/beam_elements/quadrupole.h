// Quadrupole: straight thick magnet with main strengths k1, k1s and extra
// knl/ksl, tracked by the fast straight-magnet body (_straight_magnet.h:
// the generic engine of _magnet_body.h with the same results, faster), with
// optional hard-edge fringes (_straight_fringe.h) and misalignment.
#ifndef XTRACK_QUADRUPOLE_H
#define XTRACK_QUADRUPOLE_H

#include "xtrack/headers/track.h"
#include "_straight_magnet.h"
#include "_relative_strengths.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"
#include "_straight_fringe.h"
#include "_backtrack.h"

// backtrack 1: the inverse map (_backtrack.h): body over -length with the
// opposite integrated strengths; fringes, exact patches and radiation refused.
GPUFUN void Quadrupole_track_sign(QuadrupoleData el, LocalParticle* part0, int64_t backtrack){
    double const length = QuadrupoleData_get_length(el);
    double const sgn = backtrack ? -1. : 1.;
    double const kn_main = QuadrupoleData_get_k1(el);
    double const ks_main = QuadrupoleData_get_k1s(el);
    double const main_l = kn_main * length;  // knl_rel, ksl_rel are relative to it
    int64_t order = QuadrupoleData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    double k[4] = {0., 0., 0., 0.}, ks[4] = {0., 0., 0., 0.};
    k[1] = kn_main;
    ks[1] = ks_main;
    StraightBody body;
    int64_t const n_kick = straight_body_init(&body, sgn * length, 0., k, ks, QuadrupoleData_get__model(el),
                                              QuadrupoleData_get__integrator(el),
                                              QuadrupoleData_get_num_multipole_kicks(el),
                                              QuadrupoleData_get_radiation_flag(el), order);
    for (int64_t j = n_kick; j >= 0; j--){
        if (j <= order) straight_body_set_strength(&body, j, sgn * XT_TOTAL_KNL(Quadrupole, el, j, main_l),
                                                  sgn * XT_TOTAL_KSL(Quadrupole, el, j, main_l));
        else straight_body_set_strength(&body, j, 0., 0.);
    }
    int64_t const entry = QuadrupoleData_get_edge_entry_active(el);
    int64_t const exit = QuadrupoleData_get_edge_exit_active(el);
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, QuadrupoleData_get_shift_x(el), QuadrupoleData_get_shift_y(el),
                             QuadrupoleData_get_shift_s(el), QuadrupoleData_get_rot_x_rad(el),
                             QuadrupoleData_get_rot_y_rad(el), QuadrupoleData_get_rot_s_rad(el),
                             QuadrupoleData_get_rot_shift_anchor(el), length, 0.);
    if (backtrack) magnet_misalignment_reverse(&mis);
    int64_t const refuse = backtrack && (entry || exit || body.radiation_flag != 0
                                         || body.exact_drift_correction);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (refuse){ backtrack_refuse(part); continue; }
        magnet_misalignment(part, &mis, 0);
        if (entry) straight_fringe(part, 1, kn_main, ks_main, 0);
        straight_body_track(part, &body);
        if (exit) straight_fringe(part, 1, kn_main, ks_main, 1);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void Quadrupole_track_local_particle(QuadrupoleData el, LocalParticle* part0){
    Quadrupole_track_sign(el, part0, 0);
}

GPUFUN void Quadrupole_backtrack_local_particle(QuadrupoleData el, LocalParticle* part0){
    Quadrupole_track_sign(el, part0, 1);
}

#endif  // XTRACK_QUADRUPOLE_H
