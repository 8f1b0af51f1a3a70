// Slices of thick magnets (slice_elements.py): each slice reads its parent
// element through the `_parent` pointer (same buffer) and tracks a `weight`
// fraction of it, so a change of the parent reaches every slice at once.
//
// - thin slice: the thin kick of a Multipole with knl = weight (knl + k_n L),
//   hxl = weight angle, length = weight L (the same map as multipole.h), inside
//   the parent's shift_x, shift_y, rot_s_rad;
// - drift slice: an expanded drift over weight L (a Drift parent: its model);
// - thick slice: the parent's body over weight L with weight knl, ksl and the
//   angle weight angle, without edges (and its multipole kicks in proportion);
// - entry / exit map: the parent's entry / exit edge (fringe), if active.
//
// Backtracking (_backtrack.h): kicks and drifts with the opposite sign, bodies
// over -weight L inside the reversed misalignment (magnet_misalignment_reverse);
// configurations without an inverse are refused. knl, ksl include the parent's
// knl_rel, ksl_rel (_relative_strengths.h).
#ifndef XTRACK_SLICE_ELEMENTS_H
#define XTRACK_SLICE_ELEMENTS_H

#include "xtrack/headers/track.h"
#include "_drift.h"
#include "_straight_magnet.h"
#include "_magnet_misalignment.h"
#include "_straight_fringe.h"
#include "_curved_magnet.h"
#include "_backtrack.h"
#include "_relative_strengths.h"

// ------------------------------------------------------- parent, read once
typedef struct {
    double length;                 // [m]
    int64_t main_order;            // 1, 2, 3 (quadrupole ... octupole); 0 for bends
    double kn_main, ks_main;       // main strength per unit length
    int64_t order;                 // order of knl / ksl
    double knl[XT_MAGNET_MAX_ORDER + 1], ksl[XT_MAGNET_MAX_ORDER + 1];
    int64_t model, integrator, num_kicks, radiation_flag;
    int64_t edge_entry, edge_exit;
    double shift_x, shift_y, shift_s, rot_x_rad, rot_y_rad, rot_s_rad, anchor;
} SliceStraightParent;

// ------------------------------------------------------------ shared maps
// Kicks of a thick slice: the parent's number (if set) in proportion to the
// slice, at least one (0 stays automatic).
GPUFUN int64_t slice_num_kicks(int64_t num_kicks, double weight){
    if (num_kicks <= 0) return num_kicks;
    int64_t const n = (int64_t)ceil(num_kicks * weight - 1e-9);
    return n > 0 ? n : 1;
}

// Thin kick (the thin branch of Multipole_track_sign, multipole.h) of
// integrated strengths kn, ks with curvature hxl over `length`; only the
// transverse misalignment (shift_x, shift_y, rot_s_rad) applies to a kick.
GPUFUN void slice_thin_kick(LocalParticle* part0, const double* kn, const double* ks, int64_t order,
                            double hxl, double length, double shift_x, double shift_y, double shift_s,
                            double rot_s_rad, int64_t radiation_flag, int64_t backtrack){
    double const sgn = backtrack ? -1. : 1.;
    StraightKickCoeffs kick;
    straight_kick_begin(&kick, order);
    for (int64_t j = order; j >= 0; j--) straight_kick_set(&kick, j, kn[j], ks[j]);
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, shift_s, 0., 0., rot_s_rad, 0., 0., 0.);
    // zero length: the exit patch is the inverse of the entry one, so the inverse map is the
    // same sequence with the opposite kick (exact patches included)
    int64_t const refuse = backtrack && radiation_flag != 0;
    START_PER_PARTICLE_BLOCK(part0, part);
        if (refuse) backtrack_refuse(part);
        else {
            magnet_misalignment(part, &mis, 0);
            straight_kick_radiating(part, &kick, sgn, sgn * hxl, sgn * length, 1, radiation_flag);
            magnet_misalignment(part, &mis, 1);
        }
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void slice_drift(LocalParticle* part0, double length, int64_t exact, int64_t backtrack){
    double const l = backtrack ? -length : length;
    START_PER_PARTICLE_BLOCK(part0, part);
        if (exact) Drift_single_particle_exact(part, l);
        else Drift_single_particle(part, l);
    END_PER_PARTICLE_BLOCK;
}

