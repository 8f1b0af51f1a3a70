// Entry/exit patch of a misaligned (possibly curved and tilted) element.
//
// Geometry (rigid transforms F = (R, o): axes R (columns) and origin o of a
// frame, in the coordinates of the nominal entry frame):
//   Rt       = rotation by tilt about s (the plane of the bend is tilted);
//   Arc(s)   = frame at arc length s along a body of length L bending by
//              `angle` in the x-s plane, towards -x for angle > 0 (MAD-X
//              survey convention): rotation by -s angle/L about y, origin
//              (-rho (1 - cos a), 0, rho sin a), rho = L/angle, a = s/rho;
//              straight: origin (0, 0, s);
//   Fa       = Rt Arc(anchor) Rt^-1: the reference frame at the anchor
//              (anchor [m] along the body, where the element is pivoted);
//   M        = Fa T(dx, dy, ds) Ry(theta) Rx(-phi) Rs(psi) Fa^-1: the
//              misalignment, shifts and rotations in the anchor frame, in the
//              MAD-X EALIGN order and signs (MAD-X user guide, "EALIGN":
//              DTHETA about y, DPHI about x, DPSI about s);
//   body(s)  = M Rt Arc(s): the (tilted) frame of the misaligned body.
// Entry patch: the particle goes from the nominal entry frame to body(0).
// Exit patch: from body(L) to the nominal exit frame Rt Arc(L) Rt^-1.
// The frame change itself is the exact one of _frame_change.h.
//
// Functions:
//   void MisalignmentPatch_frame(double dx, double dy, double ds, double theta,
//       double phi, double psi, double anchor, double length, double angle,
//       double tilt, int64_t is_exit, double* rot, double* origin);
//     rot (9, row-major), origin (3): the new frame in the old one.
#ifndef XTRACK__MISALIGNMENT_PATCH_H
#define XTRACK__MISALIGNMENT_PATCH_H

#include "xtrack/headers/track.h"

// c = a b for rigid transforms (rotation row-major 3x3, origin 3).
GPUFUN void _Rigid_compose(const double* ra, const double* oa, const double* rb,
                           const double* ob, double* rc, double* oc){
    for (int i = 0; i < 3; i++){
        for (int j = 0; j < 3; j++){
            rc[3 * i + j] = ra[3 * i] * rb[j] + ra[3 * i + 1] * rb[3 + j] + ra[3 * i + 2] * rb[6 + j];
        }
        oc[i] = ra[3 * i] * ob[0] + ra[3 * i + 1] * ob[1] + ra[3 * i + 2] * ob[2] + oa[i];
    }
}

GPUFUN void _Rigid_inverse(const double* r, const double* o, double* ri, double* oi){
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ri[3 * i + j] = r[3 * j + i];
    for (int i = 0; i < 3; i++) oi[i] = -(ri[3 * i] * o[0] + ri[3 * i + 1] * o[1] + ri[3 * i + 2] * o[2]);
}

GPUFUN void _Rigid_copy(const double* r, const double* o, double* rc, double* oc){
    for (int i = 0; i < 9; i++) rc[i] = r[i];
    for (int i = 0; i < 3; i++) oc[i] = o[i];
}

// Rotation about axis 0 (x), 1 (y), 2 (s) with the sign conventions of _frame_change.h.
GPUFUN void _Rigid_rotation(int axis, double angle, double* r, double* o){
    double const c = cos(angle), s = sin(angle);
    for (int i = 0; i < 9; i++) r[i] = 0.;
    for (int i = 0; i < 3; i++) o[i] = 0.;
    if (axis == 0){
        r[0] = 1.; r[4] = c; r[5] = -s; r[7] = s; r[8] = c;
    } else if (axis == 1){
        r[0] = c; r[2] = s; r[4] = 1.; r[6] = -s; r[8] = c;
    } else {
        r[0] = c; r[1] = -s; r[3] = s; r[4] = c; r[8] = 1.;
    }
}

GPUFUN void _Rigid_arc(double s_arc, double length, double angle, double* r, double* o){
    if (angle == 0. || length == 0.){
        _Rigid_rotation(2, 0., r, o);
        o[2] = s_arc;
        return;
    }
    double const rho = length / angle;
    double const a = s_arc / rho;
    double const sh = sin(0.5 * a);
    _Rigid_rotation(1, -a, r, o);
    o[0] = -rho * 2. * sh * sh;
    o[2] = rho * sin(a);
}

GPUFUN void MisalignmentPatch_frame(double dx, double dy, double ds, double theta, double phi,
                                    double psi, double anchor, double length, double angle,
                                    double tilt, int64_t is_exit, double* rot, double* origin){
    double rt[9], ot[3], rti[9], oti[3], ra[9], oa[3], r1[9], o1[3], r2[9], o2[3];
    double fa[9], ofa[3], fai[9], ofai[3], rm[9], om[3];
    _Rigid_rotation(2, tilt, rt, ot);
    _Rigid_inverse(rt, ot, rti, oti);
    // Fa = Rt Arc(anchor) Rt^-1
    _Rigid_arc(anchor, length, angle, ra, oa);
    _Rigid_compose(rt, ot, ra, oa, r1, o1);
    _Rigid_compose(r1, o1, rti, oti, fa, ofa);
    _Rigid_inverse(fa, ofa, fai, ofai);
    // M = Fa T Ry(theta) Rx(-phi) Rs(psi) Fa^-1
    _Rigid_copy(fa, ofa, r1, o1);
    {
        double rr[9], orr[3];
        double const shift[3] = {dx, dy, ds};
        double const eye[9] = {1., 0., 0., 0., 1., 0., 0., 0., 1.};
        _Rigid_compose(r1, o1, eye, shift, r2, o2);
        _Rigid_rotation(1, theta, rr, orr);
        _Rigid_compose(r2, o2, rr, orr, r1, o1);
        _Rigid_rotation(0, -phi, rr, orr);
        _Rigid_compose(r1, o1, rr, orr, r2, o2);
        _Rigid_rotation(2, psi, rr, orr);
        _Rigid_compose(r2, o2, rr, orr, r1, o1);
        _Rigid_compose(r1, o1, fai, ofai, rm, om);
    }
    if (!is_exit){
        _Rigid_compose(rm, om, rt, ot, rot, origin);  // body(0) = M Rt
        return;
    }
    // old frame: body(L) = M Rt Arc(L); new frame: Rt Arc(L) Rt^-1
    _Rigid_arc(length, length, angle, ra, oa);
    _Rigid_compose(rm, om, rt, ot, r1, o1);
    _Rigid_compose(r1, o1, ra, oa, r2, o2);
    _Rigid_inverse(r2, o2, r1, o1);                    // body(L)^-1
    {
        double re[9], oe[3], re2[9], oe2[3];
        _Rigid_compose(rt, ot, ra, oa, re, oe);
        _Rigid_compose(re, oe, rti, oti, re2, oe2);     // nominal exit frame
        _Rigid_compose(r1, o1, re2, oe2, rot, origin);
    }
}

#endif  // XTRACK__MISALIGNMENT_PATCH_H
