// What an element's C track function needs: qualifiers, constants and the
// per-particle block macros.
//
// Contract (xtrack tracker and BeamElement.track): a `LocalParticle*` handed
// to `<Element>_track_local_particle(el, part0)` designates exactly one
// particle (part0->ipart); the kernels loop over particles outside the
// element functions, one particle per thread on GPUs and per iteration on
// the CPU. The block below therefore runs its body once, for that particle,
// when it is alive; code written for the established per-block style
// compiles and behaves the same.
#ifndef XTRACK_HEADERS_TRACK_H
#define XTRACK_HEADERS_TRACK_H

#include "xobjects/headers/common.h"
#include "xtrack/headers/constants.h"

#define START_PER_PARTICLE_BLOCK(SRC, DEST) \
    { LocalParticle* DEST = (SRC); if (LocalParticle_get_state(DEST) > 0) {
#define END_PER_PARTICLE_BLOCK }}

// 1 if the particle is alive (state > 0), else 0.
GPUFUN int64_t check_is_active(LocalParticle* part){
    return LocalParticle_get_state(part) > 0;
}

#endif  // XTRACK_HEADERS_TRACK_H
