// RBend: rectangular bend. Arc length `length`, straight length
// `length_straight` (the chord), angle theta.
// curved-body / adaptive: a sector bend of arc length `length` whose pole
//   faces get theta/2 on top of edge_*_angle (rectangular magnet geometry);
//   with rbend_angle_diff the faces get theta/2 -/+ rbend_angle_diff/2 and
//   the arc is that of the asymmetric reference orbit (as the straight body).
// straight-body: the frame is rotated by theta/2 (+/- rbend_angle_diff/2) at
//   the entry onto the magnet axis (exact rotation, _edges.h edge_y_rotation),
//   shifted by rbend_shift (+ half the sagitta R (1 - cos(theta/2)) when
//   rbend_compensate_sagitta) and the particle crosses a straight dipole of
//   length length_straight; the exit undoes shift and rotation. s and zeta are
//   then referred to the arc length.
#ifndef XTRACK_RBEND_H
#define XTRACK_RBEND_H

#include "xtrack/headers/track.h"
#include "_magnet_body.h"
#include "_relative_strengths.h"
#include "_curved_body.h"
#include "_misalignment.h"
#include "_magnet_misalignment.h"
#include "_bend_edges.h"
#include "_backtrack.h"

// Edge of the straight body: the particle crosses the face at the angle
// edge_angle + theta/2 to its orbit; the horizontal part of the linear edge
// is the frame rotation already applied, so only the face angle without
// theta/2 kicks horizontally (the vertical plane sees the full angle).
GPUFUN void rbend_straight_edge(LocalParticle* part, BendEdge const* e, const double* kn,
                                const double* ks, int64_t order, double half_angle, int64_t is_exit){
    if (!e->active) return;
    if (e->model == 0){
        double const x = LocalParticle_get_x(part);
        double const px = LocalParticle_get_px(part);
        edge_dipole_linear(part, kn[0], e->angle, e->angle_fdown, e->hgap, e->fint);
        double const chi = LocalParticle_get_chi(part);
        LocalParticle_set_px(part, px + chi * kn[0] * tan(e->angle - half_angle) * x);
        return;
    }
    BendEdge e2 = *e;
    e2.angle = e->angle - half_angle;
    bend_edge_track(part, &e2, kn, ks, order, is_exit);
}

// Inverse of rbend_straight_edge for the linear and suppressed models.
GPUFUN void rbend_straight_edge_backtrack(LocalParticle* part, BendEdge const* e, const double* kn,
                                          double half_angle){
    if (!e->active) return;
    if (e->model == 0){
        double const x = LocalParticle_get_x(part);
        edge_dipole_linear_signed(part, kn[0], e->angle, e->angle_fdown, e->hgap, e->fint, -1.);
        double const px = LocalParticle_get_px(part);
        double const chi = LocalParticle_get_chi(part);
        // the forward edge set px = px0 + chi k0 tan(angle - half_angle) x, replacing r21 x
        LocalParticle_set_px(part, px + chi * kn[0] * tan(e->angle) * x
                                   - chi * kn[0] * tan(e->angle - half_angle) * x);
        return;
    }
    BendEdge e2 = *e;
    e2.angle = e->angle - half_angle;
    bend_edge_backtrack(part, &e2, kn, 0);
}

