// Fast body of the straight thick magnets (Quadrupole, Sextupole, Octupole,
// thick Multipole): the same models, integrators, kicks and floating-point
// operations as the generic engine magnet_body_track (_magnet_body.h), with
// the work that does not change the result taken out. Every result is
// bit-identical to the generic engine (checked particle by particle on
// thousands of configurations); the shortcuts are:
//
// 1. Series of the linear map (magnet_map_linear, _magnet_maps.h). The
//    functions sin(u)/u, (1 - cos u)/u^2, (u - sin u)/u^3 of q = u^2 are the
//    sums of t_n = t_{n-1} (-q) / (m (m + 1)) (m = 2n, 2n+1, 2n+2). With
//    |q| < 1 the terms decrease, so once every |t_n| < 2^-55 |s| the rest of
//    the additions round to s (|t| < ulp(s)/4) and the loop stops there
//    instead of after 19 terms. The x and y planes of a straight body have
//    q_y = -q_x exactly (k_y = -k_x), the integrals of x'^2 use 4 q, and the
//    divisor of t3 at step n is that of t1 at step n + 1, so the divisions
//    (-q)/(m (m + 1)) are computed once and shared: (-q_y)/c = -((-q_x)/c)
//    and (-4 q)/c = 4 ((-q)/c) exactly (sign symmetry of rounding and
//    power-of-two scaling, |q| > 1e-280 keeps every quotient normal).
//    q = 0 (no gradient) gives the exact constants 1, 1/2, 1/6 at once.
// 2. Kicks. The coefficients kn[j] / j! of Horner's scheme (_multipole_kick.h,
//    with its own sequence of factorials 1/N!, 1/N! * N, ...) are computed
//    once per call, with 1/N! as a literal, and the evaluation starts at the
//    highest non-zero coefficient: leading zero coefficients only add signed
//    zeros, so the field is the same whenever it is non-zero and x, y are
//    finite; otherwise the full evaluation is done. A kick with only zero
//    coefficients (the gradient solved by the map) and no curvature is a
//    no-op for finite coordinates and non-zero px, py, and is skipped.
//
// Model, integrator and kick placement: see _magnet_body.h (this file keeps
// the generic engine's splitting; radiation and the curved-frame terms call
// the engine's own functions).
//
//   GPUFUN int64_t straight_body_init(StraightBody* b, double length, double h,
//           const double* k, const double* ks, int64_t model,
//           int64_t integrator, int64_t num_kicks, int64_t radiation_flag,
//           int64_t order);
//       k, ks: k0..k3 [m^-(n+1)] (4 entries); codes as in magnets.py; order:
//       that of the element's knl, ksl; returns the order of the kicks N.
//   GPUFUN void straight_body_set_strength(StraightBody* b, int64_t j,
//           double knl_j, double ksl_j);
//       the element's integrated strengths of order j [m^-j] (0 beyond its
//       order), for j = N down to 0.
//   GPUFUN void straight_body_track(LocalParticle* part, StraightBody const* b);
//   GPUFUN void straight_map_linear(LocalParticle* part, double length,
//           double h, double k0c, double k1c);   // = magnet_map_linear
//   GPUFUN void straight_kick_begin(StraightKickCoeffs* c, int64_t order);
//   GPUFUN void straight_kick_set(StraightKickCoeffs* c, int64_t j, double kn, double ks);
//       integrated strengths of order j [m^-j], for j = order down to 0.
//   GPUFUN void straight_kick(LocalParticle* part, StraightKickCoeffs const* c,
//           double weight, double hl, double length, int64_t curvature_model);
//       = magnet_kick(part, kn, ks, order, ...) of _magnet_kick.h
#ifndef XTRACK__STRAIGHT_MAGNET_H
#define XTRACK__STRAIGHT_MAGNET_H

#include "xtrack/headers/track.h"
#include "_drift.h"
#include "_magnet_maps.h"
#include "_magnet_kick.h"
#include "_magnet_body.h"
#include "_radiation_mean.h"
#include "_radiation_segment.h"

#define XT_STRAIGHT_SERIES_EPS (1.0 / 36028797018963968.0)  /* 2^-55; no hex float literal: C++14 (CUDA) lacks them */

