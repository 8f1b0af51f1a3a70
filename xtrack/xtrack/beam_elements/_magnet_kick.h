// Multipolar kick of a magnet slice, with the curvature terms of the frame.
//
//   magnet_kick(part, kn, ks, order, weight, hl, length, curvature_model)
//
// kn, ks: integrated strengths [m^-n] (private arrays with order+1 entries),
// applied times weight; hl = h * (kick length) [rad]; length: the kick length [m]
// (needed for the weak-focusing term, 0 for a thin element of zero length).
// curvature_model:
//   0: straight frame: px -= chi Re(B), py += chi Im(B) (_multipole_kick.h);
//   1: expanded curved frame (thin multipole with hxl, MAD-X physics guide
//      "thin multipole with curvature", and the thin part of the expanded
//      Hamiltonian -h x (1+delta) + k0 h x^2/2):
//        px += hl (1+delta) - chi kn0 hl x / length,   zeta -= chi rv0v hl x,
//        and for the quadrupole component (MAD-X thin multipole with angle)
//        px += chi kn1 h (y^2/2 - x^2),  py += chi kn1 h x y   (h = hl/length);
//   2: exact curved frame: the field terms carry the metric factor (1 + h x)
//        px -= chi (1 + h x) Re(B), py += chi (1 + h x) Im(B)
//      (the geometric hl(1+delta) term belongs to the polar drift / bend map).
#ifndef XTRACK__MAGNET_KICK_H
#define XTRACK__MAGNET_KICK_H

#include "xtrack/headers/track.h"
#include "_multipole_kick.h"

// The field part of the kick (without the geometric hl (1+delta) term) is
// returned in *dpx_field, *dpy_field (for the radiation of a thin kick).
GPUFUN void magnet_kick_field(LocalParticle* part, const double* kn, const double* ks,
                              int64_t order, double weight, double hl, double length,
                              int64_t curvature_model, double* dpx_field, double* dpy_field){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const chi = LocalParticle_get_chi(part);
    double bre = 0., bim = 0.;
    multipole_field_private(x, y, kn, ks, order, &bre, &bim);
    double factor = weight;
    if (curvature_model == 2 && length != 0.) factor = weight * (1. + hl / length * x);
    double dpx = -chi * factor * bre;
    double const dpy = chi * factor * bim;
    double dpy_curv = 0.;
    if (curvature_model == 2 && length != 0. && order >= 1){
        // curved-frame quadrupole field: B_y carries + h k1 y^2 / 2
        dpx += 0.5 * chi * weight * kn[1] * hl / length * y * y;
    }
    if (curvature_model == 1 && hl != 0.){
        if (length != 0. && order >= 0) dpx -= chi * weight * kn[0] * hl * x / length;
        if (length != 0. && order >= 1){  // curvature terms of the quadrupole component
            double const hk1 = chi * weight * kn[1] * hl / length;
            dpx += hk1 * (0.5 * y * y - x * x);
            dpy_curv = hk1 * x * y;
        }
        // the path-length term scales with chi in the established implementation
        LocalParticle_add_to_zeta(part, -chi * hl * x / LocalParticle_get_rvv(part));
    }
    *dpx_field = dpx;
    *dpy_field = dpy + dpy_curv;
    if (curvature_model == 1) dpx += hl * (1. + LocalParticle_get_delta(part));
    LocalParticle_add_to_px(part, dpx);
    LocalParticle_add_to_py(part, dpy + dpy_curv);
}

GPUFUN void magnet_kick(LocalParticle* part, const double* kn, const double* ks, int64_t order,
                        double weight, double hl, double length, int64_t curvature_model){
    double dpx_f, dpy_f;
    magnet_kick_field(part, kn, ks, order, weight, hl, length, curvature_model, &dpx_f, &dpy_f);
}

#endif  // XTRACK__MAGNET_KICK_H