// backtrack 1: the inverse map (_backtrack.h): the sequence below in reverse
// with each step inverted (body over -length with opposite knl, ksl).
GPUFUN void RBend_track_sign(RBendData el, LocalParticle* part0, int64_t backtrack){
    double const length = RBendData_get_length(el);
    double const sgn = backtrack ? -1. : 1.;
    double const length_straight = RBendData_get_length_straight(el);
    double const angle = RBendData_get_angle(el);
    double const h = length != 0. ? angle / length : 0.;
    // k0 follows the curvature of the symmetric geometry, 2 sin(angle/2) /
    // length_straight (= angle / length without rbend_angle_diff)
    double const h_sym = (length_straight != 0. && angle != 0.)
                         ? 2. * sin(0.5 * angle) / length_straight : h;
    double const k0 = RBendData_get_k0_from_h(el) ? h_sym : RBendData_get_k0(el);
    int64_t const straight = RBendData_get__rbend_model(el) == 2;
    // straight body: the reference enters at rot_in and leaves at
    // angle - rot_in to the magnet axis; the dipole field of the straight
    // body is scaled so that the reference circle closes on that chord
    // (k0_body = k0 (sin(rot_in) + sin(angle - rot_in)) / (2 sin(angle/2)),
    // = k0 for symmetric angles) and s, zeta follow the reference arc.
    double const angle_diff = RBendData_get_rbend_angle_diff(el);
    double const rot_in = 0.5 * angle - 0.5 * angle_diff;
    // The curved body of an asymmetric magnet follows the same reference arc:
    // curvature angle / l_ref over l_ref, pole faces at rot_in and angle - rot_in.
    double k0_body = k0;
    if (angle_diff != 0. && sin(0.5 * angle) != 0.)
        k0_body = k0 * (sin(rot_in) + sin(angle - rot_in)) / (2. * sin(0.5 * angle));
    double const l_body = length_straight;
    double const l_ref = (k0_body != 0. && angle_diff != 0.) ? angle / k0_body : length;
    MagnetBody body;
    magnet_body_init(&body, sgn * (straight ? l_body : l_ref),
                     straight ? 0. : (angle_diff != 0. && l_ref != 0. ? angle / l_ref : h));
    body.k[0] = k0_body;
    body.k[1] = RBendData_get_k1(el);
    body.k[2] = RBendData_get_k2(el);
    int64_t order = RBendData_len_knl(el) - 1;
    if (order > XT_MAGNET_MAX_ORDER) order = XT_MAGNET_MAX_ORDER;
    body.order = order;
    double const main_l = k0 * length;  // knl_rel, ksl_rel are relative to it
    for (int64_t i = 0; i <= order; i++){
        body.knl[i] = sgn * XT_TOTAL_KNL(RBend, el, i, main_l);
        body.ksl[i] = sgn * XT_TOTAL_KSL(RBend, el, i, main_l);
    }
    body.model = RBendData_get__model(el);
    body.integrator = RBendData_get__integrator(el);
    body.num_kicks = RBendData_get_num_multipole_kicks(el);
    body.radiation_flag = RBendData_get_radiation_flag(el);
    BendEdge entry, exit;
    entry.active = RBendData_get_edge_entry_active(el);
    entry.model = RBendData_get__edge_entry_model(el);
    entry.angle = RBendData_get_edge_entry_angle(el) + rot_in;
    entry.angle_fdown = RBendData_get_edge_entry_angle_fdown(el);
    entry.fint = RBendData_get_edge_entry_fint(el);
    entry.hgap = RBendData_get_edge_entry_hgap(el);
    exit.active = RBendData_get_edge_exit_active(el);
    exit.model = RBendData_get__edge_exit_model(el);
    exit.angle = RBendData_get_edge_exit_angle(el) + angle - rot_in;
    exit.angle_fdown = RBendData_get_edge_exit_angle_fdown(el);
    exit.fint = RBendData_get_edge_exit_fint(el);
    exit.hgap = RBendData_get_edge_exit_hgap(el);
    double kn_edge[XT_MAGNET_MAX_ORDER + 1], ks_edge[XT_MAGNET_MAX_ORDER + 1];
    int64_t const order_edge = order > 2 ? order : 2;
    double const lb = body.length;
    for (int64_t i = 0; i <= order_edge; i++){
        kn_edge[i] = (i <= 2 ? body.k[i] : 0.) + (i <= order && lb != 0. ? body.knl[i] / lb : 0.);
        ks_edge[i] = (i <= order && lb != 0. ? body.ksl[i] / lb : 0.);
    }
    bend_edge_prepare(&entry, kn_edge[0]);
    bend_edge_prepare(&exit, kn_edge[0]);
    // straight-body geometry
    double dx_body = RBendData_get_rbend_shift(el);
    if (RBendData_get_rbend_compensate_sagitta(el) && k0_body != 0.)
        dx_body += 0.5 * (1. - cos(0.5 * angle)) / k0_body;
    // exit of the reference orbit in the straight body (exact circle of
    // radius 1/k0 entering at angle rot_in at x = -dx_body): the exit frame
    // is placed on it, so that the reference particle leaves on axis.
    double const px_ref_in = sin(rot_in);
    double const px_ref_out = px_ref_in - k0_body * l_body;
    double const pz_ref_in = cos(rot_in);
    double const pz_ref_out = sqrt(1. - px_ref_out * px_ref_out);
    double const dx_ref = l_body * (px_ref_in + px_ref_out) / (pz_ref_in + pz_ref_out);
    double const x_ref_out = -dx_body + dx_ref;   // x += (pz_out - pz_in)/k0
    double const rot_exit = -atan2(px_ref_out, pz_ref_out);
    double const shift_x = RBendData_get_shift_x(el);
    double const shift_y = RBendData_get_shift_y(el);
    double const rot_s_rad = RBendData_get_rot_s_rad(el);
    MagnetMisalignment mis;
    magnet_misalignment_init(&mis, shift_x, shift_y, RBendData_get_shift_s(el),
                             RBendData_get_rot_x_rad(el), RBendData_get_rot_y_rad(el), rot_s_rad,
                             RBendData_get_rot_shift_anchor(el), length, RBendData_get_angle(el));
    CurvedBodyPlan plan;
    curved_body_init(&plan, &body);
    if (backtrack) magnet_misalignment_reverse(&mis);
    int64_t const refuse = backtrack && (body.model == 9 || body.radiation_flag != 0
                                         || !bend_edge_can_backtrack(&entry) || !bend_edge_can_backtrack(&exit));
    START_PER_PARTICLE_BLOCK(part0, part);
      if (refuse) backtrack_refuse(part);
      else if (backtrack){
        magnet_misalignment(part, &mis, 0);
        if (straight){
            LocalParticle_add_to_zeta(part, -(l_ref - l_body));
            LocalParticle_add_to_s(part, -(l_ref - l_body));
            edge_y_rotation(part, -rot_exit);
            LocalParticle_add_to_x(part, x_ref_out);
            rbend_straight_edge_backtrack(part, &exit, kn_edge, angle - rot_in);
        }
        else bend_edge_backtrack(part, &exit, kn_edge, order_edge);
        curved_body_track(part, &plan, &body);
        if (straight){
            rbend_straight_edge_backtrack(part, &entry, kn_edge, rot_in);
            LocalParticle_add_to_x(part, dx_body);
            edge_y_rotation(part, -rot_in);
        }
        else bend_edge_backtrack(part, &entry, kn_edge, order_edge);
        magnet_misalignment(part, &mis, 1);
      }
      else {
        magnet_misalignment(part, &mis, 0);
        if (straight){
            edge_y_rotation(part, rot_in);
            LocalParticle_add_to_x(part, -dx_body);
        }
        if (straight) rbend_straight_edge(part, &entry, kn_edge, ks_edge, order_edge, rot_in, 0);
        else bend_edge_track(part, &entry, kn_edge, ks_edge, order_edge, 0);
        curved_body_track(part, &plan, &body);
        if (straight) rbend_straight_edge(part, &exit, kn_edge, ks_edge, order_edge, angle - rot_in, 1);
        else bend_edge_track(part, &exit, kn_edge, ks_edge, order_edge, 1);
        if (straight){
            LocalParticle_add_to_x(part, -x_ref_out);
            edge_y_rotation(part, rot_exit);
            LocalParticle_add_to_s(part, l_ref - l_body);
            LocalParticle_add_to_zeta(part, l_ref - l_body);
        }
        magnet_misalignment(part, &mis, 1);
      }
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void RBend_track_local_particle(RBendData el, LocalParticle* part0){
    RBend_track_sign(el, part0, 0);
}

GPUFUN void RBend_backtrack_local_particle(RBendData el, LocalParticle* part0){
    RBend_track_sign(el, part0, 1);
}

#endif  // XTRACK_RBEND_H
