// Sequence shared by the curved thick magnets (Bend, Magnet): misalignment,
// entry edge, body, exit edge, misalignment back. Each element fills a
// CurvedMagnet from its own fields, calls curved_magnet_prepare once, and
// tracks every particle with curved_magnet_track.
#ifndef XTRACK__CURVED_MAGNET_H
#define XTRACK__CURVED_MAGNET_H

#include "xtrack/headers/track.h"
#include "_magnet_body.h"
#include "_curved_body.h"
#include "_magnet_misalignment.h"
#include "_bend_edges.h"
#include "_backtrack.h"

typedef struct {
    MagnetBody body;
    BendEdge entry;
    BendEdge exit;
    MagnetMisalignment mis;
    CurvedBodyPlan plan;                      // per-call set-up of the body (_curved_body.h)
    double kn_edge[XT_MAGNET_MAX_ORDER + 1];  // edge strengths: main components plus
    double ks_edge[XT_MAGNET_MAX_ORDER + 1];  // the extra multipoles per unit length
    int64_t order_edge;
} CurvedMagnet;

// Once per call, after the body and edges are filled: the body plan and the
// edge strengths: main strengths up to `max_main_order` (2 for Bend: k0..k2;
// 3 for Magnet: k0..k3 and k0s..k3s), plus knl/ksl / length.
GPUFUN void curved_magnet_prepare(CurvedMagnet* m, int64_t max_main_order){
    MagnetBody const* b = &m->body;
    double const length = b->length;
    int64_t const order = b->order;
    m->order_edge = order > max_main_order ? order : max_main_order;
    for (int64_t i = 0; i <= m->order_edge; i++){
        m->kn_edge[i] = (i <= max_main_order ? b->k[i] : 0.)
                        + (i <= order && length != 0. ? b->knl[i] / length : 0.);
        double const ks_extra = i <= order && length != 0. ? b->ksl[i] / length : 0.;
        // Bend has no skew main strengths: its edges see the extra multipoles only
        m->ks_edge[i] = max_main_order >= 3 ? (i <= max_main_order ? b->ks[i] : 0.) + ks_extra : ks_extra;
    }
    bend_edge_prepare(&m->entry, m->kn_edge[0]);
    bend_edge_prepare(&m->exit, m->kn_edge[0]);
    curved_body_init(&m->plan, b);
}

GPUFUN void curved_magnet_track(LocalParticle* part, CurvedMagnet const* m){
    magnet_misalignment(part, &m->mis, 0);
    bend_edge_track(part, &m->entry, m->kn_edge, m->ks_edge, m->order_edge, 0);
    curved_body_track(part, &m->plan, &m->body);
    bend_edge_track(part, &m->exit, m->kn_edge, m->ks_edge, m->order_edge, 1);
    magnet_misalignment(part, &m->mis, 1);
}

// Backtracking (_backtrack.h): before curved_magnet_prepare, the body is
// turned into its inverse (length -L, opposite integrated knl, ksl; the
// strengths per unit length and h stay); then curved_magnet_backtrack undoes
// curved_magnet_track: misalignment entry, exit edge, body, entry edge,
// misalignment exit, with the misalignment reversed by
// magnet_misalignment_reverse (_magnet_misalignment.h) after its init.
GPUFUN void curved_magnet_reverse_body(CurvedMagnet* m){
    MagnetBody* b = &m->body;
    b->length = -b->length;
    for (int64_t i = 0; i <= b->order; i++){ b->knl[i] = -b->knl[i]; b->ksl[i] = -b->ksl[i]; }
}

GPUFUN int64_t curved_magnet_can_backtrack(CurvedMagnet const* m){
    return m->body.model != 9 && m->body.radiation_flag == 0
           && bend_edge_can_backtrack(&m->entry) && bend_edge_can_backtrack(&m->exit);
}

GPUFUN void curved_magnet_backtrack(LocalParticle* part, CurvedMagnet const* m){
    if (!curved_magnet_can_backtrack(m)){
        backtrack_refuse(part);
        return;
    }
    magnet_misalignment(part, &m->mis, 0);
    bend_edge_backtrack(part, &m->exit, m->kn_edge, m->order_edge);
    curved_body_track(part, &m->plan, &m->body);
    bend_edge_backtrack(part, &m->entry, m->kn_edge, m->order_edge);
    magnet_misalignment(part, &m->mis, 1);
}

#endif  // XTRACK__CURVED_MAGNET_H
