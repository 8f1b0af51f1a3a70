// Magnet edge maps of one particle: dipole edges, wedges and multipole fringes.
// Shared by DipoleEdge, MagnetEdge, MultipoleEdge, Wedge and the edges of the
// bends and straight magnets.
//
// Conventions: coordinates x, px, y, py, zeta, delta of xtrack (momenta in
// units of P0 m/m0); every field strength is multiplied by chi = (q/q0)/(m/m0)
// inside these functions; (zeta, pzeta) is the canonical longitudinal pair,
// so d/dpzeta = (1/rvv) d/ddelta. Angles in radians.
//
// Models
// ------
// * Linear dipole edge (MAD-X DIPEDGE, MAD-X user guide section "DIPEDGE"):
//     px += chi k tan(e1) x
//     py -= chi k tan(e1v - psi) y,  e1v = e1 + e1_fd,
//     psi = 2 k hgap fint (1 + sin^2 e1v) / cos e1v.
//   Independent of delta and identical at entry and exit.
// * Exact frame rotation about the vertical axis (PTC ROT_XZ; E. Forest,
//   "Beam Dynamics: A New Attitude and Framework", 1998, ch. 10):
//     pz = sqrt((1+delta)^2 - px^2 - py^2), pz' = pz cos a - px sin a
//     x' = x pz / pz', px' = px cos a + pz sin a, y' = y + x sin a py / pz',
//     zeta' = zeta - x sin a (1+delta) / (pz' rvv).
// * Exact dipole wedge of angle a in the uniform field b = chi k (Forest, ibid.,
//   ch. 12, "wedge"): the canonical momentum in the rotated frame is
//   px' = px cos a + (pz - b x) sin a (conservation of p_X + b Z, p_Z - b X in
//   the lab), the new position is the intersection of the circle with the
//   rotated plane, y and zeta advance along the arc swept by the momentum
//   direction, tau = (a + asin(px/pt) - asin(px'/pt)) / b with
//   pt = sqrt((1+delta)^2 - py^2). b = 0: no-op.
// * Quadrupole wedge (thin): potential V = k1 a (x^3/3 - x y^2/2) of the
//   quadrupole field integrated over the wedge of length a x:
//     px -= chi k1 a (x^2 - y^2/2),  py += chi k1 a x y.
// * Hard-edge dipole fringe without face angle (Forest, ibid., ch. 13; PTC
//   FRINGE_DIPOLE) with the fint-hgap correction: with xp = px/pz, yp = py/pz,
//     phi = atan(xp / (1 + yp^2)) - 2 b fint hgap (1 + xp^2 (2 + yp^2))
//                                      / (pz (1 + xp^2)),
//     F(px, py, delta) = b tan(phi),
//   the map is the type-2 generating function G = q.P - F(p) y'^2 / 2:
//     y' = 2 y / (1 + sqrt(1 - 2 F_py y)),  x' = x + F_px y'^2 / 2,
//     py' = py - F y',  zeta' = zeta + F_delta y'^2 / (2 rvv),
//   followed (when fint hgap != 0) by the quartic soft-edge term of a linear
//   field ramp of length 12 fint hgap, generator b^2 y^4 / (72 fint hgap (1+delta)):
//     py -= b^2 y^3 / (18 fint hgap (1+delta)),
//     zeta -= b^2 y^4 / (72 fint hgap (1+delta)^2 rvv).
//   At the exit the same map is used with b -> -b.
// * Full dipole edge (face angle e1): entry = rotation(e1), fringe(b),
//   wedge(-e1); exit = wedge(-e1), fringe(-b), rotation(e1).
// * Hard-edge multipole fringe (Lee-Whiting for the quadrupole; general order
//   after E. Forest and J. Milutinovic, NIM A269 (1988) 474): in the hard-edge
//   limit of a multipole whose strength rises as g(s), Maxwell's equations give
//   the transverse vector potential a = g'(s) (-dPhi2/dy, dPhi2/dx) with
//   Phi2 = r^2 Im(K z^(n+1)) / (4 (n+1) (n+2)), K = chi (kn + i ks) / n!,
//   z = x + i y; the entry map is the point transformation
//     q' = q + u(q)/(1+delta), u = (dPhi2/dy, -dPhi2/dx) summed over n >= 1,
//     p' = (1 + J/(1+delta))^-T p,  zeta' = zeta - p'.u / ((1+delta)^2 rvv)
//   (type-2 generating function G = q.P + P.u(q)/(1+delta)); exit: u -> -u.
//   For the quadrupole: x' = x + k1 (x^3 + 3 x y^2) / (12 (1+delta)).
//
// Public functions (stable signatures)
// ------------------------------------
//   GPUFUN void edge_dipole_linear(LocalParticle* part, double k, double e1,
//           double e1_fd, double hgap, double fint);
//   GPUFUN void edge_y_rotation(LocalParticle* part, double angle);
//   GPUFUN void edge_dipole_wedge(LocalParticle* part, double angle, double k);
//   GPUFUN void edge_quad_wedge(LocalParticle* part, double angle, double k1);
//   GPUFUN void edge_wedge(LocalParticle* part, double angle, double k, double k1,
//           int64_t quad_wedge_then_dip_wedge);
//   GPUFUN void edge_dipole_fringe(LocalParticle* part, double k, double fint,
//           double hgap);       // no face angle, entry sign (exit: pass -k)
//   GPUFUN void edge_dipole_full(LocalParticle* part, double k, double e1,
//           double hgap, double fint, int64_t is_exit);
//   GPUFUN void edge_dipole(LocalParticle* part, int64_t model, double k,
//           double e1, double e1_fd, double hgap, double fint, int64_t is_exit);
//       model: EDGE_MODEL_LINEAR (0), EDGE_MODEL_FULL (1), EDGE_MODEL_DIPOLE_ONLY
//       (2, = full for a pure dipole), EDGE_MODEL_SUPPRESSED (3, identity);
//       the codes of magnets.EDGE_MODELS.
//   GPUFUN void edge_multipole_fringe(LocalParticle* part, const double* kn,
//           const double* ks, int64_t order, int64_t is_exit);
//       kn, ks: private arrays of normalised strengths [m^-(n+1)], index n;
//       the dipole term n = 0 is ignored (see edge_dipole_fringe).
//   GPUFUN void edge_magnet(LocalParticle* part, int64_t model, int64_t is_exit,
//           const double* kn, const double* ks, int64_t order,
//           double k0_wedge, double k1_wedge, double face_angle,
//           double face_angle_feed_down, double fringe_integral, double half_gap);
//       The edge of a magnet with normal/skew strengths kn, ks (index n up to
//       order, private arrays): linear: linear dipole edge with kn[0];
//       full: entry = rotation, dipole fringe(kn[0]), multipole fringe (n>=1),
//       quad wedge then dipole wedge (k0_wedge, k1_wedge); exit = dipole wedge
//       then quad wedge, multipole fringe, fringe(-kn[0]), rotation;
//       dipole-only: as full without the multipole fringe and quad wedge;
//       suppressed: identity.
#ifndef XTRACK__EDGES_H
#define XTRACK__EDGES_H

