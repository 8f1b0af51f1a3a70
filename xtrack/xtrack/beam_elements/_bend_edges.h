// Pole-face edges of bends (placeholder until the shared edge maps exist).
#ifndef XTRACK__BEND_EDGES_H
#define XTRACK__BEND_EDGES_H

#include "xtrack/headers/track.h"

typedef struct {
    int64_t active;
    int64_t model;        // 0 linear, 1 full, 2 dipole-only, 3 suppressed
    double angle;         // [rad]
    double angle_fdown;   // [rad]
    double fint;
    double hgap;          // [m]
} BendEdge;

GPUFUN void bend_edge_track(LocalParticle* part, BendEdge const* e, double k0, double h,
                            int64_t is_exit){
    (void)part; (void)e; (void)k0; (void)h; (void)is_exit;
}

#endif  // XTRACK__BEND_EDGES_H