// 1/n! as computed by the Horner macro of _multipole_kick.h (1 / 2 / 3 / ... / n).
GPUFUN double straight_inv_factorial(int64_t n){
    switch (n){
        case 2: return 0.5;
        case 3: return 0.16666666666666666;
        case 4: return 0.041666666666666664;
        case 5: return 0.008333333333333333;
        case 6: return 0.001388888888888889;
        case 7: return 0.0001984126984126984;
        case 8: return 2.48015873015873e-05;
        case 9: return 2.7557319223985893e-06;
        case 10: return 2.7557319223985894e-07;
        case 11: return 2.505210838544172e-08;
        case 12: return 2.08767569878681e-09;
        case 13: return 1.6059043836821616e-10;
        case 14: return 1.1470745597729726e-11;
        case 15: return 7.647163731819817e-13;
        case 16: return 4.779477332387386e-14;
        case 17: return 2.811457254345521e-15;
        case 18: return 1.5619206968586228e-16;
        case 19: return 8.220635246624331e-18;
        case 20: return 4.1103176233121653e-19;
        default: {
            double f = 1.;
            for (int64_t j = 2; j <= n; j++) f /= (double)j;
            return f;
        }
    }
}

// ---------------------------------------------------------------- kicks

typedef struct {
    int64_t order;       // order of the strengths (the generic engine's)
    int64_t order_eff;   // highest order with a non-zero coefficient (-1: none)
    double inv_fact;     // running factor of Horner's scheme during the set-up
    double kn0, kn1;     // kn[0], kn[1] (curvature terms)
    double c_re[XT_MAGNET_MAX_ORDER + 1], c_im[XT_MAGNET_MAX_ORDER + 1];  // kn[j] * (1/j! of Horner)
} StraightKickCoeffs;

// Set-up: straight_kick_begin, then straight_kick_set for j = order, ..., 0
// (in that order: the factorials of Horner's scheme run downwards).
GPUFUN void straight_kick_begin(StraightKickCoeffs* c, int64_t order){
    c->order = order;
    c->order_eff = -1;
    c->inv_fact = straight_inv_factorial(order);
    c->kn0 = 0.;
    c->kn1 = 0.;
}

GPUFUN void straight_kick_set(StraightKickCoeffs* c, int64_t j, double kn, double ks){
    if (j < c->order) c->inv_fact *= (double)(j + 1);
    double const cr = kn * c->inv_fact, ci = ks * c->inv_fact;
    c->c_re[j] = cr;
    c->c_im[j] = ci;
    if (c->order_eff < 0 && (cr != 0. || ci != 0.)) c->order_eff = j;
    if (j == 0) c->kn0 = kn;
    if (j == 1) c->kn1 = kn;
}

// Horner's scheme of _multipole_kick.h on the coefficients, from order m.
GPUFUN void straight_horner(double x, double y, StraightKickCoeffs const* c, int64_t m,
                            double* b_re, double* b_im){
    double hr = c->c_re[m], hi = c->c_im[m];
    for (int64_t j = m; j > 0; j--){
        double const zre = hr * x - hi * y;
        double const zim = hr * y + hi * x;
        hr = c->c_re[j - 1] + zre;
        hi = c->c_im[j - 1] + zim;
    }
    *b_re = hr;
    *b_im = hi;
}

// Re, Im of the field sum (multipole_field_private), from the highest
// non-zero coefficient when that gives the same bits (non-zero result,
// finite x, y), else over every order.
GPUFUN void straight_field(double x, double y, StraightKickCoeffs const* c,
                           double* b_re, double* b_im){
    int64_t const m = c->order_eff;
    if (c->order < 0){ *b_re = 0.; *b_im = 0.; return; }
    if (m >= 0 && m < c->order && isfinite(x) && isfinite(y)){
        straight_horner(x, y, c, m, b_re, b_im);
        if (*b_re != 0. && *b_im != 0.) return;
    }
    straight_horner(x, y, c, c->order, b_re, b_im);
}

