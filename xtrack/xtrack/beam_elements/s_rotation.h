// SRotation: rotation of the reference frame, angle in degrees (maps in _frame_change.h).
#ifndef XTRACK_S_ROTATION_H
#define XTRACK_S_ROTATION_H

#include "xtrack/headers/track.h"
#include "_frame_change.h"

GPUFUN void SRotation_track_local_particle(SRotationData el, LocalParticle* part0){
    double const angle = SRotationData_get_angle(el) * (PI / 180.);
    double const c = cos(angle);
    double const s = sin(angle);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_rotate_about_s(part, c, s);
    END_PER_PARTICLE_BLOCK;
}

// inverse: the rotation by -angle (an exact frame rotation)
GPUFUN void SRotation_backtrack_local_particle(SRotationData el, LocalParticle* part0){
    double const angle = SRotationData_get_angle(el) * (PI / 180.);
    double const c = cos(angle);
    double const s = sin(angle);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_rotate_about_s(part, c, -s);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_S_ROTATION_H
