// Elementary maps of the thick magnet body (one particle, one sub-length).
//
// Coordinates: x, px, y, py, zeta, delta (px, py normalised to P0 m/m0);
// chi = (q/q0)/(m/m0) scales every field strength; rv0v = 1/rvv.
//
// 1. magnet_map_exact_bend(part, length, h, k0c): exact solution of
//      H = -(1 + h x) sqrt((1+delta)^2 - px^2 - py^2) + k0c (x + h x^2/2)
//    (uniform vertical field k0c = chi k0 in a frame of curvature h; E. Forest,
//    "Beam Dynamics: A New Attitude and Framework", ch. 12, the exact sector
//    bend). Solved geometrically: the horizontal momentum rotates on a circle
//    of radius pr/k0c (pr^2 = (1+delta)^2 - py^2), the exit plane is rotated
//    by theta = h L. k0c = 0 gives the exact drift in polar coordinates
//    ("rot"), h = 0 the exact straight dipole, both = 0 the exact drift.
//    The path length comes from the chord of the circle arc
//    (l_h = 2 R asin(chord / 2R)), which stays well conditioned for k0c -> 0;
//    k0c = 0 exactly is the polar drift of magnet_map_polar_drift (the frame
//    rotation of the momentum and a straight path: no chord, no asin).
// 2. magnet_map_linear(part, length, h, k0c, k1c): exact solution of the
//    expanded (paraxial) quadratic Hamiltonian of a combined-function magnet
//      H = -(1 + h x)(1+delta) + (px^2+py^2)/(2(1+delta)) + k0c (x + h x^2/2)
//          + k1c (x^2 - y^2)/2
//    ("mat": transfer matrix with its chromatic dependence exact in delta);
//    zeta from dzeta/ds = 1 - rv0v (1 + h x + (x'^2 + y'^2)/2), integrated
//    exactly along the solution. k0c = k1c = h = 0 is the expanded drift.
// The s coordinate is advanced by the sub-length in both maps.
#ifndef XTRACK__MAGNET_MAPS_H
#define XTRACK__MAGNET_MAPS_H

#include "xtrack/headers/track.h"

// sin(u)/u, (1 - cos u)/u^2, (u - sin u)/u^3 as functions of q = u^2
// (q < 0: the hyperbolic continuation). Series for |q| < 1, closed form beyond.
GPUFUN void magnet_trig_functions(double q, double* f1, double* f2, double* f3){
    if (fabs(q) < 1.){
        // sum_n (-q)^n / (2n+1)!, (2n+2)!, (2n+3)!
        double t1 = 1., t2 = 0.5, t3 = 1. / 6.;
        double s1 = t1, s2 = t2, s3 = t3;
        for (int64_t n = 1; n < 20; n++){
            double const a = 2. * n;
            t1 *= -q / (a * (a + 1.));
            t2 *= -q / ((a + 1.) * (a + 2.));
            t3 *= -q / ((a + 2.) * (a + 3.));
            // Once every term is below 2^-55 of its sum (< half an ulp), this and all
            // later, smaller terms leave the sums unchanged: stopping is bit-identical.
            if (fabs(t1) < 2.7755575615628914e-17 * fabs(s1) && fabs(t2) < 2.7755575615628914e-17 * fabs(s2)
                    && fabs(t3) < 2.7755575615628914e-17 * fabs(s3)) break;
            s1 += t1; s2 += t2; s3 += t3;
        }
        *f1 = s1; *f2 = s2; *f3 = s3;
    }
    else if (q > 0){
        double const u = sqrt(q);
        *f1 = sin(u) / u;
        *f2 = (1. - cos(u)) / q;
        *f3 = (u - sin(u)) / (q * u);
    }
    else {
        double const u = sqrt(-q);
        *f1 = sinh(u) / u;
        *f2 = (cosh(u) - 1.) / (-q);
        *f3 = (sinh(u) - u) / (-q * u);
    }
}

// asin(u)/u, well conditioned at small u.
GPUFUN double magnet_asinc(double u){
    if (fabs(u) < 1e-4){
        double const u2 = u * u;
        return 1. + u2 / 6. + 3. * u2 * u2 / 40.;
    }
    return asin(u) / u;
}