// magnet_kick_field of _magnet_kick.h with the fast field evaluation.
GPUFUN void straight_kick_field(LocalParticle* part, StraightKickCoeffs const* c, double weight,
                                double hl, double length, int64_t curvature_model,
                                double* dpx_field, double* dpy_field){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const chi = LocalParticle_get_chi(part);
    int64_t const order = c->order;
    double bre, bim;
    straight_field(x, y, c, &bre, &bim);
    double factor = weight;
    if (curvature_model == 2 && length != 0.) factor = weight * (1. + hl / length * x);
    double dpx = -chi * factor * bre;
    double const dpy = chi * factor * bim;
    double dpy_curv = 0.;
    if (curvature_model == 2 && length != 0. && order >= 1){
        dpx += 0.5 * chi * weight * c->kn1 * hl / length * y * y;
    }
    if (curvature_model == 1 && hl != 0.){
        if (length != 0. && order >= 0) dpx -= chi * weight * c->kn0 * hl * x / length;
        if (length != 0. && order >= 1){
            double const hk1 = chi * weight * c->kn1 * hl / length;
            dpx += hk1 * (0.5 * y * y - x * x);
            dpy_curv = hk1 * x * y;
        }
        LocalParticle_add_to_zeta(part, -chi * hl * x / LocalParticle_get_rvv(part));
    }
    *dpx_field = dpx;
    *dpy_field = dpy + dpy_curv;
    if (curvature_model == 1) dpx += hl * (1. + LocalParticle_get_delta(part));
    LocalParticle_add_to_px(part, dpx);
    LocalParticle_add_to_py(part, dpy + dpy_curv);
}

GPUFUN void straight_kick(LocalParticle* part, StraightKickCoeffs const* c, double weight,
                          double hl, double length, int64_t curvature_model){
    if (c->order_eff < 0 && hl == 0.){
        // all terms are signed zeros: px + 0 = px, py + 0 = py
        if (LocalParticle_get_px(part) != 0. && LocalParticle_get_py(part) != 0.
            && isfinite(LocalParticle_get_x(part)) && isfinite(LocalParticle_get_y(part))
            && isfinite(LocalParticle_get_chi(part)) && isfinite(LocalParticle_get_delta(part)))
            return;
    }
    double dpx_f, dpy_f;
    straight_kick_field(part, c, weight, hl, length, curvature_model, &dpx_f, &dpy_f);
}

// The fast kick followed, for radiation_flag 1, by the mean radiation of its
// field kick over its path length (thin multipoles, _radiation_mean.h).
GPUFUN void straight_kick_radiating(LocalParticle* part, StraightKickCoeffs const* c,
                                    double weight, double hl, double length,
                                    int64_t curvature_model, int64_t radiation_flag){
    if (radiation_flag != 1){
        straight_kick(part, c, weight, hl, length, curvature_model);
        return;
    }
    double dpx_f, dpy_f;
    double const x = LocalParticle_get_x(part);
    straight_kick_field(part, c, weight, hl, length, curvature_model, &dpx_f, &dpy_f);
    if (length != 0.) radiation_mean_kick(part, dpx_f, dpy_f, length, length + hl * x);
}

// ---------------------------------------------------------------- linear map

// magnet_trig_functions (_magnet_maps.h) stopping the series once converged.
GPUFUN void straight_trig_functions(double q, double* f1, double* f2, double* f3){
    if (fabs(q) < 1.){
        double t1 = 1., t2 = 0.5, t3 = 1. / 6.;
        double s1 = t1, s2 = t2, s3 = t3;
        for (int64_t n = 1; n < 20; n++){
            double const a = 2. * n;
            t1 *= -q / (a * (a + 1.));
            t2 *= -q / ((a + 1.) * (a + 2.));
            t3 *= -q / ((a + 2.) * (a + 3.));
            s1 += t1; s2 += t2; s3 += t3;
            if (fabs(t1) < XT_STRAIGHT_SERIES_EPS * fabs(s1)
                && fabs(t2) < XT_STRAIGHT_SERIES_EPS * fabs(s2)
                && fabs(t3) < XT_STRAIGHT_SERIES_EPS * fabs(s3)) break;
        }
        *f1 = s1; *f2 = s2; *f3 = s3;
    }
    else if (q > 0){
        double const u = sqrt(q);
        double const su = sin(u);
        *f1 = su / u;
        *f2 = (1. - cos(u)) / q;
        *f3 = (u - su) / (q * u);
    }
    else {
        double const u = sqrt(-q);
        double const shu = sinh(u);
        *f1 = shu / u;
        *f2 = (cosh(u) - 1.) / (-q);
        *f3 = (shu - u) / (-q * u);
    }
}

