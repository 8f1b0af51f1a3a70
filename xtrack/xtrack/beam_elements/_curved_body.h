// Fast body of the curved thick magnets (Bend, Magnet, RBend) for their
// default model: the nested rot-kick-rot (internal codes 10 and 11 of
// _magnet_body.h) with a Yoshida outer integrator and no radiation. Same
// splitting, kicks and floating-point operations as the generic engine
// magnet_body_track, so that every result is bit-identical to it; only work
// that cannot change a result is taken out:
//
// 1. Geometry of the polar drifts. magnet_map_exact_bend(part, l, h, 0)
//    computes sin(h l), cos(h l), sin(h l)/h and (1 - cos(h l))/h from the
//    sub-length l alone. A pass through a bend makes 8 (n_sub + 1) x 4 (inner
//    drifts) of these drifts with the lengths d_in[k] (d[j] ls), and both
//    fraction sequences are palindromes (d[n - j] = d[j] exactly), so only
//    (n_sub/2 + 1) x (n_in/2 + 1) distinct lengths exist: their geometry is
//    computed once per call (8 sincos instead of 32 for a Yoshida-6 bend).
// 2. Inside one inner step only px changes (straight dipole kicks), so
//    pr2 = (1+delta)^2 - py^2 is the same for its drifts; 1/rvv and
//    1+delta are the same for the whole body (no radiation).
// 3. The polar drift is magnet_map_polar_drift (one sqrt, one division).
// 4. The series of sin(u)/u and (1 - cos u)/u^2 without the unused third one.
// 5. Kicks: the coefficients of Horner's scheme once per call and the
//    skip of an all-zero field (StraightKickCoeffs, _straight_magnet.h); in
//    the straight frame (curvature model 0) the kick does not depend on hl.
// 6. The coordinates live in registers for the whole body (one load and one
//    store each), instead of a memory round trip per elementary map.
//
//   GPUFUN void curved_body_init(CurvedBodyPlan* p, MagnetBody const* b);
//       once per call, after the MagnetBody is filled; p->active = 0 when the
//       body needs the generic engine (other model/integrator, radiation, or
//       XTRACK_MAGNET_GENERIC_BODY defined: line.config switch for the tests).
//   GPUFUN void curved_body_track(LocalParticle* part, CurvedBodyPlan const* p,
//           MagnetBody const* b);
//       = magnet_body_track(part, b).
#ifndef XTRACK__CURVED_BODY_H
#define XTRACK__CURVED_BODY_H

#include "xtrack/headers/track.h"
#include "_magnet_maps.h"
#include "_magnet_body.h"
#include "_straight_magnet.h"

typedef struct {
    double length;   // sub-length [m]
    double st, ct;   // sin, cos of the angle h * length
    double S, C1;    // sin(theta)/h, (1 - cos(theta))/h (as magnet_map_exact_bend) [m]
} PolarDriftGeometry;

typedef struct {
    int64_t active;          // 1: this plan tracks the body, 0: the generic engine
    int64_t inner_order;     // 10: inner Yoshida-4, 11: inner Yoshida-6
    int64_t n_sub, n_steps, n_in;
    double h, k0, k1;
    double w_out[7];         // outer kick weights w[j] / n_steps
    double lk_out[7];        // outer kick lengths w[j] ls [m]
    double len_out[8];       // outer map lengths d[j] ls [m]
    double w_in[7];          // inner kick fractions
    PolarDriftGeometry geom[4][5];  // [min(j, n_sub - j)][min(k, n_in - k)]
    StraightKickCoeffs kick;
} CurvedBodyPlan;

// Step fractions of the Yoshida triple jump (order 4) or solution A
// (order 6), as in magnet_body_track / magnet_nested_dipole_step: drift
// fractions d[0..n], kick fractions w[0..n-1]; returns n.
GPUFUN int64_t curved_yoshida_fractions(int64_t sixth_order, double* d, double* w){
    if (sixth_order){
        double const w1 = -1.17767998417887, w2 = 0.235573213359357, w3 = 0.784513610477560;
        double const w0 = 1. - 2. * (w1 + w2 + w3);
        w[0] = w3; w[1] = w2; w[2] = w1; w[3] = w0; w[4] = w1; w[5] = w2; w[6] = w3;
        d[0] = w3 / 2.; d[1] = (w3 + w2) / 2.; d[2] = (w2 + w1) / 2.; d[3] = (w1 + w0) / 2.;
        d[4] = d[3]; d[5] = d[2]; d[6] = d[1]; d[7] = d[0];
        return 7;
    }
    double const c = 1.2599210498948732;  // 2^(1/3)
    double const w1 = 1. / (2. - c), w0 = -c / (2. - c);
    w[0] = w1; w[1] = w0; w[2] = w1;
    d[0] = w1 / 2.; d[1] = (w0 + w1) / 2.; d[2] = (w0 + w1) / 2.; d[3] = w1 / 2.;
    return 3;
}

