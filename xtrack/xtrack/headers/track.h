// What an element's C track function needs: qualifiers, constants and the
// per-particle block macros.
//
// Contract (xtrack tracker and BeamElement.track): a `LocalParticle*` handed
// to `<Element>_track_local_particle(el, part0)` designates the particles
// part0->ipart .. part0->endpart - 1 (a chunk of consecutive particles on the
// CPU line kernel, one particle on GPUs and in element.track). The block
// below runs its body once per alive particle of that range, with DEST a
// view of that one particle; the element's set-up before the block is done
// once per call. Inside the block, `continue` goes to the next particle
// (never `return`, which would skip the rest of the chunk). Code written for
// the established per-block style compiles and behaves the same.
#ifndef XTRACK_HEADERS_TRACK_H
#define XTRACK_HEADERS_TRACK_H

#include "xobjects/headers/common.h"
#include "xtrack/headers/constants.h"

#define START_PER_PARTICLE_BLOCK(SRC, DEST)                                      \
    { LocalParticle xt_block_view_ = *(SRC);                                     \
      LocalParticle* DEST = &xt_block_view_;                                     \
      for (int64_t xt_block_i_ = (SRC)->ipart; xt_block_i_ < (SRC)->endpart;    \
           xt_block_i_++){                                                       \
        xt_block_view_.ipart = xt_block_i_;                                      \
        xt_block_view_.endpart = xt_block_i_ + 1;                                \
        if (LocalParticle_get_state(DEST) > 0) {
#define END_PER_PARTICLE_BLOCK }}}

// 1 if the particle is alive (state > 0), else 0.
GPUFUN int64_t check_is_active(LocalParticle* part){
    return LocalParticle_get_state(part) > 0;
}

#endif  // XTRACK_HEADERS_TRACK_H
