// Body of a thick magnet: choice of model, integrator and number of kicks,
// then the split map (map - kick - map ...) of one particle.
//
// Models (codes of MAGNET_MODELS in magnets.py):
//   0 adaptive: curved frame (h != 0) -> rot-kick-rot (nested), straight
//               frame with a dipole field (k0 != 0) -> rot-kick-rot-low-order
//               (exact drifts, all kicks), straight magnets -> mat-kick-mat
//   1 full: legacy alias, rot-kick-rot
//   2 bend-kick-bend: exact bend map with k0 and h, kicks of the rest
//   3 rot-kick-rot (1 full, and adaptive for curved magnets): nested
//     integration. Between two kicks of the outer integrator the dipole part
//     H_d = -(1 + h x) p_s + k0 x is integrated by one INNER step of the
//     fourth-order Yoshida triple jump (H. Yoshida, Phys. Lett. A 150 (1990)
//     262, eq. 4.6: w1 = 1/(2 - 2^(1/3)), w0 = 1 - 2 w1) of exact polar
//     drifts (E. Forest, "Beam Dynamics: A New Attitude and Framework",
//     ch. 10, the drift in polar coordinates) and straight dipole kicks
//     px -= chi k0 w l (drift first: D(w1/2) K(w1) D((w1+w0)/2) K(w0) ...).
//     The outer kicks carry the rest: the curvature part of the dipole,
//     px -= chi k0 h x l (so that the sum is the exact k0 (1 + h x) of the
//     sector-bend vector potential), and the other multipoles with (1 + h x).
//     The reference orbit then stays on the axis up to the inner truncation
//     error (~ l (h l)^4 per outer drift, only in the path length).
//   8 rot-kick-rot-high-order: the same with a sixth-order inner step
//     (Yoshida solution A, 7 inner kicks).
//   7 rot-kick-rot-low-order: exact polar drifts between the outer kicks,
//     which carry all strengths (k0 included) with the (1 + h x) factor
//   4 mat-kick-mat: linear combined-function map (k0, k1, h, expanded
//     Hamiltonian, _magnet_maps.h), kicks of the rest; 9 mat-kick-mat-exact:
//     the same with, at each kick, the exact-minus-expanded drift of the kick
//     length (the non-paraxial part of the drift Hamiltonian)
//   5 drift-kick-drift-exact, 6 drift-kick-drift-expanded: straight drifts,
//     kicks of all strengths with the expanded curvature terms (thin
//     multipole with hxl).
// Integrators (codes of MAGNET_INTEGRATORS): 0 adaptive (curved: yoshida-6,
// straight: uniform), 1 teapot (TEAPOT splitting, end drifts L/(2(N+1)),
// inner drifts L N/((N+1)(N-1))), 2 uniform (L/(2N), L/N, ..., L/(2N)),
// 3 yoshida-4, 4 yoshida-6 (H. Yoshida, Phys. Lett. A 150 (1990) 262; the
// 4th-order triple jump and the 6th-order solution A), num_kicks counts kicks:
// ceil(num_kicks / 3) resp. ceil(num_kicks / 7) steps. Number of kicks 0:
// curved magnets get max(1, int(|h L| / (2 pi) / 0.5e-3)), straight ones 1.
// Curved-frame kicks: straight multipoles plus the curvature terms of the
// main k0 (when not solved by the map: models 3, 10, 11) and k1 (MAD-X thin
// multipole with curvature: px += h k1 (y^2/2 - x^2), py += h k1 x y per unit
// length; also on top of a curved mat map). k2, k3 and knl/ksl get no (1+hx)
// factor (as the reference data require). Mean radiation (radiation_flag 1)
// is applied per segment of the integration (_radiation_segment.h): a
// segment is one step of a Yoshida integrator, or, for the uniform and
// teapot splittings, one kick with the half drifts (maps) around it (the
// inner drifts are cut in halves); with one kick or one step the whole body
// is one segment. The curvature is that of the field of all the body
// strengths at the particle, the energy is removed at the end of each
// segment.
#ifndef XTRACK__MAGNET_BODY_H
#define XTRACK__MAGNET_BODY_H

#include "xtrack/headers/track.h"
#include "_drift.h"
#include "_magnet_maps.h"
#include "_magnet_kick.h"
#include "_radiation_segment.h"