#include "xtrack/headers/track.h"

#define EDGE_MODEL_LINEAR 0
#define EDGE_MODEL_FULL 1
#define EDGE_MODEL_DIPOLE_ONLY 2
#define EDGE_MODEL_SUPPRESSED 3
// largest multipole order of the private strength arrays of the edge elements
#define EDGE_MAX_ORDER 20

// The matrix terms of the linear dipole edge, px += chi r21 x, py += chi r43 y
// (they do not depend on the particle: elements compute them once per call).
GPUFUN void edge_dipole_linear_coeffs(double k, double e1, double e1_fd, double hgap, double fint,
                                      double* r21, double* r43){
    *r21 = k * tan(e1);
    double const e1v = e1 + e1_fd;  // vertical plane: the feed-down enters psi too
    double const psi = 2. * k * hgap * fint * (1. + sin(e1v) * sin(e1v)) / cos(e1v);
    *r43 = -k * tan(e1v - psi);
}

// sign -1: the inverse kick (backtracking; x, y are unchanged by the edge).
GPUFUN void edge_dipole_linear_apply(LocalParticle* part, double r21, double r43, double sign){
    double const chi = sign * LocalParticle_get_chi(part);
    LocalParticle_add_to_px(part, chi * r21 * LocalParticle_get_x(part));
    LocalParticle_add_to_py(part, chi * r43 * LocalParticle_get_y(part));
}

