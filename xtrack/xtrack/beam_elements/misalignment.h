// Misalignment: entry or exit patch of a misaligned element (geometry in
// _misalignment_patch.h, exact frame change in _frame_change.h).
#ifndef XTRACK_MISALIGNMENT_ELEMENT_H
#define XTRACK_MISALIGNMENT_ELEMENT_H

#include "xtrack/headers/track.h"
#include "_frame_change.h"
#include "_misalignment_patch.h"

GPUFUN void Misalignment_track_local_particle(MisalignmentData el, LocalParticle* part0){
    double rot[9], origin[3];
    MisalignmentPatch_frame(
        MisalignmentData_get_dx(el), MisalignmentData_get_dy(el), MisalignmentData_get_ds(el),
        MisalignmentData_get_theta(el), MisalignmentData_get_phi(el), MisalignmentData_get_psi(el),
        MisalignmentData_get_anchor(el), MisalignmentData_get_length(el),
        MisalignmentData_get_angle(el), MisalignmentData_get_tilt(el),
        MisalignmentData_get_is_exit(el), rot, origin);
    START_PER_PARTICLE_BLOCK(part0, part);
        FrameChange_general(part, rot, origin);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_MISALIGNMENT_ELEMENT_H
