// Misalignment of a thick magnet: the simple transverse shift + tilt of
// _misalignment.h when only shift_x, shift_y, rot_s_rad are set (and, for
// shifts, the body is straight), else the
// exact entry/exit patches of _misalignment_patch.h (MAD-X EALIGN order:
// shift, rot_y_rad (theta), rot_x_rad (phi), about the point rot_shift_anchor
// [m] along the body; rot_s_rad is the tilt of the magnet).
//
//   GPUFUN void magnet_misalignment(LocalParticle* part, MagnetMisalignment const* m,
//           int64_t is_exit);
//   GPUFUN void magnet_misalignment_reverse(MagnetMisalignment* m);   // for backtracking
#ifndef XTRACK__MAGNET_MISALIGNMENT_H
#define XTRACK__MAGNET_MISALIGNMENT_H

#include "xtrack/headers/track.h"
#include "_misalignment.h"
#include "_frame_change.h"
#include "_misalignment_patch.h"

typedef struct {
    double shift_x, shift_y, shift_s;   // [m]
    double rot_x_rad, rot_y_rad, rot_s_rad;
    double anchor;                      // [m]
    double length, angle;               // body length [m] and bending angle [rad]
    int64_t full;                       // 1: exact patches
    double rot_in[9], origin_in[3], rot_out[9], origin_out[3];
} MagnetMisalignment;

GPUFUN void magnet_misalignment_init(MagnetMisalignment* m, double shift_x, double shift_y,
                                     double shift_s, double rot_x_rad, double rot_y_rad,
                                     double rot_s_rad, double anchor, double length,
                                     double angle){
    m->shift_x = shift_x; m->shift_y = shift_y; m->shift_s = shift_s;
    m->rot_x_rad = rot_x_rad; m->rot_y_rad = rot_y_rad; m->rot_s_rad = rot_s_rad;
    m->anchor = anchor; m->length = length; m->angle = angle;
    m->full = (shift_s != 0. || rot_x_rad != 0. || rot_y_rad != 0.
               || (angle != 0. && (shift_x != 0. || shift_y != 0.)));
    if (m->full){
        MisalignmentPatch_frame(shift_x, shift_y, shift_s, rot_y_rad, rot_x_rad, 0., anchor,
                                length, angle, rot_s_rad, 0, m->rot_in, m->origin_in);
        MisalignmentPatch_frame(shift_x, shift_y, shift_s, rot_y_rad, rot_x_rad, 0., anchor,
                                length, angle, rot_s_rad, 1, m->rot_out, m->origin_out);
    }
}

// Backtracking: after this, magnet_misalignment(part, m, 0) undoes the exit
// and magnet_misalignment(part, m, 1) the entry. The simple entry and exit are
// already inverses; an exact patch (R, d) is undone by (R^T, -R^T d): the
// composed frame change is the identity (same plane, straight-line moves of
// opposite path lengths).
GPUFUN void _magnet_misalignment_invert(const double* rot, const double* d,
                                        double* rot_inv, double* d_inv){
    for (int64_t i = 0; i < 3; i++){
        for (int64_t j = 0; j < 3; j++) rot_inv[3 * i + j] = rot[3 * j + i];
    }
    for (int64_t i = 0; i < 3; i++){
        d_inv[i] = -(rot_inv[3 * i] * d[0] + rot_inv[3 * i + 1] * d[1] + rot_inv[3 * i + 2] * d[2]);
    }
}

GPUFUN void magnet_misalignment_reverse(MagnetMisalignment* m){
    if (!m->full) return;
    double rot_in[9], origin_in[3];
    for (int64_t i = 0; i < 9; i++) rot_in[i] = m->rot_in[i];
    for (int64_t i = 0; i < 3; i++) origin_in[i] = m->origin_in[i];
    _magnet_misalignment_invert(m->rot_out, m->origin_out, m->rot_in, m->origin_in);
    _magnet_misalignment_invert(rot_in, origin_in, m->rot_out, m->origin_out);
}

GPUFUN void magnet_misalignment(LocalParticle* part, MagnetMisalignment const* m,
                                int64_t is_exit){
    if (m->full){
        if (!is_exit) FrameChange_general(part, m->rot_in, m->origin_in);
        else FrameChange_general(part, m->rot_out, m->origin_out);
        return;
    }
    if (!is_exit) misalignment_entry(part, m->shift_x, m->shift_y, m->rot_s_rad);
    else misalignment_exit(part, m->shift_x, m->shift_y, m->rot_s_rad);
}

#endif  // XTRACK__MAGNET_MISALIGNMENT_H
