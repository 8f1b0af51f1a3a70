// Hard-edge fringe of a straight multipole (Quadrupole, Sextupole, Octupole
// with edge_entry_active / edge_exit_active): the multipole fringe map of
// _edges.h (edge_multipole_fringe, Lee-Whiting / Forest-Milutinovic) for the
// main component kn, ksn of order n [m^-(n+1)].
#ifndef XTRACK__STRAIGHT_FRINGE_H
#define XTRACK__STRAIGHT_FRINGE_H

#include "xtrack/headers/track.h"
#include "_edges.h"

GPUFUN void straight_fringe(LocalParticle* part, int64_t n, double kn, double ksn,
                            int64_t is_exit){
    double k[4] = {0., 0., 0., 0.}, ks[4] = {0., 0., 0., 0.};
    k[n] = kn;
    ks[n] = ksn;
    edge_multipole_fringe(part, k, ks, n, is_exit);
}

#endif  // XTRACK__STRAIGHT_FRINGE_H
