// Translation: exact shift of the reference frame (map in _frame_change.h).
#ifndef XTRACK_TRANSLATION_H
#define XTRACK_TRANSLATION_H

#include "xtrack/headers/track.h"
#include "_frame_change.h"

GPUFUN void Translation_track_local_particle(TranslationData el, LocalParticle* part0){
    double const dx = TranslationData_get_shift_x(el);
    double const dy = TranslationData_get_shift_y(el);
    double const ds = TranslationData_get_shift_s(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (ds == 0.){
            LocalParticle_add_to_x(part, -dx);
            LocalParticle_add_to_y(part, -dy);
        } else {
            FrameChange_translate(part, dx, dy, ds);
        }
    END_PER_PARTICLE_BLOCK;
}

// inverse: the opposite translation (the shift and the exact drift to the
// new plane commute)
GPUFUN void Translation_backtrack_local_particle(TranslationData el, LocalParticle* part0){
    double const dx = TranslationData_get_shift_x(el);
    double const dy = TranslationData_get_shift_y(el);
    double const ds = TranslationData_get_shift_s(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (ds == 0.){
            LocalParticle_add_to_x(part, dx);
            LocalParticle_add_to_y(part, dy);
        } else {
            FrameChange_translate(part, -dx, -dy, -ds);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_TRANSLATION_H