GPUFUN void edge_dipole_linear_signed(LocalParticle* part, double k, double e1, double e1_fd,
                                      double hgap, double fint, double sign){
    double r21, r43;
    edge_dipole_linear_coeffs(k, e1, e1_fd, hgap, fint, &r21, &r43);
    edge_dipole_linear_apply(part, r21, r43, sign);
}

GPUFUN void edge_dipole_linear(LocalParticle* part, double k, double e1, double e1_fd,
                               double hgap, double fint){
    edge_dipole_linear_signed(part, k, e1, e1_fd, hgap, fint, 1.);
}

GPUFUN void edge_y_rotation(LocalParticle* part, double angle){
    if (angle == 0.) return;
    double const x = LocalParticle_get_x(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);
    double const ca = cos(angle), sa = sin(angle);
    double const pz = sqrt(opd * opd - px * px - py * py);
    double const pz_new = pz * ca - px * sa;
    LocalParticle_set_x(part, x * pz / pz_new);
    LocalParticle_set_px(part, px * ca + pz * sa);
    LocalParticle_add_to_y(part, x * sa * py / pz_new);
    LocalParticle_add_to_zeta(part, -x * sa * opd / (pz_new * rvv));
}

GPUFUN void edge_dipole_wedge(LocalParticle* part, double angle, double k){
    double const b = k * LocalParticle_get_chi(part);
    if (b == 0. || angle == 0.) return;
    double const x = LocalParticle_get_x(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);
    double const ca = cos(angle), sa = sin(angle);
    double const pz = sqrt(opd * opd - px * px - py * py);
    double const pt = sqrt(opd * opd - py * py);
    double const px_new = px * ca + (pz - b * x) * sa;
    double const pzs = sqrt(opd * opd - py * py - px_new * px_new);
    double const x_new = x * ca + (x * px * sin(2. * angle) + sa * sa * (2. * x * pz - b * x * x))
                                  / (pzs + pz * ca - px * sa);
    double const tau = (angle + asin(px / pt) - asin(px_new / pt)) / b;
    LocalParticle_set_x(part, x_new);
    LocalParticle_set_px(part, px_new);
    LocalParticle_add_to_y(part, py * tau);
    LocalParticle_add_to_zeta(part, -opd * tau / rvv);
}

GPUFUN void edge_quad_wedge(LocalParticle* part, double angle, double k1){
    double const t = angle * k1 * LocalParticle_get_chi(part);
    if (t == 0.) return;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    LocalParticle_add_to_px(part, -t * (x * x - 0.5 * y * y));
    LocalParticle_add_to_py(part, t * x * y);
}

GPUFUN void edge_wedge(LocalParticle* part, double angle, double k, double k1,
                       int64_t quad_wedge_then_dip_wedge){
    if (quad_wedge_then_dip_wedge){
        edge_quad_wedge(part, angle, k1);
        edge_dipole_wedge(part, angle, k);
    } else {
        edge_dipole_wedge(part, angle, k);
        edge_quad_wedge(part, angle, k1);
    }
}