#define XT_MAGNET_MAX_ORDER 20

typedef struct {
    double length;           // [m]
    double h;                // curvature of the frame [1/m]
    double k[4];             // k0..k3 [m^-(n+1)] (per unit length)
    double ks[4];            // k0s..k3s
    int64_t order;           // order of knl/ksl (<= XT_MAGNET_MAX_ORDER)
    double knl[XT_MAGNET_MAX_ORDER + 1];  // extra integrated multipoles
    double ksl[XT_MAGNET_MAX_ORDER + 1];
    int64_t model;
    int64_t integrator;
    int64_t num_kicks;
    int64_t radiation_flag;  // 0 off, 1 mean (per segment, _radiation_segment.h)
} MagnetBody;

GPUFUN void magnet_body_init(MagnetBody* b, double length, double h){
    b->length = length;
    b->h = h;
    for (int64_t i = 0; i < 4; i++){ b->k[i] = 0.; b->ks[i] = 0.; }
    b->order = -1;
    for (int64_t i = 0; i <= XT_MAGNET_MAX_ORDER; i++){ b->knl[i] = 0.; b->ksl[i] = 0.; }
    b->model = 0;
    b->integrator = 0;
    b->num_kicks = 0;
    b->radiation_flag = 0;
}

// Curvature terms of the quadrupole solved by the linear map (mat-kick-mat in
// a curved frame): the part of (1 + h x) k1 (x^2 - y^2)/2 beyond the
// quadratic Hamiltonian, integrated over a kick of length lk.
GPUFUN void magnet_mat_curvature_kick(LocalParticle* part, double h, double k1, double lk){
    if (h == 0. || k1 == 0.) return;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const f = LocalParticle_get_chi(part) * h * k1 * lk;
    LocalParticle_add_to_px(part, f * (0.5 * y * y - x * x));
    LocalParticle_add_to_py(part, f * x * y);
}

// One map step of the resolved model (2..6).
// Inner step of the nested rot-kick-rot (internal codes 10: Yoshida-4,
// 11: Yoshida-6): polar drifts and straight dipole kicks of k0c over
// `length`.
GPUFUN void magnet_nested_dipole_step(LocalParticle* part, int64_t inner_order, double length,
                                      double h, double k0c){
    double d[8], w[7];
    int64_t n;
    if (inner_order == 11){
        double const w1 = -1.17767998417887, w2 = 0.235573213359357, w3 = 0.784513610477560;
        double const w0 = 1. - 2. * (w1 + w2 + w3);
        w[0] = w3; w[1] = w2; w[2] = w1; w[3] = w0; w[4] = w1; w[5] = w2; w[6] = w3;
        d[0] = w3 / 2.; d[1] = (w3 + w2) / 2.; d[2] = (w2 + w1) / 2.; d[3] = (w1 + w0) / 2.;
        d[4] = d[3]; d[5] = d[2]; d[6] = d[1]; d[7] = d[0];
        n = 7;
    }
    else {
        double const c = 1.2599210498948732;  // 2^(1/3)
        double const w1 = 1. / (2. - c), w0 = -c / (2. - c);
        w[0] = w1; w[1] = w0; w[2] = w1;
        d[0] = w1 / 2.; d[1] = (w0 + w1) / 2.; d[2] = (w0 + w1) / 2.; d[3] = w1 / 2.;
        n = 3;
    }
    for (int64_t j = 0; j < n; j++){
        magnet_map_exact_bend(part, d[j] * length, h, 0.);
        LocalParticle_add_to_px(part, -k0c * w[j] * length);
    }
    magnet_map_exact_bend(part, d[n] * length, h, 0.);
}

GPUFUN void magnet_body_map(LocalParticle* part, int64_t model, double length, double h,
                            double k0c, double k1c){
    if (model == 10 || model == 11) magnet_nested_dipole_step(part, model, length, h, k0c);
    else if (model == 2) magnet_map_exact_bend(part, length, h, k0c);
    else if (model == 3) magnet_map_exact_bend(part, length, h, 0.);
    else if (model == 4) magnet_map_linear(part, length, h, k0c, k1c);
    else if (model == 5) Drift_single_particle_exact(part, length);
    else Drift_single_particle(part, length);
}