// The seven series of magnet_map_linear when qy = -qx, q4x = 4 qx, q4y = -4 qx
// and 1e-280 < |qx| < 1/4 (or qx = 0): shared divisions (see the top comment).
// g: x: f1, f2, f3 (qx), f3 (q4x); y: f1, f2 (qy), f3 (q4y).
GPUFUN void straight_series_xy(double q, double* g){
    double const e = XT_STRAIGHT_SERIES_EPS;
    double t1 = 1., t2 = 0.5, t3 = 1. / 6., u1 = 1., u2 = 0.5, v3 = 1. / 6., w3 = 1. / 6.;
    double s1 = t1, s2 = t2, s3 = t3, y1 = u1, y2 = u2, b3x = v3, b3y = w3;
    if (q != 0.){
        double r1 = -q / 6.;  // (-q) / (m (m + 1)) at m = 2
        for (int64_t n = 1; n < 20; n++){
            double const a = 2. * n;
            double const r2 = -q / ((a + 1.) * (a + 2.));
            double const r3 = -q / ((a + 2.) * (a + 3.));
            t1 *= r1; t2 *= r2; t3 *= r3;
            u1 *= -r1; u2 *= -r2;
            v3 *= 4. * r3; w3 *= -4. * r3;
            s1 += t1; s2 += t2; s3 += t3; y1 += u1; y2 += u2; b3x += v3; b3y += w3;
            r1 = r3;
            if (fabs(t1) < e * fabs(s1) && fabs(t2) < e * fabs(s2) && fabs(t3) < e * fabs(s3)
                && fabs(u1) < e * fabs(y1) && fabs(u2) < e * fabs(y2)
                && fabs(v3) < e * fabs(b3x) && fabs(w3) < e * fabs(b3y)) break;
        }
    }
    g[0] = s1; g[1] = s2; g[2] = s3; g[3] = b3x;
    g[4] = y1; g[5] = y2; g[6] = b3y;
}