GPUFUN void edge_dipole_fringe(LocalParticle* part, double k, double fint, double hgap){
    double const b = k * LocalParticle_get_chi(part);
    if (b == 0.) return;
    double const x = LocalParticle_get_x(part);
    double const px = LocalParticle_get_px(part);
    double const y = LocalParticle_get_y(part);
    double const py = LocalParticle_get_py(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);

    double const pz = sqrt(opd * opd - px * px - py * py);
    double const xp = px / pz, yp = py / pz;
    double const g = 2. * b * fint * hgap;
    double const one_yp2 = 1. + yp * yp, one_xp2 = 1. + xp * xp;
    double const u = xp / one_yp2;
    double const w = (1. + xp * xp * (2. + yp * yp)) / one_xp2;   // fint-hgap weight
    double const phi = atan(u) - g * w / pz;
    // derivatives of phi with respect to xp, yp, pz
    double const datan = 1. / (1. + u * u);
    double const dw_dxp = 2. * xp * one_yp2 / (one_xp2 * one_xp2);
    double const dw_dyp = 2. * xp * xp * yp / one_xp2;
    double const phi_xp = datan / one_yp2 - g * dw_dxp / pz;
    double const phi_yp = -datan * 2. * xp * yp / (one_yp2 * one_yp2) - g * dw_dyp / pz;
    double const phi_pz = g * w / (pz * pz);
    double const cphi = cos(phi);
    double const bsec2 = b / (cphi * cphi);
    double const F = b * tan(phi);
    double const F_xp = bsec2 * phi_xp, F_yp = bsec2 * phi_yp, F_pz = bsec2 * phi_pz;
    // chain rule to (px, py, delta): xp = px/pz, yp = py/pz, pz(px, py, delta)
    double const F_px = F_xp * one_xp2 / pz + F_yp * xp * yp / pz - F_pz * xp;
    double const F_py = F_xp * xp * yp / pz + F_yp * one_yp2 / pz - F_pz * yp;
    double const F_d = -(F_xp * xp + F_yp * yp) * opd / (pz * pz) + F_pz * opd / pz;

    double const y_new = 2. * y / (1. + sqrt(1. - 2. * F_py * y));
    double const y2 = y_new * y_new;
    LocalParticle_set_x(part, x + 0.5 * F_px * y2);
    LocalParticle_set_y(part, y_new);
    LocalParticle_set_py(part, py - F * y_new);
    LocalParticle_add_to_zeta(part, 0.5 * F_d * y2 / rvv);

    double const fh = fint * hgap;
    if (fh != 0.){  // quartic soft-edge term
        double const y3 = y2 * y_new;
        LocalParticle_add_to_py(part, -b * b * y3 / (18. * fh * opd));
        LocalParticle_add_to_zeta(part, -b * b * y3 * y_new / (72. * fh * opd * opd * rvv));
    }
}

GPUFUN void edge_dipole_full(LocalParticle* part, double k, double e1, double hgap, double fint,
                             int64_t is_exit){
    if (!is_exit){
        edge_y_rotation(part, e1);
        edge_dipole_fringe(part, k, fint, hgap);
        edge_dipole_wedge(part, -e1, k);
    } else {
        edge_dipole_wedge(part, -e1, k);
        edge_dipole_fringe(part, -k, fint, hgap);
        edge_y_rotation(part, e1);
    }
}

GPUFUN void edge_dipole(LocalParticle* part, int64_t model, double k, double e1, double e1_fd,
                        double hgap, double fint, int64_t is_exit){
    if (model == EDGE_MODEL_LINEAR) edge_dipole_linear(part, k, e1, e1_fd, hgap, fint);
    else if (model == EDGE_MODEL_FULL || model == EDGE_MODEL_DIPOLE_ONLY)
        edge_dipole_full(part, k, e1, hgap, fint, is_exit);
}

