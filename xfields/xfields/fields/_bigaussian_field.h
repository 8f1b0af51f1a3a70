// Electric field of a 2D Gaussian line charge (1 C/m) and its gradients: the
// one implementation behind BeamBeamBiGaussian2D, BeamBeamBiGaussian3D and
// SpaceChargeBiGaussian (include "xfields/fields/_bigaussian_field.h").
// Faddeeva function: G.P.M. Poppe, C.M.J. Wijers, "More efficient computation
// of the complex error function", ACM TOMS 16 (1990) 38 (Algorithm 680).
// Field: M. Bassetti, G.A. Erskine, CERN-ISR-TH/80-06 (1980); gradients from
// the heat-equation identity of the Gaussian potential.
#ifndef XFIELDS_BIGAUSSIAN_FIELD_H
#define XFIELDS_BIGAUSSIAN_FIELD_H

#include "xtrack/headers/track.h"
#include "xtrack/headers/constants.h"

// The beam-beam and space-charge reference data (xfields 0.27.5) use the
// CODATA 2014 values e = 1.60217662e-19 C and eps0 = 8.854187817620e-12 F/m:
// with the CODATA 2018 ones every kick differs by 9.28e-9 (relative), above
// the 1e-9 tolerance.
#define XF_QELEM 1.60217662e-19
#define XF_EPSILON_0 8.854187817620e-12

// w(z) = exp(-z^2) erfc(-i z) for z = x + i y with x >= 0, y >= 0.
GPUFUN void XF_faddeeva_q1(double xabs, double yabs, double* wr, double* wi){
    double const factor = 1.12837916709551257388;  // 2 / sqrt(pi)
    double const x = xabs / 6.3, y = yabs / 4.4;
    double qrho = x * x + y * y;
    double const xquad = xabs * xabs - yabs * yabs;
    double const yquad = 2. * xabs * yabs;
    double u, v;
    if (qrho < 0.085264){
        // power series of the complex error function near the origin
        qrho = (1. - 0.85 * y) * sqrt(qrho);
        int const n = (int)floor(6. + 72. * qrho + 0.5);
        int j = 2 * n + 1;
        double xsum = 1. / j, ysum = 0.;
        for (int i = n; i >= 1; i--){
            j -= 2;
            double const xaux = (xsum * xquad - ysum * yquad) / i;
            ysum = (xsum * yquad + ysum * xquad) / i;
            xsum = xaux + 1. / j;
        }
        double const u1 = -factor * (xsum * yabs + ysum * xabs) + 1.;
        double const v1 = factor * (xsum * xabs - ysum * yabs);
        double const daux = exp(-xquad);
        double const u2 = daux * cos(yquad);
        double const v2 = -daux * sin(yquad);
        u = u1 * u2 - v1 * v2;
        v = u1 * v2 + v1 * u2;
    } else {
        // Laplace continued fraction, with Taylor correction (h > 0) inside the unit ellipse
        double h, h2 = 0., qlambda = 0.;
        int kapn, nu;
        if (qrho > 1.){
            h = 0.; kapn = 0;
            qrho = sqrt(qrho);
            nu = (int)(3. + 1442. / (26. * qrho + 77.));
        } else {
            qrho = (1. - y) * sqrt(1. - qrho);
            h = 1.88 * qrho; h2 = 2. * h;
            kapn = (int)floor(7. + 34. * qrho + 0.5);
            nu = (int)floor(16. + 26. * qrho + 0.5);
        }
        int const b = (h > 0.);
        if (b) qlambda = pow(h2, kapn);
        double rx = 0., ry = 0., sx = 0., sy = 0.;
        for (int n = nu; n >= 0; n--){
            int const np1 = n + 1;
            double tx = yabs + h + np1 * rx;
            double const ty = xabs - np1 * ry;
            double const c = 0.5 / (tx * tx + ty * ty);
            rx = c * tx;
            ry = c * ty;
            if (b && n <= kapn){
                tx = qlambda + sx;
                sx = rx * tx - ry * sy;
                sy = ry * tx + rx * sy;
                qlambda = qlambda / h2;
            }
        }
        if (h == 0.){ u = factor * rx; v = factor * ry; }
        else { u = factor * sx; v = factor * sy; }
        if (yabs == 0.) u = exp(-xabs * xabs);
    }
    *wr = u;
    *wi = v;
}

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
    double const S = sqrt(2. * (sx * sx - sy * sy));
    double const fact_be = 1. / (2. * XF_EPSILON_0 * SQRT_PI * S);
    double const e = exp(-ax * ax / (2. * sx * sx) - ay * ay / (2. * sy * sy));
    double w1r, w1i, w2r, w2i;
    XF_faddeeva_q1(ax / S, ay / S, &w1r, &w1i);
    XF_faddeeva_q1(ax * sy / sx / S, ay * sx / sy / S, &w2r, &w2i);
    double ex_s = fact_be * (w1i - e * w2i);
    double ey_s = fact_be * (w1r - e * w2r);
    if (xx < 0.) ex_s = -ex_s;
    if (yy < 0.) ey_s = -ey_s;
    double const d = sx * sx - sy * sy;  // Gx = dEx/dx of Bassetti-Erskine's field
    double const gx_s = -(xx * ex_s + yy * ey_s + k_coulomb * (sy / sx * e - 1.)) / d;
    double const gy_s = (xx * ex_s + yy * ey_s + k_coulomb * (sx / sy * e - 1.)) / d;
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
