// XRotation: rotation of the reference frame, angle in degrees (maps in _frame_change.h).
#ifndef XTRACK_X_ROTATION_H
#define XTRACK_X_ROTATION_H

#include "xtrack/headers/track.h"
#include "_frame_change.h"

GPUFUN void XRotation_track_local_particle(XRotationData el, LocalParticle* part0){
    double const angle = XRotationData_get_angle(el) * (PI / 180.);
    double const c = cos(angle);
    double const s = sin(angle);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_rotate_about_x(part, c, s);
    END_PER_PARTICLE_BLOCK;
}

// inverse: the rotation by -angle (an exact frame rotation)
GPUFUN void XRotation_backtrack_local_particle(XRotationData el, LocalParticle* part0){
    double const angle = XRotationData_get_angle(el) * (PI / 180.);
    double const c = cos(angle);
    double const s = sin(angle);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_rotate_about_x(part, c, -s);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_X_ROTATION_H