// magnet_map_linear (_magnet_maps.h), same operations, fast series.
GPUFUN void straight_map_linear(LocalParticle* part, double length, double h, double k0c,
                                double k1c){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rv0v = 1. / LocalParticle_get_rvv(part);
    double const xp = LocalParticle_get_px(part) / opd;
    double const yp = LocalParticle_get_py(part) / opd;
    double const L = length;

    // (+-0) / opd = +-0 for opd > 0: the division is skipped for zero strengths
    double const kx_num = k0c * h + k1c;
    int64_t const opd_pos = opd > 0.;
    double const kx = (kx_num == 0. && opd_pos) ? kx_num : kx_num / opd;
    double const fx = h - ((k0c == 0. && opd_pos) ? k0c : k0c / opd);
    double const ky = (k1c == 0. && opd_pos) ? -k1c : -k1c / opd;

    double const qx = kx * L * L, q4x = 4. * kx * L * L;
    double const qy = ky * L * L, q4y = 4. * ky * L * L;
    double g1, g2, g3, g3b, g1y, g2y, g3by, dummy1, dummy2;
    double const aq = fabs(qx);
    if (qy == -qx && q4x == 4. * qx && q4y == -q4x && aq < 0.25 && (qx == 0. || aq > 1e-280)){
        double g[7];
        straight_series_xy(qx, g);
        g1 = g[0]; g2 = g[1]; g3 = g[2]; g3b = g[3]; g1y = g[4]; g2y = g[5]; g3by = g[6];
    }
    else {
        straight_trig_functions(qx, &g1, &g2, &g3);
        straight_trig_functions(q4x, &dummy1, &dummy2, &g3b);
        double g3y;
        straight_trig_functions(qy, &g1y, &g2y, &g3y);
        straight_trig_functions(q4y, &dummy1, &dummy2, &g3by);
    }
    double const Sx = L * g1, Dx = L * L * g2, Ex = L * L * L * g3;
    double const Cx = 1. - kx * Dx;
    double const Fx = 8. * L * L * L * g3b / 4.;

    double const Sy = L * g1y, Dy = L * L * g2y;
    double const Cy = 1. - ky * Dy;
    double const Fy = 8. * L * L * L * g3by / 4.;

    double const x_f = x * Cx + xp * Sx + fx * Dx;
    double const xp_f = -kx * x * Sx + xp * Cx + fx * Sx;
    double const y_f = y * Cy + yp * Sy;
    double const yp_f = -ky * y * Sy + yp * Cy;

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

// ---------------------------------------------------------------- body

typedef struct {
    double length, h, hL;
    double k[4], ks[4];      // k0..k3, k0s..k3s [m^-(n+1)]
    int64_t model;           // resolved: 2..6
    int64_t exact_drift_correction;
    int64_t integrator;      // resolved: 1..4
    int64_t num_kicks;       // resolved: >= 1
    int64_t radiation_flag;
    int64_t curvature_model;
    StraightKickCoeffs kick; // integrated kick strengths less what the map solves
    int64_t rad_order;       // mean radiation: all the integrated strengths, for the field
    double rad_kn[XT_MAGNET_MAX_ORDER + 1], rad_ks[XT_MAGNET_MAX_ORDER + 1];
} StraightBody;

// The set-up of magnet_body_track (_magnet_body.h), done once per call.
GPUFUN int64_t straight_body_init(StraightBody* b, double length, double h, const double* k,
                                  const double* ks, int64_t model, int64_t integrator,
                                  int64_t num_kicks, int64_t radiation_flag, int64_t order){
    double const L = length;
    b->length = L;
    b->h = h;
    for (int64_t i = 0; i < 4; i++){ b->k[i] = k[i]; b->ks[i] = ks[i]; }
    int64_t const curved = (h != 0.) || (k[0] != 0.);
    if (model == 0) model = (h != 0.) ? 2 : (curved ? 3 : 4);
    else if (model == 1 || model == 7 || model == 8) model = 3;
    b->exact_drift_correction = 0;
    if (model == 9){ model = 4; b->exact_drift_correction = 1; }
    b->model = model;
    if (integrator == 0) integrator = curved ? 4 : 2;
    b->integrator = integrator;
    if (num_kicks <= 0){
        num_kicks = 1;
        if (h != 0.){
            int64_t const n = (int64_t)(fabs(L * h) / (2. * PI) / 0.5e-3);
            if (n > 1) num_kicks = n;
        }
    }
    b->num_kicks = num_kicks;
    b->radiation_flag = radiation_flag;
    b->curvature_model = (model == 5 || model == 6) ? 1 : 2;
    b->hL = h * L;
    int64_t const korder = order > 3 ? order : 3;
    straight_kick_begin(&b->kick, korder);
    b->rad_order = korder;
    return korder;
}

// kn[j] = knl[j] + k[j] L, less what the map solves (k0 for bend and mat
// maps, k1 for mat maps), as in magnet_body_track.
GPUFUN void straight_body_set_strength(StraightBody* b, int64_t j, double knl_j, double ksl_j){
    double kn = knl_j, ks = ksl_j;
    double const L = b->length;
    if (j < 4){ kn += b->k[j] * L; ks += b->ks[j] * L; }
    if (b->radiation_flag == 1){ b->rad_kn[j] = kn; b->rad_ks[j] = ks; }
    if (j == 0 && (b->model == 2 || b->model == 4)) kn -= b->k[0] * L;
    if (j == 1 && b->model == 4) kn -= b->k[1] * L;
    straight_kick_set(&b->kick, j, kn, ks);
}

// magnet_body_map (_magnet_body.h) with the fast linear map.
GPUFUN void straight_body_map(LocalParticle* part, int64_t model, double length, double h,
                              double k0c, double k1c){
    if (model == 4) straight_map_linear(part, length, h, k0c, k1c);
    else magnet_body_map(part, model, length, h, k0c, k1c);
}

// magnet_body_track (_magnet_body.h): the same splitting, operations and
// radiation segments.
GPUFUN void straight_body_track(LocalParticle* part, StraightBody const* b){
    double const L = b->length;
    double const h = b->h;
    int64_t const model = b->model;
    int64_t const integrator = b->integrator;
    int64_t const num_kicks = b->num_kicks;
    int64_t const rad = b->radiation_flag == 1 && L != 0.;
    int64_t const cm = b->curvature_model;
    double const chi = LocalParticle_get_chi(part);
    double k0c = 0., k1c = 0.;
    if (model == 2) k0c = chi * b->k[0];
    if (model == 4){ k0c = chi * b->k[0]; k1c = chi * b->k[1]; }
    double const hL = b->hL;
    RadiationSegment seg;
    if (rad) radiation_segment_begin(part, &seg);

    if (integrator == 3 || integrator == 4){
        double d[8], w[7];
        int64_t n_sub, n_steps;
        if (integrator == 3){
            double const c = 1.2599210498948732;  // 2^(1/3)
            double const w1 = 1. / (2. - c), w0 = -c / (2. - c);
            w[0] = w1; w[1] = w0; w[2] = w1;
            d[0] = w1 / 2.; d[1] = (w0 + w1) / 2.; d[2] = (w0 + w1) / 2.; d[3] = w1 / 2.;
            n_sub = 3; n_steps = (num_kicks + 2) / 3;
        }
        else {
            double const w1 = -1.17767998417887, w2 = 0.235573213359357, w3 = 0.784513610477560;
            double const w0 = 1. - 2. * (w1 + w2 + w3);
            w[0] = w3; w[1] = w2; w[2] = w1; w[3] = w0; w[4] = w1; w[5] = w2; w[6] = w3;
            d[0] = w3 / 2.; d[1] = (w3 + w2) / 2.; d[2] = (w2 + w1) / 2.; d[3] = (w1 + w0) / 2.;
            d[4] = d[3]; d[5] = d[2]; d[6] = d[1]; d[7] = d[0];
            n_sub = 7; n_steps = (num_kicks + 6) / 7;
        }
        double const ls = L / n_steps;
        for (int64_t is = 0; is < n_steps; is++){
            for (int64_t j = 0; j < n_sub; j++){
                straight_body_map(part, model, d[j] * ls, h, k0c, k1c);
                straight_kick(part, &b->kick, w[j] / n_steps, w[j] * hL / n_steps, w[j] * ls, cm);
                if (model == 4) magnet_mat_curvature_kick(part, h, b->k[1], w[j] * ls);
                if (b->exact_drift_correction){
                    Drift_single_particle_exact(part, w[j] * ls);
                    Drift_single_particle(part, -w[j] * ls);
                }
            }
            straight_body_map(part, model, d[n_sub] * ls, h, k0c, k1c);
            if (rad) radiation_segment_end(part, &seg, ls, b->rad_kn, b->rad_ks, b->rad_order,
                                           1. / L);
        }
        return;
    }
    double d_end, d_mid;
    if (integrator == 1 && num_kicks > 1){
        d_end = L / (2. * (num_kicks + 1));
        d_mid = L * num_kicks / ((num_kicks + 1.) * (num_kicks - 1.));
    }
    else {
        d_end = L / (2. * num_kicks);
        d_mid = L / num_kicks;
    }
    double const wk = 1. / num_kicks;
    straight_body_map(part, model, d_end, h, k0c, k1c);
    for (int64_t i = 0; i < num_kicks; i++){
        straight_kick(part, &b->kick, wk, hL * wk, L * wk, cm);
        if (model == 4) magnet_mat_curvature_kick(part, h, b->k[1], L * wk);
        if (b->exact_drift_correction){
            Drift_single_particle_exact(part, L * wk);
            Drift_single_particle(part, -L * wk);
        }
        if (i == num_kicks - 1){
            straight_body_map(part, model, d_end, h, k0c, k1c);
            if (rad) radiation_segment_end(part, &seg, d_end + (i > 0 ? 0.5 * d_mid : d_end),
                                           b->rad_kn, b->rad_ks, b->rad_order, 1. / L);
        }
        else if (rad){  // the segment of kick i ends in the middle of the next drift
            straight_body_map(part, model, 0.5 * d_mid, h, k0c, k1c);
            radiation_segment_end(part, &seg, (i > 0 ? 0.5 * d_mid : d_end) + 0.5 * d_mid,
                                  b->rad_kn, b->rad_ks, b->rad_order, 1. / L);
            straight_body_map(part, model, 0.5 * d_mid, h, k0c, k1c);
        }
        else straight_body_map(part, model, d_mid, h, k0c, k1c);
    }
}

#endif  // XTRACK__STRAIGHT_MAGNET_H