// sin(u)/u and (1 - cos u)/u^2 of magnet_trig_functions(q = u^2), without
// the third series: for |q| < 1 the terms decrease, and once a term is below
// 2^-55 of its sum every later one rounds away (see _straight_magnet.h), so
// stopping each series on its own terms gives the same sums.
GPUFUN void curved_sinc_vers(double q, double* f1, double* f2){
    if (!(fabs(q) < 1.)){
        double f3;
        magnet_trig_functions(q, f1, f2, &f3);
        return;
    }
    double t1 = 1., t2 = 0.5;
    double s1 = t1, s2 = t2;
    for (int64_t n = 1; n < 20; n++){
        double const a = 2. * n;
        t1 *= -q / (a * (a + 1.));
        t2 *= -q / ((a + 1.) * (a + 2.));
        s1 += t1; s2 += t2;
        if (fabs(t1) < XT_STRAIGHT_SERIES_EPS * fabs(s1) && fabs(t2) < XT_STRAIGHT_SERIES_EPS * fabs(s2)) break;
    }
    *f1 = s1; *f2 = s2;
}

// The geometric part of magnet_map_exact_bend for one sub-length.
GPUFUN void curved_polar_geometry(PolarDriftGeometry* g, double length, double h){
    double const theta = h * length;
    double sinc_t, vers_t;
    curved_sinc_vers(theta * theta, &sinc_t, &vers_t);
    g->length = length;
    g->st = sin(theta);
    g->ct = cos(theta);
    g->S = length * sinc_t;
    g->C1 = length * theta * vers_t;
}

GPUFUN void curved_body_init(CurvedBodyPlan* p, MagnetBody const* b){
    double const L = b->length;
    double const h = b->h;
    int64_t const curved = (h != 0.) || (b->k[0] != 0.);
    int64_t model = b->model;
    if (model == 0) model = (h != 0.) ? 10 : (curved ? 3 : 4);
    else if (model == 1 || model == 3) model = 10;
    else if (model == 8) model = 11;
    int64_t integrator = b->integrator;
    if (integrator == 0) integrator = curved ? 4 : 2;
    p->active = (model == 10 || model == 11) && (integrator == 3 || integrator == 4)
                && b->radiation_flag != 1;
    #ifdef XTRACK_MAGNET_GENERIC_BODY
    p->active = 0;  // line.config switch: the generic engine only (bit-identity checks)
    #endif
    if (!p->active) return;
    int64_t num_kicks = b->num_kicks;
    if (num_kicks <= 0){
        num_kicks = 1;
        if (h != 0.){
            int64_t const n = (int64_t)(fabs(L * h) / (2. * PI) / 0.5e-3);
            if (n > 1) num_kicks = n;
        }
    }
    p->inner_order = model;
    p->h = h;
    p->k0 = b->k[0];
    p->k1 = b->k[1];

    double d[8], w[7], d_in[8];
    int64_t const n_sub = curved_yoshida_fractions(integrator == 4, d, w);
    int64_t const n_steps = integrator == 4 ? (num_kicks + 6) / 7 : (num_kicks + 2) / 3;
    int64_t const n_in = curved_yoshida_fractions(model == 11, d_in, p->w_in);
    p->n_sub = n_sub;
    p->n_steps = n_steps;
    p->n_in = n_in;
    double const ls = L / n_steps;
    for (int64_t j = 0; j < n_sub; j++){
        p->w_out[j] = w[j] / n_steps;
        p->lk_out[j] = w[j] * ls;
    }
    for (int64_t j = 0; j <= n_sub; j++) p->len_out[j] = d[j] * ls;
    for (int64_t j = 0; 2 * j <= n_sub; j++){
        for (int64_t k = 0; 2 * k <= n_in; k++){
            curved_polar_geometry(&p->geom[j][k], d_in[k] * p->len_out[j], h);
        }
    }

    // kick strengths integrated over the body, less the dipole of the inner steps
    int64_t const order = b->order > 3 ? b->order : 3;
    straight_kick_begin(&p->kick, order);
    for (int64_t i = order; i >= 0; i--){
        double kn = i <= b->order ? b->knl[i] : 0.;
        double ks = i <= b->order ? b->ksl[i] : 0.;
        if (i < 4){ kn += b->k[i] * L; ks += b->ks[i] * L; }
        if (i == 0) kn -= b->k[0] * L;
        straight_kick_set(&p->kick, i, kn, ks);
    }
}

