// Hirata's 6D symplectic boost to the head-on frame of a crossing-angle
// collision, and its inverse: K. Hirata, H. Moshammer, F. Ruggiero,
// "A symplectic beam-beam interaction with energy change", Part. Accel. 40
// (1993) 205, eqs. (5)-(8); inverse as in L.H.A. Leunissen, F. Schmidt,
// G. Ripken, "6D beam-beam kick including coupled motion", LHC Project
// Report 369 (2000), sec. 3.  phi: half crossing angle, alpha: crossing plane
// (0: horizontal); coordinates (x, px, y, py, zeta, delta).
#ifndef XFIELDS_BB3D_BOOST_H
#define XFIELDS_BB3D_BOOST_H

#include "xtrack/headers/track.h"

typedef struct {
    double sphi, cphi, tphi, salpha, calpha;
} BB3DBoost;

GPUFUN void BB3DBoost_forward(BB3DBoost const* b, double* x, double* px, double* y, double* py,
                              double* zeta, double* delta){
    double const sphi = b->sphi, cphi = b->cphi, tphi = b->tphi;
    double const sa = b->salpha, ca = b->calpha;
    double const one_d = 1. + *delta;
    double const h = one_d - sqrt(one_d * one_d - (*px) * (*px) - (*py) * (*py));
    double const px_st = (*px - h * ca * tphi) / cphi;
    double const py_st = (*py - h * sa * tphi) / cphi;
    double const d_st = *delta - (*px) * ca * tphi - (*py) * sa * tphi + h * tphi * tphi;
    double const pz_st = sqrt((1. + d_st) * (1. + d_st) - px_st * px_st - py_st * py_st);
    double const hx = px_st / pz_st, hy = py_st / pz_st, hs = 1. - (1. + d_st) / pz_st;
    double const x0 = *x, y0 = *y, z0 = *zeta;
    *x = tphi * ca * z0 + (1. + hx * ca * sphi) * x0 + hx * sa * sphi * y0;
    *y = tphi * sa * z0 + hy * ca * sphi * x0 + (1. + hy * sa * sphi) * y0;
    *zeta = z0 / cphi + hs * ca * sphi * x0 + hs * sa * sphi * y0;
    *px = px_st;
    *py = py_st;
    *delta = d_st;
}

GPUFUN void BB3DBoost_inverse(BB3DBoost const* b, double* x, double* px, double* y, double* py,
                              double* zeta, double* delta){
    double const sphi = b->sphi, cphi = b->cphi, tphi = b->tphi;
    double const sa = b->salpha, ca = b->calpha;
    double const one_d = 1. + *delta;
    double const pz_st = sqrt(one_d * one_d - (*px) * (*px) - (*py) * (*py));
    double const hx = *px / pz_st, hy = *py / pz_st, hs = 1. - one_d / pz_st;
    // positions: inverse of the linear map of (x, y, zeta) at fixed momenta
    double const det = 1. / cphi + (hx * ca + hy * sa - hs * sphi) * tphi;
    double const l11 = (1. / cphi + sa * tphi * (hy - hs * sa * sphi)) / det;
    double const l12 = (sa * tphi * (hs * ca * sphi - hx)) / det;
    double const l13 = -tphi * (ca - hx * sa * sa * sphi + hy * ca * sa * sphi) / det;
    double const l21 = (ca * tphi * (hs * sa * sphi - hy)) / det;
    double const l22 = (1. / cphi + ca * tphi * (hx - hs * ca * sphi)) / det;
    double const l23 = -tphi * (sa - hy * ca * ca * sphi + hx * ca * sa * sphi) / det;
    double const l31 = -hs * ca * sphi / det;
    double const l32 = -hs * sa * sphi / det;
    double const l33 = (1. + hx * ca * sphi + hy * sa * sphi) / det;
    double const xs = *x, ys = *y, zs = *zeta;
    *x = l11 * xs + l12 * ys + l13 * zs;
    *y = l21 * xs + l22 * ys + l23 * zs;
    *zeta = l31 * xs + l32 * ys + l33 * zs;
    // momenta: h = h* cos^2(phi) (Hirata eq. 8)
    double const h = (one_d - pz_st) * cphi * cphi;
    double const px0 = *px * cphi + h * ca * tphi;
    double const py0 = *py * cphi + h * sa * tphi;
    *delta = *delta + px0 * ca * tphi + py0 * sa * tphi - h * tphi * tphi;
    *px = px0;
    *py = py0;
}

#endif  // XFIELDS_BB3D_BOOST_H
