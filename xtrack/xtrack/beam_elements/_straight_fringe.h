// Hard-edge fringe of a straight multipole of order n (placeholder: no-op
// until the shared edge maps are available).
#ifndef XTRACK__STRAIGHT_FRINGE_H
#define XTRACK__STRAIGHT_FRINGE_H

#include "xtrack/headers/track.h"

GPUFUN void straight_fringe(LocalParticle* part, int64_t n, double kn, double ksn, int64_t side){
    (void)part; (void)n; (void)kn; (void)ksn; (void)side;
}

#endif  // XTRACK__STRAIGHT_FRINGE_H