// ------------------------------------------------- straight magnet slices
GPUFUN void slice_straight_thin(SliceStraightParent const* p, double weight, LocalParticle* part0,
                                int64_t backtrack){
    double kn[XT_MAGNET_MAX_ORDER + 1], ks[XT_MAGNET_MAX_ORDER + 1];
    int64_t order = p->order > p->main_order ? p->order : p->main_order;
    for (int64_t i = 0; i <= order; i++){
        kn[i] = i <= p->order ? p->knl[i] : 0.;
        ks[i] = i <= p->order ? p->ksl[i] : 0.;
        if (i == p->main_order){
            kn[i] = kn[i] + p->kn_main * p->length;
            ks[i] = ks[i] + p->ks_main * p->length;
        }
        kn[i] = kn[i] * weight;
        ks[i] = ks[i] * weight;
    }
    slice_thin_kick(part0, kn, ks, order, 0., p->length * weight, p->shift_x, p->shift_y, p->shift_s, p->rot_s_rad,
                    p->radiation_flag, backtrack);
}

// Body over weight L (Quadrupole_track_sign of quadrupole.h without edges).
GPUFUN void slice_straight_thick(SliceStraightParent const* p, double weight, LocalParticle* part0,
                                 int64_t backtrack){
    double const sgn = backtrack ? -1. : 1.;
    double const length = p->length * weight;
    double k[4] = {0., 0., 0., 0.}, ks[4] = {0., 0., 0., 0.};
    k[p->main_order] = p->kn_main;
    ks[p->main_order] = p->ks_main;
    StraightBody body;
    int64_t const n_kick = straight_body_init(&body, sgn * length, 0., k, ks, p->model, p->integrator,
                                              slice_num_kicks(p->num_kicks, weight), p->radiation_flag,
                                              p->order);
    for (int64_t j = n_kick; j >= 0; j--){
        if (j <= p->order) straight_body_set_strength(&body, j, sgn * weight * p->knl[j],
                                                      sgn * weight * p->ksl[j]);
        else straight_body_set_strength(&body, j, 0., 0.);
    }
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, p->shift_x, p->shift_y, p->shift_s, p->rot_x_rad, p->rot_y_rad,
                             p->rot_s_rad, p->anchor, length, 0.);
    if (backtrack) magnet_misalignment_reverse(&mis);  // exact patches: each inverted, swapped
    int64_t const refuse = backtrack && (body.radiation_flag != 0 || body.exact_drift_correction);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (refuse){ backtrack_refuse(part); continue; }
        magnet_misalignment(part, &mis, 0);
        straight_body_track(part, &body);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

// Hard-edge fringe of the parent (straight_fringe), if active; no inverse.
GPUFUN void slice_straight_edge(SliceStraightParent const* p, int64_t is_exit, LocalParticle* part0,
                                int64_t backtrack){
    int64_t const active = is_exit ? p->edge_exit : p->edge_entry;
    if (!active) return;
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, p->shift_x, p->shift_y, p->shift_s, 0., 0., p->rot_s_rad, 0., 0., 0.);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (backtrack){ backtrack_refuse(part); continue; }
        magnet_misalignment(part, &mis, 0);
        straight_fringe(part, p->main_order, p->kn_main, p->ks_main, is_exit);
        magnet_misalignment(part, &mis, 1);
    END_PER_PARTICLE_BLOCK;
}

// ------------------------------------------------------------ bend slices
// The CurvedMagnet of a Bend-like parent (bend.h) for a `weight` fraction of
// it: length, angle, knl, ksl scaled; the curvature h and the strengths per
// unit length are the parent's. Edges as asked (entry, exit).
GPUFUN void slice_curved_fill(CurvedMagnet* m, double length, double angle, double k0, double k1,
                              double k2, int64_t order, const double* knl, const double* ksl,
                              double weight, int64_t entry, int64_t exit, int64_t backtrack){
    double const h = length != 0. ? angle / length : 0.;
    magnet_body_init(&m->body, length * weight, h);
    m->body.k[0] = k0;
    m->body.k[1] = k1;
    m->body.k[2] = k2;
    m->body.order = order;
    for (int64_t i = 0; i <= order; i++){
        m->body.knl[i] = knl[i] * weight;
        m->body.ksl[i] = ksl[i] * weight;
    }
    m->entry.active = entry;
    m->exit.active = exit;
    if (backtrack) curved_magnet_reverse_body(m);
}

