// Wedge: dipole (exact) and quadrupole (thin) wedge maps (see _edges.h).
#ifndef XTRACK_WEDGE_H
#define XTRACK_WEDGE_H

#include "xtrack/headers/track.h"
#include "_edges.h"

GPUFUN void Wedge_track_local_particle(WedgeData el, LocalParticle* part0){
    double const angle = WedgeData_get_angle(el);
    double const k = WedgeData_get_k(el);
    double const k1 = WedgeData_get_k1(el);
    int64_t const quad_first = WedgeData_get_quad_wedge_then_dip_wedge(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        edge_wedge(part, angle, k, k1, quad_first);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_WEDGE_H
