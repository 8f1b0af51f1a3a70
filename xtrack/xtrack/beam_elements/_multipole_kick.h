// Thin magnetic multipole kick of one particle (shared by the magnets, the
// solenoids' embedded multipoles and every thin multipolar element).
//
// Model: the integrated transverse field of a straight thin multipole,
//   B_y + i B_x  ~  sum_n (knl[n] + i ksl[n]) (x + i y)^n / n!
// (MAD-X "multipole" convention, MAD-X user guide section "MULTIPOLE"; knl in
// m^-n are normalised to the reference rigidity B rho = P0 / q0), gives
//   px -= chi * weight * Re(sum),   py += chi * weight * Im(sum)
// with chi = (q/q0) / (m/m0) (momenta are normalised to P0 m/m0). The sum is
// evaluated with Horner's scheme from the highest order down.
// No curvature terms here (hxl / weak focusing / path length are handled by
// the callers, see _magnet_kick.h).
//
// Public functions (stable signatures):
//
//   GPUFUN void multipole_kick(LocalParticle* part,
//           GPUGLMEM const double* knl, GPUGLMEM const double* ksl,
//           int64_t order, double weight);
//       knl, ksl: element arrays (global memory) with at least order+1
//       entries; weight scales all the strengths (e.g. 1/num_kicks for a
//       slice of a thick element, or -1 for backtracking). order < 0: no-op.
//
//   GPUFUN void multipole_kick_private(LocalParticle* part,
//           const double* kn, const double* ks, int64_t order, double weight);
//       the same with arrays in private (local) memory.
//
//   GPUFUN void multipole_field_private(double x, double y,
//           const double* kn, const double* ks, int64_t order,
//           double* b_re, double* b_im);
//       Re and Im of sum_n (kn[n] + i ks[n]) (x + i y)^n / n! (no chi, no sign).
#ifndef XTRACK__MULTIPOLE_KICK_H
#define XTRACK__MULTIPOLE_KICK_H

#include "xtrack/headers/track.h"

// Horner evaluation shared by the private and the global-memory variant.
#define XT_MULTIPOLE_HORNER(KN, KS, ORDER, X, Y, B_RE, B_IM)              \
    {                                                                     \
        double inv_fact = 1.;                                             \
        for (int64_t jj = 2; jj <= (ORDER); jj++) inv_fact /= (double)jj; \
        double xt_h_re_ = (KN)[(ORDER)] * inv_fact;                            \
        double xt_h_im_ = (KS)[(ORDER)] * inv_fact;                            \
        for (int64_t jj = (ORDER); jj > 0; jj--) {                        \
            inv_fact *= (double)jj;                                       \
            double const zre = xt_h_re_ * (X) - xt_h_im_ * (Y);                     \
            double const zim = xt_h_re_ * (Y) + xt_h_im_ * (X);                     \
            xt_h_re_ = (KN)[jj - 1] * inv_fact + zre;                          \
            xt_h_im_ = (KS)[jj - 1] * inv_fact + zim;                          \
        }                                                                 \
        (B_RE) = xt_h_re_;                                                     \
        (B_IM) = xt_h_im_;                                                     \
    }

GPUFUN void multipole_field_private(double x, double y, const double* kn, const double* ks,
                                    int64_t order, double* b_re, double* b_im){
    if (order < 0) { *b_re = 0.; *b_im = 0.; return; }
    double b_re_, b_im_;
    XT_MULTIPOLE_HORNER(kn, ks, order, x, y, b_re_, b_im_);
    *b_re = b_re_;
    *b_im = b_im_;
}

GPUFUN void multipole_kick_private(LocalParticle* part, const double* kn, const double* ks,
                                   int64_t order, double weight){
    if (order < 0) return;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const chi = LocalParticle_get_chi(part);
    double b_re_, b_im_;
    XT_MULTIPOLE_HORNER(kn, ks, order, x, y, b_re_, b_im_);
    LocalParticle_add_to_px(part, -chi * weight * b_re_);
    LocalParticle_add_to_py(part, chi * weight * b_im_);
}

GPUFUN void multipole_kick(LocalParticle* part, GPUGLMEM const double* knl,
                           GPUGLMEM const double* ksl, int64_t order, double weight){
    if (order < 0) return;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const chi = LocalParticle_get_chi(part);
    double b_re_, b_im_;
    XT_MULTIPOLE_HORNER(knl, ksl, order, x, y, b_re_, b_im_);
    LocalParticle_add_to_px(part, -chi * weight * b_re_);
    LocalParticle_add_to_py(part, chi * weight * b_im_);
}

#endif  // XTRACK__MULTIPOLE_KICK_H