GPUFUN void slice_curved_track(CurvedMagnet* m, int64_t part_of_body, LocalParticle* part0,
                               int64_t backtrack){
    curved_magnet_prepare(m, 2);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (part_of_body){
            if (backtrack) curved_magnet_backtrack(part, m);
            else curved_magnet_track(part, m);
        }
        else if (backtrack){  // an edge alone: the inverse of the one active edge
            if (!curved_magnet_can_backtrack(m)){ backtrack_refuse(part); continue; }
            magnet_misalignment(part, &m->mis, 0);
            bend_edge_backtrack(part, m->entry.active ? &m->entry : &m->exit, m->kn_edge, m->order_edge);
            magnet_misalignment(part, &m->mis, 1);
        }
        else {
            magnet_misalignment(part, &m->mis, 0);
            if (m->entry.active) bend_edge_track(part, &m->entry, m->kn_edge, m->ks_edge, m->order_edge, 0);
            else bend_edge_track(part, &m->exit, m->kn_edge, m->ks_edge, m->order_edge, 1);
            magnet_misalignment(part, &m->mis, 1);
        }
    END_PER_PARTICLE_BLOCK;
}

// CLS##_slice(parent, weight, kind, part0, backtrack) of a Bend-like class
// CLS (Bend; RBend with its curved body). kind: 0 thin, 1 thick, 2 drift,
// 3 entry, 4 exit. K0_FROM_H_VALUE: the dipole strength while k0_from_h
// (Bend: h), THIN_K0L its integral in a thin kick (Bend: the angle),
// EDGE_EXTRA: added to the face angles (RBend: half the bending angle).
#define XT_SLICE_BEND_FUNCTIONS(CLS, K0_FROM_H_VALUE, THIN_K0L, EDGE_EXTRA)                                    \
GPUFUN void CLS##_slice(CLS##Data el, double weight, int64_t kind, LocalParticle* part0, int64_t bt){ \
    double const length = CLS##Data_get_length(el);                                                   \
    double const angle = CLS##Data_get_angle(el);                                                     \
    if (kind == 2){ slice_drift(part0, length * weight, 0, bt); return; }                             \
    double const h = length != 0. ? angle / length : 0.;                                              \
    (void)h;                                                                                          \
    double const k0 = CLS##Data_get_k0_from_h(el) ? (K0_FROM_H_VALUE) : CLS##Data_get_k0(el);         \
    int64_t order = CLS##Data_len_knl(el) - 1;                                                        \
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;                                     \
    double knl[XT_MAGNET_MAX_ORDER + 1], ksl[XT_MAGNET_MAX_ORDER + 1];                                \
    double const main_l = k0 * length;  /* knl_rel, ksl_rel are relative to it (as bend.h) */          \
    for (int64_t i = 0; i <= order; i++){ knl[i] = XT_TOTAL_KNL(CLS, el, i, main_l);                  \
                                          ksl[i] = XT_TOTAL_KSL(CLS, el, i, main_l); }                 \
    if (kind == 0){                                                                                   \
        double kn[XT_MAGNET_MAX_ORDER + 1], ks[XT_MAGNET_MAX_ORDER + 1];                              \
        int64_t const o = order > 2 ? order : 2;                                                      \
        for (int64_t i = 0; i <= o; i++){ kn[i] = i <= order ? knl[i] : 0.; ks[i] = i <= order ? ksl[i] : 0.; } \
        kn[0] = kn[0] + (CLS##Data_get_k0_from_h(el) ? (THIN_K0L) : CLS##Data_get_k0(el) * length);   \
        kn[1] = kn[1] + CLS##Data_get_k1(el) * length;                                                \
        kn[2] = kn[2] + CLS##Data_get_k2(el) * length;                                                \
        for (int64_t i = 0; i <= o; i++){ kn[i] = kn[i] * weight; ks[i] = ks[i] * weight; }           \
        slice_thin_kick(part0, kn, ks, o, angle * weight, length * weight, CLS##Data_get_shift_x(el), \
                        CLS##Data_get_shift_y(el), CLS##Data_get_shift_s(el), CLS##Data_get_rot_s_rad(el), \
                        CLS##Data_get_radiation_flag(el), bt);                                        \
        return;                                                                                       \
    }                                                                                                 \
    CurvedMagnet m;                                                                                   \
    int64_t const entry = kind == 3 && CLS##Data_get_edge_entry_active(el);                           \
    int64_t const exit = kind == 4 && CLS##Data_get_edge_exit_active(el);                             \
    if (kind >= 3 && !entry && !exit) return;                                                         \
    slice_curved_fill(&m, length, angle, k0, CLS##Data_get_k1(el), CLS##Data_get_k2(el), order, knl, ksl, \
                      kind == 1 ? weight : 1., entry, exit, bt);                                      \
    m.body.model = CLS##Data_get__model(el);                                                          \
    m.body.integrator = CLS##Data_get__integrator(el);                                                \
    m.body.num_kicks = slice_num_kicks(CLS##Data_get_num_multipole_kicks(el), kind == 1 ? weight : 1.); \
    m.body.radiation_flag = CLS##Data_get_radiation_flag(el);                                         \
    m.entry.model = CLS##Data_get__edge_entry_model(el);                                              \
    m.entry.angle = CLS##Data_get_edge_entry_angle(el) + (EDGE_EXTRA);                                \
    m.entry.angle_fdown = CLS##Data_get_edge_entry_angle_fdown(el);                                   \
    m.entry.fint = CLS##Data_get_edge_entry_fint(el);                                                 \
    m.entry.hgap = CLS##Data_get_edge_entry_hgap(el);                                                 \
    m.exit.model = CLS##Data_get__edge_exit_model(el);                                                \
    m.exit.angle = CLS##Data_get_edge_exit_angle(el) + (EDGE_EXTRA);                                  \
    m.exit.angle_fdown = CLS##Data_get_edge_exit_angle_fdown(el);                                     \
    m.exit.fint = CLS##Data_get_edge_exit_fint(el);                                                   \
    m.exit.hgap = CLS##Data_get_edge_exit_hgap(el);                                                   \
    if (kind == 1) magnet_misalignment_init(&m.mis, CLS##Data_get_shift_x(el), CLS##Data_get_shift_y(el), \
            CLS##Data_get_shift_s(el), CLS##Data_get_rot_x_rad(el), CLS##Data_get_rot_y_rad(el),      \
            CLS##Data_get_rot_s_rad(el), CLS##Data_get_rot_shift_anchor(el), length * weight, angle * weight); \
    else magnet_misalignment_init(&m.mis, CLS##Data_get_shift_x(el), CLS##Data_get_shift_y(el), 0., 0., 0., \
            CLS##Data_get_rot_s_rad(el), 0., 0., 0.);                                                 \
    if (bt) magnet_misalignment_reverse(&m.mis);                                                      \
    slice_curved_track(&m, kind == 1, part0, bt);                                                     \
}

// --------------------------------------------- straight magnet functions
// CLS##_slice(parent, weight, kind, part0, backtrack) of a straight magnet
// class CLS with main component N (k<N>, k<N>s); kinds as for bends.
#define XT_SLICE_STRAIGHT_FUNCTIONS(CLS, N)                                                           \
GPUFUN void CLS##_slice(CLS##Data el, double weight, int64_t kind, LocalParticle* part0, int64_t bt){ \
    if (kind == 2){ slice_drift(part0, CLS##Data_get_length(el) * weight, 0, bt); return; }           \
    SliceStraightParent p;                                                                            \
    p.length = CLS##Data_get_length(el);                                                              \
    p.main_order = N;                                                                                 \
    p.kn_main = CLS##Data_get_k##N(el);                                                               \
    p.ks_main = CLS##Data_get_k##N##s(el);                                                            \
    int64_t order = CLS##Data_len_knl(el) - 1;                                                        \
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;                                     \
    p.order = order;                                                                                  \
    double const main_l = p.kn_main * p.length;  /* knl_rel, ksl_rel are relative to it */           \
    for (int64_t i = 0; i <= order; i++){ p.knl[i] = XT_TOTAL_KNL(CLS, el, i, main_l);                \
                                          p.ksl[i] = XT_TOTAL_KSL(CLS, el, i, main_l); }               \
    p.model = CLS##Data_get__model(el);                                                               \
    p.integrator = CLS##Data_get__integrator(el);                                                     \
    p.num_kicks = CLS##Data_get_num_multipole_kicks(el);                                              \
    p.radiation_flag = CLS##Data_get_radiation_flag(el);                                              \
    p.edge_entry = CLS##Data_get_edge_entry_active(el);                                               \
    p.edge_exit = CLS##Data_get_edge_exit_active(el);                                                 \
    p.shift_x = CLS##Data_get_shift_x(el);                                                            \
    p.shift_y = CLS##Data_get_shift_y(el);                                                            \
    p.shift_s = CLS##Data_get_shift_s(el);                                                            \
    p.rot_x_rad = CLS##Data_get_rot_x_rad(el);                                                        \
    p.rot_y_rad = CLS##Data_get_rot_y_rad(el);                                                        \
    p.rot_s_rad = CLS##Data_get_rot_s_rad(el);                                                        \
    p.anchor = CLS##Data_get_rot_shift_anchor(el);                                                    \
    if (kind == 0) slice_straight_thin(&p, weight, part0, bt);                                        \
    else if (kind == 1) slice_straight_thick(&p, weight, part0, bt);                                  \
    else slice_straight_edge(&p, kind == 4, part0, bt);                                               \
}

// A thick Multipole parent (kicker, multipole.h): thin kicks of weight w of its
// integrated strengths (knl_rel included, Multipole_load_strengths) and hxl,
// bodies over w L with the curvature hxl / L, drifts; it has no edges.
#define XT_SLICE_MULTIPOLE_FUNCTIONS(CLS)                                                             \
GPUFUN void CLS##_slice(CLS##Data el, double weight, int64_t kind, LocalParticle* part0, int64_t bt){ \
    double const length = CLS##Data_get_length(el);                                                   \
    if (kind == 2){ slice_drift(part0, length * weight, 0, bt); return; }                             \
    if (kind >= 3) return;                                                                            \
    double kn[XT_MAGNET_MAX_ORDER + 1], ks[XT_MAGNET_MAX_ORDER + 1];                                  \
    int64_t const order = CLS##_load_strengths(el, kn, ks);                                           \
    for (int64_t i = 0; i <= order; i++){ kn[i] = kn[i] * weight; ks[i] = ks[i] * weight; }           \
    double const hxl = CLS##Data_get_hxl(el);                                                         \
    int64_t const radiation_flag = CLS##Data_get_radiation_flag(el);                                  \
    if (kind == 0 || length == 0.){                                                                   \
        slice_thin_kick(part0, kn, ks, order, hxl * weight, length * weight, CLS##Data_get_shift_x(el), \
                        CLS##Data_get_shift_y(el), CLS##Data_get_shift_s(el), CLS##Data_get_rot_s_rad(el), \
                        radiation_flag, bt);                                                          \
        return;                                                                                       \
    }                                                                                                 \
    double const sgn = bt ? -1. : 1.;                                                                 \
    double zero[4] = {0., 0., 0., 0.};                                                                \
    int64_t model = CLS##Data_get__model(el);                                                         \
    if (model == 0) model = 6;  /* as the thick Multipole */                                          \
    StraightBody body;                                                                                \
    int64_t const n_kick = straight_body_init(&body, sgn * length * weight, hxl / length, zero, zero,   \
            model, CLS##Data_get__integrator(el), slice_num_kicks(CLS##Data_get_num_multipole_kicks(el), weight), \
            radiation_flag, order);                                                                   \
    for (int64_t j = n_kick; j >= 0; j--){                                                            \
        if (j <= order) straight_body_set_strength(&body, j, sgn * kn[j], sgn * ks[j]);               \
        else straight_body_set_strength(&body, j, 0., 0.);                                            \
    }                                                                                                 \
    MagnetMisalignment mis;                                                                           \
    magnet_misalignment_init(&mis, CLS##Data_get_shift_x(el), CLS##Data_get_shift_y(el),              \
            CLS##Data_get_shift_s(el), CLS##Data_get_rot_x_rad(el), CLS##Data_get_rot_y_rad(el),      \
            CLS##Data_get_rot_s_rad(el), CLS##Data_get_rot_shift_anchor(el), length * weight, hxl * weight); \
    if (bt) magnet_misalignment_reverse(&mis);                                                        \
    int64_t const refuse = bt && (radiation_flag != 0 || body.exact_drift_correction);               \
    START_PER_PARTICLE_BLOCK(part0, part);                                                            \
        if (refuse){ backtrack_refuse(part); continue; }                                              \
        magnet_misalignment(part, &mis, 0);                                                           \
        straight_body_track(part, &body);                                                             \
        magnet_misalignment(part, &mis, 1);                                                           \
    END_PER_PARTICLE_BLOCK;                                                                           \
}

// A UniformSolenoid parent (uniform_solenoid.h): thick slices only, the body
// over w L with w knl, w ksl and the kicks in proportion; its hard-edge
// fringes are the identity in canonical coordinates (_solenoid.h), so the
// entry / exit maps do nothing. No backtracking (as the parent).
#define XT_SLICE_SOLENOID_FUNCTIONS(CLS)                                                              \
GPUFUN void CLS##_slice(CLS##Data el, double weight, int64_t kind, LocalParticle* part0, int64_t bt){ \
    if (kind != 1) return;                                                                            \
    int64_t order = CLS##Data_len_knl(el) - 1;                                                        \
    if (order > 20) order = 20;  /* _MAX_ORDER of solenoids.py */                                     \
    double knl[21], ksl[21];                                                                          \
    for (int64_t i = 0; i <= order; i++){ knl[i] = CLS##Data_get_knl(el, i) * weight;                 \
                                          ksl[i] = CLS##Data_get_ksl(el, i) * weight; }               \
    double const length = CLS##Data_get_length(el) * weight;                                          \
    double const ks = CLS##Data_get_ks(el);                                                           \
    double const x0 = CLS##Data_get_x0(el), y0 = CLS##Data_get_y0(el);                                \
    double const shift_x = CLS##Data_get_shift_x(el), shift_y = CLS##Data_get_shift_y(el);            \
    double const rot_s_rad = CLS##Data_get_rot_s_rad(el);                                             \
    double const cos_t = cos(rot_s_rad), sin_t = sin(rot_s_rad);                                      \
    int64_t const misaligned = shift_x != 0. || shift_y != 0. || rot_s_rad != 0.;                     \
    int64_t const num_kicks = slice_num_kicks(CLS##Data_get_num_multipole_kicks(el), weight);         \
    int64_t const radiation_flag = CLS##Data_get_radiation_flag(el);                                  \
    START_PER_PARTICLE_BLOCK(part0, part);                                                            \
        if (bt){ backtrack_refuse(part); continue; }                                                  \
        if (misaligned) xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);                    \
        solenoid_thick(part, ks, length, x0, y0, knl, ksl, order, num_kicks, SOLENOID_SPLIT_UNIFORM,  \
                       radiation_flag);                                                               \
        if (misaligned) xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);                     \
    END_PER_PARTICLE_BLOCK;                                                                           \
}

// A Drift parent: drift slices only (its model: 2 exact).
#define XT_SLICE_DRIFT_FUNCTIONS(CLS)                                                                 \
GPUFUN void CLS##_slice(CLS##Data el, double weight, int64_t kind, LocalParticle* part0, int64_t bt){ \
    (void)kind;                                                                                       \
    slice_drift(part0, CLS##Data_get_length(el) * weight, CLS##Data_get__model(el) == 2, bt);        \
}

// The element functions of slice class SLICE of parent class CLS, kind KIND.
#define XT_SLICE_CLASS(SLICE, CLS, KIND)                                                              \
GPUFUN void SLICE##_track_local_particle(SLICE##Data el, LocalParticle* part0){                       \
    CLS##Data parent = SLICE##Data_getp__parent(el);                                                  \
    if (parent) CLS##_slice(parent, SLICE##Data_get_weight(el), KIND, part0, 0);                      \
}                                                                                                     \
GPUFUN void SLICE##_backtrack_local_particle(SLICE##Data el, LocalParticle* part0){                   \
    CLS##Data parent = SLICE##Data_getp__parent(el);                                                  \
    if (parent) CLS##_slice(parent, SLICE##Data_get_weight(el), KIND, part0, 1);                      \
}

#endif  // XTRACK_SLICE_ELEMENTS_H
