// MultipoleEdge: hard-edge multipole fringe (edge_multipole_fringe in _edges.h).
#ifndef XTRACK_MULTIPOLE_EDGE_H
#define XTRACK_MULTIPOLE_EDGE_H

#include "xtrack/headers/track.h"
#include "_edges.h"

GPUFUN void MultipoleEdge_track_local_particle(MultipoleEdgeData el, LocalParticle* part0){
    int64_t order = MultipoleEdgeData_len_kn(el) - 1;
    if (order > EDGE_MAX_ORDER) order = EDGE_MAX_ORDER;
    double kn[EDGE_MAX_ORDER + 1], ks[EDGE_MAX_ORDER + 1];
    for (int64_t ii = 0; ii <= order; ii++){
        kn[ii] = MultipoleEdgeData_get_kn(el, ii);
        ks[ii] = MultipoleEdgeData_get_ks(el, ii);
    }
    int64_t const is_exit = MultipoleEdgeData_get_is_exit(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        edge_multipole_fringe(part, kn, ks, order, is_exit);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_MULTIPOLE_EDGE_H