// The exact drift in polar coordinates (k0c = 0; E. Forest, "Beam Dynamics: A
// New Attitude and Framework", ch. 10): the horizontal momentum rotates with
// the frame, px_f = px cos(theta) + pz sin(theta), pz_f = pz cos(theta) -
// px sin(theta), and the straight path of horizontal length
// l_h = (1/h + x) sin(theta) pr / pz_f reaches the exit plane at
// x_f = (1/h + x) pz / pz_f - 1/h, written with S = sin(theta)/h and
// C1 = (1 - cos theta)/h to stay well conditioned as h -> 0:
// x_f = x cos(theta) - C1 + q px_f, q = (S + x sin(theta)) / pz_f, l_h = q pr.
// pr2 = (1+delta)^2 - py^2.
GPUFUN void magnet_map_polar_drift(LocalParticle* part, double length, double st, double ct,
                                   double S, double C1, double opd, double rv0v, double pr2){
    double const x = LocalParticle_get_x(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    double const pz = sqrt(pr2 - px * px);
    double const px_f = px * ct + pz * st;
    double const pz_f = pz * ct - px * st;
    double const q = (S + x * st) / pz_f;
    LocalParticle_set_x(part, x * ct - C1 + q * px_f);
    LocalParticle_set_px(part, px_f);
    LocalParticle_add_to_y(part, q * py);
    LocalParticle_add_to_zeta(part, length - rv0v * (q * opd));
    LocalParticle_add_to_s(part, length);
}

GPUFUN void magnet_map_exact_bend(LocalParticle* part, double length, double h, double k0c){
    double const x = LocalParticle_get_x(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rv0v = 1. / LocalParticle_get_rvv(part);

    double const theta = h * length;
    double const st = sin(theta);
    double const ct = cos(theta);
    double sinc_t, vers_t, dummy;  // sin(theta)/theta, (1 - cos theta)/theta^2
    magnet_trig_functions(theta * theta, &sinc_t, &vers_t, &dummy);
    double const S = length * sinc_t;            // sin(theta)/h
    double const C1 = length * theta * vers_t;   // (1 - cos theta)/h

    if (k0c == 0.){
        magnet_map_polar_drift(part, length, st, ct, S, C1, opd, rv0v, opd * opd - py * py);
        return;
    }
    double const pr2 = opd * opd - py * py;
    double const pz = sqrt(pr2 - px * px);
    double const A = px * ct + pz * st;
    double const B = k0c * (S + x * st);         // k0c (1/h + x) sin(theta)
    double const px_f = A - B;
    double const pz_f = sqrt(pr2 - px_f * px_f);
    double const D = pz_f + pz * ct - px * st;
    double const x_f = x * ct - C1 + (S + x * st) * (2. * A - B) / D;

    // chord between entry and exit points in the horizontal plane
    double const dX = x_f * ct - x - C1;
    double const dZ = S + x_f * st;
    double const chord = (length < 0. ? -1. : 1.) * sqrt(dX * dX + dZ * dZ);  // signed
    double const pr = sqrt(pr2);
    double const l_h = chord * magnet_asinc(chord * k0c / (2. * pr));  // horizontal arc length
    double const l_tot = l_h * opd / pr;

    LocalParticle_set_x(part, x_f);
    LocalParticle_set_px(part, px_f);
    LocalParticle_add_to_y(part, l_h * py / pr);
    LocalParticle_add_to_zeta(part, length - rv0v * l_tot);
    LocalParticle_add_to_s(part, length);
}

GPUFUN void magnet_map_linear(LocalParticle* part, double length, double h, double k0c,
                              double k1c){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rv0v = 1. / LocalParticle_get_rvv(part);
    double const xp = LocalParticle_get_px(part) / opd;
    double const yp = LocalParticle_get_py(part) / opd;
    double const L = length;

    // x'' = fx - kx x,  y'' = -ky y
    double const kx = (k0c * h + k1c) / opd;
    double const fx = h - k0c / opd;
    double const ky = -k1c / opd;

    double g1, g2, g3;
    magnet_trig_functions(kx * L * L, &g1, &g2, &g3);
    double const Sx = L * g1, Dx = L * L * g2, Ex = L * L * L * g3;
    double const Cx = 1. - kx * Dx;
    double g1b, g2b, g3b;  // for the integral of S^2: (v - sin v)/v^3 at v = 2u
    magnet_trig_functions(4. * kx * L * L, &g1b, &g2b, &g3b);
    double const Fx = 8. * L * L * L * g3b / 4.;  // int S^2 = s^3 (v - sin v)/v^3 * 2

    magnet_trig_functions(ky * L * L, &g1, &g2, &g3);
    double const Sy = L * g1, Dy = L * L * g2;
    double const Cy = 1. - ky * Dy;
    magnet_trig_functions(4. * ky * L * L, &g1b, &g2b, &g3b);
    double const Fy = 8. * L * L * L * g3b / 4.;

    double const x_f = x * Cx + xp * Sx + fx * Dx;
    double const xp_f = -kx * x * Sx + xp * Cx + fx * Sx;
    double const y_f = y * Cy + yp * Sy;
    double const yp_f = -ky * y * Sy + yp * Cy;

    // x' = Ax S + Bx C,  y' = Ay S + By C
    double const Ax = fx - kx * x, Bx = xp;
    double const Ay = -ky * y, By = yp;
    double const int_x = x * Sx + xp * Dx + fx * Ex;
    double const int_xp2 = Ax * Ax * Fx + Ax * Bx * Sx * Sx + Bx * Bx * (L - kx * Fx);
    double const int_yp2 = Ay * Ay * Fy + Ay * By * Sy * Sy + By * By * (L - ky * Fy);

    LocalParticle_set_x(part, x_f);
    LocalParticle_set_px(part, xp_f * opd);
    LocalParticle_set_y(part, y_f);
    LocalParticle_set_py(part, yp_f * opd);
    LocalParticle_add_to_zeta(part, L - rv0v * (L + h * int_x + 0.5 * (int_xp2 + int_yp2)));
    LocalParticle_add_to_s(part, L);
}

#endif  // XTRACK__MAGNET_MAPS_H