// Curvature terms of the main dipole and quadrupole strengths at a kick of
// length lk in a frame of curvature h (k0c, k1c already times chi): the part
// of the sector-bend potential (1 + h x)(k0 x + k1 (x^2 - y^2)/2) beyond the
// straight multipole,
//   px -= h lk (k0c x + k1c (x^2 - y^2/2)),   py += h lk k1c x y
// (the MAD-X thin multipole with curvature, physics guide). Only the main
// k0, k1 get them; k2, k3 and the knl/ksl kicks are straight multipoles, as
// in the reference data.
GPUFUN void magnet_body_curvature_kick(LocalParticle* part, double h, double k0c, double k1c,
                                       double lk){
    if (h == 0. || (k0c == 0. && k1c == 0.)) return;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const dpx = -h * lk * (k0c * x + k1c * (x * x - 0.5 * y * y));
    double const dpy = h * lk * k1c * x * y;
    LocalParticle_add_to_px(part, dpx);
    LocalParticle_add_to_py(part, dpy);
}

// One outer kick: the multipoles (straight) and the curvature terms.
GPUFUN void magnet_body_outer_kick(LocalParticle* part, MagnetBody const* b, const double* kn,
                                   const double* ks, int64_t order, double weight, double lk,
                                   int64_t curvature_model, int64_t model, double k0_curv,
                                   double k1_curv){
    double const h = b->h;
    magnet_kick(part, kn, ks, order, weight, h * lk, lk, curvature_model);
    if (model == 4) magnet_mat_curvature_kick(part, h, b->k[1], lk);
    magnet_body_curvature_kick(part, h, k0_curv, k1_curv, lk);
}

