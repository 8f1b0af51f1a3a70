// NonLinearLens: thin lens with the elliptic potential of V. Danilov and
// S. Nagaitsev, "Nonlinear accelerator lattices with one and two analytic
// invariants", PRST-AB 13, 084002 (2010), eq. (13); the MAD-X NLLENS element
// (MAD-X user guide "NLLENS", trrun.f90 ttnllens).
//
// In units of cnll, X = x/cnll, Y = y/cnll, elliptic coordinates
//   u = (r_+ + r_-)/2 >= 1,  v = (r_+ - r_-)/2 in [-1, 1],
//   r_+- = sqrt((X +- 1)^2 + Y^2),
// the potential is
//   U = [u sqrt(u^2-1) acosh(u) + v sqrt(1-v^2) (acos(v) - pi/2)] / (u^2 - v^2)
// and the kick  px += knll/cnll dU/dX,  py += knll/cnll dU/dY (no chi or
// delta scaling, as MAD-X and the established implementation)
// (singularities at X = +-1, Y = 0; the quadrupole term is
// k1 = 2 knll / cnll^2). On the cut u = 1 the limit acosh(u)/sqrt(u^2-1) -> 1
// is used.
#ifndef XTRACK_NON_LINEAR_LENS_H
#define XTRACK_NON_LINEAR_LENS_H

#include "xtrack/headers/track.h"
#include "_xy_shift_tilt.h"

GPUFUN void NonLinearLens_track_local_particle(NonLinearLensData el, LocalParticle* part0){
    double const knll = NonLinearLensData_get_knll(el);
    double const cnll = NonLinearLensData_get_cnll(el);
    double const shift_x = NonLinearLensData_get_shift_x(el);
    double const shift_y = NonLinearLensData_get_shift_y(el);
    double const rot = NonLinearLensData_get_rot_s_rad(el);
    double const cos_t = cos(rot), sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        double const X = LocalParticle_get_x(part) / cnll;
        double const Y = LocalParticle_get_y(part) / cnll;
        double const r_p = sqrt((X + 1.) * (X + 1.) + Y * Y);
        double const r_m = sqrt((X - 1.) * (X - 1.) + Y * Y);
        double const u = 0.5 * (r_p + r_m);
        double const v = 0.5 * (r_p - r_m);
        double const su = sqrt(u * u - 1.);          // sqrt(u^2 - 1)
        double const sv = sqrt(1. - v * v);          // sqrt(1 - v^2)
        double const acosh_u = log(u + su);
        double const acos_v = acos(v) - 0.5 * PI;    // acos(v) - pi/2
        double const acosh_over_su = su > 0. ? acosh_u / su : 1.;
        double const den = u * u - v * v;
        double const num = u * su * acosh_u + v * sv * acos_v;
        double const dnum_du = su * acosh_u + u * u * acosh_over_su + u;
        double const dnum_dv = sv > 0. ? sv * acos_v - v * v * acos_v / sv - v : -v;
        double const dU_du = dnum_du / den - 2. * u * num / (den * den);
        double const dU_dv = dnum_dv / den + 2. * v * num / (den * den);
        // derivatives of u, v with respect to X, Y
        double const du_dx = 0.5 * (X - 1.) / r_m + 0.5 * (X + 1.) / r_p;
        double const du_dy = 0.5 * Y / r_m + 0.5 * Y / r_p;
        double const dv_dx = 0.5 * (X + 1.) / r_p - 0.5 * (X - 1.) / r_m;
        double const dv_dy = 0.5 * Y / r_p - 0.5 * Y / r_m;
        double const scale = knll / cnll;
        LocalParticle_add_to_px(part, scale * (dU_du * du_dx + dU_dv * dv_dx));
        LocalParticle_add_to_py(part, scale * (dU_du * du_dy + dU_dv * dv_dy));
        xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_NON_LINEAR_LENS_H
