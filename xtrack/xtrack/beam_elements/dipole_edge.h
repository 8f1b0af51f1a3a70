// DipoleEdge: linear or full edge of a dipole (maps in _edges.h).
#ifndef XTRACK_DIPOLE_EDGE_H
#define XTRACK_DIPOLE_EDGE_H

#include "xtrack/headers/track.h"
#include "_edges.h"
#include "_backtrack.h"

// backtrack 1: the inverse (_backtrack.h), the opposite linear kick; the full
// models have none here (refused).
GPUFUN void DipoleEdge_track_sign(DipoleEdgeData el, LocalParticle* part0, int64_t backtrack){
    int64_t const model = DipoleEdgeData_get__model(el);
    double const k = DipoleEdgeData_get_k(el);
    double const e1 = DipoleEdgeData_get_e1(el);
    double const e1_fd = DipoleEdgeData_get_e1_fd(el);
    double const hgap = DipoleEdgeData_get_hgap(el);
    double const fint = DipoleEdgeData_get_fint(el);
    int64_t const is_exit = DipoleEdgeData_get__side(el) == 1;
    START_PER_PARTICLE_BLOCK(part0, part);
        if (!backtrack) edge_dipole(part, model, k, e1, e1_fd, hgap, fint, is_exit);
        else if (model == EDGE_MODEL_LINEAR) edge_dipole_linear_signed(part, k, e1, e1_fd, hgap, fint, -1.);
        else if (model != EDGE_MODEL_SUPPRESSED) backtrack_refuse(part);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void DipoleEdge_track_local_particle(DipoleEdgeData el, LocalParticle* part0){
    DipoleEdge_track_sign(el, part0, 0);
}

GPUFUN void DipoleEdge_backtrack_local_particle(DipoleEdgeData el, LocalParticle* part0){
    DipoleEdge_track_sign(el, part0, 1);
}

#endif  // XTRACK_DIPOLE_EDGE_H
