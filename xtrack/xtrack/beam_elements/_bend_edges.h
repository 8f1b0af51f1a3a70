// Pole-face edges of Bend / RBend: the parameters of one edge and its map,
// delegated to the shared edge maps of _edges.h (edge_magnet).
// An inactive edge is the identity; models as EDGE_MODELS in magnets.py
// (0 linear, 1 full, 2 dipole-only, 3 suppressed).
#ifndef XTRACK__BEND_EDGES_H
#define XTRACK__BEND_EDGES_H

#include "xtrack/headers/track.h"
#include "_edges.h"

typedef struct {
    int64_t active;
    int64_t model;
    double angle;         // face angle [rad]
    double angle_fdown;   // feed-down term of the linear model [rad]
    double fint;          // fringe integral
    double hgap;          // half gap [m]
    double r21, r43;      // linear model: its matrix terms (bend_edge_prepare)
} BendEdge;

// Once per call, with the edge dipole k0: the particle-independent terms of
// the linear model (the same values as computed per particle).
GPUFUN void bend_edge_prepare(BendEdge* e, double k0){
    e->r21 = 0.;
    e->r43 = 0.;
    if (e->active && e->model == EDGE_MODEL_LINEAR)
        edge_dipole_linear_coeffs(k0, e->angle, e->angle_fdown, e->hgap, e->fint, &e->r21, &e->r43);
}

// kn, ks: normalised strengths per unit length (index n, up to order; kn[0]
// the k0 given to bend_edge_prepare);
// k0 (kn[0]) is the dipole of the edge, kn[1] the quadrupole of the wedge.
GPUFUN void bend_edge_track(LocalParticle* part, BendEdge const* e, const double* kn,
                            const double* ks, int64_t order, int64_t is_exit){
    if (!e->active) return;
    if (e->model == EDGE_MODEL_LINEAR && order >= 0){  // = edge_magnet, coefficients prepared
        edge_dipole_linear_apply(part, e->r21, e->r43, 1.);
        return;
    }
    edge_magnet(part, e->model, is_exit, kn, ks, order, kn[0], order >= 1 ? kn[1] : 0.,
                e->angle, e->angle_fdown, e->fint, e->hgap);
}

// Inverse of bend_edge_track for the linear and suppressed models (the caller
// refuses the others, see bend_edge_can_backtrack).
GPUFUN void bend_edge_backtrack(LocalParticle* part, BendEdge const* e, const double* kn,
                                int64_t order){
    if (!e->active || e->model == EDGE_MODEL_SUPPRESSED || order < 0) return;
    if (e->model == EDGE_MODEL_LINEAR) edge_dipole_linear_apply(part, e->r21, e->r43, -1.);
    else edge_dipole_linear_signed(part, kn[0], e->angle, e->angle_fdown, e->hgap, e->fint, -1.);
}

GPUFUN int64_t bend_edge_can_backtrack(BendEdge const* e){
    return !e->active || e->model == EDGE_MODEL_LINEAR || e->model == EDGE_MODEL_SUPPRESSED;
}

#endif  // XTRACK__BEND_EDGES_H