// The coordinates that the body changes, kept in registers for the whole body
// (written back once: the same sequence of operations on the same values).
typedef struct {
    double x, px, y, py, zeta, s;
} CurvedCoords;

// magnet_map_polar_drift (_magnet_maps.h) with the geometry, opd, rv0v and
// pr2 = opd^2 - py^2 given: the same operations.
GPUFUN void curved_polar_drift(CurvedCoords* c, PolarDriftGeometry const* g, double opd,
                               double rv0v, double pr2){
    double const st = g->st, ct = g->ct;
    double const x = c->x;
    double const px = c->px;
    double const pz = sqrt(pr2 - px * px);
    double const px_f = px * ct + pz * st;
    double const pz_f = pz * ct - px * st;
    double const q = (g->S + x * st) / pz_f;
    c->x = x * ct - g->C1 + q * px_f;
    c->px = px_f;
    c->y += q * c->py;
    c->zeta += g->length - rv0v * (q * opd);
    c->s += g->length;
}

// magnet_nested_dipole_step for the outer map j (length p->len_out[j]).
GPUFUN void curved_inner_step(CurvedCoords* c, CurvedBodyPlan const* p, int64_t j, double k0c,
                              double opd, double rv0v){
    int64_t const jg = 2 * j <= p->n_sub ? j : p->n_sub - j;
    double const length = p->len_out[j];
    double const py = c->py;
    double const pr2 = opd * opd - py * py;
    int64_t const n = p->n_in;
    for (int64_t k = 0; k < n; k++){
        int64_t const kg = 2 * k <= n ? k : n - k;
        curved_polar_drift(c, &p->geom[jg][kg], opd, rv0v, pr2);
        c->px += -k0c * p->w_in[k] * length;
    }
    curved_polar_drift(c, &p->geom[jg][0], opd, rv0v, pr2);
}

// magnet_body_outer_kick without radiation in the straight-frame kick model:
// the field kick of straight_kick_field (curvature model 0: factor = weight,
// no curvature terms), then magnet_body_curvature_kick.
GPUFUN void curved_outer_kick(CurvedCoords* c, CurvedBodyPlan const* p, int64_t j, double chi,
                              double k0_curv, double k1_curv){
    StraightKickCoeffs const* kc = &p->kick;
    double const lk = p->lk_out[j];
    double const x = c->x, y = c->y;
    // an all-zero field adds signed zeros only: px + 0 = px, py + 0 = py
    int64_t const skip = kc->order_eff < 0 && c->px != 0. && c->py != 0.
                         && isfinite(x) && isfinite(y) && isfinite(chi);
    if (!skip){
        double bre, bim;
        straight_field(x, y, kc, &bre, &bim);
        double const factor = p->w_out[j];
        double const dpx = -chi * factor * bre;
        double const dpy = chi * factor * bim;
        double const dpy_curv = 0.;
        c->px += dpx;
        c->py += dpy + dpy_curv;
    }
    double const h = p->h;
    if (h == 0. || (k0_curv == 0. && k1_curv == 0.)) return;
    double const dpx = -h * lk * (k0_curv * x + k1_curv * (x * x - 0.5 * y * y));
    double const dpy = h * lk * k1_curv * x * y;
    c->px += dpx;
    c->py += dpy;
}

GPUFUN void curved_body_track(LocalParticle* part, CurvedBodyPlan const* p, MagnetBody const* b){
    if (!p->active){
        magnet_body_track(part, b);
        return;
    }
    double const chi = LocalParticle_get_chi(part);
    double const k0c = chi * p->k0;
    double const k0_curv = chi * p->k0;
    double const k1_curv = chi * p->k1;
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rv0v = 1. / LocalParticle_get_rvv(part);
    CurvedCoords c;
    c.x = LocalParticle_get_x(part);
    c.px = LocalParticle_get_px(part);
    c.y = LocalParticle_get_y(part);
    c.py = LocalParticle_get_py(part);
    c.zeta = LocalParticle_get_zeta(part);
    c.s = LocalParticle_get_s(part);
    int64_t const n_sub = p->n_sub;
    for (int64_t is = 0; is < p->n_steps; is++){
        for (int64_t j = 0; j < n_sub; j++){
            curved_inner_step(&c, p, j, k0c, opd, rv0v);
            curved_outer_kick(&c, p, j, chi, k0_curv, k1_curv);
        }
        curved_inner_step(&c, p, n_sub, k0c, opd, rv0v);
    }
    LocalParticle_set_x(part, c.x);
    LocalParticle_set_px(part, c.px);
    LocalParticle_set_y(part, c.y);
    LocalParticle_set_py(part, c.py);
    LocalParticle_set_zeta(part, c.zeta);
    LocalParticle_set_s(part, c.s);
}

#endif  // XTRACK__CURVED_BODY_H