GPUFUN void edge_multipole_fringe(LocalParticle* part, const double* kn, const double* ks,
                                  int64_t order, int64_t is_exit){
    if (order < 1) return;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    double const chi = LocalParticle_get_chi(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);
    double const r2 = x * x + y * y;
    double ux = 0., uy = 0., j11 = 0., j12 = 0., j21 = 0., j22 = 0.;
    // zn = z^(n-1), running factorial
    double znm1_re = 1., znm1_im = 0., fact = 1.;
    for (int64_t n = 1; n <= order; n++){
        fact *= (double)n;
        double const kre = chi * kn[n] / fact, kim = chi * ks[n] / fact;
        double const zn_re = znm1_re * x - znm1_im * y;       // z^n
        double const zn_im = znm1_re * y + znm1_im * x;
        double const zn1_re = zn_re * x - zn_im * y;           // z^(n+1)
        double const zn1_im = zn_re * y + zn_im * x;
        if (kre != 0. || kim != 0.){
            double const P_re = kre * zn_re - kim * zn_im;      // K z^n
            double const P_im = kre * zn_im + kim * zn_re;
            double const G_im = (kre * zn1_im + kim * zn1_re) / (double)(n + 1);  // Im K z^(n+1)/(n+1)
            double const Q_re = n * (kre * znm1_re - kim * znm1_im);  // n K z^(n-1)
            double const Q_im = n * (kre * znm1_im + kim * znm1_re);
            double const c = 1. / (4. * (double)(n + 2));
            ux += c * (2. * y * G_im + r2 * P_re);
            uy -= c * (2. * x * G_im + r2 * P_im);
            j11 += c * (2. * y * P_im + 2. * x * P_re + r2 * Q_re);
            j12 += c * (2. * G_im + 4. * y * P_re - r2 * Q_im);
            j21 -= c * (2. * G_im + 4. * x * P_im + r2 * Q_im);
            j22 -= c * (2. * x * P_re + 2. * y * P_im + r2 * Q_re);
        }
        znm1_re = zn_re;
        znm1_im = zn_im;
    }
    double const s = (is_exit ? -1. : 1.) / opd;
    ux *= s; uy *= s; j11 *= s; j12 *= s; j21 *= s; j22 *= s;
    // new momenta: solve (1 + J)^T P = p
    double const m11 = 1. + j11, m12 = j21, m21 = j12, m22 = 1. + j22;
    double const det = m11 * m22 - m12 * m21;
    double const px_new = (m22 * px - m12 * py) / det;
    double const py_new = (-m21 * px + m11 * py) / det;
    LocalParticle_set_x(part, x + ux);
    LocalParticle_set_y(part, y + uy);
    LocalParticle_set_px(part, px_new);
    LocalParticle_set_py(part, py_new);
    LocalParticle_add_to_zeta(part, -(px_new * ux + py_new * uy) / (opd * rvv));
}

GPUFUN void edge_magnet(LocalParticle* part, int64_t model, int64_t is_exit,
                        const double* kn, const double* ks, int64_t order,
                        double k0_wedge, double k1_wedge, double face_angle,
                        double face_angle_feed_down, double fringe_integral, double half_gap){
    if (model == EDGE_MODEL_SUPPRESSED || order < 0) return;
    double const k0 = kn[0];
    if (model == EDGE_MODEL_LINEAR){
        edge_dipole_linear(part, k0, face_angle, face_angle_feed_down, half_gap, fringe_integral);
        return;
    }
    int64_t const with_multipoles = (model == EDGE_MODEL_FULL);
    double const k1w = with_multipoles ? k1_wedge : 0.;
    if (!is_exit){
        edge_y_rotation(part, face_angle);
        edge_dipole_fringe(part, k0, fringe_integral, half_gap);
        if (with_multipoles) edge_multipole_fringe(part, kn, ks, order, 0);
        edge_wedge(part, -face_angle, k0_wedge, k1w, 1);
    } else {
        edge_wedge(part, -face_angle, k0_wedge, k1w, 0);
        if (with_multipoles) edge_multipole_fringe(part, kn, ks, order, 1);
        edge_dipole_fringe(part, -k0, fringe_integral, half_gap);
        edge_y_rotation(part, face_angle);
    }
}

#endif  // XTRACK__EDGES_H