GPUFUN void magnet_body_track(LocalParticle* part, MagnetBody const* b){
    double const L = b->length;
    double const h = b->h;
    int64_t const curved = (h != 0.) || (b->k[0] != 0.);
    int64_t model = b->model;
    // internal codes: 3 = low-order rot-kick-rot, 10/11 = nested (inner Yoshida-4/-6)
    if (model == 0) model = (h != 0.) ? 10 : (curved ? 3 : 4);
    else if (model == 1 || model == 3) model = 10;
    else if (model == 8) model = 11;
    else if (model == 7) model = 3;
    int64_t exact_drift_correction = 0;
    if (model == 9){ model = 4; exact_drift_correction = 1; }
    int64_t integrator = b->integrator;
    if (integrator == 0) integrator = curved ? 4 : 2;
    int64_t num_kicks = b->num_kicks;
    if (num_kicks <= 0){
        num_kicks = 1;
        if (h != 0.){
            int64_t const n = (int64_t)(fabs(L * h) / (2. * PI) / 0.5e-3);
            if (n > 1) num_kicks = n;
        }
    }

    // kick strengths integrated over the body; the map takes what it solves
    double kn[XT_MAGNET_MAX_ORDER + 1], ks[XT_MAGNET_MAX_ORDER + 1];
    int64_t order = b->order > 3 ? b->order : 3;
    for (int64_t i = 0; i <= order; i++){
        kn[i] = i <= b->order ? b->knl[i] : 0.;
        ks[i] = i <= b->order ? b->ksl[i] : 0.;
        if (i < 4){ kn[i] += b->k[i] * L; ks[i] += b->ks[i] * L; }
    }
    double const chi = LocalParticle_get_chi(part);
    double k0c = 0., k1c = 0.;
    if (model == 2 || model == 10 || model == 11){ k0c = chi * b->k[0]; kn[0] -= b->k[0] * L; }
    int64_t const nested = (model == 10 || model == 11);
    if (model == 4){
        k0c = chi * b->k[0]; kn[0] -= b->k[0] * L;
        k1c = chi * b->k[1]; kn[1] -= b->k[1] * L;
    }
    // outer kicks: straight multipoles plus the curvature terms of the main
    // k0 (when not in the map) and k1 (when not in a mat map)
    int64_t const curvature_model = (model == 5 || model == 6) ? 1 : 0;
    double const k0_curv = (model == 3 || nested) ? chi * b->k[0] : 0.;
    double const k1_curv = (model == 2 || model == 3 || nested) ? chi * b->k[1] : 0.;
    // mean radiation per segment: the field of all the body strengths
    int64_t const rad = b->radiation_flag == 1 && L != 0.;
    double kn_rad[XT_MAGNET_MAX_ORDER + 1], ks_rad[XT_MAGNET_MAX_ORDER + 1];
    RadiationSegment seg;
    if (rad){
        for (int64_t i = 0; i <= order; i++){
            kn_rad[i] = i <= b->order ? b->knl[i] : 0.;
            ks_rad[i] = i <= b->order ? b->ksl[i] : 0.;
            if (i < 4){ kn_rad[i] += b->k[i] * L; ks_rad[i] += b->ks[i] * L; }
        }
        radiation_segment_begin(part, &seg);
    }

    // the step sequence: drift fractions d[i] (n_sub + 1 of them) and kick fractions w[i]
    double d[8], w[7];
    int64_t n_sub = 1, n_steps = 1;
    if (integrator == 3){
        double const c = 1.2599210498948732;  // 2^(1/3)
        double const w1 = 1. / (2. - c), w0 = -c / (2. - c);
        w[0] = w1; w[1] = w0; w[2] = w1;
        d[0] = w1 / 2.; d[1] = (w0 + w1) / 2.; d[2] = (w0 + w1) / 2.; d[3] = w1 / 2.;
        n_sub = 3; n_steps = (num_kicks + 2) / 3;
    }
    else if (integrator == 4){
        double const w1 = -1.17767998417887, w2 = 0.235573213359357, w3 = 0.784513610477560;
        double const w0 = 1. - 2. * (w1 + w2 + w3);
        w[0] = w3; w[1] = w2; w[2] = w1; w[3] = w0; w[4] = w1; w[5] = w2; w[6] = w3;
        d[0] = w3 / 2.; d[1] = (w3 + w2) / 2.; d[2] = (w2 + w1) / 2.; d[3] = (w1 + w0) / 2.;
        d[4] = d[3]; d[5] = d[2]; d[6] = d[1]; d[7] = d[0];
        n_sub = 7; n_steps = (num_kicks + 6) / 7;
    }
    if (integrator == 3 || integrator == 4){
        double const ls = L / n_steps;
        for (int64_t is = 0; is < n_steps; is++){
            for (int64_t j = 0; j < n_sub; j++){
                magnet_body_map(part, model, d[j] * ls, h, k0c, k1c);
                magnet_body_outer_kick(part, b, kn, ks, order, w[j] / n_steps, w[j] * ls,
                                       curvature_model, model, k0_curv, k1_curv);
                if (exact_drift_correction){
                    Drift_single_particle_exact(part, w[j] * ls);
                    Drift_single_particle(part, -w[j] * ls);
                }
            }
            magnet_body_map(part, model, d[n_sub] * ls, h, k0c, k1c);
            if (rad) radiation_segment_end(part, &seg, ls, kn_rad, ks_rad, order, 1. / L);
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
    magnet_body_map(part, model, d_end, h, k0c, k1c);
    for (int64_t i = 0; i < num_kicks; i++){
        magnet_body_outer_kick(part, b, kn, ks, order, wk, L * wk, curvature_model, model,
                               k0_curv, k1_curv);
        if (exact_drift_correction){  // mat-kick-mat-exact: exact minus expanded drift
            Drift_single_particle_exact(part, L * wk);
            Drift_single_particle(part, -L * wk);
        }
        if (i == num_kicks - 1){
            magnet_body_map(part, model, d_end, h, k0c, k1c);
            if (rad) radiation_segment_end(part, &seg, d_end + (i > 0 ? 0.5 * d_mid : d_end),
                                           kn_rad, ks_rad, order, 1. / L);
        }
        else if (rad){  // the segment of kick i ends in the middle of the next drift
            magnet_body_map(part, model, 0.5 * d_mid, h, k0c, k1c);
            radiation_segment_end(part, &seg, (i > 0 ? 0.5 * d_mid : d_end) + 0.5 * d_mid,
                                  kn_rad, ks_rad, order, 1. / L);
            magnet_body_map(part, model, 0.5 * d_mid, h, k0c, k1c);
        }
        else magnet_body_map(part, model, d_mid, h, k0c, k1c);
    }
}

#endif  // XTRACK__MAGNET_BODY_H
