// YRotation: rotation of the reference frame, angle in degrees (maps in _frame_change.h).
#ifndef XTRACK_Y_ROTATION_H
#define XTRACK_Y_ROTATION_H

#include "xtrack/headers/track.h"
#include "_frame_change.h"

GPUFUN void YRotation_track_local_particle(YRotationData el, LocalParticle* part0){
    double const angle = YRotationData_get_angle(el) * (PI / 180.);
    double const c = cos(angle);
    double const s = sin(angle);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_rotate_about_y(part, c, s);
    END_PER_PARTICLE_BLOCK;
}

// inverse: the rotation by -angle (an exact frame rotation)
GPUFUN void YRotation_backtrack_local_particle(YRotationData el, LocalParticle* part0){
    double const angle = YRotationData_get_angle(el) * (PI / 180.);
    double const c = cos(angle);
    double const s = sin(angle);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_rotate_about_y(part, c, -s);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_Y_ROTATION_H
