// Electric field of a 2D Gaussian line charge (1 C/m) and its gradients: the
// one implementation behind BeamBeamBiGaussian2D, BeamBeamBiGaussian3D and
// SpaceChargeBiGaussian (include "xfields/fields/_bigaussian_field.h").
// Faddeeva function: Weideman's rational approximation (_faddeeva.h).
// Field: M. Bassetti, G.A. Erskine, CERN-ISR-TH/80-06 (1980); gradients from
// the heat-equation identity of the Gaussian potential.
#ifndef XFIELDS_BIGAUSSIAN_FIELD_H
#define XFIELDS_BIGAUSSIAN_FIELD_H

#include "xobjects/headers/common.h"  // the field needs no particle, only GPUFUN
#include "xtrack/headers/constants.h"
#include "xfields/fields/_faddeeva.h"

// The beam-beam and space-charge reference data (xfields 0.27.5) use the
// CODATA 2014 values e = 1.60217662e-19 C and eps0 = 8.854187817620e-12 F/m:
// with the CODATA 2018 ones every kick differs by 9.28e-9 (relative), above
// the 1e-9 tolerance.
#define XF_QELEM 1.60217662e-19
#define XF_EPSILON_0 8.854187817620e-12

// Ex, Ey [V/m] of a unit line density Gaussian (sigma_x, sigma_y) at (x, y);
// Gx = dEx/dx, Gy = dEy/dy [V/m^2].
GPUFUN void XF_bigaussian_field(double x, double y, double sigma_x, double sigma_y,
        double min_sigma_diff, double* ex, double* ey, double* gx, double* gy){
    double const k_coulomb = 1. / (2. * PI * XF_EPSILON_0);
    if (fabs(sigma_x - sigma_y) < min_sigma_diff){
        // round beam: E_r = (1 - exp(-r^2 / 2 sigma^2)) / (2 pi eps0 r)
        double const sigma = 0.5 * (sigma_x + sigma_y);
        double const r2 = x * x + y * y;
        if (r2 < 1e-20 * sigma * sigma){
            *ex = k_coulomb * x / (2. * sigma * sigma);
            *ey = k_coulomb * y / (2. * sigma * sigma);
            *gx = *gy = k_coulomb / (2. * sigma * sigma);
            return;
        }
        double const e = exp(-r2 / (2. * sigma * sigma));
        double const fr = k_coulomb * (1. - e) / r2;
        *ex = fr * x;
        *ey = fr * y;
        *gx = k_coulomb * ((y * y - x * x) / (r2 * r2) * (1. - e) + x * x / (r2 * sigma * sigma) * e);
        *gy = k_coulomb * ((x * x - y * y) / (r2 * r2) * (1. - e) + y * y / (r2 * sigma * sigma) * e);
        return;
    }
    int const swap = sigma_x < sigma_y;
    double const sx = swap ? sigma_y : sigma_x, sy = swap ? sigma_x : sigma_y;
    double const xx = swap ? y : x, yy = swap ? x : y;
    double const ax = fabs(xx), ay = fabs(yy);
    // four independent divisions (they pipeline), the rest multiplications
    double const d = sx * sx - sy * sy;
    double const inv_sx = 1. / sx, inv_sy = 1. / sy, inv_d = 1. / d;
    double const inv_S = 1. / sqrt(2. * d);  // 1 / S, S = sqrt(2 (sx^2 - sy^2))
    double const u = ax * inv_sx, v = ay * inv_sy;  // the point in units of sigma
    double const e = exp(-0.5 * (u * u + v * v));
    double w1r, w1i, w2r, w2i;
    XF_faddeeva_upper(ax * inv_S, ay * inv_S, &w1r, &w1i);
    XF_faddeeva_upper(u * sy * inv_S, v * sx * inv_S, &w2r, &w2i);
    double const fact_be = inv_S * (1. / (2. * XF_EPSILON_0 * SQRT_PI));
    double ex_s = fact_be * (w1i - e * w2i);
    double ey_s = fact_be * (w1r - e * w2r);
    if (xx < 0.) ex_s = -ex_s;
    if (yy < 0.) ey_s = -ey_s;
    // Gx = dEx/dx of Bassetti-Erskine's field
    double const gx_s = -(xx * ex_s + yy * ey_s + k_coulomb * (sy * inv_sx * e - 1.)) * inv_d;
    double const gy_s = (xx * ex_s + yy * ey_s + k_coulomb * (sx * inv_sy * e - 1.)) * inv_d;
    *ex = swap ? ey_s : ex_s;
    *ey = swap ? ex_s : ey_s;
    *gx = swap ? gy_s : gx_s;
    *gy = swap ? gx_s : gy_s;
}

// Upright frame of a coupled 2D Gaussian with moments (sig11, sig13, sig33):
// sizes sig11_hat, sig33_hat [m^2] and the rotation (cos, sin) by theta,
// tan(2 theta) = 2 sig13 / (sig11 - sig33), |theta| <= pi/4; a point (x, y)
// is at (x cos + y sin, -x sin + y cos) in that frame. An uncoupled slice
// (sig13 == 0) is returned unrotated, bit for bit.
GPUFUN void XF_upright_frame(double sig11, double sig13, double sig33,
        double* sig11_hat, double* sig33_hat, double* cos_th, double* sin_th){
    if (sig13 == 0.){
        *sig11_hat = sig11; *sig33_hat = sig33; *cos_th = 1.; *sin_th = 0.;
        return;
    }
    double const R = sig11 - sig33, W = sig11 + sig33;
    double const T = sqrt(R * R + 4. * sig13 * sig13);
    double const sign_R = (R >= 0.) ? 1. : -1.;
    *sig11_hat = 0.5 * (W + sign_R * T);
    *sig33_hat = 0.5 * (W - sign_R * T);
    double const theta = 0.5 * atan2(sign_R * 2. * sig13 / T, sign_R * R / T);
    *cos_th = cos(theta);
    *sin_th = sin(theta);
}

#endif  // XFIELDS_BIGAUSSIAN_FIELD_H
