// Exact change of the reference frame of a particle (thin, s unchanged).
//
// Model: the new frame has its origin at d = (dx, dy, ds) and its axes
// (x', y', s') given, in the old frame, by the columns of a rotation matrix
// R. The particle sits on the old plane s = 0 at r = (x, y, 0) with the
// direction p = (px, py, pz), pz = sqrt((1+delta)^2 - px^2 - py^2). In the new
// frame r' = R^T (r - d), p' = R^T p (momenta are vectors, delta unchanged);
// the particle is then moved along its straight line to the plane s' = 0:
//     x = x' - s' px'/pz',  y = y' - s' py'/pz',
//     zeta += s' (1+delta) / (pz' rvv)   (path length over beta/beta0).
// This is the exact (non-paraxial) frame change of PTC's ROT_XZ/ROT_YZ and
// TRANS patches (E. Forest, "Beam Dynamics: A New Attitude and Framework",
// Harwood 1998, ch. 10 "Patches") and of the MAD-X XROTATION, YROTATION,
// SROTATION, TRANSLATION elements.
//
// Sign conventions (xtrack): a positive rotation about
//   s turns x towards y:        x' = ( c, s, 0), y' = (-s, c, 0);
//   x turns y towards s:        y' = (0, c, s),  s' = (0, -s, c);
//   y turns s towards x... i.e. x' = (c, 0, -s), s' = (s, 0, c),
// so that, for a particle on axis with pz = 1, a rotation by a about x gives
// py = +sin(a) and about y gives px = -sin(a).
//
// Functions (GPUFUN):
//   void FrameChange_rotate_about_s(LocalParticle* part, double c, double s);
//   void FrameChange_rotate_about_x(LocalParticle* part, double c, double s);
//   void FrameChange_rotate_about_y(LocalParticle* part, double c, double s);
//   void FrameChange_translate(LocalParticle* part, double dx, double dy, double ds);
//   void FrameChange_general(LocalParticle* part, const double* rot, const double* d);
//       rot: 9 numbers, row-major R (R[3 i + j], column j = new axis j);
//       d: 3 numbers, origin of the new frame in the old one.
// c, s: cosine and sine of the rotation angle.
#ifndef XTRACK__FRAME_CHANGE_H
#define XTRACK__FRAME_CHANGE_H

#include "xtrack/headers/track.h"

// Move the particle from (x, y, s_new) along its direction to the plane s_new = 0.
GPUFUN void _FrameChange_to_plane(LocalParticle* part, double x, double y, double s_new,
                                  double px, double py, double pz){
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);
    LocalParticle_set_x(part, x - s_new * px / pz);
    LocalParticle_set_y(part, y - s_new * py / pz);
    LocalParticle_set_px(part, px);
    LocalParticle_set_py(part, py);
    LocalParticle_add_to_zeta(part, s_new * opd / (pz * rvv));
}

GPUFUN double _FrameChange_pz(LocalParticle* part){
    double const opd = 1. + LocalParticle_get_delta(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    return sqrt(opd * opd - px * px - py * py);
}

GPUFUN void FrameChange_rotate_about_s(LocalParticle* part, double c, double s){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    LocalParticle_set_x(part, c * x + s * y);
    LocalParticle_set_y(part, -s * x + c * y);
    LocalParticle_set_px(part, c * px + s * py);
    LocalParticle_set_py(part, -s * px + c * py);
}

GPUFUN void FrameChange_rotate_about_x(LocalParticle* part, double c, double s){
    double const pz = _FrameChange_pz(part);
    double const y = LocalParticle_get_y(part);
    double const py = LocalParticle_get_py(part);
    _FrameChange_to_plane(part, LocalParticle_get_x(part), c * y, -s * y,
                          LocalParticle_get_px(part), c * py + s * pz, -s * py + c * pz);
}

GPUFUN void FrameChange_rotate_about_y(LocalParticle* part, double c, double s){
    double const pz = _FrameChange_pz(part);
    double const x = LocalParticle_get_x(part);
    double const px = LocalParticle_get_px(part);
    _FrameChange_to_plane(part, c * x, LocalParticle_get_y(part), s * x,
                          c * px - s * pz, LocalParticle_get_py(part), s * px + c * pz);
}

GPUFUN void FrameChange_translate(LocalParticle* part, double dx, double dy, double ds){
    double const pz = _FrameChange_pz(part);
    _FrameChange_to_plane(part, LocalParticle_get_x(part) - dx, LocalParticle_get_y(part) - dy,
                          -ds, LocalParticle_get_px(part), LocalParticle_get_py(part), pz);
}

GPUFUN void FrameChange_general(LocalParticle* part, const double* rot, const double* d){
    double const pz = _FrameChange_pz(part);
    double const r0 = LocalParticle_get_x(part) - d[0];
    double const r1 = LocalParticle_get_y(part) - d[1];
    double const r2 = -d[2];
    double const p0 = LocalParticle_get_px(part);
    double const p1 = LocalParticle_get_py(part);
    double rn[3], pn[3];
    for (int j = 0; j < 3; j++){  // R^T v: component j is (column j) . v
        rn[j] = rot[j] * r0 + rot[3 + j] * r1 + rot[6 + j] * r2;
        pn[j] = rot[j] * p0 + rot[3 + j] * p1 + rot[6 + j] * pz;
    }
    _FrameChange_to_plane(part, rn[0], rn[1], rn[2], pn[0], pn[1], pn[2]);
}

#endif  // XTRACK__FRAME_CHANGE_H
