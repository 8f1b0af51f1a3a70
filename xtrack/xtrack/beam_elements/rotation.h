// Rotation: exact rotations of the reference frame about x, y and s, applied
// in the order coded in _seq (one decimal digit per rotation, first rotation
// in the most significant digit; x = 1, y = 2, s = 3; see transformations.py).
#ifndef XTRACK_ROTATION_H
#define XTRACK_ROTATION_H

#include "xtrack/headers/track.h"
#include "_frame_change.h"

GPUFUN void Rotation_track_local_particle(RotationData el, LocalParticle* part0){
    double const ax = RotationData_get_rot_x_rad(el);
    double const ay = RotationData_get_rot_y_rad(el);
    double const as = RotationData_get_rot_s_rad(el);
    int64_t const seq = RotationData_get__seq(el);
    int64_t digits[3];
    int64_t n = 0;
    for (int64_t rest = seq; rest > 0 && n < 3; rest /= 10) digits[n++] = rest % 10;
    START_PER_PARTICLE_BLOCK(part0, part);
        for (int64_t k = n - 1; k >= 0; k--){
            int64_t const axis = digits[k];
            if (axis == 1 && ax != 0.) FrameChange_rotate_about_x(part, cos(ax), sin(ax));
            else if (axis == 2 && ay != 0.) FrameChange_rotate_about_y(part, cos(ay), sin(ay));
            else if (axis == 3 && as != 0.) FrameChange_rotate_about_s(part, cos(as), sin(as));
        }
    END_PER_PARTICLE_BLOCK;
}

// inverse: the rotations in the opposite order, by the opposite angles
GPUFUN void Rotation_backtrack_local_particle(RotationData el, LocalParticle* part0){
    double const ax = RotationData_get_rot_x_rad(el);
    double const ay = RotationData_get_rot_y_rad(el);
    double const as = RotationData_get_rot_s_rad(el);
    int64_t const seq = RotationData_get__seq(el);
    int64_t digits[3];
    int64_t n = 0;
    for (int64_t rest = seq; rest > 0 && n < 3; rest /= 10) digits[n++] = rest % 10;
    START_PER_PARTICLE_BLOCK(part0, part);
        for (int64_t k = 0; k < n; k++){
            int64_t const axis = digits[k];
            if (axis == 1 && ax != 0.) FrameChange_rotate_about_x(part, cos(ax), -sin(ax));
            else if (axis == 2 && ay != 0.) FrameChange_rotate_about_y(part, cos(ay), -sin(ay));
            else if (axis == 3 && as != 0.) FrameChange_rotate_about_s(part, cos(as), -sin(as));
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_ROTATION_H
